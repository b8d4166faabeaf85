/** Staff accounts: sign-up of a new business and its owner, and checking a password at login. */
import { freeSlug, slugify } from '../organizations-slug'
import { clock } from '../clock'
import { eq } from 'drizzle-orm'
import { isUniqueViolation, type PeopleDb } from '../db'
import { conflict, rateLimited } from '../errors'
import { accounts, memberships, organizations, personEmails, userPersonLinks } from '../people/schema'
import { createApiKey } from './api-keys'
import { DUMMY_PASSWORD_HASH, hashPassword, verifyPassword } from './crypto'
import * as limits from './rate-limit'

export type SignupInput = {
  email: string
  password: string
  organization_name: string
  timezone?: string
  country?: string
  name?: string
}
export type SignupResult = {
  user_id: string
  organization_id: string
  api_key: string
  organization: { id: string; name: string; country: string; timezone: string }
}

/** Creates an owner account, its organization, the membership and a first API key, all or nothing. */
export async function signup(db: PeopleDb, input: SignupInput): Promise<SignupResult> {
  const taken = await db.select({ id: accounts.id }).from(accounts).where(eq(accounts.email, input.email)).get()
  if (taken) throw conflict('An account with this email already exists. Sign in instead.')
  const userId = crypto.randomUUID()
  const organization = {
    id: crypto.randomUUID(),
    name: input.organization_name,
    slug: await freeSlug(db, input.organization_name),
    country: input.country ?? 'US',
    timezone: input.timezone ?? 'America/New_York',
  }
  const key = await createApiKey(db, organization.id, 'Default key', userId)
  const passwordHash = await hashPassword(input.password)
  // Two businesses of the same name signing up at once can pick the same free slug: the second
  // then takes a slug of its own and tries again. Only a taken email is the caller's conflict.
  for (let attempt = 0; ; attempt++) {
    try {
      await db.batch([
        db.insert(accounts).values({ id: userId, email: input.email, name: input.name ?? null, passwordHash }),
        db.insert(organizations).values(organization),
        db.insert(memberships).values({ accountId: userId, organizationId: organization.id, role: 'owner' }),
        key.statement,
      ])
      break
    } catch (error) {
      if (!isUniqueViolation(error)) throw error
      const emailTaken = await db
        .select({ id: accounts.id })
        .from(accounts)
        .where(eq(accounts.email, input.email))
        .get()
      if (emailTaken || attempt >= 2) throw conflict('An account with this email already exists. Sign in instead.')
      organization.slug = `${slugify(input.organization_name)}-${crypto.randomUUID().slice(0, 8)}`
    }
  }
  await linkAccountToPerson(db, userId, input.email)
  return { user_id: userId, organization_id: organization.id, api_key: key.key, organization }
}

/** Links a new account to the person with the same email, so a homeowner sees their history. */
export async function linkAccountToPerson(db: PeopleDb, accountId: string, email: string): Promise<void> {
  const person = await db
    .select({ id: personEmails.personId })
    .from(personEmails)
    .where(eq(personEmails.email, email))
    .get()
  if (person) await db.insert(userPersonLinks).values({ accountId, personId: person.id }).onConflictDoNothing().run()
}

export type LoginResult = { accountId: string; email: string; organizationId: string | null } | null

/**
 * Checks an email and password. The attempt is counted on the per-account and per-IP limits
 * before any hash is computed, in one transaction, so a burst cannot slip past the limit: over
 * it, 429 without looking at the password. Returns null for a wrong email or password; a right
 * one clears the account's count and is given back to the IP.
 */
export async function authenticate(
  db: PeopleDb,
  email: string,
  password: string,
  ip: string,
  now = clock.now().getTime(),
): Promise<LoginResult> {
  const [byAccount, byIp] = limits.loginLimits(email, ip) as [limits.Limit, limits.Limit]
  const wait = await limits.spend(db, [byAccount, byIp], now)
  if (wait !== null) throw rateLimited(wait)
  const account = await db
    .select({ id: accounts.id, email: accounts.email, hash: accounts.passwordHash })
    .from(accounts)
    .where(eq(accounts.email, email))
    .get()
  const ok = await verifyPassword(password, account?.hash ?? DUMMY_PASSWORD_HASH)
  if (!account || !ok) return null
  await limits.clear(db, byAccount.key)
  await limits.refund(db, byIp, now)
  const membership = await db
    .select({ orgId: memberships.organizationId })
    .from(memberships)
    .where(eq(memberships.accountId, account.id))
    .orderBy(memberships.createdAt)
    .get()
  return { accountId: account.id, email: account.email, organizationId: membership?.orgId ?? null }
}
