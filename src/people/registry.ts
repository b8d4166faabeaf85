/**
 * The global people registry: one record per human, found by normalized email or phone.
 * Callers pass contact points already normalized (see normalize.ts).
 */
import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm'
import type { BatchItem } from 'drizzle-orm/batch'
import { conflict } from '../errors'
import { isUniqueViolation, nowIso, type PeopleDb } from '../db'
import { consents, people, personEmails, personOrgs, personPhones } from './schema'

/** The shared contact fields of a person, as organizations cache them. */
export type PersonSnapshot = {
  person_id: string
  first_name: string | null
  last_name: string | null
  primary_email: string | null
  primary_phone_e164: string | null
  emails: string[]
  phones: string[]
  version: number
}

export type PersonInput = {
  email?: string | null
  phone?: string | null
  first_name?: string | null
  last_name?: string | null
}

export type UpsertResult = { person_id: string; is_new: boolean; changed: boolean }

/**
 * Finds the person with this email or phone, or creates one.
 * When the email matches one person and the phone another, the email wins and the phone stays
 * where it is. A found person gains contact points that belong to nobody yet and names it lacks.
 */
export async function upsertPerson(db: PeopleDb, input: PersonInput): Promise<UpsertResult> {
  for (let attempt = 0; ; attempt++) {
    const existing = await findPersonId(db, input)
    if (existing) return { person_id: existing, is_new: false, changed: await enrichPerson(db, existing, input) }
    try {
      return { person_id: await insertPerson(db, input), is_new: true, changed: false }
    } catch (error) {
      // A concurrent upsert created the same email or phone first: its batch won, ours rolled back.
      if (!isUniqueViolation(error) || attempt > 2) throw error
    }
  }
}

async function findPersonId(db: PeopleDb, input: PersonInput): Promise<string | null> {
  if (input.email) {
    const row = await db.select({ id: personEmails.personId }).from(personEmails).where(eq(personEmails.email, input.email)).get()
    if (row) return row.id
  }
  if (input.phone) {
    const row = await db.select({ id: personPhones.personId }).from(personPhones).where(eq(personPhones.phoneE164, input.phone)).get()
    if (row) return row.id
  }
  return null
}

async function insertPerson(db: PeopleDb, input: PersonInput): Promise<string> {
  const id = crypto.randomUUID()
  const createdAt = nowIso()
  const person = db.insert(people).values({
    id,
    firstName: input.first_name ?? null,
    lastName: input.last_name ?? null,
    primaryEmail: input.email ?? null,
    primaryPhoneE164: input.phone ?? null,
    createdAt,
    updatedAt: createdAt,
  })
  const consent = db.insert(consents).values({ personId: id, organizationId: '', updatedAt: createdAt })
  const email = input.email
    ? [db.insert(personEmails).values({ id: crypto.randomUUID(), personId: id, email: input.email, isPrimary: true })]
    : []
  const phone = input.phone
    ? [db.insert(personPhones).values({ id: crypto.randomUUID(), personId: id, phoneE164: input.phone, isPrimary: true })]
    : []
  await db.batch([person, ...email, ...phone, consent])
  return id
}

/** Adds what a found person lacks (unclaimed contact points, missing names); true when anything changed. */
async function enrichPerson(db: PeopleDb, personId: string, input: PersonInput): Promise<boolean> {
  const current = await getPersonSnapshot(db, personId)
  if (!current) return false
  const statements: BatchItem<'sqlite'>[] = []
  if (input.email && !current.emails.includes(input.email)) {
    statements.push(db.insert(personEmails)
      .values({ id: crypto.randomUUID(), personId, email: input.email, isPrimary: current.primary_email === null })
      .onConflictDoNothing())
  }
  if (input.phone && !current.phones.includes(input.phone)) {
    statements.push(db.insert(personPhones)
      .values({ id: crypto.randomUUID(), personId, phoneE164: input.phone, isPrimary: current.primary_phone_e164 === null })
      .onConflictDoNothing())
  }
  const fillFirst = !current.first_name && input.first_name
  const fillLast = !current.last_name && input.last_name
  if (statements.length === 0 && !fillFirst && !fillLast) return false
  await runBatch(db, [...statements, refreshPersonRow(db, personId, {
    first_name: fillFirst ? input.first_name : undefined,
    last_name: fillLast ? input.last_name : undefined,
  })])
  return true
}

/** Recomputes the person's primaries from its email/phone rows, applies names, and bumps the version. */
function refreshPersonRow(db: PeopleDb, personId: string, names: { first_name?: string | null; last_name?: string | null }) {
  return db.update(people).set({
    ...(names.first_name !== undefined ? { firstName: names.first_name } : {}),
    ...(names.last_name !== undefined ? { lastName: names.last_name } : {}),
    primaryEmail: sql`(select email from person_emails where person_id = ${personId} and is_primary = 1 limit 1)`,
    primaryPhoneE164: sql`(select phone_e164 from person_phones where person_id = ${personId} and is_primary = 1 limit 1)`,
    version: sql`${people.version} + 1`,
    updatedAt: nowIso(),
  }).where(eq(people.id, personId))
}

