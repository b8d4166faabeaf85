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
  // One bound value whatever the count: the object's SQLite takes at most 100 per statement.
  const rows = db
    .select()
    .from(jobAssignees)
    .where(sql`${jobAssignees.jobId} in (select value from json_each(${JSON.stringify(jobIds)}))`)
    .all()
  for (const r of rows) crews.set(r.jobId, [...(crews.get(r.jobId) ?? []), r.userId].sort())
  return crews
}

/** Jobs spanning at most this long are checked in one pass over the window (a calendar page); longer spans job by job. */
const WINDOW_MS = 62 * 86_400_000
/** How long a job may last and still be seen from the window's start. */
const LONGEST_JOB_MS = 7 * 86_400_000

/** What overlaps need to know of a job. */
export type Timed = { id: string; start_at: string; end_at: string | null; status: string }

/** When a job ends: its end, or its start plus the default length. */
const endMs = (j: Timed) => (j.end_at ? Date.parse(j.end_at) : Date.parse(j.start_at) + DEFAULT_JOB_MINUTES * 60_000)

/**
 * Each job's crew, and for each job the other jobs that share someone of its crew and overlap it
 * in time, neither of them cancelled, in order of start.
 */
export function crewsAndConflicts(
  db: OrgDb,
  list: Timed[],
): { crews: Map<string, string[]>; conflicts: Map<string, string[]> } {
  if (list.length === 0) return { crews: new Map(), conflicts: new Map() }
  let lo = Number.POSITIVE_INFINITY
  let hi = Number.NEGATIVE_INFINITY
  for (const j of list) {
    lo = Math.min(lo, Date.parse(j.start_at))
    hi = Math.max(hi, endMs(j))
  }
  if (hi - lo <= WINDOW_MS) return inWindow(db, new Set(list.map((j) => j.id)), lo, hi)
  const ids = list.map((j) => j.id)
  return { crews: crewsOf(db, ids), conflicts: conflictsJobByJob(db, JSON.stringify(ids)) }
}

/** When a job ends, in SQL: its end, or its start plus the default length. */
const endOf = (alias: string) =>
  sql.raw(
    `coalesce(${alias}.end_at, strftime('%Y-%m-%dT%H:%M:%fZ', ${alias}.start_at, '+${DEFAULT_JOB_MINUTES} minutes'))`,
  )

/**
 * One read of every crewed job overlapping the window (a calendar page's jobs and any that run
 * into it), then a sweep per person: each job meets the ones still running when it starts.
 */
function inWindow(
  db: OrgDb,
  wanted: Set<string>,
  lo: number,
  hi: number,
): { crews: Map<string, string[]>; conflicts: Map<string, string[]> } {
  const from = new Date(lo).toISOString()
  const rows = db.all<{ job: string; user: string; start: string; end: string; cancelled: number }>(sql`
    select ja.job_id as job, ja.user_id as user, j.start_at as start, ${endOf('j')} as "end",
      j.status = 'cancelled' as cancelled
    from jobs j join job_assignees ja on ja.job_id = j.id
    where j.start_at >= ${new Date(lo - LONGEST_JOB_MS).toISOString()} and j.start_at < ${new Date(hi).toISOString()}
      and (j.start_at >= ${from} or ${endOf('j')} > ${from})
    order by ja.user_id, j.start_at`)
  const crews = new Map<string, string[]>()
  const found = new Map<string, Map<string, string>>()
  const meet = (a: { job: string }, b: { job: string; start: string }) => {
    if (a.job === b.job || !wanted.has(a.job)) return
    let others = found.get(a.job)
    if (!others) found.set(a.job, (others = new Map()))
    others.set(b.job, b.start)
  }
  let running: typeof rows = []
  let user = ''
  for (const r of rows) {
    if (wanted.has(r.job)) {
      const crew = crews.get(r.job)
      if (crew) crew.push(r.user)
      else crews.set(r.job, [r.user])
    }
    if (r.cancelled) continue
    if (r.user !== user) {
      user = r.user
      running = []
    }
    running = running.filter((x) => x.end > r.start)
    for (const x of running) {
      meet(x, r)
      meet(r, x)
    }
    running.push(r)
  }
  for (const crew of crews.values()) crew.sort()
  const conflicts = new Map<string, string[]>()
  for (const [job, others] of found)
    conflicts.set(
      job,
      [...others].sort((a, b) => (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0)).map(([id]) => id),
    )
  return { crews, conflicts }
}

/** Job by job, through each crew member's index: for lists spread over months (a client's history). */
function conflictsJobByJob(db: OrgDb, ids: string): Map<string, string[]> {
  const conflicts = new Map<string, string[]>()
  const rows = db.all<{ job: string; other: string }>(sql`
    select distinct a.job_id as job, b.job_id as other
    from job_assignees a
    join job_assignees b on b.user_id = a.user_id and b.job_id <> a.job_id
    join jobs ja on ja.id = a.job_id
    join jobs jb on jb.id = b.job_id
    where a.job_id in (select value from json_each(${ids}))
      and ja.status <> 'cancelled' and jb.status <> 'cancelled'
      and jb.start_at < ${endOf('ja')} and ja.start_at < ${endOf('jb')}
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
