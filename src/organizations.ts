/** Organizations (businesses) in the registry, and how to reach each one's ORG object. */
import { eq } from 'drizzle-orm'
import type { Env } from './env'
import type { PeopleDb } from './db'
import { organizations } from './people/schema'

export type Organization = { id: string; name: string; country: string; timezone: string }

/** An organization's public fields, or null. */
export async function getOrganization(db: PeopleDb, id: string): Promise<Organization | null> {
  const row = await db.select({ id: organizations.id, name: organizations.name, country: organizations.country, timezone: organizations.timezone })
    .from(organizations).where(eq(organizations.id, id)).get()
  return row ?? null
}

/** The stub of the organization's Durable Object (one per organization, named by its id). */
export function orgStub(env: Env, organizationId: string) {
  return env.ORG.get(env.ORG.idFromName(organizationId))
}

/** True when `tz` is an IANA time zone this runtime knows. */
export function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz })
    return true
  } catch {
    return false
  }
}