export type ContactUpdate = { first_name?: string; last_name?: string; email?: string; phone?: string }

/**
 * Changes a person's shared contact fields: a new email or phone becomes primary and the old one
 * stays as secondary. Returns the new snapshot; 409 when the email or phone belongs to someone else.
 */
export async function updateContact(db: PeopleDb, personId: string, update: ContactUpdate): Promise<PersonSnapshot | null> {
  if (update.email) await assertOwnedByOrFree(db, 'email', update.email, personId)
  if (update.phone) await assertOwnedByOrFree(db, 'phone', update.phone, personId)
  const statements: BatchItem<'sqlite'>[] = []
  if (update.email) {
    statements.push(
      db.update(personEmails).set({ isPrimary: false }).where(eq(personEmails.personId, personId)),
      db.insert(personEmails).values({ id: crypto.randomUUID(), personId, email: update.email, isPrimary: true })
        .onConflictDoUpdate({ target: personEmails.email, set: { isPrimary: true }, setWhere: eq(personEmails.personId, personId) }),
    )
  }
  if (update.phone) {
    statements.push(
      db.update(personPhones).set({ isPrimary: false }).where(eq(personPhones.personId, personId)),
      db.insert(personPhones).values({ id: crypto.randomUUID(), personId, phoneE164: update.phone, isPrimary: true })
        .onConflictDoUpdate({ target: personPhones.phoneE164, set: { isPrimary: true }, setWhere: eq(personPhones.personId, personId) }),
    )
  }
  const exists = await db.select({ id: people.id }).from(people).where(eq(people.id, personId)).get()
  if (!exists) return null
  try {
    await runBatch(db, [...statements, refreshPersonRow(db, personId, update)])
  } catch (error) {
    if (isUniqueViolation(error)) throw conflict('That email or phone belongs to another person.')
    throw error
  }
  return getPersonSnapshot(db, personId)
}

/** Runs statements as one atomic D1 batch. */
async function runBatch(db: PeopleDb, statements: BatchItem<'sqlite'>[]) {
  const [first, ...rest] = statements
  if (first) await db.batch([first, ...rest])
}

async function assertOwnedByOrFree(db: PeopleDb, kind: 'email' | 'phone', value: string, personId: string) {
  const owner = kind === 'email'
    ? await db.select({ id: personEmails.personId }).from(personEmails).where(eq(personEmails.email, value)).get()
    : await db.select({ id: personPhones.personId }).from(personPhones).where(eq(personPhones.phoneE164, value)).get()
  if (owner && owner.id !== personId) throw conflict(`That ${kind} belongs to another person.`)
}

/** The person's shared fields with every email and phone, primary first; read in one transaction. */
export async function getPersonSnapshot(db: PeopleDb, personId: string): Promise<PersonSnapshot | null> {
  const [rows, emails, phones] = await db.batch([
    db.select().from(people).where(eq(people.id, personId)),
    db.select({ email: personEmails.email }).from(personEmails).where(eq(personEmails.personId, personId))
      .orderBy(desc(personEmails.isPrimary), asc(personEmails.createdAt)),
    db.select({ phone: personPhones.phoneE164 }).from(personPhones).where(eq(personPhones.personId, personId))
      .orderBy(desc(personPhones.isPrimary), asc(personPhones.createdAt)),
  ])
  const person = rows[0]
  if (!person) return null
  return {
    person_id: person.id,
    first_name: person.firstName,
    last_name: person.lastName,
    primary_email: person.primaryEmail,
    primary_phone_e164: person.primaryPhoneE164,
    emails: emails.map((e) => e.email),
    phones: phones.map((p) => p.phone),
    version: person.version,
  }
}

/** Records that an organization holds a client record for this person (idempotent). */
export async function linkPersonToOrg(db: PeopleDb, personId: string, organizationId: string): Promise<void> {
  await db.insert(personOrgs).values({ personId, organizationId }).onConflictDoNothing()
}

/** True when the organization holds a client record for the person: the registry's visibility rule. */
export async function isClientOf(db: PeopleDb, personId: string, organizationId: string): Promise<boolean> {
  const row = await db.select({ id: personOrgs.personId }).from(personOrgs)
    .where(and(eq(personOrgs.personId, personId), eq(personOrgs.organizationId, organizationId))).get()
  return row !== undefined
}

/** The organizations that hold a client record for the person. */
export async function organizationsOf(db: PeopleDb, personId: string): Promise<string[]> {
  const rows = await db.select({ id: personOrgs.organizationId }).from(personOrgs).where(eq(personOrgs.personId, personId))
  return rows.map((r) => r.id)
}

/**
 * What a person accepts from one organization. `marketing_email_opt_in` is only about offers and
 * news by email (an unsubscribe link turns it off); `email_opt_in` off stops every email.
 */
