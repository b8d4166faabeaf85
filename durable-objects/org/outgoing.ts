/**
 * The engine's one path for a message that is not a reminder: journey steps, review requests,
 * campaign sends and staff alerts. Each decision — queue, skip with the reason, or defer (quiet
 * hours, the marketing cap) — is logged as a message row, once per `dedupe_key`.
 */
import { and, eq, gt, inArray, sql } from 'drizzle-orm'
import { nextAllowed, type QuietHours } from '../../src/messaging/quiet-hours'
import type { Channel } from '../../src/messaging/templates'
import type { OrgDb } from './db'
import { recipientOf, type DispatchContext, type DispatchResult } from './dispatch'
import { campaigns, enrollments, messages, type MessageStatus } from './schema'

export type Outgoing = {
  orgClientId: string
  channel: Channel
  subject?: string | null
  body: string
  /** What the message is for: `journey`, `review_request`, `campaign`, `feedback_alert`… */
  purpose: string
  dedupeKey: string
  /** Transactional messages (receipts, alerts) skip the marketing cap and carry no unsubscribe. */
  transactional: boolean
  enrollmentId?: string
  campaignId?: string
  reviewRequestId?: string
  /** The journey's own quiet hours, when it has them. */
  quiet?: QuietHours
  /** A capped message waits for the cap to free (journeys) or is skipped (campaigns). */
  whenCapped: 'defer' | 'skip'
}

export type Decision = { id: string; status: MessageStatus; reason: string | null; created: boolean }

const DAY_MS = 86_400_000

/** Decides one message and logs it; an existing `dedupe_key` returns the first decision unchanged. */
export function decideMessage(db: OrgDb, ctx: DispatchContext, m: Outgoing, result: DispatchResult): Decision {
  const existing = db.select({ id: messages.id, status: messages.status, reason: messages.reason }).from(messages).where(eq(messages.dedupeKey, m.dedupeKey)).get()
  if (existing) return { ...existing, created: false }
  const recipient = recipientOf(db, m.orgClientId, ctx.timezone)
  const to = recipient ? (m.channel === 'sms' ? recipient.phone : recipient.email) : null
  const consent = recipient ? ctx.consents[recipient.personId] ?? { email_opt_in: true, sms_opt_in: true } : null
  const id = crypto.randomUUID()
  let status: MessageStatus = 'queued'
  let reason: string | null = null
  let sendAfter: string | null = null
  if (!recipient) [status, reason] = ['skipped', 'client_deleted']
  else if (to === null) [status, reason] = ['skipped', m.channel === 'sms' ? 'no_phone' : 'no_email']
  else if (m.channel === 'sms' ? !consent!.sms_opt_in : !consent!.email_opt_in) [status, reason] = ['skipped', 'opted_out']
  // An unsubscribe link stops offers and news by email; reminders and receipts still come.
  else if (!m.transactional && m.channel === 'email' && consent!.marketing_email_opt_in === false) [status, reason] = ['skipped', 'unsubscribed']
  // Marketing email must carry a working unsubscribe link (it needs PORTAL_SIGNING_KEY to sign one).
  else if (!m.transactional && m.channel === 'email' && !ctx.links[m.orgClientId]?.unsubscribe) [status, reason] = ['skipped', 'no_unsubscribe_link']
  else {
    const quietEnds = nextAllowed(ctx.now, recipient.zone, m.quiet ?? ctx.quiet, id)
    const capFrees = m.transactional ? null : capFreesAt(db, m.orgClientId, ctx.now, ctx.marketingCap)
    if (capFrees && m.whenCapped === 'skip') [status, reason] = ['skipped', 'capped']
    else {
      const until = [quietEnds.getTime() > ctx.now.getTime() ? quietEnds : null, capFrees].filter((d): d is Date => d !== null)
      if (until.length > 0) {
        const later = new Date(Math.max(...until.map((d) => d.getTime())))
        status = 'deferred'
        sendAfter = later.toISOString()
        reason = `${capFrees && later.getTime() === capFrees.getTime() ? 'cap' : 'quiet_hours'} until ${sendAfter}`
      }
    }
  }
  const at = ctx.now.toISOString()
  const unsubscribeUrl = !m.transactional && m.channel === 'email' ? ctx.links[m.orgClientId]?.unsubscribe ?? null : null
  db.insert(messages).values({
    id, dedupeKey: m.dedupeKey, channel: m.channel, to, from: m.channel === 'sms' ? ctx.smsFrom : ctx.emailFrom,
    subject: m.channel === 'email' ? m.subject ?? '' : null, body: withOptOut(m, unsubscribeUrl), status, reason, purpose: m.purpose, unsubscribeUrl,
    transactional: m.transactional, orgClientId: m.orgClientId, enrollmentId: m.enrollmentId ?? null, campaignId: m.campaignId ?? null,
    reviewRequestId: m.reviewRequestId ?? null, quietHours: m.quiet ? `${m.quiet.start}-${m.quiet.end}` : null,
    sendAfter, createdAt: at, updatedAt: at,
  }).run()
  if (status === 'queued') { result.sent++; result.queued.push(id) } else if (status === 'skipped') result.skipped++
  else result.deferred++
  return { id, status, reason, created: true }
}

