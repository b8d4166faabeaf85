/**
 * A business's team: who may sign in to it, with which role and colour. Memberships live in the
 * registry (D1); an owner can never remove or demote the last owner, so a business always has one.
 */
import { and, asc, eq, gt, inArray, isNull, ne, sql } from 'drizzle-orm'
import { forgetSessionsOf } from './auth/cache'
import { createInvite, type InviteRole } from './auth/invites'
import { assertRoomOnTeam } from './billing/limits'
import { clock } from './clock'
import type { PeopleDb } from './db'
import { conflict, invalidInput, notFound } from './errors'
import { accounts, invites, memberships, sessions, type TeamRole } from './people/schema'

export type TeamMember = { user_id: string; email: string; name: string | null; role: TeamRole; color: string }

/** Colours for people who have not picked one, chosen from their id so each keeps the same one. */
const PALETTE = ['#2563eb', '#16a34a', '#d97706', '#db2777', '#7c3aed', '#0891b2', '#dc2626', '#4d7c0f']

const colorFor = (accountId: string, chosen: string | null) =>
  chosen ?? PALETTE[[...accountId].reduce((n, ch) => (n * 31 + ch.charCodeAt(0)) >>> 0, 7) % PALETTE.length]!

const memberColumns = {
  user_id: memberships.accountId,
  email: accounts.email,
  name: accounts.name,
  role: memberships.role,
  chosenColor: memberships.color,
}

const toMember = ({ chosenColor, ...m }: { chosenColor: string | null } & Omit<TeamMember, 'color'>): TeamMember => ({
  ...m,
  color: colorFor(m.user_id, chosenColor),
})

/** Everyone on the team, owners first, then by when they joined. */
export async function listTeam(db: PeopleDb, organizationId: string): Promise<TeamMember[]> {
  const rows = await db
    .select(memberColumns)
    .from(memberships)
    .innerJoin(accounts, eq(accounts.id, memberships.accountId))
    .where(eq(memberships.organizationId, organizationId))
    .orderBy(
      sql`case ${memberships.role} when 'owner' then 0 when 'admin' then 1 else 2 end`,
      asc(memberships.createdAt),
    )
    .all()
  return rows.map(toMember)
}

export type PendingInvite = { id: string; email: string; name: string | null; role: InviteRole; expires_at: string }

/** Invites sent and not yet accepted or expired, oldest first. */
export async function listOpenInvites(db: PeopleDb, organizationId: string): Promise<PendingInvite[]> {
  return db
    .select({
      id: invites.id,
      email: invites.email,
      name: invites.name,
      role: invites.role,
      expires_at: invites.expiresAt,
    })
    .from(invites)
    .where(
      and(
        eq(invites.organizationId, organizationId),
        isNull(invites.acceptedAt),
        gt(invites.expiresAt, clock.now().toISOString()),
      ),
    )
    .orderBy(asc(invites.createdAt))
    .all()
}

/** One member of this business's team; another business's people are simply not found. */
export async function getMember(db: PeopleDb, organizationId: string, accountId: string): Promise<TeamMember> {
  const row = await db
    .select(memberColumns)
    .from(memberships)
    .innerJoin(accounts, eq(accounts.id, memberships.accountId))
    .where(and(eq(memberships.organizationId, organizationId), eq(memberships.accountId, accountId)))
    .get()
  if (!row) throw notFound('team member')
  return toMember(row)
}

/**
 * Invites someone by email with a role; the link is made from `baseUrl`. Sent by an API key, the
 * invite is in the name of the business's first owner. Past the plan's team size, 409.
 */
export async function inviteToTeam(
  db: PeopleDb,
  organizationId: string,
  input: { email: string; role: InviteRole; name?: string | undefined },
  invitedBy: string | null,
  baseUrl: string,
): Promise<{ invite_id: string; invite_url: string }> {
  await assertRoomOnTeam(db, organizationId, input.email)
  const by = invitedBy ?? (await firstOwner(db, organizationId))
  const { id, token } = await createInvite(db, organizationId, input.email, input.role, by, input.name ?? null)
  return { invite_id: id, invite_url: `${baseUrl}/invite/${token}` }
}

/**
 * Changes a member's role, name or colour. Demoting the last owner is refused (409). A name is the
 * person's own, shown by every business they work for, so a business renames only someone who
 * works for it alone (409 otherwise).
 */
