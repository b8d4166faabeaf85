/**
 * Requests through the Worker's own fetch handler, and what the test harness adds to each call
 * the Worker makes to a Durable Object, so HTTP figures can be read without it.
 */
import { createExecutionContext, env, waitOnExecutionContext } from 'cloudflare:test'
import { runInRunnerObject, getResolvedMainPath } from 'cloudflare:test-internal'
import { verifiedKeys } from '../../src/auth/cache'
import worker from '../../src/index'
import { BASE, type TestOrg } from '../helpers/factories'

/**
 * A request handled by the Worker's own fetch handler (routing, the key check, the object's RPC,
 * JSON). Not SELF.fetch: under vitest-pool-workers every SELF.fetch gets slower than the one before
 * (cloudflare/workers-sdk#15446), which would make a long series of requests measure the harness.
 * The key is verified in D1 once and then remembered by the isolate (src/auth/cache.ts), as in
 * production; `keyFromD1` forgets it first, as for a key this isolate has not seen in 5 s.
 */
export async function request(
  org: TestOrg,
  method: string,
  path: string,
  body?: unknown,
  { keyFromD1 = false } = {},
): Promise<Response> {
  if (keyFromD1) verifiedKeys.clear()
  const ctx = createExecutionContext()
  const req = new Request(`${BASE}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${org.apiKey}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  const res = await worker.fetch(req as Parameters<typeof worker.fetch>[0], env, ctx)
  await res.arrayBuffer()
  await waitOnExecutionContext(ctx)
  return res
}

/**
 * What vitest-pool-workers does before every call to one of the Worker's Durable Objects: it
 * wraps each object, and the wrapper loads the Worker's module through Vite's module runner, in
 * the runner's own object, before handing the call on. Neither `wrangler dev` nor production does
 * this. One run of it here is one such lookup.
 */
export function harnessLookup(): Promise<unknown> {
  return runInRunnerObject(() => __vitest_mocker__.moduleRunner.import(getResolvedMainPath('Durable Object')))
}
