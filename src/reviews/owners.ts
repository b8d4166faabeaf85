/** Who hears about a low rating: the organization's owners, from the registry. */
import { and, asc, eq } from 'drizzle-orm'
import type { PeopleDb } from '../db'
import { accounts, memberships } from '../people/schema'

export type Owner = { account_id: string; email: string }

/** The organization's owners with their sign-in emails, the founding owner first. */
export async function ownersOf(db: PeopleDb, organizationId: string): Promise<Owner[]> {
  return db
    .select({ account_id: accounts.id, email: accounts.email })
    .from(memberships)
    .innerJoin(accounts, eq(accounts.id, memberships.accountId))
    .where(and(eq(memberships.organizationId, organizationId), eq(memberships.role, 'owner')))
    .orderBy(asc(memberships.createdAt), asc(accounts.id))
    .all()
}
