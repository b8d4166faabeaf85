/** Reminder rows: 24 h and 2 h before a job; 2 days before and on an invoice's due date at 9:00. */
import { and, desc, eq, type SQL } from 'drizzle-orm'
import { addDays, zonedTimeToUtc } from '../../../src/time'
import type { OrgDb } from '../db'
import { reminders } from '../schema'

const HOUR = 3_600_000

/** When a job's reminders go out: 24 h and 2 h before its start, only those still in the future. */
export function jobReminderTimes(startAt: string, now: Date): Array<{ offset: '24h' | '2h'; sendAt: string }> {
  const start = Date.parse(startAt)
  return (
    [
      ['24h', 24],
      ['2h', 2],
    ] as const
  )
    .map(([offset, hours]) => ({ offset, at: start - hours * HOUR }))
    .filter((r) => r.at > now.getTime())
    .map((r) => ({ offset: r.offset, sendAt: new Date(r.at).toISOString() }))
}

/** When an invoice's reminders go out: 9:00 in the zone, 2 days before and on the due date, future only. */
export function invoiceReminderTimes(
  dueDate: string,
  tz: string,
  now: Date,
): Array<{ offset: 'due-2d' | 'due'; sendAt: string }> {
  return (
    [
      ['due-2d', -2],
      ['due', 0],
    ] as const
  )
    .map(([offset, days]) => ({ offset, at: zonedTimeToUtc(addDays(dueDate, days), '09:00', tz) }))
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
  for (const r of jobReminderTimes(job.startAt, now)) {
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

/** Replaces an invoice's pending reminders with ones for its (new) due date. */
export function scheduleInvoiceReminders(
  db: OrgDb,
  invoice: { id: string; orgClientId: string; dueDate: string },
  tz: string,
  now = new Date(),
): void {
  dropPendingReminders(db, { invoiceId: invoice.id })
  for (const r of invoiceReminderTimes(invoice.dueDate, tz, now)) {
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
