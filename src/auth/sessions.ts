/** Staff sessions: a random cookie token whose SHA-256 is the row id, with server-side expiry. */
import type { TeamRole } from '../people/schema'
import { clock } from '../clock'
import { and, eq, gt, lte } from 'drizzle-orm'
import type { PeopleDb } from '../db'
import { accounts, memberships, organizations, sessions } from '../people/schema'
import { AUTH_CACHE_TTL_MS, forgetCount, forgetSession, liveSessions } from './cache'
import { randomToken, sha256Hex } from './crypto'

export const SESSION_COOKIE = 'hb_session'
export const SESSION_DAYS = 14

export type StaffSession = {
  id: string
  accountId: string
  email: string
  role: TeamRole
  csrfToken: string
  organization: { id: string; name: string; country: string; timezone: string }
}

/** Starts a session (every staff sign-in: log in, sign up, an accepted invite, a reset) and notes the account's last sign-in; returns the cookie token (never stored) and when it expires. */
export async function createSession(
  db: PeopleDb,
  accountId: string,
  organizationId: string,
): Promise<{ token: string; expiresAt: Date }> {
  const token = randomToken(32)
  const now = clock.now()
  const expiresAt = new Date(now.getTime() + SESSION_DAYS * 86_400_000)
  await db.batch([
    db.insert(sessions).values({
      id: await sha256Hex(token),
      accountId,
      organizationId,
      csrfToken: randomToken(24),
      expiresAt: expiresAt.toISOString(),
    }),
    db.update(accounts).set({ lastSignInAt: now.toISOString() }).where(eq(accounts.id, accountId)),
  ])
  return { token, expiresAt }
}

/**
 * The live session for a cookie token, with its account, role and organization; null when expired
 * or unknown. A live session is remembered in the isolate by its id for `AUTH_CACHE_TTL_MS`, never
 * past its own expiry (src/auth/cache.ts); an unknown token is asked of D1 every time.
 */
export async function loadSession(db: PeopleDb, token: string): Promise<StaffSession | null> {
  const id = await sha256Hex(token)
  const cached = liveSessions.get(id)
  if (cached) return copy(cached)
  const forgetsBefore = forgetCount()
  // The 5 s count from before the read: a session ended elsewhere just after it is honoured no longer than that.
  const askedAt = clock.now().getTime()
  const row = await db
    .select({
      id: sessions.id,
      accountId: sessions.accountId,
      csrfToken: sessions.csrfToken,
      expiresAt: sessions.expiresAt,
      email: accounts.email,
      role: memberships.role,
      orgId: organizations.id,
      orgName: organizations.name,
      country: organizations.country,
      timezone: organizations.timezone,
    })
    .from(sessions)
    .innerJoin(accounts, eq(accounts.id, sessions.accountId))
    .innerJoin(
      memberships,
      and(eq(memberships.accountId, sessions.accountId), eq(memberships.organizationId, sessions.organizationId)),
    )
    .innerJoin(organizations, eq(organizations.id, sessions.organizationId))
    .where(and(eq(sessions.id, id), gt(sessions.expiresAt, clock.now().toISOString())))
    .get()
  if (!row) return null
  const session: StaffSession = {
    id: row.id,
    accountId: row.accountId,
    email: row.email,
    role: row.role,
    csrfToken: row.csrfToken,
    organization: { id: row.orgId, name: row.orgName, country: row.country, timezone: row.timezone },
  }
  if (forgetCount() === forgetsBefore)
    liveSessions.set(id, session, Math.min(askedAt + AUTH_CACHE_TTL_MS, Date.parse(row.expiresAt)))
  return copy(session)
}

/** A caller's own copy, so nothing a request changes on it reaches the cache. */
const copy = (s: StaffSession): StaffSession => ({ ...s, organization: { ...s.organization } })

/** Ends a session (logout), at once in this isolate's cache too. */
export async function deleteSession(db: PeopleDb, sessionId: string): Promise<void> {
  await db.delete(sessions).where(eq(sessions.id, sessionId)).run()
  forgetSession(sessionId)
}

/** Deletes sessions past their expiry; the minute cron calls this. */
export async function deleteExpiredSessions(db: PeopleDb, now = clock.now()): Promise<number> {
  const gone = await db
    .delete(sessions)
    .where(lte(sessions.expiresAt, now.toISOString()))
    .returning({ id: sessions.id })
  return gone.length
}
