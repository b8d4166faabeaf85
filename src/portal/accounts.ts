/**
 * Homeowner accounts (seed 000's onboarding hook). An account holds the contact points it proved
 * by one-time code (`account_points`): those, and nothing the registry merely links, decide which
 * businesses it may see. A proven point is also marked proven on the registry's people holding it.
 */
import { and, asc, eq, isNotNull, isNull } from 'drizzle-orm'
import { isUniqueViolation, nowIso, type PeopleDb } from '../db'
import { accountPoints, accounts, personEmails, personPhones, userPersonLinks } from '../people/schema'

/** The account email of a homeowner who proved a phone: `.invalid` never receives mail. */
export const phoneAccountEmail = (e164: string) => `${e164}@phone.homebase.invalid`

/**
 * The account for a verified contact point: the one with that email (a staff member who is also a
 * homeowner keeps one account; the homeowner session is separate), else a new homeowner account
 * without a password. Never an account that merely proved the same point too: a household's
 * shared phone must not open what one member proved with their own email.
 */
export async function accountForContact(db: PeopleDb, channel: 'sms' | 'email', destination: string): Promise<string> {
  const email = channel === 'email' ? destination : phoneAccountEmail(destination)
  const found = async () =>
    (await db.select({ id: accounts.id }).from(accounts).where(eq(accounts.email, email)).get())?.id
  const existing = await found()
  if (existing) return existing
  const id = crypto.randomUUID()
  try {
    await db.insert(accounts).values({ id, email, passwordHash: '!', kind: 'homeowner' }).run()
    return id
  } catch (error) {
    // Two first verifications at once: the other created it.
    if (!isUniqueViolation(error)) throw error
    return (await found())!
  }
}

/**
 * Links the account to the person(s) the verified contact point belongs to, and to the person the
 * code was sent for; returns the people linked. The links only say whom to look for: what the
 * account sees is decided by its proven points on each business's card.
 */
export async function linkVerifiedContact(
  db: PeopleDb,
  accountId: string,
  channel: 'sms' | 'email',
  destination: string,
  personId: string,
): Promise<string[]> {
  const owners =
    channel === 'email'
      ? await db
          .select({ id: personEmails.personId })
          .from(personEmails)
          .where(eq(personEmails.email, destination))
          .all()
      : await db
          .select({ id: personPhones.personId })
          .from(personPhones)
          .where(eq(personPhones.phoneE164, destination))
          .all()
  const people = [...new Set([personId, ...owners.map((o) => o.id)])]
  for (const id of people) {
    await db
      .insert(userPersonLinks)
      .values({ accountId, personId: id, verifiedWith: destination })
      .onConflictDoUpdate({
        target: [userPersonLinks.accountId, userPersonLinks.personId],
        set: { verifiedWith: destination },
      })
      .run()
  }
  return people
}

/**
 * Records a point the account proved just now: in `account_points`, and as proven
 * (`verified_at`) on every person the registry has holding it.
 */
export async function recordProvenPoint(
  db: PeopleDb,
  accountId: string,
  channel: 'sms' | 'email',
  point: string,
  at = nowIso(),
): Promise<void> {
  const holders =
    channel === 'email'
      ? db
          .update(personEmails)
          .set({ verifiedAt: at })
          .where(and(eq(personEmails.email, point), isNull(personEmails.verifiedAt)))
      : db
          .update(personPhones)
          .set({ verifiedAt: at })
          .where(and(eq(personPhones.phoneE164, point), isNull(personPhones.verifiedAt)))
  await db.batch([
    db
      .insert(accountPoints)
      .values({ accountId, point, verifiedAt: at })
      .onConflictDoUpdate({ target: [accountPoints.accountId, accountPoints.point], set: { verifiedAt: at } }),
    holders,
  ])
}

/**
 * Gives a person in the registry a point the homeowner proved and sent to their providers, marked
 * proven. An email someone else holds stays theirs (emails are unique to a person); a phone may be
 * shared. Unlike a business's assertion, no organization is recorded as its source.
 */
export async function addHomeownerPoint(
  db: PeopleDb,
  personId: string,
  channel: 'sms' | 'email',
  point: string,
  at = nowIso(),
): Promise<void> {
  const d1 = db.$client
  const statement =
    channel === 'email'
      ? d1.prepare(`insert into person_emails (id, person_id, email, is_primary, verified_at, created_at) values (?1, ?2, ?3, 0, ?4, ?4)
        on conflict (email) do update set verified_at = coalesce(person_emails.verified_at, excluded.verified_at) where person_emails.person_id = excluded.person_id`)
      : d1.prepare(`insert into person_phones (id, person_id, phone_e164, is_primary, verified_at, created_at) values (?1, ?2, ?3, 0, ?4, ?4)
        on conflict (phone_e164, person_id) do update set verified_at = coalesce(person_phones.verified_at, excluded.verified_at)`)
  await statement.bind(crypto.randomUUID(), personId, point, at).run()
}

/** The contact points the account proved (E.164 phones and lower-cased emails). */
export async function provenPoints(db: PeopleDb, accountId: string): Promise<string[]> {
  const rows = await db
    .select({ point: accountPoints.point })
    .from(accountPoints)
    .where(eq(accountPoints.accountId, accountId))
    .all()
  return rows.map((r) => r.point)
}

/**
 * The people an account may be, oldest link first: those it proved to be by one-time code and
 * those the registry has holding a point it proved. Only candidates: each business still checks
 * its own card for a proven point.
 */
export async function candidatePeople(db: PeopleDb, accountId: string): Promise<string[]> {
  const rows = await db.$client
    .prepare(`
    select person_id, min(at) as at from (
      select person_id, created_at as at from user_person_links where account_id = ?1 and verified_with is not null
      union all select e.person_id, e.created_at from person_emails e join account_points a on a.point = e.email where a.account_id = ?1
      union all select p.person_id, p.created_at from person_phones p join account_points a on a.point = p.phone_e164 where a.account_id = ?1
    ) group by person_id order by at, person_id limit 50`)
    .bind(accountId)
    .all<{ person_id: string }>()
  return rows.results.map((r) => r.person_id)
}

/** The person an account's codes for new points are filed under: the first it proved to be; null for none. */
export async function accountPerson(db: PeopleDb, accountId: string): Promise<string | null> {
  const row = await db
    .select({ id: userPersonLinks.personId })
    .from(userPersonLinks)
    .where(and(eq(userPersonLinks.accountId, accountId), isNotNull(userPersonLinks.verifiedWith)))
    .orderBy(asc(userPersonLinks.createdAt), asc(userPersonLinks.personId))
    .get()
  return row?.id ?? null
}

/**
 * True when a homeowner account proved one of these contact points (a card's emails and phones):
 * the staff-side badge. Keyed by the card, so a business learns nothing about what a homeowner
 * proved for another business's card.
 */
export async function hasHomeownerAccount(db: PeopleDb, points: string[]): Promise<boolean> {
  if (points.length === 0) return false
  const row = await db.$client
    .prepare('select 1 as found from account_points where point in (select value from json_each(?)) limit 1')
    .bind(JSON.stringify(points))
    .first()
  return row !== null
}
