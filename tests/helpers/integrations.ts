/** Helpers for integration tests: stubbed provider HTTP, a signed-in owner, the OAuth dance, raw rows. */
import { createExecutionContext, createMessageBatch, env, getQueueResult, runInDurableObject } from 'cloudflare:test'
import { vi } from 'vitest'
import { orgStub } from '../../src/organizations'
import { handleEventBatch } from '../../src/queues/events'
import type { EventMessage } from '../../src/queues/messages'
import { Staff } from './browserless'
import { createOrg, type TestOrg, unique } from './factories'
import { connectionsOf } from '../../src/integrations/remote'

export type Call = { url: string; method: string; headers: Headers; body: string }
export type Route = (call: Call) => Response | Promise<Response> | undefined

/** JSON response helper. */
export const json = (body: unknown, status = 200, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } })

/**
 * Stubs outbound HTTP at the fetch boundary: each call is recorded and answered by the first
 * route that returns a response; anything unrouted fails the test loudly with a 599.
 */
export function stubFetch(...routes: Route[]) {
  const calls: Call[] = []
  const spy = vi.spyOn(globalThis, 'fetch').mockImplementation(async (input, init) => {
    const req = new Request(input, init)
    const call = {
      url: req.url,
      method: req.method,
      headers: req.headers,
      body: new TextDecoder().decode(await req.arrayBuffer()),
    }
    calls.push(call)
    for (const route of routes) {
      const res = await route(call)
      if (res) return res
    }
    return new Response(`unstubbed ${call.method} ${call.url}`, { status: 599 })
  })
  return {
    calls,
    restore: () => spy.mockRestore(),
    to: (prefix: string) => calls.filter((c) => c.url.startsWith(prefix)),
  }
}

export const JOBBER_TOKEN = 'https://api.getjobber.com/api/oauth/token'
export const JOBBER_GRAPHQL = 'https://api.getjobber.com/api/graphql'

/** The Jobber account `jobberRoutes` names by default: what a connection made with them is for. */
export const JOBBER_ACCOUNT = 'Z2lkOi8vSm9iYmVyL0FjY291bnQvNzc='

/** Jobber's token endpoint and account query, answering with the given tokens. */
export function jobberRoutes(
  opts: { access?: string; refresh?: string; account?: { id: string; name: string } } = {},
): Route {
  return (call) => {
    if (call.url === JOBBER_TOKEN)
      return json({
        access_token: opts.access ?? 'jobber-access-1',
        refresh_token: opts.refresh ?? 'jobber-refresh-1',
        expires_in: 3600,
      })
    if (call.url === JOBBER_GRAPHQL && call.body.includes('account')) {
      return json({
        data: { account: opts.account ?? { id: JOBBER_ACCOUNT, name: 'Sparkle on Jobber' } },
      })
    }
    return undefined
  }
}

/** A new business whose owner is signed in, with the session's CSRF token. */
export async function signedInOwner(): Promise<{ org: TestOrg; staff: Staff; csrf: string }> {
  const org = await createOrg({ timezone: 'America/Los_Angeles' })
  const staff = new Staff()
  await staff.post('/login', { email: org.email, password: org.password })
  return { org, staff, csrf: await staff.csrfToken() }
}

/** Starts an OAuth connect from the card; returns the authorize URL the browser was sent to. */
export async function startConnect(staff: Staff, csrf: string, provider: string): Promise<URL> {
  const res = await staff.post(`/app/integrations/${provider}/connect`, { _csrf: csrf })
  if (res.status !== 303) throw new Error(`connect: ${res.status} ${await res.text()}`)
  return new URL(res.headers.get('location')!)
}

/** The provider sending the browser back with a code for `state`. */
export function callback(staff: Staff, query: Record<string, string>) {
  return staff.get(`/app/integrations/oauth/callback?${new URLSearchParams(query)}`)
}

/** Connects Jobber through the whole OAuth flow with stubbed endpoints; returns the connection id. */
export async function connectJobber(
  staff: Staff,
  csrf: string,
  org: TestOrg,
  routes: Route[] = [jobberRoutes()],
): Promise<string> {
  const stub = stubFetch(...routes)
  try {
    const authorize = await startConnect(staff, csrf, 'jobber')
    const res = await callback(staff, { code: 'code-1', state: authorize.searchParams.get('state')! })
    if (res.status !== 303) throw new Error(`callback: ${res.status} ${await res.text()}`)
  } finally {
    stub.restore()
  }
  const [connection] = await connectionsOf(orgStub(env, org.organizationId)).listConnections()
  return connection!.id
}

/** Connects QuickBooks through the whole OAuth flow with stubbed endpoints, Intuit naming `realm` (so app-wide deliveries for it route here). */
export async function connectQuickBooks(staff: Staff, csrf: string, realm: string, company = 'Sparkle Books') {
  const stub = stubFetch((call) => {
    if (call.url === 'https://oauth.platform.intuit.com/oauth2/v1/tokens/bearer')
      return json({
        access_token: 'qbo-access',
        refresh_token: 'qbo-refresh',
        expires_in: 3600,
        x_refresh_token_expires_in: 8_726_400,
      })
    if (call.url.includes(`/companyinfo/${realm}`)) return json({ CompanyInfo: { CompanyName: company } })
    return undefined
  })
  try {
    const authorize = await startConnect(staff, csrf, 'quickbooks')
    await callback(staff, { code: 'qbo-code', state: authorize.searchParams.get('state')!, realmId: realm })
  } finally {
    stub.restore()
  }
}

/** A connection's row exactly as stored. */
export function rawConnection(org: TestOrg, id: string): Promise<Record<string, string | null>> {
  return runInDurableObject(
    orgStub(env, org.organizationId),
    (_object, state) =>
      state.storage.sql.exec<Record<string, string | null>>('select * from connections where id = ?', id).toArray()[0]!,
  )
}

/** Runs SQL on the organization's own storage (test setup: backdating an expiry). */
export function orgSql(org: TestOrg, query: string, ...params: unknown[]): Promise<void> {
  return runInDurableObject(orgStub(env, org.organizationId), (_object, state) => {
    state.storage.sql.exec(query, ...params)
  })
}

/** A connection's sync log, newest first. */
export async function syncLogOf(org: TestOrg, id: string) {
  return (await connectionsOf(orgStub(env, org.organizationId)).connectionLog(id, 100)) ?? []
}

/** Hands one message to the events consumer as delivery number `attempts`; returns the retry delays asked for. */
export async function consumeEvent(message: EventMessage, attempts = 1) {
  const batch = createMessageBatch<EventMessage>('homebase-events', [
    { id: `m-${unique()}`, timestamp: new Date(), attempts, body: message },
  ])
  const retry = vi.spyOn(batch.messages[0]!, 'retry')
  const ctx = createExecutionContext()
  await handleEventBatch(batch, env)
  await getQueueResult(batch, ctx)
  return retry.mock.calls.map(([options]) => options?.delaySeconds)
}
