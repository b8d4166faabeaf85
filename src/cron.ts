/** The minute Cron Trigger: find organizations with work due and hand each one to the queue. */
import { asc, lte } from 'drizzle-orm'
import { deleteExpiredSessions } from './auth/sessions'
import { peopleDb } from './db'
import type { Env } from './env'
import { orgSchedule } from './people/schema'
import type { EventMessage } from './queues/messages'

/** Organizations handed out per tick; the rest wait a minute (their due time keeps them first). */
const MAX_ORGS_PER_TICK = 10_000

/** Runs one tick; returns what it did so tests and logs can see it. No organization's work runs here. */
export async function runCronTick(env: Env, now: Date): Promise<{ expiredSessions: number; organizationsDue: number }> {
  const db = peopleDb(env.PEOPLE)
  const due = await db.select({ id: orgSchedule.organizationId }).from(orgSchedule)
    .where(lte(orgSchedule.nextDueAt, now.toISOString())).orderBy(asc(orgSchedule.nextDueAt)).limit(MAX_ORGS_PER_TICK).all()
  for (let i = 0; i < due.length; i += 100) {
    await env.EVENTS.sendBatch(due.slice(i, i + 100).map((o) => ({ body: { type: 'run_due', organization_id: o.id } satisfies EventMessage })))
  }
  const expiredSessions = await deleteExpiredSessions(db, now)
  return { expiredSessions, organizationsDue: due.length }
}
