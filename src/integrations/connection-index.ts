/**
 * The D1 index of connections (integration_routes): which organization a webhook belongs to, by
 * connection id (its own webhook URL) or by provider account id (app-wide webhooks).
 */
import { eq } from 'drizzle-orm'
import type { PeopleDb } from '../db'
import { integrationRoutes } from '../people/schema'

export type RouteEntry = { connectionId: string; organizationId: string; provider: string; accountId: string | null }

/** Adds (or refreshes) a connection's row. */
export async function indexConnection(db: PeopleDb, entry: RouteEntry): Promise<void> {
  await db
    .insert(integrationRoutes)
    .values(entry)
    .onConflictDoUpdate({
      target: integrationRoutes.connectionId,
      set: { organizationId: entry.organizationId, provider: entry.provider, accountId: entry.accountId },
    })
    .run()
}

/** Records the provider account a connection turned out to act for. */
export async function setIndexedAccount(db: PeopleDb, connectionId: string, accountId: string | null): Promise<void> {
  await db.update(integrationRoutes).set({ accountId }).where(eq(integrationRoutes.connectionId, connectionId)).run()
}

/** Drops a disconnected connection's row, so its webhooks find no organization. */
export async function unindexConnection(db: PeopleDb, connectionId: string): Promise<void> {
  await db.delete(integrationRoutes).where(eq(integrationRoutes.connectionId, connectionId)).run()
}
