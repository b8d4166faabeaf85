/** Staff tasks from the portal (reschedule requests, a homeowner's new contact details), listed on the dashboard and the job page. */
import { and, desc, eq, inArray, sql, type SQL } from 'drizzle-orm'
import { conflict, invalidInput, notFound } from '../../../src/errors'
import { updateJob } from '../crm/jobs'
import type { OrgDb } from '../db'
import { contacts, jobs, orgClients, tasks } from '../schema'

export type TaskItem = {
  id: string
  type: 'reschedule_request' | 'callback_request' | 'contact_changed'
  org_client_id: string
  client_name: string
  job_id: string | null
  job_start_at: string | null
  preferred_times: string[]
  note: string | null
  status: 'open' | 'done'
  created_at: string
}

/** Open tasks, newest first; only one job's when `jobId` is given. */
export function openTasks(db: OrgDb, query: { jobId?: string; limit: number }): TaskItem[] {
  const where: SQL[] = [eq(tasks.status, 'open')]
  if (query.jobId) where.push(eq(tasks.jobId, query.jobId))
  return db
    .select({
      task: tasks,
      first: contacts.firstName,
      last: contacts.lastName,
      email: contacts.primaryEmail,
      phone: contacts.primaryPhoneE164,
      startAt: jobs.startAt,
    })
    .from(tasks)
    .innerJoin(orgClients, eq(orgClients.id, tasks.orgClientId))
    .innerJoin(contacts, eq(contacts.personId, orgClients.personId))
    .leftJoin(jobs, eq(jobs.id, tasks.jobId))
    .where(and(...where))
    .orderBy(desc(tasks.createdAt))
    .limit(query.limit)
    .all()
    .map(({ task, first, last, email, phone, startAt }) => ({
      id: task.id,
      type: task.type,
      org_client_id: task.orgClientId,
      client_name: [first, last].filter(Boolean).join(' ') || email || phone || 'A client',
      job_id: task.jobId,
      job_start_at: startAt,
      preferred_times: task.preferredTimes,
      note: task.note,
      status: task.status,
      created_at: task.createdAt,
    }))
}

/** Marks a task done. */
export function closeTask(db: OrgDb, id: string, now = new Date()): void {
  const done = db
    .update(tasks)
    .set({ status: 'done', doneAt: now.toISOString() })
    .where(eq(tasks.id, id))
    .returning({ id: tasks.id })
    .all()
  if (done.length === 0) throw notFound('task')
}

/**
 * Accepts a reschedule request at one of the times the homeowner offered: the visit moves (its
 * reminders follow) and the request closes, in one transaction. Returns where the visit is now.
 */
export function acceptReschedule(
  db: OrgDb,
  id: string,
  time: string,
  now: Date,
): { jobId: string; orgClientId: string; startAt: string } {
  const task = db.select().from(tasks).where(eq(tasks.id, id)).get()
  if (task?.status !== 'open') throw notFound('task')
  if (task.type !== 'reschedule_request' || !task.jobId)
    throw conflict('Only a request for another time can be accepted.')
  const chosen = task.preferredTimes.find((t) => Date.parse(t) === Date.parse(time))
  if (!chosen) throw invalidInput([{ path: 'start_at', message: 'is not one of the times the client offered' }])
  if (Date.parse(chosen) < now.getTime()) throw conflict('That time has passed: agree on another with the client.')
  const job = updateJob(db, task.jobId, { start_at: chosen }, now)
  closeTask(db, id, now)
  return { jobId: job.id, orgClientId: job.org_client_id, startAt: job.start_at }
}

/** An open reschedule request as it stood before a move: whose, for which visit, and its time then. */
export type AskedMove = { id: string; jobId: string; orgClientId: string; startAt: string }

/** The open reschedule requests (few: each waits on staff), with their visits' times. */
export function openRescheduleRequests(db: OrgDb): AskedMove[] {
  return db
    .select({ id: tasks.id, jobId: jobs.id, orgClientId: tasks.orgClientId, startAt: jobs.startAt })
    .from(tasks)
    .innerJoin(jobs, eq(jobs.id, tasks.jobId))
    .where(and(eq(tasks.status, 'open'), eq(tasks.type, 'reschedule_request')))
    .limit(500)
    .all()
}

/** A "your visit is now …" notice still held for quiet hours, with its visit's time now. */
export type HeldTimeNotice = { messageId: string; purpose: NewTimePurpose; body: string; startAt: string }

export type NewTimePurpose = 'reschedule_accepted' | 'reschedule_moved'

/** The notices of a new time not sent yet (deferred for quiet hours): few, found by the deferred index. */
export function heldTimeNotices(db: OrgDb): HeldTimeNotice[] {
  return db.all<HeldTimeNotice>(sql`
    select m.id as messageId, m.purpose, m.body, j.start_at as startAt
    from messages m
    join tasks t on t.id = substr(m.dedupe_key, length(m.purpose) + 2)
    join jobs j on j.id = t.job_id
    where m.status = 'deferred' and m.purpose in ('reschedule_accepted', 'reschedule_moved')`)
}

/** Of requests that were open, those a move has since closed, each with its visit's new time. */
export function closedByMove(db: OrgDb, asked: AskedMove[]): AskedMove[] {
  if (asked.length === 0) return []
  const now = db
    .select({ id: tasks.id, status: tasks.status, startAt: jobs.startAt })
    .from(tasks)
    .innerJoin(jobs, eq(jobs.id, tasks.jobId))
    .where(
      inArray(
        tasks.id,
        asked.map((a) => a.id),
      ),
    )
    .all()
  return asked.flatMap((a) => {
    const row = now.find((r) => r.id === a.id)
    return row?.status === 'done' && row.startAt !== a.startAt ? [{ ...a, startAt: row.startAt }] : []
  })
}
