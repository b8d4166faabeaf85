/**
 * Client cards: a client's name, emails and phones as this business knows them, each value with
 * where it came from. Only this business writes its cards; nothing from another business arrives
 * here except a homeowner's own change that the homeowner sent to this business. Contact changes
 * and their reverts are in contact-changes.ts.
 */
import { and, eq, isNull, sql } from 'drizzle-orm'
import { clientIdForPerson } from '../crm/clients'
import type { OrgDb } from '../db'
import { contacts, orgClients, type CardSource, type Provenance } from '../schema'
import { reindexPerson } from '../crm/search'

/** Who writes a card value: the source and a name for it (a staff email, "api key", an import id, a connection). */
export type Author = { source: CardSource; by: string | null }

/** What a caller tells the business about a person: its own words, never another business's. */
export type CardInput = {
  person_id: string
  first_name: string | null
  last_name: string | null
  emails: string[]
  phones: string[]
  author: Author
}

export type Card = {
  person_id: string
  first_name: string | null
  last_name: string | null
  primary_email: string | null
  primary_phone_e164: string | null
  emails: string[]
  phones: string[]
  version: number
  provenance: Record<string, Provenance>
}

/** The card of a person, or null when this business has none. */
export function getCard(db: OrgDb, personId: string): Card | null {
  const row = db.select().from(contacts).where(eq(contacts.personId, personId)).get()
  if (!row) return null
  return {
    person_id: row.personId,
    first_name: row.firstName,
    last_name: row.lastName,
    primary_email: row.primaryEmail,
    primary_phone_e164: row.primaryPhoneE164,
    emails: row.emails,
    phones: row.phones,
    version: row.version,
    provenance: row.provenance,
  }
}

/**
 * Writes what a caller said about a person: a new card, or on an existing card the names it lacked
 * and the emails and phones it did not have (as secondary). Never replaces a value the card holds.
 * Returns true when the card changed.
 */
export function mergeIntoCard(db: OrgDb, input: CardInput, at = new Date().toISOString(), index = true): boolean {
  const current = getCard(db, input.person_id)
  const stamp: Provenance = { ...input.author, at }
  const next = current ?? {
    person_id: input.person_id,
    first_name: null,
    last_name: null,
    primary_email: null,
    primary_phone_e164: null,
    emails: [],
    phones: [],
    version: 0,
    provenance: {},
  }
  let changed = current === null
  const provenance = { ...next.provenance }
  const fill = (key: 'first_name' | 'last_name') => {
    if (next[key] || !input[key]) return next[key]
    changed = true
    provenance[key] = stamp
    return input[key]
  }
  const add = (kind: 'email' | 'phone', list: string[], extra: string[]) => {
    const out = [...list]
    for (const value of extra) {
      if (out.includes(value)) continue
      out.push(value)
      provenance[`${kind}:${value}`] = stamp
      changed = true
    }
    return out
  }
  const first_name = fill('first_name')
  const last_name = fill('last_name')
  const emails = add('email', next.emails, input.emails)
  const phones = add('phone', next.phones, input.phones)
  if (!changed) return false
  saveCard(
    db,
    {
      ...next,
      first_name,
      last_name,
      emails,
      phones,
      primary_email: emails[0] ?? null,
      primary_phone_e164: phones[0] ?? null,
      provenance,
    },
    at,
    index,
  )
  return true
}

/** A change of a card's contact fields: a new email or phone becomes primary, the old one stays as secondary. */
export type ContactChange = { first_name?: string; last_name?: string; email?: string; phone?: string }

export type FieldChange = {
  field: 'first_name' | 'last_name' | 'email' | 'phone'
  from: string | null
  to: string
  added: boolean
}

/** Every email and phone on a card: what a homeowner's proven points are matched against. */
export function pointsOf(card: { emails: string[]; phones: string[] } | null | undefined): string[] {
  return card ? [...card.emails, ...card.phones] : []
}

/** Writes a whole card, bumps its version and re-indexes its client for search. */
export function saveCard(db: OrgDb, card: Card, at: string, index = true): void {
  const fields = {
    firstName: card.first_name,
    lastName: card.last_name,
    primaryEmail: card.primary_email,
    primaryPhoneE164: card.primary_phone_e164,
    emails: card.emails,
    phones: card.phones,
    provenance: card.provenance,
    version: card.version + 1,
    updatedAt: at,
  }
  db.insert(contacts)
    .values({ personId: card.person_id, ...fields })
    .onConflictDoUpdate({ target: contacts.personId, set: fields })
    .run()
  if (index) reindexPerson(db, card.person_id)
}

/** The client a reference names (its id, or the person it holds), merged cards followed; null when unknown here. */
export function findClient(
  db: OrgDb,
  ref: { org_client_id?: string; person_id?: string },
): { org_client_id: string; person_id: string } | null {
  const id = ref.org_client_id ?? (ref.person_id ? clientIdForPerson(db, ref.person_id) : null)
  if (!id) return null
  const row = db
    .select({ person_id: orgClients.personId })
    .from(orgClients)
    .where(and(eq(orgClients.id, id), isNull(orgClients.mergedInto)))
    .get()
  return row ? { org_client_id: id, person_id: row.person_id } : null
}

/** Consent targets of these people's cards: the phone and email this business texts and mails. */
export function consentTargets(
  db: OrgDb,
  personIds: string[],
): Array<{ person_id: string; phone: string | null; email: string | null }> {
  if (personIds.length === 0) return []
  return db.all<{ person_id: string; phone: string | null; email: string | null }>(sql`
    select person_id, primary_phone_e164 as phone, primary_email as email from contacts
    where person_id in (select value from json_each(${JSON.stringify(personIds)}))`)
}

/** Consent targets of every live client's card, for segments. */
export function allConsentTargets(db: OrgDb): Array<{ person_id: string; phone: string | null; email: string | null }> {
  return db.all<{ person_id: string; phone: string | null; email: string | null }>(sql`
    select k.person_id, k.primary_phone_e164 as phone, k.primary_email as email
    from org_clients c join contacts k on k.person_id = c.person_id where c.merged_into is null`)
}
