/**
 * The `sends` queue: each queue message carries up to 100 sends of one business, each delivered
 * through the configured provider exactly once. A batch is handled per organization: one ORG
 * object call claims its messages, the provider calls run at once (texts at their number's pace),
 * one call records the outcomes, and the batch's message routes go to D1 in one statement. A queue
 * message is acked when every send it carries is done, else retried whole: on redelivery the sends
 * already out come back as "nothing to do" (decision 019).
 */
import type { Messaging } from '../../durable-objects/org/messaging/module'
import type { Env } from '../env'
import { replyAddress } from '../email/reply-address'
import { smsPace } from '../messaging/providers/pace'
import { type Outcome, sendMany } from '../messaging/providers/send-many'
import { orgStub } from '../organizations'
import { messagingOf } from '../messaging/remote'

/** One queue message: up to SENDS_PER_MESSAGE sends of one business, or one (the shape written before carriers). */
export type SendMessage =
  | { organization_id: string; message_ids: string[] }
  | { organization_id: string; message_id: string }

/** Sends one queue message carries: 10,000 reminders are 100 queue messages, not 10,000. */
export const SENDS_PER_MESSAGE = 100
/** Queue messages per `sendBatch`: 25 × 100 ids is about 100 KB, under a batch's 256 KB. */
const MESSAGES_PER_BATCH = 25

/** The sends a queue message carries. */
export const idsOf = (body: SendMessage): string[] => ('message_ids' in body ? body.message_ids : [body.message_id])

/** `ids` as queue messages of at most SENDS_PER_MESSAGE sends, in `sendBatch`es, all at once. */
async function enqueueCarriers(env: Env, organizationId: string, ids: string[], delaySeconds?: number): Promise<void> {
  const bodies: SendMessage[] = []
  for (let i = 0; i < ids.length; i += SENDS_PER_MESSAGE)
    bodies.push({ organization_id: organizationId, message_ids: ids.slice(i, i + SENDS_PER_MESSAGE) })
  const batches: SendMessage[][] = []
  for (let i = 0; i < bodies.length; i += MESSAGES_PER_BATCH) batches.push(bodies.slice(i, i + MESSAGES_PER_BATCH))
  await Promise.all(
    batches.map((batch) =>
      env.SENDS.sendBatch(batch.map((body) => ({ body, ...(delaySeconds ? { delaySeconds } : {}) }))),
    ),
  )
}

/** Deliveries a message gets before it is failed: the first plus wrangler.toml's `max_retries = 5`. */
export const MAX_SEND_ATTEMPTS = 6

/** Enqueues a business's decided sends, up to 100 to a queue message. */
export function enqueueSends(env: Env, organizationId: string, messageIds: string[]): Promise<void> {
  return enqueueCarriers(env, organizationId, messageIds)
}

/** Seconds before retry n (1-based): 10 s, 20 s, 40 s… capped at 10 minutes. */
export const backoffSeconds = (attempt: number) => Math.min(600, 10 * 2 ** (attempt - 1))

type Route = { provider_message_id: string; organization_id: string; message_id: string }

/** Delivers a batch, each organization's sends together; each queue message is acknowledged or retried on its own. */
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

/** The longest delay a queue message may be given (12 hours). */
const MAX_DELAY_SECONDS = 43_200

/** The retry of a queue message: its backoff by its deliveries so far, or longer when the provider asked (Retry-After). */
function retry(m: Message<SendMessage>, retryAfterSeconds = 0): void {
  m.retry({ delaySeconds: Math.min(MAX_DELAY_SECONDS, Math.max(backoffSeconds(m.attempts), retryAfterSeconds)) })
}

/**
 * One organization's part of a batch: claim, send, record. Returns the routes to write and how to
 * settle its queue messages (after the routes are written). A message id twice in the batch (a
 * redelivery beside the first) is claimed and sent once. A queue message is retried when any send
 * it carries is to be tried again, else acked.
 */
