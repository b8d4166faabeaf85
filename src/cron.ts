/** The minute Cron Trigger: housekeeping that must happen on the clock. */
import { deleteExpiredSessions } from './auth/sessions'
import { peopleDb } from './db'
import type { Env } from './env'

/** Runs one tick; returns what it did so tests and logs can see it. */
export async function runCronTick(env: Env, now: Date): Promise<{ expiredSessions: number }> {
  const expiredSessions = await deleteExpiredSessions(peopleDb(env.PEOPLE), now)
  return { expiredSessions }
}
