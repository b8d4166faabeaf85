/**
 * The public request form's guards and lookups (/book/{slug}): the business by its slug, a signed
 * stamp of when the form was shown (a person takes more than 2 seconds; a replayed stamp writes
 * once), rate limits per address and per business, and the staff to tell.
 */
import { and, eq, inArray } from 'drizzle-orm'
import { timingSafeEqual } from '../auth/crypto'
import { type Limit, spend } from '../auth/rate-limit'
import { clock } from '../clock'
import type { PeopleDb } from '../db'
import { base64url, fromBase64url } from '../encoding'
import type { Organization } from '../organizations'
import { accounts, memberships, organizations } from '../people/schema'

/** A form sent sooner than this after it was shown was not filled in by a person. */
export const MIN_FILL_MS = 2_000

/** A form shown longer ago than this is shown again (fresh stamp) rather than sent. */
export const STAMP_TTL_MS = 24 * 3_600_000

/** Requests allowed per address per business in 10 minutes, and per business in an hour. */
export const requestLimits = (organizationId: string, ip: string): Limit[] => [
  { key: `book:ip:${organizationId}:${ip}`, max: 5, windowSeconds: 600 },
  { key: `book:org:${organizationId}`, max: 100, windowSeconds: 3600 },
]

/** The business whose public form this slug names; null for none. */
export async function organizationBySlug(db: PeopleDb, slug: string): Promise<Organization | null> {
  const row = await db
    .select({
      id: organizations.id,
      name: organizations.name,
      country: organizations.country,
      timezone: organizations.timezone,
    })
    .from(organizations)
    .where(eq(organizations.slug, slug.toLowerCase()))
    .get()
  return row ?? null
}

/** The owners and admins of the business, who hear about each request. */
export async function staffToTell(db: PeopleDb, organizationId: string) {
  return db
    .select({ account_id: accounts.id, email: accounts.email })
    .from(memberships)
    .innerJoin(accounts, eq(accounts.id, memberships.accountId))
    .where(and(eq(memberships.organizationId, organizationId), inArray(memberships.role, ['owner', 'admin'])))
    .all()
}

const encoder = new TextEncoder()

async function signature(key: string, organizationId: string, at: number, nonce: string): Promise<string> {
  const k = await crypto.subtle.importKey('raw', encoder.encode(key), { name: 'HMAC', hash: 'SHA-256' }, false, [
    'sign',
  ])
  const data = encoder.encode(`book-form:${organizationId}:${at}:${nonce}`)
  return base64url(new Uint8Array(await crypto.subtle.sign('HMAC', k, data)))
}

/** The stamp a form carries: when it was shown to whom, signed (`{ms}.{nonce}.{signature}`). */
export async function signStamp(key: string, organizationId: string, now = clock.now().getTime()): Promise<string> {
  const nonce = crypto.randomUUID().replaceAll('-', '')
  return `${now}.${nonce}.${await signature(key, organizationId, now, nonce)}`
}

/** When a genuine stamp of this business's form was made, and its nonce; null for anything else. */
export async function readStamp(
  key: string,
  organizationId: string,
  stamp: string,
): Promise<{ at: number; nonce: string } | null> {
  const [at, nonce, sig, extra] = stamp.split('.')
  if (!at || !nonce || !sig || extra !== undefined || !/^\d{1,15}$/.test(at) || !/^[0-9a-f]{32}$/.test(nonce))
    return null
  const expected = await signature(key, organizationId, Number(at), nonce)
  try {
    return timingSafeEqual(fromBase64url(sig), fromBase64url(expected)) ? { at: Number(at), nonce } : null
  } catch {
    return null
  }
}

/** How a stamp stands at `now`: a person's (`ok`), too quick or forged (`bot`), or shown too long ago (`stale`). */
export async function judgeStamp(
  key: string,
  organizationId: string,
  stamp: string | undefined,
  now = clock.now().getTime(),
): Promise<{ verdict: 'ok'; nonce: string } | { verdict: 'bot' | 'stale' }> {
  const read = stamp ? await readStamp(key, organizationId, stamp) : null
  if (!read || read.at > now + 60_000 || now - read.at < MIN_FILL_MS) return { verdict: 'bot' }
  if (now - read.at > STAMP_TTL_MS) return { verdict: 'stale' }
  return { verdict: 'ok', nonce: read.nonce }
}

/** Counts a request against the limits: null when there is room, else the seconds to wait. */
export function spendRequest(db: PeopleDb, organizationId: string, ip: string): Promise<number | null> {
  return spend(db, requestLimits(organizationId, ip))
}

/** True the first time a stamp's nonce is used (a day's window); a replayed form is answered without writing. */
export async function firstUse(db: PeopleDb, organizationId: string, nonce: string): Promise<boolean> {
  return (await spend(db, [{ key: `book:once:${organizationId}:${nonce}`, max: 1, windowSeconds: 86_400 }])) === null
}
