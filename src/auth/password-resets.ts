/**
 * Password resets for staff accounts: a single-use link emailed to the account's address, valid
 * 30 minutes, kept only as the SHA-256 of its token. Using it sets the new password and ends every
 * session of the account.
 */
import { clock } from '../clock'
import { and, eq, gt, isNull } from 'drizzle-orm'
import { peopleDb, type PeopleDb } from '../db'
import type { Env } from '../env'
import { rateLimited } from '../errors'
import { providerFor } from '../messaging/providers'
import { accounts, memberships, passwordResets, sessions } from '../people/schema'
import { forgetSessionsOf } from './cache'
import { hashPassword, randomToken, sha256Hex } from './crypto'
import { clear, loginAccountKey, resetLimits, spend } from './rate-limit'

export const RESET_MINUTES = 30

export type ResetRequest = { id: string; token: string; accountId: string; email: string; organizationId: string }

/**
 * Counts a reset request on its limits (429 over them, whether or not the email has an account),
 * then makes a reset for a staff account of a business. Null for any other email.
 */
export async function requestPasswordReset(
  db: PeopleDb,
  email: string,
  ip: string,
  now = clock.now().getTime(),
): Promise<ResetRequest | null> {
  const wait = await spend(db, resetLimits(email, ip), now)
  if (wait !== null) throw rateLimited(wait)
  const account = await db
    .select({ id: accounts.id, email: accounts.email, organizationId: memberships.organizationId })
    .from(accounts)
    .innerJoin(memberships, eq(memberships.accountId, accounts.id))
    .where(and(eq(accounts.email, email), eq(accounts.kind, 'staff')))
    .orderBy(memberships.createdAt)
    .get()
  if (!account) return null
  const token = randomToken(32)
  const id = await sha256Hex(token)
  await db
    .insert(passwordResets)
    .values({
      id,
      accountId: account.id,
      expiresAt: new Date(now + RESET_MINUTES * 60_000).toISOString(),
      createdAt: new Date(now).toISOString(),
    })
    .run()
  return { id, token, accountId: account.id, email: account.email, organizationId: account.organizationId }
}

/** The reset email's text; `link` is the page that sets the new password. */
export function resetEmailText(link: string): { subject: string; body: string } {
  return {
    subject: 'Reset your HomeBase password',
    body: `Hello,\n\nSomeone asked to reset the password of your HomeBase account. To choose a new one, open this link within ${RESET_MINUTES} minutes:\n\n${link}\n\nThe link works once. If you did not ask for it, ignore this email: your password stays as it is.`,
  }
}

/**
 * Handles "forgot my password" for `email`: a reset link to the account's own address through the
 * configured email provider (the outbox too, in production), or nothing for an unknown email.
 * Throws 429 over the limits; a failed send is logged, never shown, so the answer stays the same.
 */
export async function emailResetLink(
  env: Env,
  email: string,
  ip: string,
  baseUrl: string,
  now = clock.now().getTime(),
): Promise<void> {
  const reset = await requestPasswordReset(peopleDb(env.PEOPLE), email, ip, now)
  if (!reset) return
  const text = resetEmailText(`${baseUrl}/reset/${reset.token}`)
  try {
    await providerFor(
      env,
      'email',
    )({
      id: `password_reset:${reset.id}`,
      organizationId: reset.organizationId,
      channel: 'email',
      to: reset.email,
      from: env.EMAIL_FROM ?? 'HomeBase <reminders@homebase.test>',
      transactional: true,
      ...text,
    })
  } catch (error) {
    console.error('password reset: email not delivered', error instanceof Error ? error.message : String(error))
  }
}

export type ResetState =
  | { status: 'open'; accountId: string; email: string }
  | { status: 'used' | 'expired' | 'unknown' }

/** Whether the link of `token` can still set a password, and for which account. */
export async function resetState(db: PeopleDb, token: string, now = clock.now().getTime()): Promise<ResetState> {
  const row = await db
    .select({
      accountId: passwordResets.accountId,
      expiresAt: passwordResets.expiresAt,
      usedAt: passwordResets.usedAt,
      email: accounts.email,
    })
    .from(passwordResets)
    .innerJoin(accounts, and(eq(accounts.id, passwordResets.accountId), eq(accounts.kind, 'staff')))
    .where(eq(passwordResets.id, await sha256Hex(token)))
    .get()
  if (!row) return { status: 'unknown' }
  if (row.usedAt) return { status: 'used' }
  if (row.expiresAt <= new Date(now).toISOString()) return { status: 'expired' }
  return { status: 'open', accountId: row.accountId, email: row.email }
}

/**
 * Uses the link once: claims it (one conditional update, so two posts cannot both win), sets the
 * new password, ends every session of the account, closes its other open links and its login
 * lockout. Returns the account and the business to sign in to, or null when the link is not open.
 */
export async function completePasswordReset(
  db: PeopleDb,
  token: string,
  password: string,
  now = clock.now().getTime(),
): Promise<{ accountId: string; organizationId: string | null } | null> {
  const hash = await hashPassword(password)
  const at = new Date(now).toISOString()
  const [claimed] = await db
    .update(passwordResets)
    .set({ usedAt: at })
    .where(
      and(
        eq(passwordResets.id, await sha256Hex(token)),
        isNull(passwordResets.usedAt),
        gt(passwordResets.expiresAt, at),
      ),
    )
    .returning({ accountId: passwordResets.accountId })
  if (!claimed) return null
  const { accountId } = claimed
  const [updated] = await db.batch([
    db
      .update(accounts)
      .set({ passwordHash: hash })
      .where(and(eq(accounts.id, accountId), eq(accounts.kind, 'staff')))
      .returning({ email: accounts.email }),
    db.delete(sessions).where(eq(sessions.accountId, accountId)),
    db
      .update(passwordResets)
      .set({ usedAt: at })
      .where(and(eq(passwordResets.accountId, accountId), isNull(passwordResets.usedAt))),
  ])
  forgetSessionsOf(accountId)
  if (!updated[0]) return null
  await clear(db, loginAccountKey(updated[0].email))
  const membership = await db
    .select({ organizationId: memberships.organizationId })
    .from(memberships)
    .where(eq(memberships.accountId, accountId))
    .orderBy(memberships.createdAt)
    .get()
  return { accountId, organizationId: membership?.organizationId ?? null }
}
