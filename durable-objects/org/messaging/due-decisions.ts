/**
 * Deciding a due reminder (on the first channel that can carry it) and a deferred message whose
 * time came: send, skip (with the reason) or defer (quiet hours, the marketing cap) by the one
 * rule in src/messaging/decision.ts.
 */
import { eq } from 'drizzle-orm'
import { DEFAULT_CONSENT, decide, type Verdict } from '../../../src/messaging/decision'
import { formatJobTime, formatMoney, render, type Channel, type TemplateKey } from '../../../src/messaging/templates'
import type { OrgDb } from '../db'
import { invoices, jobs, messages, reminders } from '../schema'
import type { DispatchContext, DispatchResult } from './dispatch'
import { capFreesAt, countDecision, parseQuiet, senderOf, stillWanted, writeMessage } from './outgoing'
import { meterSms } from './plan-limit'
import { addressOn, consentOf, recipientOf } from './recipients'
import { templateFor } from './templates'

/** Which channels a reminder type tries, in order: the first one that can be used carries it. */
const CHANNELS: Record<TemplateKey, Channel[]> = {
  job_upcoming: ['sms', 'email'],
  invoice_due: ['email', 'sms'],
  estimate_sent: ['sms', 'email'],
}

type Subject = { stamp: string; vars: Record<string, string>; skip: string | null }

/** What the reminder is about, as template variables, and whether it still stands. */
function subjectOf(db: OrgDb, r: typeof reminders.$inferSelect, zone: string): Subject {
  if (r.type === 'job_upcoming') {
    const job = r.jobId ? db.select().from(jobs).where(eq(jobs.id, r.jobId)).get() : undefined
    if (!job) return { stamp: '', vars: {}, skip: 'job_deleted' }
    // The day-before reminder asks the homeowner to confirm; once they have, it is not sent.
    const skip =
      job.status === 'cancelled'
        ? 'job_canceled'
        : job.status === 'completed'
          ? 'job_completed'
          : job.confirmedAt && r.offset === '24h'
            ? 'job_confirmed'
            : null
    return { stamp: job.startAt, vars: { job_time: formatJobTime(job.startAt, zone) }, skip }
  }
  const inv = r.invoiceId ? db.select().from(invoices).where(eq(invoices.id, r.invoiceId)).get() : undefined
  if (!inv) return { stamp: '', vars: {}, skip: 'invoice_deleted' }
  const skip = inv.status === 'paid' ? 'invoice_paid' : inv.status === 'void' ? 'invoice_void' : null
  return {
    stamp: inv.dueDate,
    vars: { amount: formatMoney(inv.totalCents - inv.paidCents), due_date: formatDueDate(inv.dueDate) },
    skip,
  }
}

function formatDueDate(date: string): string {
  return new Intl.DateTimeFormat('en-US', { timeZone: 'UTC', weekday: 'short', month: 'short', day: 'numeric' }).format(
    new Date(`${date}T12:00:00Z`),
  )
}

