/**
 * Due work: claim what is due (reminders, journey steps, campaign batches, deferred messages) and
 * decide for each message whether to send, skip (with the reason) or defer (quiet hours, the
 * marketing cap). Runs inside one storage transaction, so two overlapping runs never claim the
 * same thing; `dedupe_key` makes a second message impossible.
 */
import { and, asc, eq, lte, min, sql } from 'drizzle-orm'
import { nextAllowed, type QuietHours } from '../../src/messaging/quiet-hours'
import { zoneOfAddress } from '../../src/messaging/recipient-zone'
import { formatJobTime, formatMoney, render, type Channel, type TemplateKey } from '../../src/messaging/templates'
import type { OrgDb } from './db'
import { addresses, contacts, invoices, jobs, messages, orgClients, reminders, type MessageStatus } from './schema'
import { dueCampaignClients, nextCampaignDueAt, runDueCampaigns } from './campaigns/run'
import { dueEnrollmentClients, nextStepDueAt, runDueSteps } from './journeys/run'
import { nextDigestAt } from './reviews/alerts'
import { capFreesAt, parseQuiet, stillWanted } from './outgoing'
import { templateFor } from './templates'

/** Consent as the organization sees it, per person. */
export type ConsentMap = Record<string, { email_opt_in: boolean; sms_opt_in: boolean; marketing_email_opt_in?: boolean }>

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
  const extra = more.length === 0 ? [] : db.all<{ person_id: string; org_client_id: string }>(sql`
    select c.person_id, c.id as org_client_id from org_clients c where c.id in (select value from json_each(${JSON.stringify([...new Set(more)])}))`)
  const all = [...rows, ...extra]
  return { personIds: [...new Set(all.map((r) => r.person_id))], orgClientIds: all.map((r) => r.org_client_id) }
}

/** Claims and decides everything due at `ctx.now`; returns the counts and the ids to enqueue. */
export function runDueWork(db: OrgDb, ctx: DispatchContext, limit = 500): DispatchResult {
  const result: DispatchResult = { sent: 0, skipped: 0, deferred: 0, queued: [] }
  const at = ctx.now.toISOString()
  const due = db.select().from(reminders).where(and(eq(reminders.status, 'pending'), lte(reminders.sendAt, at)))
    .orderBy(asc(reminders.sendAt)).limit(limit).all()
  for (const reminder of due) dispatchReminder(db, reminder, ctx, result)
  runDueSteps(db, ctx, result, limit)
  runDueCampaigns(db, ctx, result)
  const deferred = db.select().from(messages).where(and(eq(messages.status, 'deferred'), lte(messages.sendAfter, at)))
    .orderBy(asc(messages.sendAfter)).limit(limit).all()
  for (const message of deferred) releaseDeferred(db, message, ctx, result)
  return result
}

export type Recipient = { personId: string; firstName: string; phone: string | null; email: string | null; zone: string }

export function recipientOf(db: OrgDb, orgClientId: string, fallbackZone: string): Recipient | null {
  const row = db.select({ personId: orgClients.personId, firstName: contacts.firstName, phone: contacts.primaryPhoneE164, email: contacts.primaryEmail, addressId: orgClients.defaultAddressId })
    .from(orgClients).innerJoin(contacts, eq(contacts.personId, orgClients.personId)).where(eq(orgClients.id, orgClientId)).get()
  if (!row) return null
  const address = row.addressId ? db.select({ state: addresses.state, country: addresses.country }).from(addresses).where(eq(addresses.id, row.addressId)).get() : undefined
  return { personId: row.personId, firstName: row.firstName ?? 'there', phone: row.phone, email: row.email, zone: zoneOfAddress(address) ?? fallbackZone }
}

type Subject = { stamp: string; vars: Record<string, string>; skip: string | null }

