/** The minute Cron Trigger: find organizations with work due and hand each one to the queue. */
import { asc, lte } from 'drizzle-orm'
import { deleteExpiredSessions } from './auth/sessions'
import { peopleDb } from './db'
import { deleteExpiredIdempotencyKeys } from './http/idempotency'
import type { Env } from './env'
import { organizations, orgSchedule } from './people/schema'
import { type MetricsRun, runDailyMetrics } from './platform/metrics-job'
import type { EventMessage } from './queues/messages'

/** Organizations handed out per tick; the rest wait a minute (their due time keeps them first). */
const MAX_ORGS_PER_TICK = 10_000

/**
 * Organizations whose due-time index is re-checked per tick, longest unchecked first: an index
 * write that failed (D1 down after the object committed) heals within organizations / 100 minutes.
 */
const SCHEDULE_CHECKS_PER_TICK = 100

/** Runs one tick; returns what it did so tests and logs can see it. No organization's work runs here. */
export async function runCronTick(
  env: Env,
  now: Date,
): Promise<{
  expiredSessions: number
  organizationsDue: number
  schedulesChecked: number
  /** The day's metrics run when this tick started it (once a day, the first tick at or after 03:00 UTC). */
  metrics: MetricsRun | null
}> {
  const db = peopleDb(env.PEOPLE)
  const due = await db
    .select({ id: orgSchedule.organizationId })
    .from(orgSchedule)
    .where(lte(orgSchedule.nextDueAt, now.toISOString()))
    .orderBy(asc(orgSchedule.nextDueAt))
    .limit(MAX_ORGS_PER_TICK)
    .all()
  for (let i = 0; i < due.length; i += 100) {
    await env.EVENTS.sendBatch(
      due.slice(i, i + 100).map((o) => ({
        body: { type: 'run_due', organization_id: o.id, at: now.toISOString() } satisfies EventMessage,
      })),
    )
  }
  const stale = await db
    .select({ id: organizations.id })
    .from(organizations)
    .orderBy(asc(organizations.scheduleCheckedAt))
    .limit(SCHEDULE_CHECKS_PER_TICK)
    .all()
  if (stale.length > 0)
    await env.EVENTS.sendBatch(
      stale.map((o) => ({ body: { type: 'check_schedule', organization_id: o.id } satisfies EventMessage })),
    )
  const expiredSessions = await deleteExpiredSessions(db, now)
  await deleteExpiredIdempotencyKeys(db, now)
  const metrics = await runDailyMetrics(env, now)
  return { expiredSessions, organizationsDue: due.length, schedulesChecked: stale.length, metrics }
}
