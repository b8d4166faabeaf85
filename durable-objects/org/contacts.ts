/** The organization's cached copy of its clients' shared contact fields, kept fresh by version. */
import { eq } from 'drizzle-orm'
import type { PersonSnapshot } from '../../src/people/registry'
import type { OrgDb } from './db'
import { contacts } from './schema'
import { reindexPerson } from './search'

/**
 * Stores a person's snapshot unless the cached copy is already as new or newer.
 * Returns true when the snapshot was applied; an out-of-order older update is ignored.
 */
export function applySnapshot(db: OrgDb, snapshot: PersonSnapshot): boolean {
  const current = db.select({ version: contacts.version }).from(contacts).where(eq(contacts.personId, snapshot.person_id)).get()
  if (current && current.version >= snapshot.version) return false
  const fields = {
    firstName: snapshot.first_name,
    lastName: snapshot.last_name,
    primaryEmail: snapshot.primary_email,
    primaryPhoneE164: snapshot.primary_phone_e164,
    emails: snapshot.emails,
    phones: snapshot.phones,
    version: snapshot.version,
    updatedAt: new Date().toISOString(),
  }
  db.insert(contacts).values({ personId: snapshot.person_id, ...fields })
    .onConflictDoUpdate({ target: contacts.personId, set: fields }).run()
  reindexPerson(db, snapshot.person_id)
  return true
}
