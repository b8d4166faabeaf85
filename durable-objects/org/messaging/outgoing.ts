// Over 300 lines on purpose: every kind of decided message is written here through one path (decide, write once per dedupe key, count), so the rules stay in one place.
/**
 * Writing decided messages: journey steps, review requests, campaign sends, messages a homeowner
 * asked for and staff alerts (reminders and deferred messages in due-decisions.ts). Each is decided by
 * the one rule in src/messaging/decision.ts — queue, skip with the reason, or defer (quiet hours,
 * the marketing cap) — and logged as a message row, once per `dedupe_key`.
 */
import { and, eq, gt, inArray, sql } from 'drizzle-orm'
import { DEFAULT_CONSENT, decide, type Consent, type MessageFacts, type Verdict } from '../../../src/messaging/decision'
import type { QuietHours } from '../../../src/messaging/quiet-hours'
import type { Channel } from '../../../src/messaging/templates'
import type { OrgDb } from '../db'
import type { DispatchContext, DispatchResult } from './dispatch'
import { meterSms, type SmsAllowance } from './plan-limit'
import { addressOn, consentOf, recipientOf } from './recipients'
import { reviewRequestHeld, reviewVerdict } from '../reviews/requests'
import { campaigns, enrollments, messages, type MessageStatus } from '../schema'

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

export type Decision = {
  id: string
  status: MessageStatus
  reason: string | null
  sendAfter: string | null
  created: boolean
}

/** A message row before it is decided: everything but its status, reason, send_after and times. */
export type MessageDraft = Omit<
  typeof messages.$inferInsert,
  'status' | 'reason' | 'sendAfter' | 'createdAt' | 'updatedAt'
> & { id: string }

const DAY_MS = 86_400_000

/** The number a channel's messages come from: the SMS sender or the email sender. */
export function senderOf(ctx: Pick<DispatchContext, 'smsFrom' | 'emailFrom'>, channel: Channel): string {
  return channel === 'sms' ? ctx.smsFrom : ctx.emailFrom
}

/** Writes a message row as `verdict` decided it; false when its `dedupe_key` is already taken. */
export function writeMessage(db: OrgDb, draft: MessageDraft, verdict: Verdict, now: Date): boolean {
  const at = now.toISOString()
  const written = db
    .insert(messages)
    .values({
      ...draft,
      ...(verdict.status === 'skipped' && verdict.detail ? { error: verdict.detail } : {}),
      status: verdict.status,
      reason: verdict.status === 'queued' ? null : verdict.reason,
      sendAfter: verdict.status === 'deferred' ? verdict.until.toISOString() : null,
      createdAt: at,
      updatedAt: at,
    })
    .onConflictDoNothing()
    .returning({ id: messages.id })
    .all()
  return written.length > 0
}

/** Counts a decided message in the run's result: queued ones also join the ids to enqueue. */
export function countDecision(result: DispatchResult, verdict: Verdict, id: string): void {
  if (verdict.status === 'queued') {
    result.sent++
    result.queued.push(id)
  } else if (verdict.status === 'skipped') result.skipped++
  else result.deferred++
}

/** Decides one message and logs it; an existing `dedupe_key` returns the first decision unchanged. */
export function decideMessage(db: OrgDb, ctx: DispatchContext, m: Outgoing, result: DispatchResult): Decision {
  const existing = db
    .select({ id: messages.id, status: messages.status, reason: messages.reason, sendAfter: messages.sendAfter })
    .from(messages)
    .where(eq(messages.dedupeKey, m.dedupeKey))
    .get()
  if (existing) return { ...existing, created: false }
  const recipient = recipientOf(db, m.orgClientId, ctx.timezone)
  const to = recipient ? addressOn(recipient, m.channel) : null
  const id = crypto.randomUUID()
  const unsubscribeUrl =
    !m.transactional && m.channel === 'email' ? (ctx.links[m.orgClientId]?.unsubscribe ?? null) : null
  const decided = decide({
    now: ctx.now,
    channel: m.channel,
    recipient: recipient && { to },
    consent: recipient ? consentOf(ctx, recipient.personId) : DEFAULT_CONSENT,
    transactional: m.transactional,
    hasUnsubscribeLink: !!ctx.links[m.orgClientId]?.unsubscribe,
    quiet: recipient && { hours: m.quiet ?? ctx.quiet, zone: recipient.zone, spreadKey: id },
    capFrees: m.transactional ? null : capFreesAt(db, m.orgClientId, ctx.now, ctx.marketingCap),
    whenCapped: m.whenCapped,
  })
  // A message carrying a review request's link is skipped while the business has no public review link.
  const verdict = meterSms(db, ctx.smsAllowance, m, (m.reviewRequestId && reviewVerdict(db)) || decided)
  writeMessage(
    db,
    {
      id,
      dedupeKey: m.dedupeKey,
      channel: m.channel,
      to,
      from: senderOf(ctx, m.channel),
      subject: m.channel === 'email' ? (m.subject ?? '') : null,
      body: withOptOut(m, unsubscribeUrl),
      purpose: m.purpose,
      unsubscribeUrl,
      transactional: m.transactional,
      orgClientId: m.orgClientId,
      enrollmentId: m.enrollmentId ?? null,
      campaignId: m.campaignId ?? null,
      reviewRequestId: m.reviewRequestId ?? null,
      quietHours: m.quiet ? `${m.quiet.start}-${m.quiet.end}` : null,
    },
    verdict,
    ctx.now,
  )
  countDecision(result, verdict, id)
  const reason = verdict.status === 'queued' ? null : verdict.reason
  const sendAfter = verdict.status === 'deferred' ? verdict.until.toISOString() : null
  return { id, status: verdict.status, reason, sendAfter, created: true }
}

