/**
 * Crews: who works each job, and which jobs of the same person overlap (a warning, never a
 * refusal). A job without an end is taken to last an hour.
 */
import { and, eq, gte, inArray, notInArray, sql } from 'drizzle-orm'
import type { OrgDb } from '../db'
import { jobAssignees, jobs } from '../schema'

/** How long a job without an end is taken to last, for overlaps. */
export const DEFAULT_JOB_MINUTES = 60

/** Replaces a job's crew (an empty list leaves it unassigned). */
export function setCrew(db: OrgDb, jobId: string, userIds: string[]): void {
  db.delete(jobAssignees).where(eq(jobAssignees.jobId, jobId)).run()
  const unique = [...new Set(userIds)]
  if (unique.length > 0) {
    db.insert(jobAssignees)
      .values(unique.map((userId) => ({ jobId, userId })))
      .run()
  }
}

/** Each job's crew, by job id (jobs without one are absent). */
export function crewsOf(db: OrgDb, jobIds: string[]): Map<string, string[]> {
  const crews = new Map<string, string[]>()
  if (jobIds.length === 0) return crews
  const rows = db.select().from(jobAssignees).where(inArray(jobAssignees.jobId, jobIds)).all()
  for (const r of rows) crews.set(r.jobId, [...(crews.get(r.jobId) ?? []), r.userId].sort())
  return crews
}

/**
 * For each of these jobs, the other jobs that share someone of its crew and overlap it in time,
 * neither of them cancelled.
 */
export function conflictsOf(db: OrgDb, jobIds: string[]): Map<string, string[]> {
  const conflicts = new Map<string, string[]>()
  if (jobIds.length === 0) return conflicts
  const ends = (alias: string) =>
    sql.raw(
      `coalesce(${alias}.end_at, strftime('%Y-%m-%dT%H:%M:%fZ', ${alias}.start_at, '+${DEFAULT_JOB_MINUTES} minutes'))`,
    )
  const rows = db.all<{ job: string; other: string }>(sql`
    select distinct a.job_id as job, b.job_id as other
    from job_assignees a
    join job_assignees b on b.user_id = a.user_id and b.job_id <> a.job_id
    join jobs ja on ja.id = a.job_id
    join jobs jb on jb.id = b.job_id
    where a.job_id in (select value from json_each(${JSON.stringify(jobIds)}))
      and ja.status <> 'cancelled' and jb.status <> 'cancelled'
      and jb.start_at < ${ends('ja')} and ja.start_at < ${ends('jb')}
    order by jb.start_at`)
  for (const r of rows) conflicts.set(r.job, [...(conflicts.get(r.job) ?? []), r.other])
  return conflicts
}

/** Takes someone who left the team off the crews of jobs still to come and of series' later visits; past jobs keep who worked them. */
export function dropFromUpcomingCrews(db: OrgDb, userId: string, now: Date): number {
  const gone = db
    .delete(jobAssignees)
    .where(
      and(
        eq(jobAssignees.userId, userId),
        inArray(
          jobAssignees.jobId,
          db
            .select({ id: jobs.id })
            .from(jobs)
            .where(and(gte(jobs.startAt, now.toISOString()), notInArray(jobs.status, ['completed', 'cancelled']))),
        ),
      ),
    )
    .returning({ jobId: jobAssignees.jobId })
    .all()
  // Visits a series books later are booked without them too.
  db.run(sql`update job_series set assigned_to = (
      select coalesce(json_group_array(value), '[]') from json_each(job_series.assigned_to) where value <> ${userId})
    where exists (select 1 from json_each(job_series.assigned_to) where value = ${userId})`)
  return gone.length
}
