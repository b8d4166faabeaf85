/**
 * Due journey steps, run by dispatch inside its transaction: only active enrollments of active
 * journeys (a paused journey holds its enrollments; a draft never had any). Also archives
 * enrollments that ended more than 90 days ago.
 */
import { and, asc, eq, isNotNull, isNull, lte, min, sql } from 'drizzle-orm'
import type { OrgDb } from '../db'
import type { DispatchContext, DispatchResult } from '../messaging/dispatch'
import { enrollments, journeys } from '../schema'
import { advance, type StepRun } from './steps'

const DAY_MS = 86_400_000
/** The seed's retention rule: ended enrollments leave the lists after 90 days. */
export const ARCHIVE_AFTER_DAYS = 90
/** Enrollments archived per run, so one run never does an unbounded amount of it. */
const ARCHIVE_BATCH = 200

const dueNow = (now: Date) =>
  and(eq(enrollments.status, 'active'), eq(journeys.status, 'active'), lte(enrollments.nextStepAt, now.toISOString()))

/** Clients with a journey step due at `now`, the longest-waiting first (as runDueSteps takes them). */
export function dueEnrollmentClients(db: OrgDb, now: Date, limit: number): string[] {
  return db
    .select({ id: enrollments.orgClientId })
    .from(enrollments)
    .innerJoin(journeys, eq(journeys.id, enrollments.journeyId))
    .where(dueNow(now))
    .groupBy(enrollments.orgClientId)
    .orderBy(min(enrollments.nextStepAt))
    .limit(limit)
    .all()
    .map((r) => r.id)
}

/** Runs every due step of active enrollments in active journeys (clients this run prepared links and consent for). */
export function runDueSteps(db: OrgDb, ctx: DispatchContext, result: DispatchResult, limit: number): void {
  const due = db
    .select({ enrollment: enrollments, journey: journeys })
    .from(enrollments)
    .innerJoin(journeys, eq(journeys.id, enrollments.journeyId))
    .where(dueNow(ctx.now))
    .orderBy(asc(enrollments.nextStepAt))
    .limit(limit)
    .all()
  const run: StepRun = { db, ctx, result, reviewLinksUsed: new Set() }
  // A client who became due after this run read consents waits for the next run.
  for (const { enrollment, journey } of due) if (ctx.links[enrollment.orgClientId]) advance(run, enrollment, journey)
  archiveEnded(db, ctx.now)
}

/** The earliest next step of an active enrollment in an active journey, or the next archiving, or null. */
export function nextStepDueAt(db: OrgDb): string | null {
  const step =
    db
      .select({ at: min(enrollments.nextStepAt) })
      .from(enrollments)
      .innerJoin(journeys, eq(journeys.id, enrollments.journeyId))
      .where(and(eq(enrollments.status, 'active'), eq(journeys.status, 'active')))
      .get()?.at ?? null
  const ended =
    db
      .select({ at: min(enrollments.endedAt) })
      .from(enrollments)
      .where(and(isNull(enrollments.archivedAt), isNotNull(enrollments.endedAt)))
      .get()?.at ?? null
  const archive = ended ? new Date(Date.parse(ended) + ARCHIVE_AFTER_DAYS * DAY_MS).toISOString() : null
  return [step, archive].filter((t): t is string => t !== null).sort()[0] ?? null
}

/** Marks up to a batch of enrollments that ended more than 90 days ago as archived. */
export function archiveEnded(db: OrgDb, now: Date): void {
  const before = new Date(now.getTime() - ARCHIVE_AFTER_DAYS * DAY_MS).toISOString()
  db.run(sql`update enrollments set archived_at = ${now.toISOString()} where id in (
    select id from enrollments where archived_at is null and ended_at <= ${before} limit ${ARCHIVE_BATCH})`)
}
