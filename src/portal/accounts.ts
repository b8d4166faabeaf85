/**
 * Homeowner accounts (seed 000's onboarding hook): a verified phone or email finds or creates the
 * account and links it to every person who has that contact point in the registry.
 */
import { and, eq, isNotNull } from 'drizzle-orm'
import { isUniqueViolation, type PeopleDb } from '../db'
import { accounts, personEmails, personPhones, userPersonLinks } from '../people/schema'

/** The account email of a homeowner who proved a phone: `.invalid` never receives mail. */
export const phoneAccountEmail = (e164: string) => `${e164}@phone.homebase.invalid`

/**
 * The account for a verified contact point: the one with that email (a staff member who is also a
 * homeowner keeps one account; the homeowner session is separate), else a new homeowner account
 * without a password.
 */
export async function accountForContact(db: PeopleDb, channel: 'sms' | 'email', destination: string): Promise<string> {
  const email = channel === 'email' ? destination : phoneAccountEmail(destination)
  const found = async () => (await db.select({ id: accounts.id }).from(accounts).where(eq(accounts.email, email)).get())?.id
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
 * code was sent for; returns the people linked.
 */
export async function linkVerifiedContact(db: PeopleDb, accountId: string, channel: 'sms' | 'email', destination: string, personId: string): Promise<string[]> {
  const owners = channel === 'email'
    ? await db.select({ id: personEmails.personId }).from(personEmails).where(eq(personEmails.email, destination)).all()
    : await db.select({ id: personPhones.personId }).from(personPhones).where(eq(personPhones.phoneE164, destination)).all()
  const people = [...new Set([personId, ...owners.map((o) => o.id)])]
  for (const id of people) {
    await db.insert(userPersonLinks).values({ accountId, personId: id, verifiedWith: destination })
      .onConflictDoUpdate({ target: [userPersonLinks.accountId, userPersonLinks.personId], set: { verifiedWith: destination } }).run()
  }
  return people
}

/** The people an account proved to be, by one-time code (links made any other way do not count). */
export async function verifiedPersonIds(db: PeopleDb, accountId: string): Promise<string[]> {
  const rows = await db.select({ id: userPersonLinks.personId }).from(userPersonLinks)
    .where(and(eq(userPersonLinks.accountId, accountId), isNotNull(userPersonLinks.verifiedWith))).all()
  return rows.map((r) => r.id)
}

/** True when someone verified as this person in the portal: the staff-side badge. */
export async function hasHomeownerAccount(db: PeopleDb, personId: string): Promise<boolean> {
  const row = await db.select({ id: userPersonLinks.accountId }).from(userPersonLinks)
    .where(and(eq(userPersonLinks.personId, personId), isNotNull(userPersonLinks.verifiedWith))).get()
  return row !== undefined
}
