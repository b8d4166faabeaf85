/** Helpers for messaging tests: a client with a job, the clock, the sends queue, Twilio requests. */
import { createExecutionContext, createMessageBatch, env, getQueueResult, SELF } from 'cloudflare:test'
import { handleSendBatch, type SendMessage } from '../../src/queues/sends'
import { orgStub } from '../../src/organizations'
import { twilioSignature } from '../../src/messaging/twilio-signature'
import { api, BASE, createClient, createOrg, unique, type TestOrg } from './factories'
import type { Env } from '../../src/env'

export type Message = {
  id: string
  channel: string
  to: string
  body: string
  subject?: string
  status: string
  reason?: string
  purpose: string
  provider_message_id?: string
  send_after: string | null
  attempts: number
}

/** An organization with quiet hours as given (default: none) and a client in California. */
export async function orgWithClient(
  opts: { quiet?: { start: string; end: string }; phone?: string | null; email?: string | null } = {},
) {
  const org = await createOrg({ timezone: 'America/Los_Angeles' })
  await api(org, 'PATCH', '/api/v1/organization', { quiet_hours: opts.quiet ?? { start: '00:00', end: '00:00' } })
  const phone = opts.phone === undefined ? `+1415555${String(1000 + Math.floor(Math.random() * 8999))}` : opts.phone
  const email = opts.email === undefined ? `client-${unique()}@example.com` : opts.email
  const client = await createClient(org, {
    first_name: 'Casey',
    ...(phone ? { phone } : {}),
    ...(email ? { email } : {}),
    address: { address1: '1 Main St', city: 'Oakland', state: 'CA', postal: '94607' },
  })
  return { org, client, phone, email }
}

/**
 * Books a job for the client starting at `startAt`, without the booking confirmation, so that a
 * test of reminders or journeys sees only those messages (tests/jobs.confirmation.test.ts covers it).
 */
export async function bookJob(org: TestOrg, orgClientId: string, startAt: string) {
  const res = await api(org, 'POST', '/api/v1/jobs', { org_client_id: orgClientId, start_at: startAt, notify: false })
  if (res.status !== 201) throw new Error(`job: ${res.status} ${await res.text()}`)
  return (await res.json<{ job: { id: string } }>()).job
}

/** The organization's message log. */
export async function messagesOf(org: TestOrg, query = ''): Promise<Message[]> {
  return (await (await api(org, 'GET', `/api/v1/messages${query}`)).json<{ items: Message[] }>()).items
}

/** Runs the organization's due work as if the clock read `now`. */
export function runDueAt(org: TestOrg, now: Date) {
  return orgStub(env, org.organizationId).runDueWork(now)
}

/** Claims and decides what is due at `now` without enqueueing the sends (tests then deliver by hand). */
export function decideAt(org: TestOrg, now: Date) {
  return orgStub(env, org.organizationId).decideDueWork(now)
}

/** Delivers send messages through the consumer directly, as a (re)delivery would. */
export async function deliver(org: TestOrg, messageIds: string[], attempts = 1, overrides: Partial<Env> = {}) {
  const batch = createMessageBatch<SendMessage>(
    'homebase-sends',
    messageIds.map((id, i) => ({
      id: `${id}-${attempts}-${i}`,
      timestamp: new Date(),
      attempts,
      body: { organization_id: org.organizationId, message_id: id },
    })),
  )
  const ctx = createExecutionContext()
  await handleSendBatch(batch, { ...env, ...overrides })
  return getQueueResult(batch, ctx)
}

/** The outbox rows of a message. */
export async function outboxOf(messageId: string) {
  return (
    await env.PEOPLE.prepare('select * from outbox where message_id = ?')
      .bind(messageId)
      .all<{ to: string; body: string }>()
  ).results
}

/** A Twilio webhook request, signed with the test auth token unless told otherwise. */
export async function twilioPost(path: string, params: Record<string, string>, signature?: string) {
  const url = `${BASE}${path}`
  const sig = signature ?? (await twilioSignature(env.TWILIO_AUTH_TOKEN!, url, Object.entries(params)))
  return SELF.fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': sig },
    body: new URLSearchParams(params).toString(),
  })
}

/** A text from a phone to the platform number, through Twilio's signed webhook. */
export function textIn(from: string, body: string) {
  return twilioPost('/webhooks/twilio/sms', {
    From: from,
    To: env.TWILIO_FROM_NUMBER!,
    Body: body,
    MessageSid: `SM${crypto.randomUUID().replace(/-/g, '')}`,
    AccountSid: env.TWILIO_ACCOUNT_SID!,
  })
}

/** An organization with one reminder SMS decided and delivered through the outbox; its Twilio-shaped SID. */
export async function deliveredSms() {
  const { org, client } = await orgWithClient()
  await bookJob(org, client.org_client_id, '2030-06-10T19:00:00Z')
  await decideAt(org, new Date('2030-06-09T19:00:30Z'))
  const [queued] = await messagesOf(org)
  await deliver(org, [queued!.id])
  return { org, to: queued!.to, sid: (await messagesOf(org))[0]!.provider_message_id! }
}
