/** Fixed-window rate limits kept in D1, shared by every Worker instance. */
import { eq, sql } from 'drizzle-orm'
import type { PeopleDb } from '../db'
import { rateLimits } from '../people/schema'

export type Limit = { key: string; max: number; windowSeconds: number }

/** Seconds until the limit frees up when `key` has used `max` hits in its window, else null. */
export async function retryAfter(db: PeopleDb, limit: Limit, now = Date.now()): Promise<number | null> {
  const row = await db.select().from(rateLimits).where(eq(rateLimits.key, limit.key)).get()
  if (!row) return null
  const windowEnd = row.windowStart + limit.windowSeconds * 1000
  if (windowEnd <= now || row.count < limit.max) return null
  return Math.max(1, Math.ceil((windowEnd - now) / 1000))
}

/** Counts one hit for `key`, starting a new window when the old one has passed. */
export async function hit(db: PeopleDb, limit: Limit, now = Date.now()): Promise<void> {
  const windowFloor = now - limit.windowSeconds * 1000
  await db.insert(rateLimits).values({ key: limit.key, windowStart: now, count: 1 }).onConflictDoUpdate({
    target: rateLimits.key,
    set: {
      count: sql`case when ${rateLimits.windowStart} <= ${windowFloor} then 1 else ${rateLimits.count} + 1 end`,
      windowStart: sql`case when ${rateLimits.windowStart} <= ${windowFloor} then ${now} else ${rateLimits.windowStart} end`,
    },
  }).run()
}

/** Forgets the hits of `key` (after a successful login). */
export async function clear(db: PeopleDb, key: string): Promise<void> {
  await db.delete(rateLimits).where(eq(rateLimits.key, key)).run()
}

/** Failed logins allowed per account and per client IP in 15 minutes. */
export const loginLimits = (email: string, ip: string): Limit[] => [
  { key: `login:account:${email}`, max: 5, windowSeconds: 900 },
  { key: `login:ip:${ip}`, max: 30, windowSeconds: 900 },
]