/**
 * Marketing messages say how to stop: SMS ends with "Reply STOP to opt out." unless it already
 * mentions STOP; email ends with its unsubscribe link.
 */
export function withOptOut(m: Pick<Outgoing, 'transactional' | 'channel' | 'body'>, unsubscribeUrl: string | null): string {
  if (m.transactional) return m.body
  if (m.channel === 'sms') return /\bSTOP\b/i.test(m.body) ? m.body : `${m.body} Reply STOP to opt out.`
  return unsubscribeUrl && !m.body.includes(unsubscribeUrl) ? `${m.body}\n\nUnsubscribe in one click: ${unsubscribeUrl}` : m.body
}

/**
 * Queues a message the homeowner asked for just now (a sign-in code, a fresh portal link) to a
 * client's contact on file: transactional, so no cap and no quiet hours, but never to someone who
 * opted out of that channel. Returns the message id when queued, else the reason it was not.
 */
export function queueRequestedMessage(db: OrgDb, ctx: Pick<DispatchContext, 'now' | 'timezone' | 'smsFrom' | 'emailFrom' | 'consents'>,
  m: { orgClientId: string; channel: Channel; subject?: string; body: string; purpose: string; dedupeKey: string }): { id: string } | { skipped: string } {
  const recipient = recipientOf(db, m.orgClientId, ctx.timezone)
  if (!recipient) return { skipped: 'client_deleted' }
  const to = m.channel === 'sms' ? recipient.phone : recipient.email
  if (!to) return { skipped: m.channel === 'sms' ? 'no_phone' : 'no_email' }
  const consent = ctx.consents[recipient.personId] ?? { email_opt_in: true, sms_opt_in: true }
  if (m.channel === 'sms' ? !consent.sms_opt_in : !consent.email_opt_in) return { skipped: 'opted_out' }
  const id = crypto.randomUUID()
  const at = ctx.now.toISOString()
  const done = db.insert(messages).values({
    id, dedupeKey: m.dedupeKey, channel: m.channel, to, from: m.channel === 'sms' ? ctx.smsFrom : ctx.emailFrom,
    subject: m.channel === 'email' ? m.subject ?? '' : null, body: m.body, status: 'queued', purpose: m.purpose, transactional: true,
    orgClientId: m.orgClientId, createdAt: at, updatedAt: at,
  }).onConflictDoNothing().returning({ id: messages.id }).all()
  return done[0] ? { id } : { skipped: 'duplicate' }
}

/** Queues an email to staff (a feedback alert): transactional, no client, no quiet hours, once per `dedupe_key`. */
export function queueStaffEmail(db: OrgDb, e: { to: string; from: string; subject: string; body: string; purpose: string; dedupeKey: string }, now = new Date()): string | null {
  const id = crypto.randomUUID()
  const at = now.toISOString()
  const done = db.insert(messages).values({
    id, dedupeKey: e.dedupeKey, channel: 'email', to: e.to, from: e.from, subject: e.subject, body: e.body, status: 'queued',
    purpose: e.purpose, transactional: true, createdAt: at, updatedAt: at,
  }).onConflictDoNothing().returning({ id: messages.id }).all()
  return done[0]?.id ?? null
}

/**
 * When a client who has had `cap` marketing messages in the last 24 hours may get the next one;
 * null while under the cap.
 */
export function capFreesAt(db: OrgDb, orgClientId: string, now: Date, cap: number): Date | null {
  const since = new Date(now.getTime() - DAY_MS).toISOString()
  const counted = sql<string>`coalesce(${messages.sentAt}, ${messages.updatedAt})`
  const rows = db.select({ at: counted }).from(messages)
    .where(and(eq(messages.orgClientId, orgClientId), eq(messages.transactional, false), inArray(messages.status, ['queued', 'sent', 'delivered']), gt(counted, since)))
    .orderBy(sql`1 desc`).limit(Math.max(cap, 1)).all()
  if (rows.length < Math.max(cap, 1)) return null
  // The oldest of the newest `cap` messages ages out first.
  return new Date(Date.parse(rows[rows.length - 1]!.at) + DAY_MS)
}

/** `HH:MM-HH:MM` as stored on a message, else null. */
export function parseQuiet(value: string | null): QuietHours | null {
  const match = value ? /^(\d\d:\d\d)-(\d\d:\d\d)$/.exec(value) : null
  return match ? { start: match[1]!, end: match[2]! } : null
}

/** Why a deferred journey or campaign message is no longer wanted (its enrollment ended, its campaign was cancelled), else null. */
export function stillWanted(db: OrgDb, m: typeof messages.$inferSelect): string | null {
  if (m.enrollmentId) {
    const e = db.select({ status: enrollments.status, endReason: enrollments.endReason }).from(enrollments).where(eq(enrollments.id, m.enrollmentId)).get()
    if (!e) return 'enrollment_deleted'
    // A completed enrollment's last message still goes; a stopped one's does not.
    if (e.status !== 'active' && e.status !== 'completed') return `enrollment_${e.status}${e.endReason ? `: ${e.endReason}` : ''}`
  }
  if (m.campaignId) {
    const c = db.select({ status: campaigns.status }).from(campaigns).where(eq(campaigns.id, m.campaignId)).get()
    if (!c || c.status === 'cancelled') return 'campaign_cancelled'
  }
  return null
}