/**
 * Marketing messages say how to stop: SMS ends with "Reply STOP to opt out." unless it already
 * mentions STOP; email ends with its unsubscribe link.
 */
export function withOptOut(
  m: Pick<Outgoing, 'transactional' | 'channel' | 'body'>,
  unsubscribeUrl: string | null,
): string {
  if (m.transactional) return m.body
  if (m.channel === 'sms') return /\bSTOP\b/i.test(m.body) ? m.body : `${m.body} Reply STOP to opt out.`
  return unsubscribeUrl && !m.body.includes(unsubscribeUrl)
    ? `${m.body}\n\nUnsubscribe in one click: ${unsubscribeUrl}`
    : m.body
}

/** The facts of a transactional message that goes at once: no quiet hours, no cap. */
function rightAway(
  now: Date,
  channel: Channel,
  recipient: MessageFacts['recipient'],
  consent: Consent,
  quiet: MessageFacts['quiet'] = null,
): MessageFacts {
  return {
    now,
    channel,
    recipient,
    consent,
    transactional: true,
    hasUnsubscribeLink: false,
    quiet,
    capFrees: null,
    whenCapped: 'defer',
  }
}

/**
 * Queues a message the homeowner asked for just now (a sign-in code, a fresh portal link) or
 * that tells them of something staff just did (a booking, a moved visit) to a client's contact on
 * file: transactional, so no cap, but never to someone who opted out of that channel. With
 * `quiet` hours (a message staff caused, not one the homeowner is waiting for) it waits for them
 * to end. A text over the plan's allowance is logged as skipped (under its own key, so that it can
 * be sent again once the plan allows). Returns the message id when queued or deferred, else the
 * reason it was not.
 */
export function queueRequestedMessage(
  db: OrgDb,
  ctx: Pick<DispatchContext, 'now' | 'timezone' | 'smsFrom' | 'emailFrom' | 'consents'> & {
    quiet?: QuietHours
    smsAllowance?: SmsAllowance | null
  },
  m: { orgClientId: string; channel: Channel; subject?: string; body: string; purpose: string; dedupeKey: string },
): { id: string; deferred_until?: string } | { skipped: string } {
  const recipient = recipientOf(db, m.orgClientId, ctx.timezone)
  const to = recipient ? addressOn(recipient, m.channel) : null
  const decided = decide(
    rightAway(
      ctx.now,
      m.channel,
      recipient && { to },
      recipient ? consentOf(ctx, recipient.personId) : DEFAULT_CONSENT,
      recipient && ctx.quiet ? { hours: ctx.quiet, zone: recipient.zone, spreadKey: m.dedupeKey } : null,
    ),
  )
  if (decided.status === 'skipped') return { skipped: decided.reason }
  const verdict = meterSms(db, ctx.smsAllowance, m, decided)
  const overPlan = verdict.status === 'skipped'
  const id = crypto.randomUUID()
  const written = writeMessage(
    db,
    {
      id,
      dedupeKey: overPlan ? `${m.dedupeKey}:plan_limit:${id}` : m.dedupeKey,
      channel: m.channel,
      to,
      from: senderOf(ctx, m.channel),
      subject: m.channel === 'email' ? (m.subject ?? '') : null,
      body: m.body,
      purpose: m.purpose,
      transactional: true,
      orgClientId: m.orgClientId,
    },
    verdict,
    ctx.now,
  )
  if (verdict.status === 'skipped') return { skipped: verdict.reason }
  if (!written) return { skipped: 'duplicate' }
  return verdict.status === 'deferred' ? { id, deferred_until: verdict.until.toISOString() } : { id }
}

