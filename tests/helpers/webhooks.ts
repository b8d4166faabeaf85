/**
 * Helpers for inbound webhook tests: providers' signatures made independently with WebCrypto,
 * deliveries through the real routes, the `events` queue captured so each test runs the
 * consumer itself, and the organization's receipts read from its storage.
 */
import { env, runInDurableObject, SELF } from 'cloudflare:test'
import { vi } from 'vitest'
import { handleEvent } from '../../src/queues/events'
import type { CrmWebhookMessage, EventMessage } from '../../src/queues/messages'
import { orgStub } from '../../src/organizations'
import { api, BASE, type TestOrg } from './factories'

async function hmac(key: string, data: string): Promise<Uint8Array> {
  const k = await crypto.subtle.importKey(
    'raw',
    new TextEncoder().encode(key),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign'],
  )
  return new Uint8Array(await crypto.subtle.sign('HMAC', k, new TextEncoder().encode(data)))
}
const base64 = (b: Uint8Array) => btoa(String.fromCharCode(...b))
const hex = (b: Uint8Array) => [...b].map((x) => x.toString(16).padStart(2, '0')).join('')
export const nowSeconds = () => Math.floor(Date.now() / 1000)

/** `X-Jobber-Hmac-SHA256` and `intuit-signature`: base64 HMAC of the body. */
export const base64Hmac = async (body: string, key: string) => base64(await hmac(key, body))

/** Housecall Pro's `Api-Signature` / `Api-Timestamp` pair. */
export async function housecallProHeaders(
  body: string,
  secret: string,
  timestamp = nowSeconds(),
): Promise<Record<string, string>> {
  return { 'api-timestamp': String(timestamp), 'api-signature': hex(await hmac(secret, `${timestamp}.${body}`)) }
}

/** `Stripe-Signature: t=…,v1=…`. */
export async function stripeSignature(body: string, secret: string, t = nowSeconds()): Promise<string> {
  return `t=${t},v1=${hex(await hmac(secret, `${t}.${body}`))}`
}

/** ServiceTitan's signature in the given encoding. */
export async function serviceTitanSignature(
  body: string,
  key: string,
  encoding: 'base64' | 'hex' = 'base64',
): Promise<string> {
  const sig = await hmac(key, body)
  return encoding === 'hex' ? hex(sig) : base64(sig)
}

/** Posts a provider's delivery to a webhook path. */
export function deliver(path: string, body: string, headers: Record<string, string> = {}) {
  return SELF.fetch(`${BASE}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  })
}

/** A connection made with the business's own webhook secret (POST /api/v1/integrations); returns its id. */
export async function connectWithSecret(
  org: TestOrg,
  provider: string,
  secret: string,
  extra: Record<string, unknown> = {},
): Promise<string> {
  const res = await api(org, 'POST', '/api/v1/integrations', { provider, webhook_secret: secret, ...extra })
  if (res.status !== 201) throw new Error(`connect ${provider}: ${res.status} ${await res.text()}`)
  return (await res.json<{ connection_id: string }>()).connection_id
}

/**
 * Captures the `crm_webhook` messages the routes queue (other messages go through), so a test
 * runs the consumer itself and nothing races it in the background.
 */
export function captureQueue() {
  const send = env.EVENTS.send.bind(env.EVENTS)
  const queued: CrmWebhookMessage[] = []
  const spy = vi
    .spyOn(env.EVENTS, 'send')
    .mockImplementation(async (body: EventMessage, options?: QueueSendOptions) => {
      if (body.type !== 'crm_webhook') return send(body, options)
      queued.push(body)
      return { metadata: { metrics: { backlogCount: 0, backlogBytes: 0 } } }
    })
  return {
    queued,
    /** Runs the consumer on everything queued so far, in order, as the events queue would. */
    async drain(attempts = 1) {
      for (const message of queued.splice(0)) await handleEvent(message, env, attempts)
    },
    restore: () => spy.mockRestore(),
  }
}

export type ReceiptRow = {
  id: string
  provider: string
  event_key: string
  connection_id: string | null
  topic: string | null
  status: string
  error: string | null
}

/** The organization's webhook receipts, oldest first. */
export function receiptsOf(org: TestOrg): Promise<ReceiptRow[]> {
  return runInDurableObject(orgStub(env, org.organizationId), (_object, state) =>
    state.storage.sql
      .exec<ReceiptRow>(
        'select id, provider, event_key, connection_id, topic, status, error from webhook_receipts order by received_at, rowid',
      )
      .toArray(),
  )
}

export type SyncRow = {
  step: string
  status: string
  detail: string | null
  external_id: string | null
  topic: string | null
}

/** The organization's inbound sync-log rows, oldest first. */
export function inboundLogOf(org: TestOrg): Promise<SyncRow[]> {
  return runInDurableObject(orgStub(env, org.organizationId), (_object, state) =>
    state.storage.sql
      .exec<SyncRow>(
        "select step, status, detail, external_id, topic from sync_log where direction = 'inbound' order by at, rowid",
      )
      .toArray(),
  )
}

export type EventRow = { type: string; org_client_id: string | null; data: Record<string, unknown> }

/** The events raised for a client, oldest first. */
export async function eventsOf(org: TestOrg, orgClientId: string): Promise<EventRow[]> {
  const rows = await runInDurableObject(orgStub(env, org.organizationId), (_object, state) =>
    state.storage.sql
      .exec<{ type: string; org_client_id: string | null; data: string }>(
        'select type, org_client_id, data from events where org_client_id = ? order by created_at, rowid',
        orgClientId,
      )
      .toArray(),
  )
  return rows.map((r) => ({ ...r, data: JSON.parse(r.data) as Record<string, unknown> }))
}