/** Decides a due reminder on the first channel that can carry it, logging why each earlier one could not. */
export function dispatchReminder(
  db: OrgDb,
  r: typeof reminders.$inferSelect,
  ctx: DispatchContext,
  result: DispatchResult,
) {
  const recipient = recipientOf(db, r.orgClientId, ctx.timezone)
  const subject = recipient ? subjectOf(db, r, recipient.zone) : { stamp: '', vars: {}, skip: 'client_deleted' }
  const vars = {
    first_name: recipient?.firstName ?? '',
    business_name: ctx.businessName,
    portal_link: ctx.portalLinks[r.orgClientId] ?? '',
    ...subject.vars,
  }
  const log = (channel: Channel, to: string | null, verdict: Verdict) => {
    const id = crypto.randomUUID()
    const template = templateFor(db, r.type, channel)
    writeMessage(
      db,
      {
        id,
        dedupeKey: `reminder:${r.id}:${channel}`,
        channel,
        to,
        from: senderOf(ctx, channel),
        subject: channel === 'email' ? render(template.subject, vars) : null,
        body: render(template.body, vars),
        purpose: r.type,
        transactional: true,
        orgClientId: r.orgClientId,
        reminderId: r.id,
        subjectStamp: subject.stamp,
      },
      verdict,
      ctx.now,
    )
    countDecision(result, verdict, id)
  }
  const channels = CHANNELS[r.type]
  const reasons: string[] = []
  let carried = false
  if (subject.skip) {
    log(channels[0]!, null, { status: 'skipped', reason: subject.skip })
    reasons.push(subject.skip)
  } else {
    for (const channel of channels) {
      const to = addressOn(recipient!, channel)
      const decided = decide({
        now: ctx.now,
        channel,
        recipient: { to },
        consent: consentOf(ctx, recipient!.personId),
        transactional: true,
        hasUnsubscribeLink: false,
        quiet: { hours: ctx.quiet, zone: recipient!.zone, spreadKey: r.id },
        capFrees: null,
        whenCapped: 'defer',
      })
      // A text over the plan's allowance is skipped like any other: the next channel may carry the reminder.
      const verdict = meterSms(db, ctx.smsAllowance, { channel, purpose: r.type }, decided)
      log(channel, to, verdict)
      if (verdict.status === 'skipped') {
        // This channel cannot carry the reminder: the next one may.
        reasons.push(`${channel}: ${verdict.reason}`)
        continue
      }
      carried = true
      break
    }
  }
  db.update(reminders)
    .set(
      carried ? { status: 'sent', sentAt: ctx.now.toISOString() } : { status: 'skipped', reason: reasons.join('; ') },
    )
    .where(eq(reminders.id, r.id))
    .run()
}

/** Why a deferred message is no longer wanted (its reminder's job or invoice changed, its enrollment or campaign ended), else null. */
function noLongerWanted(db: OrgDb, m: typeof messages.$inferSelect, zone: string): string | null {
  if (m.reminderId) {
    const reminder = db.select().from(reminders).where(eq(reminders.id, m.reminderId)).get()
    if (!reminder) return 'reminder_deleted'
    const subject = subjectOf(db, reminder, zone)
    if (subject.skip) return subject.skip
    if (subject.stamp !== m.subjectStamp) return reminder.type === 'job_upcoming' ? 'job_moved' : 'invoice_changed'
  }
  return stillWanted(db, m)
}

/** A deferred message whose time came is decided again: still wanted, still allowed, and outside quiet hours and the cap? */
export function releaseDeferred(
  db: OrgDb,
  m: typeof messages.$inferSelect,
  ctx: DispatchContext,
  result: DispatchResult,
) {
  const recipient = m.orgClientId ? recipientOf(db, m.orgClientId, ctx.timezone) : null
  const unwanted = recipient ? noLongerWanted(db, m, recipient.zone) : null
  const decided: Verdict = unwanted
    ? { status: 'skipped', reason: unwanted }
    : decide({
        now: ctx.now,
        channel: m.channel,
        recipient: recipient && { to: m.to },
        consent: recipient ? consentOf(ctx, recipient.personId) : DEFAULT_CONSENT,
        // Its unsubscribe link went into its body when it was first decided.
        transactional: m.transactional,
        hasUnsubscribeLink: true,
        quiet: recipient && { hours: parseQuiet(m.quietHours) ?? ctx.quiet, zone: recipient.zone, spreadKey: m.id },
        capFrees: m.transactional || !m.orgClientId ? null : capFreesAt(db, m.orgClientId, ctx.now, ctx.marketingCap),
        whenCapped: 'defer',
      })
  const verdict = meterSms(db, ctx.smsAllowance, m, decided)
  const at = ctx.now.toISOString()
  if (verdict.status === 'deferred') {
    // Still waiting: a new time, counted once already when it was first deferred.
    db.update(messages)
      .set({ sendAfter: verdict.until.toISOString(), reason: verdict.reason, updatedAt: at })
      .where(eq(messages.id, m.id))
      .run()
    return
  }
  const reason = verdict.status === 'skipped' ? verdict.reason : null
  db.update(messages)
    .set({
      status: verdict.status,
      reason,
      sendAfter: null,
      updatedAt: at,
      ...(verdict.status === 'skipped' && verdict.detail ? { error: verdict.detail } : {}),
    })
    .where(eq(messages.id, m.id))
    .run()
  countDecision(result, verdict, m.id)
}
