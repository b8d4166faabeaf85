/**
 * Due work: claim what is due (reminders, journey steps, campaign batches, deferred messages) and
 * decide for each message whether to send, skip (with the reason) or defer (quiet hours, the
 * marketing cap) by the one rule in src/messaging/decision.ts. Runs inside one storage
 * transaction, so two overlapping runs never claim the same thing; `dedupe_key` makes a second
 * message impossible.
 */
import { and, asc, eq, lte, min, sql } from 'drizzle-orm'
import { DEFAULT_CONSENT, decide, type Consent, type Verdict } from '../../../src/messaging/decision'
import type { QuietHours } from '../../../src/messaging/quiet-hours'
import { zoneOfAddress } from '../../../src/messaging/recipient-zone'
import { formatJobTime, formatMoney, render, type Channel, type TemplateKey } from '../../../src/messaging/templates'
import type { OrgDb } from '../db'
import { addresses, contacts, invoices, jobs, messages, orgClients, reminders } from '../schema'
import { dueCampaignClients, nextCampaignDueAt, runDueCampaigns } from '../campaigns/run'
import { dueEnrollmentClients, nextStepDueAt, runDueSteps } from '../journeys/run'
import { nextDigestAt } from '../reviews/alerts'
import { capFreesAt, countDecision, parseQuiet, senderOf, stillWanted, writeMessage } from './outgoing'
import { templateFor } from './templates'

/** Consent as the organization sees it, per person. */
export type ConsentMap = Record<string, Consent>

export type DispatchContext = {
  now: Date
  businessName: string
  timezone: string
  quiet: QuietHours
  smsFrom: string
  emailFrom: string
  consents: ConsentMap
  /** Signed portal link per org_client_id. */
  portalLinks: Record<string, string>
  /** Signed links per org_client_id for journeys and campaigns (see ClientLinks). */
  links: Record<string, ClientLinks>
  /** At most this many marketing messages per client per 24 h. */
  marketingCap: number
  /** Campaign recipients decided per run. */
  campaignBatchSize: number
}

/** A client's signed links: the portal, a review request id with its rating-page link, one-click unsubscribe. */
export type ClientLinks = { portal: string; review: { id: string; url: string }; unsubscribe: string }

export type DispatchResult = { sent: number; skipped: number; deferred: number; queued: string[] }

/** Which channels a reminder type tries, in order: the first one that can be used carries it. */
const CHANNELS: Record<TemplateKey, Channel[]> = { job_upcoming: ['sms', 'email'], invoice_due: ['email', 'sms'] }

/**
 * The clients a run will write to, and their people (whose consent it needs): clients of due
 * reminders, due journey steps, the next campaign batch and due deferred messages.
 */
export function dueRecipients(db: OrgDb, now: Date, limit: number): { personIds: string[]; orgClientIds: string[] } {
  const at = now.toISOString()
  const rows = db.all<{ person_id: string; org_client_id: string }>(sql`
    select distinct c.person_id, c.id as org_client_id from org_clients c where c.id in (
      select org_client_id from reminders where status = 'pending' and send_at <= ${at}
      union select org_client_id from messages where status = 'deferred' and send_after <= ${at})
    limit ${limit}`)
  const ids = new Set(rows.map((r) => r.org_client_id))
  const more = [...dueEnrollmentClients(db, now, limit), ...dueCampaignClients(db, now)].filter((id) => !ids.has(id))
  const extra =
    more.length === 0
      ? []
      : db.all<{ person_id: string; org_client_id: string }>(sql`
    select c.person_id, c.id as org_client_id from org_clients c where c.id in (select value from json_each(${JSON.stringify([...new Set(more)])}))`)
  const all = [...rows, ...extra]
  return { personIds: [...new Set(all.map((r) => r.person_id))], orgClientIds: all.map((r) => r.org_client_id) }
}

