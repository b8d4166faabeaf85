/**
 * The global people registry: which businesses hold a person, and consent. Matching lives in
 * identity.ts; a business's names, emails and phones for a client live on its card, never here.
 */
import { and, eq, inArray, sql } from 'drizzle-orm'
import type { PeopleDb } from '../db'
import { consents, orgPeople, personOrgs } from './schema'

/** Records that an organization holds a client record for this person (idempotent). */
export async function linkPersonToOrg(db: PeopleDb, personId: string, organizationId: string): Promise<void> {
  await db.batch([
    db.insert(personOrgs).values({ personId, organizationId }).onConflictDoNothing(),
    db.insert(orgPeople).values({ personId, organizationId }).onConflictDoNothing(),
  ])
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

/**
 * Links imported people to the organization in one batch. People without email or phone, whom only
 * the ORG object could match (by external id or name), are created first when they are new.
 */
export async function linkImportedPeople(db: PeopleDb, organizationId: string, personIds: string[],
  withoutContacts: Array<{ person_id: string; first_name: string | null; last_name: string | null }>): Promise<void> {
  const d1 = db.$client
  const statements: D1PreparedStatement[] = []
  if (withoutContacts.length > 0) {
    statements.push(d1.prepare(`insert into people (id, first_name, last_name)
      select value->>'person_id', value->>'first_name', value->>'last_name' from json_each(?) where true on conflict do nothing`)
      .bind(JSON.stringify(withoutContacts)))
  }
  if (personIds.length > 0) {
    const list = JSON.stringify(personIds)
    statements.push(
      d1.prepare(`insert into person_orgs (person_id, organization_id) select value, ?2 from json_each(?1) where true on conflict do nothing`).bind(list, organizationId),
      d1.prepare(`insert into org_people (organization_id, person_id) select ?2, value from json_each(?1) where true on conflict do nothing`).bind(list, organizationId),
    )
  }
  if (statements.length > 0) await d1.batch(statements)
}

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
