/** Team invites: an owner or admin invites a person by email with a role; the link makes them a member. */
import { and, eq, gt, isNull } from 'drizzle-orm'
import type { PeopleDb } from '../db'
import { conflict, notFound, unauthorized } from '../errors'
import { accounts, invites, memberships, organizations } from '../people/schema'
import { linkAccountToPerson } from './accounts'
import { hashPassword, randomToken, sha256Hex, verifyPassword } from './crypto'

const INVITE_DAYS = 7

export type InviteRole = 'admin' | 'member'

/** Creates an invite and returns the token for its link (shown once, stored hashed). */
export async function createInvite(db: PeopleDb, organizationId: string, email: string, role: InviteRole, invitedBy: string): Promise<string> {
  const token = randomToken(24)
  await db.insert(invites).values({
    id: crypto.randomUUID(),
    organizationId,
    email,
    role,
    tokenHash: await sha256Hex(token),
    invitedBy,
    expiresAt: new Date(Date.now() + INVITE_DAYS * 86_400_000).toISOString(),
  }).run()
  return token
}

export type OpenInvite = { id: string; email: string; role: InviteRole; organizationId: string; organizationName: string; hasAccount: boolean }

/** The open (unexpired, unaccepted) invite for a token, or null. */
export async function findInvite(db: PeopleDb, token: string): Promise<OpenInvite | null> {
  const row = await db.select({
    id: invites.id, email: invites.email, role: invites.role, organizationId: invites.organizationId, organizationName: organizations.name,
  }).from(invites).innerJoin(organizations, eq(organizations.id, invites.organizationId))
    .where(and(eq(invites.tokenHash, await sha256Hex(token)), isNull(invites.acceptedAt), gt(invites.expiresAt, new Date().toISOString())))
    .get()
  if (!row) return null
  const account = await db.select({ id: accounts.id }).from(accounts).where(eq(accounts.email, row.email)).get()
  return { ...row, hasAccount: account !== undefined }
}

/**
 * Accepts an invite: creates the account (or checks the existing account's password) and adds the
 * membership. Returns the account and organization to sign in to.
 */
export async function acceptInvite(db: PeopleDb, token: string, password: string, name?: string): Promise<{ accountId: string; organizationId: string }> {
  const invite = await findInvite(db, token)
  if (!invite) throw notFound('invite')
  const existing = await db.select({ id: accounts.id, hash: accounts.passwordHash }).from(accounts).where(eq(accounts.email, invite.email)).get()
  let accountId = existing?.id
  if (existing) {
    if (!(await verifyPassword(password, existing.hash))) throw unauthorized('Wrong password for this account.')
  } else {
    accountId = crypto.randomUUID()
    await db.insert(accounts).values({ id: accountId, email: invite.email, name: name ?? null, passwordHash: await hashPassword(password) }).run()
    await linkAccountToPerson(db, accountId, invite.email)
  }
  const [, accepted] = await db.batch([
    db.insert(memberships).values({ accountId: accountId!, organizationId: invite.organizationId, role: invite.role }).onConflictDoNothing(),
    db.update(invites).set({ acceptedAt: new Date().toISOString() }).where(and(eq(invites.id, invite.id), isNull(invites.acceptedAt))).returning({ id: invites.id }),
  ])
  if (accepted.length === 0) throw conflict('This invite was already used.')
  return { accountId: accountId!, organizationId: invite.organizationId }
}