/** Claims and decides everything due at `ctx.now`; returns the counts and the ids to enqueue. */
export function runDueWork(db: OrgDb, ctx: DispatchContext, limit = 500): DispatchResult {
  const result: DispatchResult = { sent: 0, skipped: 0, deferred: 0, queued: [] }
  const at = ctx.now.toISOString()
  const due = db
    .select()
    .from(reminders)
    .where(and(eq(reminders.status, 'pending'), lte(reminders.sendAt, at)))
    .orderBy(asc(reminders.sendAt))
    .limit(limit)
    .all()
  for (const reminder of due) dispatchReminder(db, reminder, ctx, result)
  runDueSteps(db, ctx, result, limit)
  runDueCampaigns(db, ctx, result)
  const deferred = db
    .select()
    .from(messages)
    .where(and(eq(messages.status, 'deferred'), lte(messages.sendAfter, at)))
    .orderBy(asc(messages.sendAfter))
    .limit(limit)
    .all()
  for (const message of deferred) releaseDeferred(db, message, ctx, result)
  return result
}

export type Recipient = {
  personId: string
  firstName: string
  phone: string | null
  email: string | null
  zone: string
}

/** A client's first name, contact points and clock (their property's zone, else `fallbackZone`); null when the client is gone. */
export function recipientOf(db: OrgDb, orgClientId: string, fallbackZone: string): Recipient | null {
  const row = db
    .select({
      personId: orgClients.personId,
      firstName: contacts.firstName,
      phone: contacts.primaryPhoneE164,
      email: contacts.primaryEmail,
      addressId: orgClients.defaultAddressId,
    })
    .from(orgClients)
    .innerJoin(contacts, eq(contacts.personId, orgClients.personId))
    .where(eq(orgClients.id, orgClientId))
    .get()
  if (!row) return null
  const address = row.addressId
    ? db
        .select({ state: addresses.state, country: addresses.country })
        .from(addresses)
        .where(eq(addresses.id, row.addressId))
        .get()
    : undefined
  return {
    personId: row.personId,
    firstName: row.firstName ?? 'there',
    phone: row.phone,
    email: row.email,
    zone: zoneOfAddress(address) ?? fallbackZone,
  }
}

/** Where a channel reaches the recipient: their phone or their email, null when they have none. */
export function addressOn(recipient: Recipient, channel: Channel): string | null {
  return channel === 'sms' ? recipient.phone : recipient.email
}

/** A person's consent as read for this run; someone without a record has both channels on. */
export function consentOf(ctx: Pick<DispatchContext, 'consents'>, personId: string): Consent {
  return ctx.consents[personId] ?? DEFAULT_CONSENT
}

type Subject = { stamp: string; vars: Record<string, string>; skip: string | null }

/** What the reminder is about, as template variables, and whether it still stands. */
function subjectOf(db: OrgDb, r: typeof reminders.$inferSelect, zone: string): Subject {
  if (r.type === 'job_upcoming') {
    const job = r.jobId ? db.select().from(jobs).where(eq(jobs.id, r.jobId)).get() : undefined
    if (!job) return { stamp: '', vars: {}, skip: 'job_deleted' }
    // The day-before reminder asks the homeowner to confirm; once they have, it is not sent.
    const skip =
      job.status === 'canceled'
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
function dispatchReminder(db: OrgDb, r: typeof reminders.$inferSelect, ctx: DispatchContext, result: DispatchResult) {
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
      const verdict = decide({
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
function releaseDeferred(db: OrgDb, m: typeof messages.$inferSelect, ctx: DispatchContext, result: DispatchResult) {
  const recipient = m.orgClientId ? recipientOf(db, m.orgClientId, ctx.timezone) : null
  const unwanted = recipient ? noLongerWanted(db, m, recipient.zone) : null
  const verdict: Verdict = unwanted
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
    .set({ status: verdict.status, reason, sendAfter: null, updatedAt: at })
    .where(eq(messages.id, m.id))
    .run()
  countDecision(result, verdict, m.id)
}

/** The earliest time anything is due (a reminder, a journey step, a campaign, a deferred message, the owners' alert digest), or null. */
export function nextDueAt(db: OrgDb): string | null {
  const r =
    db
      .select({ at: min(reminders.sendAt) })
      .from(reminders)
      .where(eq(reminders.status, 'pending'))
      .get()?.at ?? null
  const m =
    db
      .select({ at: min(messages.sendAfter) })
      .from(messages)
      .where(eq(messages.status, 'deferred'))
      .get()?.at ?? null
  const times = [r, m, nextStepDueAt(db), nextCampaignDueAt(db), nextDigestAt(db)].filter(
    (t): t is string => t !== null,
  )
  return times.length === 0 ? null : times.reduce((a, b) => (a < b ? a : b))
}
