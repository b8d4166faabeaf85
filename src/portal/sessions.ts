/** Homeowner sessions: like staff sessions (hashed token, server-side expiry) on their own cookie `hb_home`, path `/p`. */
import { clock } from '../clock'
import { and, eq, gt, lte } from 'drizzle-orm'
import type { CookieOptions } from 'hono/utils/cookie'
import { randomToken, sha256Hex } from '../auth/crypto'
import type { PeopleDb } from '../db'
import { accounts, homeownerSessions } from '../people/schema'

export const HOME_COOKIE = 'hb_home'
export const HOME_SESSION_DAYS = 30

export type HomeownerSession = { id: string; accountId: string; email: string; csrfToken: string }

/** The cookie's attributes: only sent to the portal, never to scripts or other sites' posts. */
export const homeCookie = (expires?: Date): CookieOptions => ({
  path: '/p',
  httpOnly: true,
  secure: true,
  sameSite: 'Lax',
  ...(expires ? { expires } : {}),
})

/** Starts a session (clearing expired ones); returns the cookie token, never stored, and its expiry. */
export async function createHomeownerSession(
  db: PeopleDb,
  accountId: string,
  now = clock.now(),
): Promise<{ token: string; expiresAt: Date }> {
  const token = randomToken(32)
  const expiresAt = new Date(now.getTime() + HOME_SESSION_DAYS * 86_400_000)
  await db.batch([
    db.delete(homeownerSessions).where(lte(homeownerSessions.expiresAt, now.toISOString())),
    db.insert(homeownerSessions).values({
      id: await sha256Hex(token),
      accountId,
      csrfToken: randomToken(24),
      expiresAt: expiresAt.toISOString(),
    }),
  ])
  return { token, expiresAt }
}

/** The live session of a cookie token, else null. */
export async function loadHomeownerSession(
  db: PeopleDb,
  token: string,
  now = clock.now(),
): Promise<HomeownerSession | null> {
  const row = await db
    .select({
      id: homeownerSessions.id,
      accountId: homeownerSessions.accountId,
      csrfToken: homeownerSessions.csrfToken,
      email: accounts.email,
    })
    .from(homeownerSessions)
    .innerJoin(accounts, eq(accounts.id, homeownerSessions.accountId))
    .where(and(eq(homeownerSessions.id, await sha256Hex(token)), gt(homeownerSessions.expiresAt, now.toISOString())))
    .get()
  return row ?? null
}

/** Ends a session (sign out). */
export async function deleteHomeownerSession(db: PeopleDb, id: string): Promise<void> {
  await db.delete(homeownerSessions).where(eq(homeownerSessions.id, id)).run()
}
