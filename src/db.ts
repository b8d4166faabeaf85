/** Access to the global D1 database through drizzle; every registry query goes through here. */
import { clock } from './clock'
import { drizzle } from 'drizzle-orm/d1'
import * as schema from './people/schema'

export type PeopleDb = ReturnType<typeof peopleDb>

/** One handle per binding for the isolate's life: building one reads the whole schema (about 0.16 ms each time). */
const handles = new WeakMap<D1Database, ReturnType<typeof drizzle<typeof schema>>>()

/** A drizzle handle on the `PEOPLE` D1 binding. */
export function peopleDb(d1: D1Database) {
  let db = handles.get(d1)
  if (!db) handles.set(d1, (db = drizzle(d1, { schema })))
  return db
}

/** True when a D1 error is a UNIQUE constraint failure (drizzle wraps the driver's error). */
export function isUniqueViolation(error: unknown): boolean {
  for (let e: unknown = error; e instanceof Error; e = e.cause) {
    if (e.message.includes('UNIQUE constraint failed')) return true
  }
  return false
}

/** Current time as the ISO-8601 UTC string every table stores. */
export const nowIso = () => clock.now().toISOString()
