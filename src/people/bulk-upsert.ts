/**
 * Bulk upserts for imports: the same matching rules as upsertPerson (registry.ts), for up to a few
 * hundred people in a handful of D1 round trips. Lists travel as one JSON parameter (json_each), so
 * no statement comes near the 100 bound-parameter limit. Writes use D1 statements directly:
 * drizzle's batch cannot bind raw SQL. Callers reach these through registry.ts.
 */
import { asc, desc, sql, type SQL } from 'drizzle-orm'
import type { SQLiteColumn } from 'drizzle-orm/sqlite-core'
import { isUniqueViolation, nowIso, type PeopleDb } from '../db'
import type { PersonInput, PersonSnapshot, UpsertResult } from './registry'
import { people, personEmails, personPhones } from './schema'

type PlannedPerson = { id: string; first_name: string | null; last_name: string | null; emails: string[]; phones: string[] }
type Enrichment = { id: string; first_name: string | null; last_name: string | null; emails: string[]; phones: string[] }

/** What upsertPeople answers: one result per input, in order, and every person's snapshot by id. */
export type BulkUpsertResult = { results: UpsertResult[]; snapshots: Map<string, PersonSnapshot> }

/**
 * upsertPerson for many inputs at once (each with an email or a phone, already normalized).
 * Inputs are matched in order, so two rows of one file with the same email find one person.
 */
export async function upsertPeople(db: PeopleDb, inputs: PersonInput[]): Promise<BulkUpsertResult> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await upsertPeopleOnce(db, inputs)
    } catch (error) {
      // A concurrent upsert claimed one of our new emails or phones first: read again and re-plan.
      if (!isUniqueViolation(error) || attempt > 2) throw error
    }
  }
}

async function upsertPeopleOnce(db: PeopleDb, inputs: PersonInput[]): Promise<BulkUpsertResult> {
  if (inputs.length === 0) return { results: [], snapshots: new Map() }
  const emails = JSON.stringify([...new Set(inputs.flatMap((i) => (i.email ? [i.email] : [])))])
  const phones = JSON.stringify([...new Set(inputs.flatMap((i) => (i.phone ? [i.phone] : [])))])
  // Who owns each email and phone, and those owners' snapshots, in one round trip.
  const owners = sql`(select person_id from person_emails where email in (select value from json_each(${emails}))
    union select person_id from person_phones where phone_e164 in (select value from json_each(${phones})))`
  const [emailRows, phoneRows, ...snapshotRows] = await db.batch([
    db.select({ key: personEmails.email, id: personEmails.personId }).from(personEmails).where(sql`${personEmails.email} in (select value from json_each(${emails}))`),
    db.select({ key: personPhones.phoneE164, id: personPhones.personId }).from(personPhones).where(sql`${personPhones.phoneE164} in (select value from json_each(${phones}))`),
    ...snapshotQueries(db, (column) => sql`${column} in ${owners}`),
  ])
  const emailOwner = new Map(emailRows.map((r) => [r.key, r.id]))
  const phoneOwner = new Map(phoneRows.map((r) => [r.key, r.id]))
  const existing = assembleSnapshots(...snapshotRows)

  const planned = new Map<string, PlannedPerson>()
  const enriched = new Map<string, Enrichment>()
  const results: UpsertResult[] = []
  for (const input of inputs) {
    const found = (input.email ? emailOwner.get(input.email) : undefined) ?? (input.phone ? phoneOwner.get(input.phone) : undefined)
    if (!found) {
      const person: PlannedPerson = { id: crypto.randomUUID(), first_name: input.first_name ?? null, last_name: input.last_name ?? null, emails: [], phones: [] }
      claim(person, input, emailOwner, phoneOwner)
      planned.set(person.id, person)
      results.push({ person_id: person.id, is_new: true, changed: false })
      continue
    }
    const plannedPerson = planned.get(found)
    if (plannedPerson) {
      claim(plannedPerson, input, emailOwner, phoneOwner)
      plannedPerson.first_name ||= input.first_name ?? null
      plannedPerson.last_name ||= input.last_name ?? null
      results.push({ person_id: found, is_new: false, changed: false })
      continue
    }
    const current = existing.get(found)
    if (!current) throw new Error(`person ${found} vanished during a bulk upsert`)
    const change = enriched.get(found) ?? { id: found, first_name: null, last_name: null, emails: [], phones: [] }
    claim(change, input, emailOwner, phoneOwner)
    if (!current.first_name && input.first_name) change.first_name ||= input.first_name
    if (!current.last_name && input.last_name) change.last_name ||= input.last_name
    const changed = change.emails.length + change.phones.length > 0 || change.first_name !== null || change.last_name !== null
    if (changed) enriched.set(found, change)
    results.push({ person_id: found, is_new: false, changed })
  }

  await writePlan(db, [...planned.values()], [...enriched.values()], existing)
  const refreshed = enriched.size > 0 ? await getPersonSnapshots(db, [...enriched.keys()]) : new Map<string, PersonSnapshot>()
  const snapshots = new Map<string, PersonSnapshot>()
  for (const [id, snapshot] of existing) snapshots.set(id, refreshed.get(id) ?? snapshot)
  for (const p of planned.values()) {
    snapshots.set(p.id, {
      person_id: p.id, first_name: p.first_name, last_name: p.last_name, primary_email: p.emails[0] ?? null,
      primary_phone_e164: p.phones[0] ?? null, emails: p.emails, phones: p.phones, version: 1,
    })
  }
  return { results, snapshots }
}