/** Queues an email to staff (a feedback alert): transactional, no client, no quiet hours, once per `dedupe_key`. */
export function queueStaffEmail(
  db: OrgDb,
  e: { to: string; from: string; subject: string; body: string; purpose: string; dedupeKey: string },
  now = new Date(),
): string | null {
  // Staff have no consent record: an alert to an owner always may go.
  const verdict = decide(rightAway(now, 'email', { to: e.to }, DEFAULT_CONSENT))
  if (verdict.status !== 'queued') return null
  const id = crypto.randomUUID()
  const written = writeMessage(
    db,
    {
      id,
      dedupeKey: e.dedupeKey,
      channel: 'email',
      to: e.to,
      from: e.from,
      subject: e.subject,
      body: e.body,
      purpose: e.purpose,
      transactional: true,
    },
    verdict,
    now,
  )
  return written ? id : null
}

/**
 * When a client who has had `cap` marketing messages in the last 24 hours may get the next one;
 * null while under the cap.
 */
export function capFreesAt(db: OrgDb, orgClientId: string, now: Date, cap: number): Date | null {
  const since = new Date(now.getTime() - DAY_MS).toISOString()
  const counted = sql<string>`coalesce(${messages.sentAt}, ${messages.updatedAt})`
  const rows = db
    .select({ at: counted })
    .from(messages)
    .where(
      and(
        eq(messages.orgClientId, orgClientId),
        eq(messages.transactional, false),
        inArray(messages.status, ['queued', 'sent', 'delivered']),
        gt(counted, since),
      ),
    )
    .orderBy(sql`1 desc`)
    .limit(Math.max(cap, 1))
    .all()
  if (rows.length < Math.max(cap, 1)) return null
  // The oldest of the newest `cap` messages ages out first.
  return new Date(Date.parse(rows[rows.length - 1]!.at) + DAY_MS)
}

/** `HH:MM-HH:MM` as stored on a message, else null. */
export function parseQuiet(value: string | null): QuietHours | null {
  const match = value ? /^(\d\d:\d\d)-(\d\d:\d\d)$/.exec(value) : null
  return match ? { start: match[1]!, end: match[2]! } : null
}

/**
 * Why a deferred journey or campaign message is no longer wanted (its enrollment ended, its
 * campaign was cancelled, it asks for a review and the public review link was removed), else null.
 */
export function stillWanted(db: OrgDb, m: typeof messages.$inferSelect): string | null {
  const held = m.reviewRequestId ? reviewRequestHeld(db) : null
  if (held) return held
  if (m.enrollmentId) {
    const e = db
      .select({ status: enrollments.status, endReason: enrollments.endReason })
      .from(enrollments)
      .where(eq(enrollments.id, m.enrollmentId))
      .get()
    if (!e) return 'enrollment_deleted'
    // A completed enrollment's last message still goes; a stopped one's does not.
    if (e.status !== 'active' && e.status !== 'completed')
      return `enrollment_${e.status}${e.endReason ? `: ${e.endReason}` : ''}`
  }
  if (m.campaignId) {
    const c = db.select({ status: campaigns.status }).from(campaigns).where(eq(campaigns.id, m.campaignId)).get()
    if (!c || c.status === 'cancelled') return 'campaign_cancelled'
  }
  if (m.purpose === 'reschedule_accepted' || m.purpose === 'reschedule_moved') {
    // "Your visit is now …", keyed `<purpose>:<request id>`: not for a visit cancelled meanwhile.
    const visit = db.get<{ status: string }>(sql`
      select j.status from tasks t join jobs j on j.id = t.job_id
      where t.id = substr(${m.dedupeKey}, length(${m.purpose}) + 2)`)
    if (!visit || visit.status === 'cancelled') return 'job_cancelled'
  }
  return null
}

/** Rewrites what a message still waiting out quiet hours will say; one already sent or handed on is left alone. */
export function rewriteDeferredBody(db: OrgDb, id: string, body: string, at: string): void {
  db.update(messages)
    .set({ body, updatedAt: at })
    .where(and(eq(messages.id, id), eq(messages.status, 'deferred')))
    .run()
}
