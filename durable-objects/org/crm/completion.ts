/**
 * Undoing "mark complete" within ten minutes: the job is scheduled again, and what completing
 * started that has not happened yet is taken back (journeys it started, its dropped reminders).
 */
import { and, eq, gte, inArray, sql } from 'drizzle-orm'
import { conflict, notFound } from '../../../src/errors'
import type { OrgDb } from '../db'
import { recordEvent } from '../events'
import { endEnrollment } from '../journeys/enroll'
import { enrollmentLog, enrollments, events, jobs, messages } from '../schema'
import { scheduleJobReminders } from './reminders'

/** How long after completing a job it can still be undone. */
export const UNDO_WINDOW_MS = 10 * 60_000

/** Until when a job completed at `completedAt` can be put back (ISO), or null when it is not completed. */
export function undoUntil(job: { status: string; completed_at: string | null }): string | null {
  if (job.status !== 'completed' || !job.completed_at) return null
  return new Date(Date.parse(job.completed_at) + UNDO_WINDOW_MS).toISOString()
}

/** Message statuses that mean a message went to the provider: it cannot be called back. */
const GONE_OUT = ['queued', 'sent', 'delivered', 'failed'] as const

/**
 * Puts a job completed less than ten minutes ago back to `scheduled`: clears `completed_at`,
 * undoes the journeys its `job_completed` started, gives it its reminders again if it is still
 * ahead, and records `job_completion_undone` on the client's timeline. 404 for an unknown job;
 * 409 when it is not completed or the ten minutes are over. The caller runs it in one transaction.
 */
export function undoCompletion(db: OrgDb, jobId: string, now: Date): void {
  const job = db.select().from(jobs).where(eq(jobs.id, jobId)).get()
  if (!job) throw notFound('job')
  if (job.status !== 'completed' || !job.completedAt) throw conflict(`A ${job.status} job has no completion to undo.`)
  if (now.getTime() - Date.parse(job.completedAt) > UNDO_WINDOW_MS)
    throw conflict('This job was completed more than 10 minutes ago, so completing it can no longer be undone.')
  const at = now.toISOString()
  db.update(jobs).set({ status: 'scheduled', completedAt: null, updatedAt: at }).where(eq(jobs.id, jobId)).run()
  const journeys = undoJourneys(db, job.orgClientId, jobId, job.completedAt, at)
  if (Date.parse(job.startAt) > now.getTime())
    scheduleJobReminders(db, { id: jobId, orgClientId: job.orgClientId, startAt: job.startAt }, now)
  recordEvent(db, 'job_completion_undone', job.orgClientId, { job_id: jobId, ...journeys }, at)
}

/**
 * The enrollments the job's completion started: one that has sent nothing yet is removed as if it
 * never began (so completing the job again starts it afresh); one that already sent a message is
 * stopped before its next step. Their messages still waiting (quiet hours, the daily cap) are dropped.
 */
function undoJourneys(
  db: OrgDb,
  orgClientId: string,
  jobId: string,
  completedAt: string,
  at: string,
): { enrollments_removed: number; enrollments_stopped: number } {
  const triggers = db
    .select({ id: events.id })
    .from(events)
    .where(
      and(
        eq(events.orgClientId, orgClientId),
        eq(events.type, 'job_completed'),
        gte(events.createdAt, completedAt),
        sql`json_extract(${events.data}, '$.job_id') = ${jobId}`,
      ),
    )
    .all()
    .map((e) => e.id)
  const started =
    triggers.length === 0
      ? []
      : db
          .select({ id: enrollments.id, status: enrollments.status })
          .from(enrollments)
          .where(inArray(enrollments.triggerEventId, triggers))
          .all()
  let removed = 0
  let stopped = 0
  for (const e of started) {
    db.update(messages)
      .set({ status: 'skipped', reason: 'job completion undone', sendAfter: null, updatedAt: at })
      .where(and(eq(messages.enrollmentId, e.id), eq(messages.status, 'deferred')))
      .run()
    const sent = db
      .select({ id: messages.id })
      .from(messages)
      .where(and(eq(messages.enrollmentId, e.id), inArray(messages.status, [...GONE_OUT])))
      .limit(1)
      .get()
    if (!sent) {
      db.delete(enrollmentLog).where(eq(enrollmentLog.enrollmentId, e.id)).run()
      db.delete(enrollments).where(eq(enrollments.id, e.id)).run()
      removed++
    } else if (e.status === 'active') {
      endEnrollment(db, e.id, 'stopped', 'job_completion_undone', at)
      stopped++
    }
  }
  return { enrollments_removed: removed, enrollments_stopped: stopped }
}
