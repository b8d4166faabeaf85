/**
 * What pushes to the CRMs share (customers, bookings): a call's outcome, Jobber mutations and REST
 * calls answering a record's id, and one attempt's failure logged and retried with backoff
 * (honouring 429 Retry-After) up to the events queue's attempts.
 */
import type { Env } from '../env'
import type { CrmCustomerMessage } from '../queues/messages'
import { MAX_PUSH_ATTEMPTS } from './push'
import { graphqlData, jobberGraphql, jsonOf, pick, restRequest } from './provider-api'
import { RetryLater, retryDelaySeconds } from './retry'

type CrmProvider = CrmCustomerMessage['provider']
type ApiEnv = Pick<Env, 'INTEGRATION_ENDPOINTS' | 'SERVICETITAN_APP_KEY'>

/** One call's outcome: the CRM record's id when it worked, else whether trying again may help. */
export type CallOutcome =
  | { ok: true; status: number; id: string }
  | { ok: false; status: number | null; retryable: boolean; retryAfter: string | null; detail: string }

/** One attempt's sync-log row. */
export type LogStep = (
  status: 'ok' | 'retry' | 'error' | 'skipped',
  detail: string,
  externalId?: string,
) => Promise<void>

/**
 * Logs a failed attempt and throws RetryLater when it may pass and attempts remain; `label`
 * names the push in the queue's error.
 */
export async function failed(
  outcome: Extract<CallOutcome, { ok: false }>,
  attempt: number,
  now: Date,
  log: LogStep,
  label: string,
): Promise<void> {
  const what = outcome.status === null ? outcome.detail : `HTTP ${outcome.status}: ${outcome.detail}`
  if (!outcome.retryable) return log('error', what)
  if (attempt >= MAX_PUSH_ATTEMPTS) return log('error', `${what}; gave up after ${attempt} attempts`)
  const delay = retryDelaySeconds(attempt, outcome.retryAfter, now)
  await log('retry', `${what}; retry in ${delay} s`)
  throw new RetryLater(delay, `${label}: ${what}`)
}

/** A connection without a usable token: retried, since the owner may reconnect it. */
export const NO_TOKEN: Extract<CallOutcome, { ok: false }> = {
  ok: false,
  status: null,
  retryable: true,
  retryAfter: null,
  detail: 'no usable access token: reconnect the integration',
}

/** A thrown fetch, as an outcome worth retrying. */
export const networkError = (error: unknown): CallOutcome => ({
  ok: false,
  status: null,
  retryable: true,
  retryAfter: null,
  detail: `network error: ${error instanceof Error ? error.message : String(error)}`,
})

/** A Jobber mutation answering `{<field>: {client|job: {id}, userErrors}}`. A THROTTLED error comes with HTTP 200 and is retried. */
export async function jobberMutation(
  env: ApiEnv,
  token: string,
  query: string,
  variables: Record<string, unknown>,
  field: string,
  record = 'client',
): Promise<CallOutcome> {
  const res = await jobberGraphql(env, token, query, variables)
  const answer = await jobberAnswer(res, field)
  if (!answer.ok) return answer
  const id = idOf(pick(answer.data, `${field}.${record}.id`))
  return id
    ? { ok: true, status: res.status, id }
    : { ok: false, status: res.status, retryable: false, retryAfter: null, detail: `no ${record} id in the answer` }
}

/** A REST call answering the record with its `id`. */
export async function restCall(
  env: ApiEnv,
  provider: CrmProvider,
  token: string,
  path: string,
  method: string,
  body: unknown,
): Promise<CallOutcome> {
  const res = await restRequest(env, provider, token, path, { method, body })
  if (!res.ok) return httpFailure(res)
  const id = idOf(pick(await jsonOf(res), 'id'))
  return id
    ? { ok: true, status: res.status, id }
    : { ok: false, status: res.status, retryable: false, retryAfter: null, detail: 'no id in the answer' }
}

/**
 * A Jobber mutation's answer: its data, or why it failed. A THROTTLED error comes with HTTP 200 and
 * may pass on a retry; the mutation's own `userErrors` will not.
 */
export async function jobberAnswer(
  res: Response,
  field: string,
): Promise<Extract<CallOutcome, { ok: false }> | { ok: true; status: number; data: unknown }> {
  if (!res.ok) return httpFailure(res)
  const result = graphqlData(await jsonOf(res))
  if ('error' in result)
    return { ok: false, status: res.status, retryable: result.throttled, retryAfter: null, detail: result.error }
  const userErrors = pick(result.data, `${field}.userErrors`)
  if (Array.isArray(userErrors) && userErrors.length > 0)
    return {
      ok: false,
      status: res.status,
      retryable: false,
      retryAfter: null,
      detail: userErrors.map((e) => String(pick(e, 'message'))).join('; '),
    }
  return { ok: true, status: res.status, data: result.data }
}

export const idOf = (v: unknown) => (typeof v === 'number' ? String(v) : typeof v === 'string' && v ? v : null)

/** A non-2xx answer: 408, 429 and 5xx may pass; other 4xx will not. */
export async function httpFailure(res: Response): Promise<Extract<CallOutcome, { ok: false }>> {
  return {
    ok: false,
    status: res.status,
    retryable: res.status === 408 || res.status === 429 || res.status >= 500,
    retryAfter: res.headers.get('retry-after'),
    detail: (await res.text()).slice(0, 300) || res.statusText,
  }
}