async function deliverOrg(
  env: Env,
  organizationId: string,
  list: Message<SendMessage>[],
): Promise<{ routes: Route[]; settle: () => void }> {
  const org = orgStub(env, organizationId)
  // Each send, with the deliveries so far of the queue messages that carry it (the most decides its last try).
  const attempts = new Map<string, number>()
  for (const m of list) for (const id of idsOf(m.body)) attempts.set(id, Math.max(attempts.get(id) ?? 0, m.attempts))
  const callback =
    env.SMS_PROVIDER === 'twilio' && env.PUBLIC_BASE_URL ? `${env.PUBLIC_BASE_URL}/webhooks/twilio/status` : undefined
  let claimed: Awaited<ReturnType<Messaging['claimDeliveries']>>
  try {
    claimed = await messagingOf(org).claimDeliveries([...attempts.keys()], {
      statusCallbackUrl: callback,
      smsPace: smsPace(env),
    })
  } catch (error) {
    console.error('sends: could not claim a batch, will retry', organizationId, error)
    return {
      routes: [],
      settle: () => {
        for (const m of list) retry(m)
      },
    }
  }
  const later = await sendLater(env, organizationId, claimed.later)
  // A client's answer to an email comes back to the business (src/email/handler.ts).
  for (const s of claimed.send)
    if (s.message.channel === 'email')
      s.message.replyTo = (await replyAddress(env, organizationId, s.message.to)) ?? undefined
  const outcomes = await sendMany(env, claimed.send)
  const attemptsOf = (id: string) => attempts.get(id) ?? 1
  const failed = (o: Outcome): o is Extract<Outcome, { error: string }> => 'error' in o
  const recorded = await recordOutcomes(
    env,
    organizationId,
    outcomes.map((o) =>
      failed(o)
        ? { id: o.id, ok: false, error: o.error, final: o.permanent || attemptsOf(o.id) >= MAX_SEND_ATTEMPTS }
        : { id: o.id, ok: true, provider: o.delivered.provider, providerMessageId: o.delivered.providerMessageId },
    ),
  )
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
      // Done: sent, failed for good, handed back for its slot, or nothing to do (already sent, skipped
      // or failed, or not this organization's: a redelivered queue message sends nothing twice).
      // Tried again: a transient failure, a record that did not stick, a hand-back that failed. On the
      // last attempt the retry hands the queue message to the dead-letter queue.
      // A queue message waits the longest Retry-After a provider gave for any send it carries.
      const again = new Map<string, number>(later.kept.map((id) => [id, 0]))
      for (const o of outcomes)
        if (!recorded) again.set(o.id, 0)
        else if (failed(o) && !o.permanent) again.set(o.id, o.retryAfterSeconds ?? 0)
      for (const m of list) {
        const waits = idsOf(m.body).flatMap((id) => (again.has(id) ? [again.get(id)!] : []))
        if (waits.length > 0) retry(m, Math.max(...waits))
        else m.ack()
      }
    },
  }
}

/** Pauses before each further try of recording a batch's outcomes. */
const RECORD_RETRY_MS = [100, 1_000]

/**
 * Records the outcomes; true once the object has them. The texts are already with the provider, so
 * a failed call (the object restarting: its stub is then broken) is tried again on a fresh stub
 * before the batch is given back to the queue, which would send them again.
 */
async function recordOutcomes(
  env: Env,
  organizationId: string,
  outcomes: Parameters<ReturnType<typeof orgStub>['recordDeliveries']>[0],
): Promise<boolean> {
  for (let attempt = 0; ; attempt++) {
    try {
      await orgStub(env, organizationId).recordDeliveries(outcomes)
      return true
    } catch (error) {
      const pause = RECORD_RETRY_MS[attempt]
      if (pause === undefined) {
        console.error('sends: could not record a batch, will retry', organizationId, error)
        return false
      }
      await new Promise((resolve) => setTimeout(resolve, pause))
    }
  }
}

/** Texts without a slot soon go back to the queue until their slot (not an attempt); kept ones retry if that fails. */
async function sendLater(
  env: Env,
  organizationId: string,
  later: Array<{ id: string; laterSeconds: number }>,
): Promise<{ handedBack: string[]; kept: string[] }> {
  if (later.length === 0) return { handedBack: [], kept: [] }
  const byDelay = new Map<number, string[]>()
  // The queue delays 12 hours at most; a slot further off is kept for the text, which comes back then and waits again.
  for (const l of later) {
    const delay = Math.min(MAX_DELAY_SECONDS, l.laterSeconds)
    byDelay.set(delay, [...(byDelay.get(delay) ?? []), l.id])
  }
  try {
    await Promise.all([...byDelay].map(([delay, ids]) => enqueueCarriers(env, organizationId, ids, delay)))
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
      list.flatMap((m) =>
        idsOf(m.body).map((id) => ({ id, ok: false as const, error: 'dead-lettered after retries', final: true })),
      ),
    )
    for (const m of list) {
      console.error('sends: dead-lettered', m.body)
      m.ack()
    }
  }
}
