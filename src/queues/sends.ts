/**
 * The `sends` queue: one message per send, delivered through the configured provider exactly once.
 * A batch is handled per organization: one ORG object call claims its messages, the provider calls
 * run at once (texts at their number's pace), one call records the outcomes, and the batch's
 * message routes go to D1 in one statement. Each queue message is still acked or retried alone.
 */
import type { Env } from '../env'
import { replyAddress } from '../email/reply-address'
import { smsPace } from '../messaging/providers/pace'
import { type Outcome, sendMany } from '../messaging/providers/send-many'
import { orgStub } from '../organizations'

export type SendMessage = { organization_id: string; message_id: string }

/** Deliveries a message gets before it is failed: the first plus wrangler.toml's `max_retries = 5`. */
export const MAX_SEND_ATTEMPTS = 6

/** Enqueues sends in batches of 100 (the queue's batch limit), all at once. */
export async function enqueueSends(env: Env, organizationId: string, messageIds: string[]): Promise<void> {
  const chunks: string[][] = []
  for (let i = 0; i < messageIds.length; i += 100) chunks.push(messageIds.slice(i, i + 100))
  await Promise.all(
    chunks.map((ids) =>
      env.SENDS.sendBatch(
        ids.map((id) => ({ body: { organization_id: organizationId, message_id: id } satisfies SendMessage })),
      ),
    ),
  )
}

/** Seconds before retry n (1-based): 10 s, 20 s, 40 s… capped at 10 minutes. */
export const backoffSeconds = (attempt: number) => Math.min(600, 10 * 2 ** (attempt - 1))

type Route = { provider_message_id: string; organization_id: string; message_id: string }

/** Delivers a batch, each organization's messages together; each queue message is acknowledged or retried on its own. */
export async function handleSendBatch(batch: MessageBatch<SendMessage>, env: Env): Promise<void> {
  const byOrg = new Map<string, Message<SendMessage>[]>()
  for (const message of batch.messages) {
    const list = byOrg.get(message.body.organization_id) ?? []
    list.push(message)
    byOrg.set(message.body.organization_id, list)
  }
  const settled = await Promise.all([...byOrg].map(([organizationId, list]) => deliverOrg(env, organizationId, list)))
  const routes = settled.flatMap((s) => s.routes)
  // Status callbacks find their message by these rows; a write that fails is logged, the texts are out.
  if (routes.length > 0)
    await env.PEOPLE.prepare(
      `insert into message_routes (provider_message_id, organization_id, message_id)
      select json_extract(value, '$.provider_message_id'), json_extract(value, '$.organization_id'), json_extract(value, '$.message_id')
      from json_each(?1) where true on conflict do nothing`,
    )
      .bind(JSON.stringify(routes))
      .run()
      .catch((error) => console.error('sends: could not record message routes', error))
  for (const s of settled) s.settle()
}

/** The retry of a queue message: its backoff, by its deliveries so far. */
const retry = (m: Message<SendMessage>) => m.retry({ delaySeconds: backoffSeconds(m.attempts) })

/**
 * One organization's part of a batch: claim, send, record. Returns the routes to write and how to
 * settle its queue messages (after the routes are written). A message id twice in the batch (a
 * redelivery beside the first) is claimed and sent once, and both are settled alike.
 */
