/** Spending the portal's send limits (codes, fresh links) all together or not at all. */
import { hit, retryAfter, type Limit } from '../auth/rate-limit'
import type { PeopleDb } from '../db'

/** Seconds to wait when any limit is used up (nothing is counted then), else null after counting one hit on each. */
export async function spend(db: PeopleDb, limits: Limit[]): Promise<number | null> {
  for (const limit of limits) {
    const wait = await retryAfter(db, limit)
    if (wait !== null) return wait
  }
  for (const limit of limits) await hit(db, limit)
  return null
}

/** "3 minutes", "1 minute": a wait in words. */
export const minutes = (seconds: number) => `${Math.ceil(seconds / 60)} minute${seconds > 60 ? 's' : ''}`
