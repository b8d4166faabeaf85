/** Reminder rows: by default 24 h and 2 h before a job, and 2 days before and on an invoice's due date at 9:00; each business may set its own lead times. */
import { and, desc, eq, gt, gte, inArray, notInArray, type SQL, type SQLWrapper } from 'drizzle-orm'
import { addDays, zonedTimeToUtc } from '../../../src/time'
import type { OrgDb } from '../db'
import { invoices, jobs, profile, reminders } from '../schema'

const HOUR = 3_600_000

/** When reminders go out unless the business set its own: 24 h and 2 h before a job; 2 days before and on an invoice's due date. */
export const DEFAULT_LEAD_TIMES: LeadTimes = { job_hours_before: [24, 2], invoice_days_before: [2, 0] }

export type LeadTimes = { job_hours_before: number[]; invoice_days_before: number[] }

/** The business's reminder lead times (its settings, else the defaults). */
export function leadTimes(db: OrgDb): LeadTimes {
  const p = db
    .select({ hours: profile.jobReminderHours, days: profile.invoiceReminderDays })
    .from(profile)
    .where(eq(profile.id, 1))
    .get()
  return {
    job_hours_before: p?.hours ?? DEFAULT_LEAD_TIMES.job_hours_before,
    invoice_days_before: p?.days ?? DEFAULT_LEAD_TIMES.invoice_days_before,
  }
}

/**
 * When a job's reminders go out: `hours` before its start, only those still in the future (a job
 * booked inside the first lead time still gets the later ones). Offsets read `24h`, `2h`.
 */
export function jobReminderTimes(
  startAt: string,
  now: Date,
  hours: number[] = DEFAULT_LEAD_TIMES.job_hours_before,
): Array<{ offset: string; sendAt: string }> {
  const start = Date.parse(startAt)
  return hours
    .map((h) => ({ offset: `${h}h`, at: start - h * HOUR }))
    .filter((r) => r.at > now.getTime())
    .map((r) => ({ offset: r.offset, sendAt: new Date(r.at).toISOString() }))
}

/** When an invoice's reminders go out: 9:00 in the zone, `days` before the due date (0: on it), future only. */
export function invoiceReminderTimes(
  dueDate: string,
  tz: string,
  now: Date,
  days: number[] = DEFAULT_LEAD_TIMES.invoice_days_before,
): Array<{ offset: string; sendAt: string }> {
  return days
    .map((d) => ({ offset: d === 0 ? 'due' : `due-${d}d`, at: zonedTimeToUtc(addDays(dueDate, -d), '09:00', tz) }))
    .filter((r) => r.at.getTime() > now.getTime())
    .map((r) => ({ offset: r.offset, sendAt: r.at.toISOString() }))
}

/** Replaces a job's pending reminders with ones for its (new) start. */
export function scheduleJobReminders(
  db: OrgDb,
  job: { id: string; orgClientId: string; startAt: string },
  now = new Date(),
): void {
  dropPendingReminders(db, { jobId: job.id })
  for (const r of jobReminderTimes(job.startAt, now, leadTimes(db).job_hours_before)) {
    db.insert(reminders)
      .values({
        id: crypto.randomUUID(),
        type: 'job_upcoming',
        orgClientId: job.orgClientId,
        jobId: job.id,
        offset: r.offset,
        sendAt: r.sendAt,
      })
      .run()
  }
}

/** What re-planning is told of one kind of reminder: whose they are and when they now fall. */
type Replan = {
  type: 'job_upcoming' | 'invoice_due'
  field: 'jobId' | 'invoiceId'
  /** The ids whose reminders are re-planned, as a subquery (no list of bound ids). */
  ids: SQLWrapper
  subjects: Array<{ id: string; orgClientId: string; times: Array<{ offset: string; sendAt: string }> }>
}

/** Reminders deleted by id, at most this many ids to a statement (SQLite's bound-parameter limit). */
const IDS_PER_STATEMENT = 90

/**
 * Brings the unsent reminders still ahead of the subjects to their new times: those already at a
 * new time stay as they are (so the same lead times change nothing), the others go, and the new
 * times not yet planned are added. A reminder decided already (sent or skipped), or due and
 * waiting for the next run, stays, and its lead time at the same moment is not planned again:
 * re-planning never loses or repeats one.
 */
function replan(db: OrgDb, now: Date, r: Replan): void {
  const at = now.toISOString()
  const column = reminders[r.field]
  const keyOf = (subject: string | null, offset: string, sendAt: string) => `${subject} ${offset} ${sendAt}`
  const rows = db
    .select({
      id: reminders.id,
      subject: column,
      offset: reminders.offset,
      sendAt: reminders.sendAt,
      status: reminders.status,
    })
    .from(reminders)
    .where(inArray(column, r.ids))
    .all()
  const ahead = (row: (typeof rows)[number]) => row.status === 'pending' && row.sendAt > at
  const planned = new Set(rows.map((row) => keyOf(row.subject, row.offset, row.sendAt)))
  const wanted = new Set(r.subjects.flatMap((s) => s.times.map((t) => keyOf(s.id, t.offset, t.sendAt))))
  const stale = rows.filter((row) => ahead(row) && !wanted.has(keyOf(row.subject, row.offset, row.sendAt)))
  for (let i = 0; i < stale.length; i += IDS_PER_STATEMENT)
    db.delete(reminders)
      .where(
        inArray(
          reminders.id,
          stale.slice(i, i + IDS_PER_STATEMENT).map((row) => row.id),
        ),
      )
      .run()
  for (const subject of r.subjects) {
    for (const t of subject.times) {
      if (planned.has(keyOf(subject.id, t.offset, t.sendAt))) continue
      db.insert(reminders)
        .values({
          id: crypto.randomUUID(),
          type: r.type,
          orgClientId: subject.orgClientId,
          [r.field]: subject.id,
          offset: t.offset,
          sendAt: t.sendAt,
        })
        .run()
    }
  }
}