async function deliverOrg(
  env: Env,
  organizationId: string,
  list: Message<SendMessage>[],
): Promise<{ routes: Route[]; settle: () => void }> {
  const org = orgStub(env, organizationId)
  const byId = new Map<string, Message<SendMessage>[]>()
  for (const m of list) byId.set(m.body.message_id, [...(byId.get(m.body.message_id) ?? []), m])
  const each = (ids: Iterable<string>, fn: (m: Message<SendMessage>) => void) => {
    for (const id of ids) for (const m of byId.get(id) ?? []) fn(m)
  }
  const callback =
    env.SMS_PROVIDER === 'twilio' && env.PUBLIC_BASE_URL ? `${env.PUBLIC_BASE_URL}/webhooks/twilio/status` : undefined
  let claimed: Awaited<ReturnType<typeof org.claimDeliveries>>
  try {
    claimed = await org.claimDeliveries([...byId.keys()], { statusCallbackUrl: callback, smsPace: smsPace(env) })
  } catch (error) {
    console.error('sends: could not claim a batch, will retry', organizationId, error)
    return { routes: [], settle: () => list.forEach(retry) }
  }
  const later = await sendLater(env, organizationId, claimed.later)
  // A client's answer to an email comes back to the business (src/email/handler.ts).
  if (claimed.send.some((s) => s.message.channel === 'email')) {
    const replyTo = (await replyAddress(env, organizationId)) ?? undefined
    for (const s of claimed.send) if (s.message.channel === 'email') s.message.replyTo = replyTo
  }
  const outcomes = await sendMany(env, claimed.send)
  const attemptsOf = (id: string) => Math.max(...(byId.get(id) ?? []).map((m) => m.attempts))
  const failed = (o: Outcome): o is Extract<Outcome, { error: string }> => 'error' in o
  let recorded = true
  try {
    await org.recordDeliveries(
      outcomes.map((o) =>
        failed(o)
          ? { id: o.id, ok: false, error: o.error, final: o.permanent || attemptsOf(o.id) >= MAX_SEND_ATTEMPTS }
          : { id: o.id, ok: true, provider: o.delivered.provider, providerMessageId: o.delivered.providerMessageId },
      ),
    )
  } catch (error) {
    console.error('sends: could not record a batch, will retry', organizationId, error)
    recorded = false
  }
  const sent = outcomes.filter((o): o is Extract<Outcome, { delivered: unknown }> => 'delivered' in o)
  return {
    routes: recorded
      ? sent.map((o) => ({
          provider_message_id: o.delivered.providerMessageId,
          organization_id: organizationId,
          message_id: o.id,
        }))
      : [],
    settle: () => {
      // Already sent, skipped or failed, or not this organization's: a redelivered queue message sends nothing twice.
      each(claimed.nothing, (m) => m.ack())
      each(later.handedBack, (m) => m.ack())
      each(later.kept, retry)
      for (const o of outcomes) {
        // On the last attempt the retry hands the message to the dead-letter queue.
        if (!recorded || (failed(o) && !o.permanent)) each([o.id], retry)
        else each([o.id], (m) => m.ack())
      }
    },
  }
}

/** Texts without a slot soon go back to the queue until their slot (not an attempt); kept ones retry if that fails. */
async function sendLater(
  env: Env,
  organizationId: string,
  later: Array<{ id: string; laterSeconds: number }>,
): Promise<{ handedBack: string[]; kept: string[] }> {
  if (later.length === 0) return { handedBack: [], kept: [] }
  try {
    await env.SENDS.sendBatch(
      later.map((l) => ({
        body: { organization_id: organizationId, message_id: l.id } satisfies SendMessage,
        delaySeconds: l.laterSeconds,
      })),
    )
    return { handedBack: later.map((l) => l.id), kept: [] }
  } catch (error) {
    console.error('sends: could not hand texts back to the queue, will retry', organizationId, error)
    return { handedBack: [], kept: later.map((l) => l.id) }
  }
}

/** The dead-letter queue: the messages are already marked failed; make sure (one call per organization), log them and let them go. */
export async function handleDeadSends(batch: MessageBatch<SendMessage>, env: Env): Promise<void> {
  const byOrg = new Map<string, Message<SendMessage>[]>()
  for (const m of batch.messages) byOrg.set(m.body.organization_id, [...(byOrg.get(m.body.organization_id) ?? []), m])
  for (const [organizationId, list] of byOrg) {
    await orgStub(env, organizationId).recordDeliveries(
      list.map((m) => ({ id: m.body.message_id, ok: false, error: 'dead-lettered after retries', final: true })),
    )
    for (const m of list) {
      console.error('sends: dead-lettered', m.body)
      m.ack()
    }
  }
}