/** What the reminder is about, as template variables, and whether it still stands. */
function subjectOf(db: OrgDb, r: typeof reminders.$inferSelect, zone: string): Subject {
  if (r.type === 'job_upcoming') {
    const job = r.jobId ? db.select().from(jobs).where(eq(jobs.id, r.jobId)).get() : undefined
    if (!job) return { stamp: '', vars: {}, skip: 'job_deleted' }
    // The day-before reminder asks the homeowner to confirm; once they have, it is not sent.
    const skip = job.status === 'canceled' ? 'job_canceled' : job.status === 'completed' ? 'job_completed'
      : job.confirmedAt && r.offset === '24h' ? 'job_confirmed' : null
    return { stamp: job.startAt, vars: { job_time: formatJobTime(job.startAt, zone) }, skip }
  }
  const inv = r.invoiceId ? db.select().from(invoices).where(eq(invoices.id, r.invoiceId)).get() : undefined
  if (!inv) return { stamp: '', vars: {}, skip: 'invoice_deleted' }
  const skip = inv.status === 'paid' ? 'invoice_paid' : inv.status === 'void' ? 'invoice_void' : null
  return { stamp: inv.dueDate, vars: { amount: formatMoney(inv.totalCents - inv.paidCents), due_date: formatDueDate(inv.dueDate) }, skip }
}

function formatDueDate(date: string): string {
  return new Intl.DateTimeFormat('en-US', { timeZone: 'UTC', weekday: 'short', month: 'short', day: 'numeric' }).format(new Date(`${date}T12:00:00Z`))
}

function dispatchReminder(db: OrgDb, r: typeof reminders.$inferSelect, ctx: DispatchContext, result: DispatchResult) {
  const recipient = recipientOf(db, r.orgClientId, ctx.timezone)
  const subject = recipient ? subjectOf(db, r, recipient.zone) : { stamp: '', vars: {}, skip: 'client_deleted' }
  const vars = { first_name: recipient?.firstName ?? '', business_name: ctx.businessName, portal_link: ctx.portalLinks[r.orgClientId] ?? '', ...subject.vars }
  const consent = recipient ? ctx.consents[recipient.personId] ?? { email_opt_in: true, sms_opt_in: true } : null
  const base = { r, vars, ctx, stamp: subject.stamp }
  const channels = CHANNELS[r.type]
  const skipped = (channel: Channel, to: string | null, reason: string) => {
    insertMessage(db, { ...base, channel, to, status: 'skipped', reason, dedupeKey: `reminder:${r.id}:${channel}` })
    result.skipped++
  }
  const reasons: string[] = []
  let carried = false
  if (subject.skip) {
    skipped(channels[0]!, null, subject.skip)
    reasons.push(subject.skip)
  } else {
    for (const channel of channels) {
      const to = channel === 'sms' ? recipient!.phone : recipient!.email
      const allowed = channel === 'sms' ? consent!.sms_opt_in : consent!.email_opt_in
      const reason = to === null ? (channel === 'sms' ? 'no_phone' : 'no_email') : !allowed ? 'opted_out' : null
      if (reason) {
        // This channel cannot carry the reminder: log why, then try the next one.
        skipped(channel, to, reason)
        reasons.push(`${channel}: ${reason}`)
        continue
      }
      const sendAt = nextAllowed(ctx.now, recipient!.zone, ctx.quiet, r.id)
      const deferred = sendAt.getTime() > ctx.now.getTime()
      const id = insertMessage(db, {
        ...base, channel, to, dedupeKey: `reminder:${r.id}:${channel}`,
        status: deferred ? 'deferred' : 'queued',
        reason: deferred ? `quiet_hours until ${sendAt.toISOString()}` : null,
        sendAfter: deferred ? sendAt.toISOString() : null,
      })
      if (deferred) result.deferred++
      else { result.sent++; result.queued.push(id) }
      carried = true
      break
    }
  }
  db.update(reminders).set(carried ? { status: 'sent', sentAt: ctx.now.toISOString() } : { status: 'skipped', reason: reasons.join('; ') })
    .where(eq(reminders.id, r.id)).run()
}

type NewMessage = {
  r: typeof reminders.$inferSelect; channel: Channel; to: string | null; vars: Record<string, string>; ctx: DispatchContext
  status: MessageStatus; reason: string | null; stamp: string; dedupeKey: string; sendAfter?: string | null
}

