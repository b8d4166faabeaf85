/** A message's life after the decision: handed to a provider, its outcome, and the provider's callbacks. */
import { and, desc, eq, type SQL, sql } from 'drizzle-orm'
import type { OutgoingMessage } from '../../../src/messaging/providers/types'
import type { OrgDb } from '../db'
import { recordEvent } from '../events'
import { messages, type MessageStatus } from '../schema'
import type { Slot } from './send-pace'

/** Messages decided to go that no consumer has claimed yet (at most `limit`): in the queue, or never handed to it. */
export function unclaimedSends(db: OrgDb, limit = 5_000): string[] {
  return db
    .select({ id: messages.id })
    .from(messages)
    .where(and(eq(messages.status, 'queued'), eq(messages.attempts, 0)))
    .limit(limit)
    .all()
    .map((m) => m.id)
}

/** The message to deliver, or null when it is not (or no longer) queued: a redelivery sends nothing. */
export function startDelivery(
  db: OrgDb,
  id: string,
  organizationId: string,
  statusCallbackUrl?: string,
): OutgoingMessage | null {
  const m = db.select().from(messages).where(eq(messages.id, id)).get()
  if (m?.status !== 'queued' || !m.to || !m.from) return null
  db.update(messages)
    .set({ attempts: m.attempts + 1, updatedAt: new Date().toISOString() })
    .where(eq(messages.id, id))
    .run()
  return outgoingOf(m, m.to, m.from, organizationId, statusCallbackUrl)
}

/** A queued message row as the provider takes it. */
function outgoingOf(
  m: typeof messages.$inferSelect,
  to: string,
  from: string,
  organizationId: string,
  statusCallbackUrl: string | undefined,
): OutgoingMessage {
  return {
    id: m.id,
    organizationId,
    channel: m.channel,
    to,
    from,
    subject: m.subject,
    body: m.body,
    transactional: m.transactional,
    ...(m.unsubscribeUrl ? { unsubscribeUrl: m.unsubscribeUrl } : {}),
    ...(m.channel === 'sms' && statusCallbackUrl ? { statusCallbackUrl } : {}),
  }
}

/** A batch's claim: what to send now (each after its `delayMs`), what to send later, and what needs nothing. */
export type Claimed = {
  send: Array<{ message: OutgoingMessage; delayMs: number }>
  /** Texts whose number has no slot soon, or messages another consumer holds: back to the queue for this long, not counted as an attempt. */
  later: Array<{ id: string; laterSeconds: number }>
  /** Not queued (already sent, skipped or failed) or not this organization's: a redelivery sends nothing. */
  nothing: string[]
}

/**
 * Claims a batch of this organization's messages in one statement each to read and to count the
 * attempt: the ones still queued come back to send; `slotOf` paces texts per sending number.
 */
export function claimDeliveries(
  db: OrgDb,
  ids: string[],
  organizationId: string,
  options: {
    statusCallbackUrl?: string
    slotOf?: (m: { id: string; from: string }) => Slot
    /** Seconds another consumer still holds `id` (claimed, not yet recorded), else 0. */
    heldFor?: (id: string) => number
  },
  now = new Date(),
): Claimed {
  const wanted = sql`(select value from json_each(${JSON.stringify(ids)}))`
  const rows = db.select().from(messages).where(sql`${messages.id} in ${wanted}`).all()
  const byId = new Map(rows.map((m) => [m.id, m]))
  const claimed: Claimed = { send: [], later: [], nothing: [] }
  for (const id of new Set(ids)) {
    const m = byId.get(id)
    if (m?.status !== 'queued' || !m.to || !m.from) {
      claimed.nothing.push(id)
      continue
    }
    // Claimed by a consumer still at work (a redelivery beside the first delivery): not twice, try again after it.
    const held = options.heldFor?.(id) ?? 0
    if (held > 0) {
      claimed.later.push({ id, laterSeconds: held })
      continue
    }
    const slot = m.channel === 'sms' && options.slotOf ? options.slotOf({ id, from: m.from }) : { delayMs: 0 }
    if ('laterSeconds' in slot) {
      claimed.later.push({ id, laterSeconds: slot.laterSeconds })
      continue
    }
    claimed.send.push({
      delayMs: slot.delayMs,
      message: outgoingOf(m, m.to, m.from, organizationId, options.statusCallbackUrl),
    })
  }
  if (claimed.send.length > 0)
    db.update(messages)
      .set({ attempts: sql`${messages.attempts} + 1`, updatedAt: now.toISOString() })
      .where(
        sql`${messages.id} in (select value from json_each(${JSON.stringify(claimed.send.map((s) => s.message.id))}))`,
      )
      .run()
  return claimed
}

/** A delivery's outcome as the consumer reports it: accepted with the provider's id, or failed (`final`: no retry). */
export type DeliveryOutcome =
  | { id: string; ok: true; provider: string; providerMessageId: string }
  | { id: string; ok: false; error: string; final: boolean }

/** Records a batch's outcomes; a message no longer queued is left as it is. */
export function recordDeliveries(db: OrgDb, outcomes: DeliveryOutcome[], now = new Date()): void {
  for (const o of outcomes) {
    if (o.ok) deliverySucceeded(db, o.id, o.provider, o.providerMessageId, now)
    else deliveryFailed(db, o.id, o.error, o.final, now)
  }
}

