/**
 * Team invites: an owner or admin invites a person by email with a role; the link makes them a member.
 * A new person picks a password on the invite page; someone with an account signs in to accept.
 */
import type { INVITE_ROLES } from '../people/schema'
import { clock } from '../clock'
import { and, eq, gt, isNull } from 'drizzle-orm'
import { isUniqueViolation, type PeopleDb } from '../db'
import { AppError, conflict, notFound } from '../errors'
import { accounts, invites, memberships, organizations } from '../people/schema'
import { linkAccountToPerson } from './accounts'
import { hashPassword, randomToken, sha256Hex } from './crypto'

const INVITE_DAYS = 7

export type InviteRole = (typeof INVITE_ROLES)[number]

/** Creates an invite and returns its id and the token for its link (shown once, stored hashed). */
export async function createInvite(
  db: PeopleDb,
  organizationId: string,
  email: string,
  role: InviteRole,
  invitedBy: string,
  name: string | null = null,
): Promise<{ id: string; token: string }> {
  const token = randomToken(24)
  const id = crypto.randomUUID()
  await db
    .insert(invites)
    .values({
      id,
      organizationId,
      email,
      role,
      name,
      tokenHash: await sha256Hex(token),
      invitedBy,
      expiresAt: new Date(clock.now().getTime() + INVITE_DAYS * 86_400_000).toISOString(),
    })
    .run()
  return { id, token }
}

/** What an existing account is told instead of being asked for its password. */
export const SIGN_IN_TO_ACCEPT = 'You already have a HomeBase account: sign in to accept this invite.'

export type OpenInvite = {
  id: string
  email: string
  role: InviteRole
  /** The name the inviter gave, if any. */
  name: string | null
  organizationId: string
  organizationName: string
  hasAccount: boolean
}

/** The open (unexpired, unaccepted) invite for a token, or null. */
export async function findInvite(db: PeopleDb, token: string): Promise<OpenInvite | null> {
  const row = await db
    .select({
      id: invites.id,
      email: invites.email,
      role: invites.role,
      name: invites.name,
      organizationId: invites.organizationId,
      organizationName: organizations.name,
    })
    .from(invites)
    .innerJoin(organizations, eq(organizations.id, invites.organizationId))
    .where(
      and(
        eq(invites.tokenHash, await sha256Hex(token)),
        isNull(invites.acceptedAt),
        gt(invites.expiresAt, clock.now().toISOString()),
      ),
    )
    .get()
  if (!row) return null
  const account = await db.select({ id: accounts.id }).from(accounts).where(eq(accounts.email, row.email)).get()
  return { ...row, hasAccount: account !== undefined }
}

/**
 * Accepts an invite for an email without an account: creates the account with `password` and adds
 * the membership. An email that already has an account is refused with 409 and its password is
 * never looked at: that person accepts by signing in (`acceptInviteAs`).
 */
export async function acceptInviteWithNewAccount(
  db: PeopleDb,
  token: string,
  password: string,
  name?: string,
): Promise<{ accountId: string; organizationId: string }> {
  const invite = await findInvite(db, token)
  if (!invite) throw notFound('invite')
  if (invite.hasAccount) throw conflict(SIGN_IN_TO_ACCEPT)
  const accountId = crypto.randomUUID()
  try {
    await db
      .insert(accounts)
      .values({
        id: accountId,
        email: invite.email,
        name: name ?? invite.name,
        passwordHash: await hashPassword(password),
      })
      .run()
  } catch (error) {
    if (isUniqueViolation(error)) throw conflict(SIGN_IN_TO_ACCEPT)
    throw error
  }
  await linkAccountToPerson(db, accountId, invite.email)
  return join(db, invite, accountId)
}

/**
 * Accepts an invite for an account that proved who it is (a login or a live session): only when the
 * invite was made for that account's email. Throws 404 for a gone invite, 409 for another email.
 */
export async function acceptInviteAs(
  db: PeopleDb,
  token: string,
  account: { accountId: string; email: string },
): Promise<{ accountId: string; organizationId: string }> {
  const invite = await findInvite(db, token)
  if (!invite) throw notFound('invite')
  if (invite.email.toLowerCase() !== account.email.toLowerCase())
    throw conflict(`This invite is for ${invite.email}. Sign in as that account to accept it.`)
  return join(db, invite, account.accountId)
}

/** Accepts the invite when it is open and for this account's email; null when it is not (the invite page says why). */
export async function acceptIfInvited(
  db: PeopleDb,
  token: string,
  account: { accountId: string; email: string },
): Promise<{ organizationId: string } | null> {
  try {
    return await acceptInviteAs(db, token, account)
  } catch (error) {
    if (error instanceof AppError && (error.status === 404 || error.status === 409)) return null
    throw error
  }
}

async function join(db: PeopleDb, invite: OpenInvite, accountId: string) {
  const [, accepted] = await db.batch([
    db
      .insert(memberships)
      .values({ accountId, organizationId: invite.organizationId, role: invite.role })
      .onConflictDoNothing(),
    db
      .update(invites)
      .set({ acceptedAt: clock.now().toISOString() })
      .where(and(eq(invites.id, invite.id), isNull(invites.acceptedAt)))
      .returning({ id: invites.id }),
  ])
  if (accepted.length === 0) throw conflict('This invite was already used.')
  return { accountId, organizationId: invite.organizationId }
}
