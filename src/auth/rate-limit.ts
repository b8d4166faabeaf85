/**
 * Fixed-window rate limits kept in D1, shared by every Worker instance. An attempt is counted and
 * checked in the same statement, so concurrent requests cannot all read "under the limit" first.
 */
import { clock } from '../clock'
import { and, eq, gt, inArray, sql } from 'drizzle-orm'
import type { BatchItem } from 'drizzle-orm/batch'
import type { PeopleDb } from '../db'
import { rateLimits } from '../people/schema'

export type Limit = { key: string; max: number; windowSeconds: number }

type Counted = { count: number; windowStart: number }

/**
 * Counts one attempt on every limit, all in one D1 transaction. Returns null when every limit
 * had room; otherwise the seconds until the longest blocking window ends, and the attempt is
 * counted on none of them.
 */
export async function spend(db: PeopleDb, limits: Limit[], now = clock.now().getTime()): Promise<number | null> {
  if (limits.length === 0) return null
  // Each upsert adds the attempt and returns the new count: a new window starts at 1, else count + 1.
  const counts = limits.map((limit) => {
    const windowFloor = now - limit.windowSeconds * 1000
    return db
      .insert(rateLimits)
      .values({ key: limit.key, windowStart: now, count: 1 })
      .onConflictDoUpdate({
        target: rateLimits.key,
        set: {
          count: sql`case when ${rateLimits.windowStart} <= ${windowFloor} then 1 else ${rateLimits.count} + 1 end`,
          windowStart: sql`case when ${rateLimits.windowStart} <= ${windowFloor} then ${now} else ${rateLimits.windowStart} end`,
        },
      })
      .returning({ count: rateLimits.count, windowStart: rateLimits.windowStart })
  })
  // Still inside the transaction: when any limit went over, take this attempt back off all of them.
  const over = sql.join(
    limits.map((l) => sql`(r.key = ${l.key} and r.count > ${l.max})`),
    sql` or `,
  )
  const takeBack = db
    .update(rateLimits)
    .set({ count: sql`${rateLimits.count} - 1` })
    .where(
      and(
        inArray(
          rateLimits.key,
          limits.map((l) => l.key),
        ),
        sql`exists (select 1 from rate_limits r where ${over})`,
      ),
    )
  const results = await db.batch([...counts, takeBack] as unknown as [BatchItem<'sqlite'>, ...BatchItem<'sqlite'>[]])
  let wait: number | null = null
  limits.forEach((limit, i) => {
    const row = (results[i] as Counted[])[0]
    if (!row || row.count <= limit.max) return
    const seconds = Math.max(1, Math.ceil((row.windowStart + limit.windowSeconds * 1000 - now) / 1000))
    wait = Math.max(wait ?? 0, seconds)
  })
  return wait
}

/** Gives back one attempt counted in the current window (a login that turned out right). */
export async function refund(db: PeopleDb, limit: Limit, now = clock.now().getTime()): Promise<void> {
  await db
    .update(rateLimits)
    .set({ count: sql`${rateLimits.count} - 1` })
    .where(
      and(
        eq(rateLimits.key, limit.key),
        gt(rateLimits.count, 0),
        gt(rateLimits.windowStart, now - limit.windowSeconds * 1000),
      ),
    )
    .run()
}

/** Forgets the attempts of `key` (after a successful login or a password reset). */
export async function clear(db: PeopleDb, key: string): Promise<void> {
  await db.delete(rateLimits).where(eq(rateLimits.key, key)).run()
}

/** The key of an account's login attempts. */
export const loginAccountKey = (email: string) => `login:account:${email}`

/** Login attempts allowed per account and per client IP in 15 minutes. */
export const loginLimits = (email: string, ip: string): Limit[] => [
  { key: loginAccountKey(email), max: 5, windowSeconds: 900 },
  { key: `login:ip:${ip}`, max: 30, windowSeconds: 900 },
]

/** Password-reset emails allowed per email address and per client IP in an hour. */
export const resetLimits = (email: string, ip: string): Limit[] => [
  { key: `reset:account:${email}`, max: 3, windowSeconds: 3600 },
  { key: `reset:ip:${ip}`, max: 10, windowSeconds: 3600 },
]