function insertMessage(db: OrgDb, m: NewMessage): string {
  const template = templateFor(db, m.r.type, m.channel)
  const id = crypto.randomUUID()
  const at = m.ctx.now.toISOString()
  db.insert(messages).values({
    id, dedupeKey: m.dedupeKey, channel: m.channel, to: m.to,
    from: m.channel === 'sms' ? m.ctx.smsFrom : m.ctx.emailFrom,
    subject: m.channel === 'email' ? render(template.subject, m.vars) : null,
    body: render(template.body, m.vars),
    status: m.status, reason: m.reason, purpose: m.r.type, transactional: true, orgClientId: m.r.orgClientId, reminderId: m.r.id,
    subjectStamp: m.stamp, sendAfter: m.sendAfter ?? null, createdAt: at, updatedAt: at,
  }).run()
  return id
}

/** A deferred message whose time came: still wanted, still allowed, and outside quiet hours? */
function releaseDeferred(db: OrgDb, m: typeof messages.$inferSelect, ctx: DispatchContext, result: DispatchResult) {
  const at = ctx.now.toISOString()
  const skip = (reason: string) => {
    db.update(messages).set({ status: 'skipped', reason, sendAfter: null, updatedAt: at }).where(eq(messages.id, m.id)).run()
    result.skipped++
  }
  const reminder = m.reminderId ? db.select().from(reminders).where(eq(reminders.id, m.reminderId)).get() : undefined
  const recipient = m.orgClientId ? recipientOf(db, m.orgClientId, ctx.timezone) : null
  if (!recipient) return skip('client_deleted')
  if (reminder) {
    const subject = subjectOf(db, reminder, recipient.zone)
    if (subject.skip) return skip(subject.skip)
    if (subject.stamp !== m.subjectStamp) return skip(reminder.type === 'job_upcoming' ? 'job_moved' : 'invoice_changed')
  } else if (m.reminderId) {
    return skip('reminder_deleted')
  }
  const unwanted = stillWanted(db, m)
  if (unwanted) return skip(unwanted)
  const consent = ctx.consents[recipient.personId] ?? { email_opt_in: true, sms_opt_in: true }
  if (m.channel === 'sms' ? !consent.sms_opt_in : !consent.email_opt_in) return skip('opted_out')
  if (!m.transactional && m.channel === 'email' && consent.marketing_email_opt_in === false) return skip('unsubscribed')
  const hold = (until: Date, why: string) => {
    db.update(messages).set({ sendAfter: until.toISOString(), reason: `${why} until ${until.toISOString()}`, updatedAt: at }).where(eq(messages.id, m.id)).run()
  }
  const sendAt = nextAllowed(ctx.now, recipient.zone, parseQuiet(m.quietHours) ?? ctx.quiet, m.id)
  if (sendAt.getTime() > ctx.now.getTime()) return hold(sendAt, 'quiet_hours')
  const capped = m.transactional ? null : capFreesAt(db, m.orgClientId!, ctx.now, ctx.marketingCap)
  if (capped) return hold(capped, 'cap')
  db.update(messages).set({ status: 'queued', sendAfter: null, reason: null, updatedAt: at }).where(eq(messages.id, m.id)).run()
  result.sent++
  result.queued.push(m.id)
}

/** The earliest time anything is due (a reminder, a journey step, a campaign, a deferred message, the owners' alert digest), or null. */
export function nextDueAt(db: OrgDb): string | null {
  const r = db.select({ at: min(reminders.sendAt) }).from(reminders).where(eq(reminders.status, 'pending')).get()?.at ?? null
  const m = db.select({ at: min(messages.sendAfter) }).from(messages).where(eq(messages.status, 'deferred')).get()?.at ?? null
  const times = [r, m, nextStepDueAt(db), nextCampaignDueAt(db), nextDigestAt(db)].filter((t): t is string => t !== null)
  return times.length === 0 ? null : times.reduce((a, b) => (a < b ? a : b))
}
