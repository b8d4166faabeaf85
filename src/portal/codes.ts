/**
 * One-time codes that prove a homeowner holds a phone or email: 6 digits, 10 minutes, 5 tries,
 * stored as an HMAC under the portal key (a leaked table reveals no code). A sign-in code
 * (`sign_in`) is one live code per person; a code for a new phone or email (`add_point`) is bound
 * to the account that asked, one live code per account and point.
 */
import { fromHex, hex } from '../encoding'
import { clock } from '../clock'
import { and, desc, eq, isNull, lt, sql, type SQL } from 'drizzle-orm'
import { timingSafeEqual } from '../auth/crypto'
import type { Limit } from '../auth/rate-limit'
import type { PeopleDb } from '../db'
import { homeownerCodes } from '../people/schema'

export const CODE_MINUTES = 10
export const MAX_TRIES = 5

/** Codes sent: 3 per person in 15 minutes, 20 per IP an hour. */
export const codeSendLimits = (personId: string, ip: string): Limit[] => [
  { key: `portal:code:person:${personId}`, max: 3, windowSeconds: 900 },
  { key: `portal:code:ip:${ip}`, max: 20, windowSeconds: 3600 },
]

/** Codes for a new phone or email: 3 per point and 5 per account in 15 minutes, 20 per IP an hour. */
export const pointCodeLimits = (accountId: string, point: string, ip: string): Limit[] => [
  { key: `portal:point-code:to:${point}`, max: 3, windowSeconds: 900 },
  { key: `portal:point-code:account:${accountId}`, max: 5, windowSeconds: 900 },
  { key: `portal:code:ip:${ip}`, max: 20, windowSeconds: 3600 },
]

const encoder = new TextEncoder()

/** Six uniformly random digits (rejection sampling, no modulo bias). */
export function newCode(): string {
  const buf = new Uint32Array(1)
  for (;;) {
    crypto.getRandomValues(buf)
    if (buf[0]! < 4_294_000_000) return String(buf[0]! % 1_000_000).padStart(6, '0')
  }
}

async function hashCode(secret: string, id: string, code: string): Promise<Uint8Array> {
  const key = await crypto.subtle.importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, [
    'sign',
  ])
  return new Uint8Array(await crypto.subtle.sign('HMAC', key, encoder.encode(`homeowner-code:${id}:${code}`)))
}

/** A sign-in code for a person's contact point on a card, or (with `accountId`) a code that proves a new point for that account. */
export type NewCode = { personId: string; channel: 'sms' | 'email'; destination: string; accountId?: string }

/** The live codes a new one replaces: the person's sign-in code, or the account's code for the same point. */
function liveOf(input: NewCode): SQL {
  return input.accountId === undefined
    ? and(
        eq(homeownerCodes.personId, input.personId),
        eq(homeownerCodes.purpose, 'sign_in'),
        isNull(homeownerCodes.consumedAt),
      )!
    : and(
        eq(homeownerCodes.personId, input.personId),
        eq(homeownerCodes.purpose, 'add_point'),
        eq(homeownerCodes.accountId, input.accountId),
        eq(homeownerCodes.destination, input.destination),
        isNull(homeownerCodes.consumedAt),
      )!
}

/** Makes a code; the earlier live code it replaces stops working. Returns the plain code to send. */
export async function issueCode(
  db: PeopleDb,
  secret: string,
  input: NewCode,
  now = clock.now(),
): Promise<{ id: string; code: string }> {
  const id = crypto.randomUUID()
  const code = newCode()
  const at = now.toISOString()
  await db.batch([
    db.update(homeownerCodes).set({ consumedAt: at }).where(liveOf(input)),
    db.insert(homeownerCodes).values({
      id,
      personId: input.personId,
      channel: input.channel,
      destination: input.destination,
      codeHash: hex(await hashCode(secret, id, code)),
      purpose: input.accountId === undefined ? 'sign_in' : 'add_point',
      accountId: input.accountId ?? null,
      attempts: 0,
      expiresAt: new Date(now.getTime() + CODE_MINUTES * 60_000).toISOString(),
      createdAt: at,
    }),
  ])
  return { id, code }
}

/** Forgets a code that could not be sent. */
export async function dropCode(db: PeopleDb, id: string): Promise<void> {
  await db.delete(homeownerCodes).where(eq(homeownerCodes.id, id)).run()
}

export type CodeCheck =
  | { ok: true; channel: 'sms' | 'email'; destination: string }
  | { ok: false; reason: 'missing' | 'expired' | 'locked' | 'wrong'; triesLeft: number }

/**
 * Checks what the homeowner typed against their live sign-in code. A right code works once; a
 * wrong one uses a try, and the fifth wrong try locks the code (a new one must be sent).
 */
export async function checkCode(
  db: PeopleDb,
  secret: string,
  personId: string,
  typed: string,
  now = clock.now(),
): Promise<CodeCheck> {
  return checkLive(db, secret, { personId, channel: 'sms', destination: '' }, typed, now)
}

/**
 * Checks a code for a new phone or email: only the live code the same account asked for that same
 * point counts, so a code forwarded to (or replayed by) anyone else finds nothing.
 */
export async function checkPointCode(
  db: PeopleDb,
  secret: string,
  code: Required<NewCode>,
  typed: string,
  now = clock.now(),
): Promise<CodeCheck> {
  return checkLive(db, secret, code, typed, now)
}

async function checkLive(db: PeopleDb, secret: string, which: NewCode, typed: string, now: Date): Promise<CodeCheck> {
  const row = await db.select().from(homeownerCodes).where(liveOf(which)).orderBy(desc(homeownerCodes.createdAt)).get()
  if (!row) return { ok: false, reason: 'missing', triesLeft: 0 }
  if (row.expiresAt <= now.toISOString()) return { ok: false, reason: 'expired', triesLeft: 0 }
  if (row.attempts >= MAX_TRIES) return { ok: false, reason: 'locked', triesLeft: 0 }
  const given = /^\d{6}$/.test(typed) ? await hashCode(secret, row.id, typed) : new Uint8Array(32)
  if (/^\d{6}$/.test(typed) && timingSafeEqual(given, fromHex(row.codeHash))) {
    // Used once: a second check (or a concurrent one) finds it consumed.
    const used = await db
      .update(homeownerCodes)
      .set({ consumedAt: now.toISOString() })
      .where(
        and(eq(homeownerCodes.id, row.id), isNull(homeownerCodes.consumedAt), lt(homeownerCodes.attempts, MAX_TRIES)),
      )
      .returning({ id: homeownerCodes.id })
    return used.length
      ? { ok: true, channel: row.channel, destination: row.destination }
      : { ok: false, reason: 'missing', triesLeft: 0 }
  }
  const [counted] = await db
    .update(homeownerCodes)
    .set({ attempts: sql`${homeownerCodes.attempts} + 1` })
    .where(and(eq(homeownerCodes.id, row.id), lt(homeownerCodes.attempts, MAX_TRIES)))
    .returning({ attempts: homeownerCodes.attempts })
  const left = counted ? MAX_TRIES - counted.attempts : 0
  return { ok: false, reason: left > 0 ? 'wrong' : 'locked', triesLeft: left }
}