/** The provider accepted the message. */
export function deliverySucceeded(
  db: OrgDb,
  id: string,
  provider: string,
  providerMessageId: string,
  now = new Date(),
): void {
  const at = now.toISOString()
  const [m] = db
    .update(messages)
    .set({
      status: 'sent',
      provider,
      providerMessageId,
      providerStatus: 'accepted',
      sentAt: at,
      error: null,
      updatedAt: at,
    })
    .where(and(eq(messages.id, id), eq(messages.status, 'queued')))
    .returning({
      orgClientId: messages.orgClientId,
      channel: messages.channel,
      purpose: messages.purpose,
      subject: messages.subject,
      body: messages.body,
    })
    .all()
  // The timeline says what went out: channel, purpose and the words (a sign-in code's words stay in the message log).
  if (m?.orgClientId) {
    const text =
      m.purpose === 'portal_code' ? null : (m.channel === 'email' && m.subject ? m.subject : m.body).slice(0, 320)
    recordEvent(
      db,
      'message',
      m.orgClientId,
      { message_id: id, channel: m.channel, purpose: m.purpose, direction: 'outbound', ...(text ? { text } : {}) },
      at,
    )
  }
}

/** A failed try: `final` marks the message failed (a permanent error or the last retry). */
export function deliveryFailed(db: OrgDb, id: string, error: string, final: boolean, now = new Date()): void {
  db.update(messages)
    .set({ error, ...(final ? { status: 'failed' as const, reason: error } : {}), updatedAt: now.toISOString() })
    .where(and(eq(messages.id, id), eq(messages.status, 'queued')))
    .run()
}

/** Puts a failed message back in line (the dead-letter page's "retry"); returns whether it was failed. */
export function requeueFailed(db: OrgDb, id: string): boolean {
  const done = db
    .update(messages)
    .set({ status: 'queued', reason: null, error: null, attempts: 0, updatedAt: new Date().toISOString() })
    .where(and(eq(messages.id, id), eq(messages.status, 'failed')))
    .returning({ id: messages.id })
    .all()
  return done.length > 0
}

/** How far along each Twilio status is; a status only ever moves forward. */
const RANK: Record<string, number> = {
  accepted: 0,
  queued: 0,
  scheduled: 0,
  sending: 1,
  sent: 2,
  failed: 3,
  undelivered: 3,
  delivered: 4,
  receiving: 4,
  received: 4,
  read: 5,
}

const AS_MESSAGE_STATUS: Record<string, MessageStatus | undefined> = {
  sent: 'sent',
  delivered: 'delivered',
  read: 'delivered',
  failed: 'failed',
  undelivered: 'failed',
}

/** Applies a provider status callback monotonically: a late `sent` never overwrites `delivered`. */
export function applyProviderStatus(db: OrgDb, providerMessageId: string, status: string, errorCode?: string): boolean {
  const m = db.select().from(messages).where(eq(messages.providerMessageId, providerMessageId)).get()
  if (!m) return false
  const next = RANK[status]
  if (next === undefined || next <= (RANK[m.providerStatus ?? 'accepted'] ?? 0)) return false
  const mapped = AS_MESSAGE_STATUS[status]
  db.update(messages)
    .set({
      providerStatus: status,
      ...(mapped ? { status: mapped } : {}),
      ...(mapped === 'failed' ? { reason: `provider ${status}${errorCode ? ` (error ${errorCode})` : ''}` } : {}),
      updatedAt: new Date().toISOString(),
    })
    .where(eq(messages.id, m.id))
    .run()
  return true
}

export type MessageRow = {
  id: string
  channel: 'sms' | 'email'
  to: string | null
  from: string | null
  body: string
  subject?: string
  status: MessageStatus
  reason?: string
  purpose: string
  provider_message_id?: string
  provider_status: string | null
  org_client_id: string | null
  send_after: string | null
  attempts: number
  error: string | null
  created_at: string
  sent_at: string | null
}

export type MessagesQuery = {
  to?: string
  channel?: 'sms' | 'email'
  status?: MessageStatus
  purpose?: string
  org_client_id?: string
  limit: number
}

/** The message log, newest first. */
export function listMessages(db: OrgDb, q: MessagesQuery): MessageRow[] {
  const where: SQL[] = []
  if (q.to) where.push(eq(messages.to, q.to))
  if (q.channel) where.push(eq(messages.channel, q.channel))
  if (q.status) where.push(eq(messages.status, q.status))
  if (q.purpose) where.push(eq(messages.purpose, q.purpose))
  if (q.org_client_id) where.push(eq(messages.orgClientId, q.org_client_id))
  return db
    .select()
    .from(messages)
    .where(and(...where))
    .orderBy(desc(messages.createdAt), desc(messages.id))
    .limit(q.limit)
    .all()
    .map((m) => ({
      id: m.id,
      channel: m.channel,
      to: m.to,
      from: m.from,
      body: m.body,
      ...(m.subject !== null ? { subject: m.subject } : {}),
      status: m.status,
      ...(m.reason ? { reason: m.reason } : {}),
      purpose: m.purpose,
      ...(m.providerMessageId ? { provider_message_id: m.providerMessageId } : {}),
      provider_status: m.providerStatus,
      org_client_id: m.orgClientId,
      send_after: m.sendAfter,
      attempts: m.attempts,
      error: m.error,
      created_at: m.createdAt,
      sent_at: m.sentAt,
    }))
}