export type Consent = { email_opt_in: boolean; sms_opt_in: boolean; marketing_email_opt_in: boolean }

/** A person's consent as one organization sees it: its own row when it has one, else the global one. */
export async function consentFor(db: PeopleDb, personId: string, organizationId: string): Promise<Consent> {
  return (await consentsFor(db, [personId], organizationId))[personId]!
}

// Bulk upserts for imports, with the same matching rules, live in bulk-upsert.ts (kept apart for size).
export { getPersonSnapshots, linkImportedPeople, upsertPeople, type BulkUpsertResult } from './bulk-upsert'

/** Consent of many people as one organization sees it, read in chunks that respect D1's parameter limit. */
export async function consentsFor(db: PeopleDb, personIds: string[], organizationId: string): Promise<Record<string, Consent>> {
  const out: Record<string, Consent> = {}
  for (let i = 0; i < personIds.length; i += 90) {
    const chunk = personIds.slice(i, i + 90)
    const rows = await db.select().from(consents)
      .where(and(inArray(consents.personId, chunk), inArray(consents.organizationId, ['', organizationId]))).all()
    for (const id of chunk) {
      const own = rows.find((r) => r.personId === id && r.organizationId === organizationId) ?? rows.find((r) => r.personId === id && r.organizationId === '')
      out[id] = { email_opt_in: own?.emailOptIn ?? true, sms_opt_in: own?.smsOptIn ?? true, marketing_email_opt_in: own?.marketingEmailOptIn ?? true }
    }
  }
  return out
}

/**
 * Records one organization's consent choice for a person, with the reason. A channel the change
 * names as on counts as chosen (its opted-in time is kept from the first choice); one named as
 * off forgets it; a channel the change does not name keeps what it had.
 */
export async function setConsent(db: PeopleDb, personId: string, organizationId: string, change: Partial<Consent>, reason: string): Promise<Consent> {
  const current = await consentFor(db, personId, organizationId)
  const own = await db.select({ email: consents.emailOptedInAt, sms: consents.smsOptedInAt }).from(consents)
    .where(and(eq(consents.personId, personId), eq(consents.organizationId, organizationId))).get()
  const next = { ...current, ...change }
  const at = new Date().toISOString()
  const chosen = (named: boolean | undefined, had: string | null | undefined) => (named === undefined ? had ?? null : named ? had ?? at : null)
  const row = {
    emailOptIn: next.email_opt_in, smsOptIn: next.sms_opt_in, marketingEmailOptIn: next.marketing_email_opt_in, reason, updatedAt: at,
    emailOptedInAt: chosen(change.email_opt_in, own?.email), smsOptedInAt: chosen(change.sms_opt_in, own?.sms),
  }
  await db.insert(consents).values({ personId, organizationId, ...row })
    .onConflictDoUpdate({ target: [consents.personId, consents.organizationId], set: row }).run()
  return next
}

/** A consent record someone wrote, with which channels the person chose themselves (not on only by default). */
export type RecordedConsent = Consent & { chosen: { email: boolean; sms: boolean } }

/**
 * The consent of one organization's clients wherever it differs from the implicit default (opted
 * in, no reason): the organization's own rows, else global rows that are opted out or carry a
 * reason. One query, so a segment of any size needs no per-person reads. A person not listed is
 * opted in to both channels by default, not by choice.
 */
export async function recordedConsents(db: PeopleDb, organizationId: string): Promise<Record<string, RecordedConsent>> {
  const rows = await db.all<{ person_id: string; organization_id: string; email_opt_in: number; sms_opt_in: number; marketing_email_opt_in: number; reason: string | null; email_opted_in_at: string | null; sms_opted_in_at: string | null }>(sql`
    select c.person_id, c.organization_id, c.email_opt_in, c.sms_opt_in, c.marketing_email_opt_in, c.reason, c.email_opted_in_at, c.sms_opted_in_at from consents c
    join person_orgs po on po.person_id = c.person_id and po.organization_id = ${organizationId}
    where c.organization_id = ${organizationId}
       or (c.organization_id = '' and (c.reason is not null or c.email_opt_in = 0 or c.sms_opt_in = 0 or c.marketing_email_opt_in = 0))`)
  const out: Record<string, RecordedConsent> = {}
  for (const r of rows) {
    // The organization's own row wins over the global one, as in consentsFor.
    if (r.organization_id === '' && out[r.person_id]) continue
    out[r.person_id] = {
      email_opt_in: r.email_opt_in === 1, sms_opt_in: r.sms_opt_in === 1, marketing_email_opt_in: r.marketing_email_opt_in === 1,
      chosen: { email: r.email_opt_in === 1 && r.marketing_email_opt_in === 1 && r.email_opted_in_at !== null, sms: r.sms_opt_in === 1 && r.sms_opted_in_at !== null },
    }
  }
  return out
}