/** Gives the person the input's email and phone when nobody (in the registry or this batch) has them yet. */
function claim(person: { id: string; emails: string[]; phones: string[] }, input: PersonInput, emailOwner: Map<string, string>, phoneOwner: Map<string, string>) {
  if (input.email && !emailOwner.has(input.email)) {
    emailOwner.set(input.email, person.id)
    person.emails.push(input.email)
  }
  if (input.phone && !phoneOwner.has(input.phone)) {
    phoneOwner.set(input.phone, person.id)
    person.phones.push(input.phone)
  }
}

/** Inserts the new people and adds the found people's new contact points and names, in one atomic batch. */
async function writePlan(db: PeopleDb, planned: PlannedPerson[], enriched: Enrichment[], existing: Map<string, PersonSnapshot>) {
  const d1 = db.$client
  const statements: D1PreparedStatement[] = []
  const contactRows = (kind: 'emails' | 'phones', primaryOf: (id: string, index: number) => boolean, people: Array<{ id: string; emails: string[]; phones: string[] }>) =>
    people.flatMap((p) => p[kind].map((value, i) => ({ id: crypto.randomUUID(), person_id: p.id, value, is_primary: primaryOf(p.id, i) ? 1 : 0 })))
  if (planned.length > 0) {
    const rows = planned.map((p) => ({ id: p.id, first_name: p.first_name, last_name: p.last_name, email: p.emails[0] ?? null, phone: p.phones[0] ?? null }))
    const firstIsPrimary = (_id: string, i: number) => i === 0
    statements.push(
      d1.prepare(`insert into people (id, first_name, last_name, primary_email, primary_phone_e164)
        select value->>'id', value->>'first_name', value->>'last_name', value->>'email', value->>'phone' from json_each(?)`).bind(JSON.stringify(rows)),
      d1.prepare('insert into consents (person_id) select value from json_each(?)').bind(JSON.stringify(planned.map((p) => p.id))),
      insertContacts(d1, 'person_emails', 'email', contactRows('emails', firstIsPrimary, planned), false),
      insertContacts(d1, 'person_phones', 'phone_e164', contactRows('phones', firstIsPrimary, planned), false),
    )
  }
  if (enriched.length > 0) {
    // A found person's first new email (or phone) becomes primary only when they had none.
    const primaryWhenNone = (kind: 'primary_email' | 'primary_phone_e164') => (id: string, i: number) => i === 0 && existing.get(id)?.[kind] === null
    const list = JSON.stringify(enriched)
    statements.push(
      insertContacts(d1, 'person_emails', 'email', contactRows('emails', primaryWhenNone('primary_email'), enriched), true),
      insertContacts(d1, 'person_phones', 'phone_e164', contactRows('phones', primaryWhenNone('primary_phone_e164'), enriched), true),
      d1.prepare(`update people set
          first_name = coalesce(nullif(first_name, ''), (select j.value->>'first_name' from json_each(?1) j where j.value->>'id' = people.id), first_name),
          last_name = coalesce(nullif(last_name, ''), (select j.value->>'last_name' from json_each(?1) j where j.value->>'id' = people.id), last_name),
          primary_email = (select email from person_emails where person_id = people.id and is_primary = 1 limit 1),
          primary_phone_e164 = (select phone_e164 from person_phones where person_id = people.id and is_primary = 1 limit 1),
          version = version + 1, updated_at = ?2
        where id in (select value->>'id' from json_each(?1))`).bind(list, nowIso()),
    )
  }
  if (statements.length > 0) await d1.batch(statements)
}