export async function updateMember(
  db: PeopleDb,
  organizationId: string,
  accountId: string,
  patch: { role?: TeamRole | undefined; name?: string | undefined; color?: string | null | undefined },
): Promise<TeamMember> {
  const member = await getMember(db, organizationId, accountId)
  if (patch.name !== undefined && patch.name !== member.name) {
    const elsewhere = await db
      .select({ organizationId: memberships.organizationId })
      .from(memberships)
      .where(and(eq(memberships.accountId, accountId), ne(memberships.organizationId, organizationId)))
      .get()
    if (elsewhere)
      throw conflict(
        "They are on another business's team too, where the same name shows, so it cannot be changed from here.",
      )
  }
  const demoting = patch.role !== undefined && patch.role !== 'owner' && member.role === 'owner'
  if (demoting) await keepAnOwner(db, organizationId, accountId, 'demote')
  if (patch.role !== undefined || patch.color !== undefined) {
    const changed = await db
      .update(memberships)
      .set({
        ...(patch.role !== undefined ? { role: patch.role } : {}),
        ...(patch.color !== undefined ? { color: patch.color } : {}),
      })
      .where(
        and(
          eq(memberships.organizationId, organizationId),
          eq(memberships.accountId, accountId),
          demoting ? anotherOwner(organizationId, accountId) : undefined,
        ),
      )
      .returning({ accountId: memberships.accountId })
    // Two owners demoting each other at once: the second finds no other owner left.
    if (changed.length === 0) throw demoting ? lastOwner('demote') : notFound('team member')
  }
  if (patch.name !== undefined)
    await db.update(accounts).set({ name: patch.name }).where(eq(accounts.id, accountId)).run()
  if (patch.role !== undefined) forgetSessionsOf(accountId, organizationId)
  return getMember(db, organizationId, accountId)
}

/** Takes someone off the team and ends their sessions in this business. Removing the last owner is refused (409). */
export async function removeMember(db: PeopleDb, organizationId: string, accountId: string): Promise<void> {
  const member = await getMember(db, organizationId, accountId)
  const owner = member.role === 'owner'
  if (owner) await keepAnOwner(db, organizationId, accountId, 'remove')
  const removed = await db
    .delete(memberships)
    .where(
      and(
        eq(memberships.organizationId, organizationId),
        eq(memberships.accountId, accountId),
        owner ? anotherOwner(organizationId, accountId) : undefined,
      ),
    )
    .returning({ accountId: memberships.accountId })
  // Two owners removing each other at once: the second finds no other owner left.
  if (removed.length === 0) throw owner ? lastOwner('remove') : notFound('team member')
  await db
    .delete(sessions)
    .where(and(eq(sessions.organizationId, organizationId), eq(sessions.accountId, accountId)))
    .run()
  forgetSessionsOf(accountId, organizationId)
}

const lastOwner = (doing: 'demote' | 'remove') =>
  conflict(`A business needs an owner: make someone else an owner before you ${doing} this one.`)

/** True while the business has an owner besides `accountId`: the condition of the write itself, so two at once cannot both pass. */
const anotherOwner = (organizationId: string, accountId: string) =>
  sql`exists (select 1 from memberships o where o.organization_id = ${organizationId} and o.role = 'owner' and o.account_id != ${accountId})`

/** 409 unless another owner remains. */
async function keepAnOwner(db: PeopleDb, organizationId: string, accountId: string, doing: 'demote' | 'remove') {
  const others = await db
    .select({ n: sql<number>`count(*)` })
    .from(memberships)
    .where(
      and(
        eq(memberships.organizationId, organizationId),
        eq(memberships.role, 'owner'),
        ne(memberships.accountId, accountId),
      ),
    )
    .get()
  if ((others?.n ?? 0) === 0) throw lastOwner(doing)
}

async function firstOwner(db: PeopleDb, organizationId: string): Promise<string> {
  const row = await db
    .select({ id: memberships.accountId })
    .from(memberships)
    .where(and(eq(memberships.organizationId, organizationId), eq(memberships.role, 'owner')))
    .orderBy(asc(memberships.createdAt))
    .get()
  if (!row) throw conflict('This business has no owner to send the invite from.')
  return row.id
}

/** A crew must be people of this business's team; anyone else (another business's people included) is a 400. */
export async function assertOnTeam(db: PeopleDb, organizationId: string, userIds: string[] | undefined): Promise<void> {
  if (!userIds || userIds.length === 0) return
  const unique = [...new Set(userIds)]
  const found = await db
    .select({ id: memberships.accountId })
    .from(memberships)
    .where(and(eq(memberships.organizationId, organizationId), inArray(memberships.accountId, unique)))
    .all()
  const known = new Set(found.map((r) => r.id))
  const missing = unique.findIndex((u) => !known.has(u))
  if (missing >= 0) {
    throw invalidInput([
      { path: `assigned_to.${userIds.indexOf(unique[missing]!)}`, message: "is not on this business's team" },
    ])
  }
}