/**
 * After the lead times changed: every visit still to come gets the new lead times still ahead in
 * place of its unsent reminders (see `replan`); quiet hours and consent are decided at send time,
 * as always. The caller's transaction keeps the due-time index right.
 */
export function replanJobReminders(db: OrgDb, now: Date): void {
  const hours = leadTimes(db).job_hours_before
  const stillToCome = and(gt(jobs.startAt, now.toISOString()), notInArray(jobs.status, ['completed', 'cancelled']))
  const upcoming = db
    .select({ id: jobs.id, orgClientId: jobs.orgClientId, startAt: jobs.startAt })
    .from(jobs)
    .where(stillToCome)
    .all()
  replan(db, now, {
    type: 'job_upcoming',
    field: 'jobId',
    ids: db.select({ id: jobs.id }).from(jobs).where(stillToCome),
    subjects: upcoming.map((j) => ({ ...j, times: jobReminderTimes(j.startAt, now, hours) })),
  })
}

/**
 * After the invoice lead times changed: the same for open invoices not yet past due (reminders at
 * 9:00 in `tz`).
 */
export function replanInvoiceReminders(db: OrgDb, tz: string, now: Date): void {
  const days = leadTimes(db).invoice_days_before
  // From the day before today in UTC, so a due date still ahead in any zone is included; the
  // times themselves are kept only when still ahead.
  const notPastDue = and(
    eq(invoices.status, 'open'),
    gte(invoices.dueDate, addDays(now.toISOString().slice(0, 10), -1)),
  )
  const open = db
    .select({ id: invoices.id, orgClientId: invoices.orgClientId, dueDate: invoices.dueDate })
    .from(invoices)
    .where(notPastDue)
    .all()
  replan(db, now, {
    type: 'invoice_due',
    field: 'invoiceId',
    ids: db.select({ id: invoices.id }).from(invoices).where(notPastDue),
    subjects: open.map((i) => ({ ...i, times: invoiceReminderTimes(i.dueDate, tz, now, days) })),
  })
}

/** Replaces an invoice's pending reminders with ones for its (new) due date. */
export function scheduleInvoiceReminders(
  db: OrgDb,
  invoice: { id: string; orgClientId: string; dueDate: string },
  tz: string,
  now = new Date(),
): void {
  dropPendingReminders(db, { invoiceId: invoice.id })
  for (const r of invoiceReminderTimes(invoice.dueDate, tz, now, leadTimes(db).invoice_days_before)) {
    db.insert(reminders)
      .values({
        id: crypto.randomUUID(),
        type: 'invoice_due',
        orgClientId: invoice.orgClientId,
        invoiceId: invoice.id,
        offset: r.offset,
        sendAt: r.sendAt,
      })
      .run()
  }
}

/** Deletes the unsent reminders of a job or an invoice; sent ones stay as history. */
export function dropPendingReminders(db: OrgDb, subject: { jobId: string } | { invoiceId: string }): void {
  const which = 'jobId' in subject ? eq(reminders.jobId, subject.jobId) : eq(reminders.invoiceId, subject.invoiceId)
  db.delete(reminders)
    .where(and(which, eq(reminders.status, 'pending')))
    .run()
}

export type ReminderRow = {
  id: string
  type: 'job_upcoming' | 'invoice_due'
  send_at: string
  sent_at: string | null
  org_client_id: string
  status: 'pending' | 'sent' | 'skipped'
  reason?: string
  job_id: string | null
  invoice_id: string | null
  offset: string
}

/** Reminders soonest first, optionally of one status. */
export function listReminders(
  db: OrgDb,
  query: { status?: 'pending' | 'sent' | 'skipped'; limit: number },
): ReminderRow[] {
  const where: SQL | undefined = query.status ? eq(reminders.status, query.status) : undefined
  const rows = db
    .select()
    .from(reminders)
    .where(where)
    .orderBy(query.status === 'pending' ? reminders.sendAt : desc(reminders.sendAt))
    .limit(query.limit)
    .all()
  return rows.map((r) => ({
    id: r.id,
    type: r.type,
    send_at: r.sendAt,
    sent_at: r.sentAt,
    org_client_id: r.orgClientId,
    status: r.status,
    ...(r.reason ? { reason: r.reason } : {}),
    job_id: r.jobId,
    invoice_id: r.invoiceId,
    offset: r.offset,
  }))
}
