/**
 * Pushing texts to the CRM (seed 003 crm-sync), from the `events` queue: each SMS to or from a
 * linked client becomes a note on the CRM customer. Every attempt is a sync-log row; failures
 * that may pass are retried with backoff (honouring 429 Retry-After), at most six attempts.
 */
import { clock } from '../clock'
import { syncSettings } from '../../durable-objects/org/integrations/connection-settings'
import type { ConnectionSettings } from '../../durable-objects/org/schema'
import type { Env } from '../env'
import { orgStub } from '../organizations'
import type { CrmPushMessage } from '../queues/messages'
import { httpFailure, jobberAnswer } from './crm-calls'
import { callTopic } from './push-calls'
import { jobberGraphql, restRequest } from './provider-api'
import { RetryLater, retryDelaySeconds } from './retry'
import { connectionsOf } from './remote'

/** The first delivery plus wrangler.toml's `max_retries = 5` for the events queue. */
export const MAX_PUSH_ATTEMPTS = 6

export type NoteOutcome =
  | { ok: true; status: number }
  | { ok: false; status: number | null; retryable: boolean; retryAfter: string | null; detail: string }

/** One attempt at a push; throws RetryLater when the queue should try again. `attempt` is 1-based. */
export async function pushToCrm(env: Env, msg: CrmPushMessage, attempt: number, now = clock.now()): Promise<void> {
  const org = orgStub(env, msg.organization_id)
  const log = (status: 'ok' | 'retry' | 'error' | 'skipped', detail: string) =>
    connectionsOf(org).recordPush(msg.connection_id, {
      status,
      attempt,
      orgClientId: msg.org_client_id,
      externalId: msg.external_client_id,
      messageId: msg.message_id,
      direction: msg.direction,
      topic: callTopic(msg),
      detail,
    })
  const settings = (await connectionsOf(org).connectionSettings(msg.connection_id)) ?? {}
  // Queued before the setting was turned off: the push stops here.
  if (!allowedBySettings(msg, settings)) return log('skipped', 'not pushed: this sync is off in the settings')
  const token = await connectionsOf(org).accessToken(msg.connection_id)
  if (!token) return log('error', 'no usable access token: reconnect the integration')
  const outcome = await postNote(env, msg, token, settings).catch(
    (error: unknown): NoteOutcome => ({
      ok: false,
      status: null,
      retryable: true,
      retryAfter: null,
      detail: error instanceof Error ? error.message : String(error),
    }),
  )
  if (outcome.ok) return log('ok', `HTTP ${outcome.status}: note added`)
  const what = `${outcome.status === null ? 'network error' : `HTTP ${outcome.status}`}: ${outcome.detail}`
  if (!outcome.retryable) return log('error', what)
  if (attempt >= MAX_PUSH_ATTEMPTS) return log('error', `${what}; gave up after ${attempt} attempts`)
  const delay = retryDelaySeconds(attempt, outcome.retryAfter, now)
  await log('retry', `${what}; retry in ${delay} s`)
  throw new RetryLater(delay, `crm push ${msg.provider} ${msg.message_id}: ${what}`)
}

/** Whether the connection's settings let this push go: "sync calls" for a call (`message_id` `call:…`), else "sync messages". */
export function allowedBySettings(msg: Pick<CrmPushMessage, 'message_id'>, settings: ConnectionSettings): boolean {
  const s = syncSettings(settings)
  return msg.message_id.startsWith('call:') ? s.sync_calls : s.sync_messages
}

/** The note's text as the CRM shows it. */
export function noteText(msg: Pick<CrmPushMessage, 'direction' | 'body' | 'at'>): string {
  return `${msg.direction === 'outbound' ? 'Text sent by HomeBase' : 'Text received in HomeBase'} (${msg.at}):\n${msg.body}`
}

function postNote(env: Env, msg: CrmPushMessage, token: string, settings: ConnectionSettings): Promise<NoteOutcome> {
  const text = msg.kind === 'call' ? msg.body : noteText(msg)
  switch (msg.provider) {
    case 'jobber':
      return jobberNote(env, token, msg.external_client_id, text)
    case 'housecallpro':
      return housecallProNote(env, token, msg.external_client_id, text)
    case 'servicetitan':
      return serviceTitanNote(env, token, settings, msg.external_client_id, text)
  }
}

const CLIENT_NOTE = `mutation HomeBaseClientNote($clientId: EncodedId!, $input: ClientCreateNoteInput!) {
  clientCreateNote(clientId: $clientId, input: $input) { clientNote { id } userErrors { message path } }
}`

/** Jobber: the `clientCreateNote` mutation. A THROTTLED error arrives with HTTP 200 and is retried. */
async function jobberNote(env: Env, token: string, clientId: string, text: string): Promise<NoteOutcome> {
  const res = await jobberGraphql(env, token, CLIENT_NOTE, { clientId, input: { message: text } })
  const answer = await jobberAnswer(res, 'clientCreateNote')
  return answer.ok ? { ok: true, status: answer.status } : answer
}

async function housecallProNote(env: Env, token: string, customerId: string, text: string): Promise<NoteOutcome> {
  const res = await restRequest(env, 'housecallpro', token, `/customers/${encodeURIComponent(customerId)}/notes`, {
    method: 'POST',
    body: { content: text },
  })
  return res.ok ? { ok: true, status: res.status } : httpFailure(res)
}

/** ServiceTitan: CRM v2 customer note for the connection's tenant. */
async function serviceTitanNote(
  env: Env,
  token: string,
  settings: ConnectionSettings,
  customerId: string,
  text: string,
): Promise<NoteOutcome> {
  const path = `/crm/v2/tenant/${encodeURIComponent(settings.tenant_id ?? '')}/customers/${encodeURIComponent(customerId)}/notes`
  const res = await restRequest(env, 'servicetitan', token, path, { method: 'POST', body: { text, pinToTop: false } })
  return res.ok ? { ok: true, status: res.status } : httpFailure(res)
}
