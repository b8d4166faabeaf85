/**
 * The global people registry: which businesses hold a person. Matching lives in
 * identity.ts; a business's names, emails and phones for a client live on its card, never here.
 */
import { and, eq } from 'drizzle-orm'
import type { PeopleDb } from '../db'
import { jsonChunks } from './identity-writes'
import { orgPeople, personOrgs } from './schema'

/** Records that an organization holds a client record for this person (idempotent). */
export async function linkPersonToOrg(db: PeopleDb, personId: string, organizationId: string): Promise<void> {
  await db.batch([
    db.insert(personOrgs).values({ personId, organizationId }).onConflictDoNothing(),
    db.insert(orgPeople).values({ personId, organizationId }).onConflictDoNothing(),
  ])
}

/** True when the organization holds a client record for the person: the registry's visibility rule. */
export async function isClientOf(db: PeopleDb, personId: string, organizationId: string): Promise<boolean> {
  const row = await db
    .select({ id: personOrgs.personId })
    .from(personOrgs)
    .where(and(eq(personOrgs.personId, personId), eq(personOrgs.organizationId, organizationId)))
    .get()
  return row !== undefined
}

/** The organizations that hold a client record for the person. */
export async function organizationsOf(db: PeopleDb, personId: string): Promise<string[]> {
  const rows = await db
    .select({ id: personOrgs.organizationId })
    .from(personOrgs)
    .where(eq(personOrgs.personId, personId))
  return rows.map((r) => r.id)
}

/**
 * Links imported people to the organization in one batch. People without email or phone, whom only
 * the ORG object could match (by external id or name), are created first when they are new. Each
 * list is bound as JSON, split only where it passes PARAM_BYTES.
 */
export async function linkImportedPeople(
  db: PeopleDb,
  organizationId: string,
  personIds: string[],
  withoutContacts: Array<{ person_id: string; first_name: string | null; last_name: string | null }>,
): Promise<void> {
  const d1 = db.$client
  const statements: D1PreparedStatement[] = []
  for (const list of jsonChunks(withoutContacts.map((p) => [p.person_id, p.first_name, p.last_name]))) {
    statements.push(
      d1
        .prepare(`insert into people (id, first_name, last_name)
      select value->>0, value->>1, value->>2 from json_each(?) where true on conflict do nothing`)
        .bind(list),
    )
  }
  for (const list of jsonChunks(personIds)) {
    statements.push(
      d1
        .prepare(
          `insert into person_orgs (person_id, organization_id) select value, ?2 from json_each(?1) where true on conflict do nothing`,
        )
        .bind(list, organizationId),
      d1
        .prepare(
          `insert into org_people (organization_id, person_id) select ?2, value from json_each(?1) where true on conflict do nothing`,
        )
        .bind(list, organizationId),
    )
  }
  if (statements.length > 0) await d1.batch(statements)
}