/** Inserts email or phone rows; a found person's extra contact point that someone claimed meanwhile is skipped. */
function insertContacts(d1: D1Database, table: 'person_emails' | 'person_phones', column: 'email' | 'phone_e164',
  rows: Array<{ id: string; person_id: string; value: string; is_primary: number }>, skipTaken: boolean): D1PreparedStatement {
  return d1.prepare(`insert into ${table} (id, person_id, ${column}, is_primary)
    select value->>'id', value->>'person_id', value->>'value', value->>'is_primary' from json_each(?) where true
    ${skipTaken ? 'on conflict do nothing' : ''}`).bind(JSON.stringify(rows))
}

/** `column in (the JSON list)`: one bound parameter whatever the list's length. */
function inJson(column: SQLiteColumn, values: string[]) {
  return sql`${column} in (select value from json_each(${JSON.stringify(values)}))`
}

/** Snapshots of many people (primary email and phone first), read in one D1 batch. */
export async function getPersonSnapshots(db: PeopleDb, ids: string[]): Promise<Map<string, PersonSnapshot>> {
  if (ids.length === 0) return new Map()
  return assembleSnapshots(...await db.batch(snapshotQueries(db, (column) => inJson(column, ids))))
}

/** The three reads a set of snapshots needs, for the people whose id `where` accepts. */
function snapshotQueries(db: PeopleDb, where: (personIdColumn: SQLiteColumn) => SQL) {
  return [
    db.select().from(people).where(where(people.id)),
    db.select({ id: personEmails.personId, value: personEmails.email }).from(personEmails).where(where(personEmails.personId))
      .orderBy(desc(personEmails.isPrimary), asc(personEmails.createdAt)),
    db.select({ id: personPhones.personId, value: personPhones.phoneE164 }).from(personPhones).where(where(personPhones.personId))
      .orderBy(desc(personPhones.isPrimary), asc(personPhones.createdAt)),
  ] as const
}

function assembleSnapshots(rows: Array<typeof people.$inferSelect>, emails: Array<{ id: string; value: string }>, phones: Array<{ id: string; value: string }>) {
  const snapshots = new Map<string, PersonSnapshot>()
  for (const p of rows) {
    snapshots.set(p.id, {
      person_id: p.id, first_name: p.firstName, last_name: p.lastName, primary_email: p.primaryEmail,
      primary_phone_e164: p.primaryPhoneE164, emails: [], phones: [], version: p.version,
    })
  }
  for (const e of emails) snapshots.get(e.id)?.emails.push(e.value)
  for (const ph of phones) snapshots.get(ph.id)?.phones.push(ph.value)
  return snapshots
}

/**
 * Links imported people to the organization in one batch. People without email or phone, whom only
 * the ORG object could match (by external id or name), are created first when they are new.
 */
export async function linkImportedPeople(db: PeopleDb, organizationId: string, personIds: string[],
  withoutContacts: Array<{ person_id: string; first_name: string | null; last_name: string | null }>): Promise<void> {
  const d1 = db.$client
  const statements: D1PreparedStatement[] = []
  if (withoutContacts.length > 0) {
    const list = JSON.stringify(withoutContacts)
    statements.push(
      d1.prepare(`insert into people (id, first_name, last_name)
        select value->>'person_id', value->>'first_name', value->>'last_name' from json_each(?) where true on conflict do nothing`).bind(list),
      d1.prepare(`insert into consents (person_id) select value->>'person_id' from json_each(?) where true on conflict do nothing`).bind(list),
    )
  }
  if (personIds.length > 0) {
    statements.push(d1.prepare(`insert into person_orgs (person_id, organization_id)
      select value, ?2 from json_each(?1) where true on conflict do nothing`).bind(JSON.stringify(personIds), organizationId))
  }
  if (statements.length > 0) await d1.batch(statements)
}
