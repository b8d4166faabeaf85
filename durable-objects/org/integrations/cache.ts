/** The scheduling configuration cache (crm_cache): each kind of each connection, kept 15 minutes. */
import { eq } from 'drizzle-orm'
import type { ConfigItem, ConfigKind } from '../../../src/integrations/scheduling'
import type { OrgDb } from '../db'
import { crmCache } from '../schema'

export const CACHE_TTL_MS = 15 * 60_000

/** One kind as shown on the card: null items when the provider could not be read and nothing was cached. */
export type CachedKind = { kind: ConfigKind; items: ConfigItem[] | null; fetched_at: string | null }

/** What is cached for a connection, by kind. */
export function cachedConfig(
  db: OrgDb,
  connectionId: string,
): Map<ConfigKind, { items: ConfigItem[]; fetchedAt: string }> {
  const rows = db.select().from(crmCache).where(eq(crmCache.connectionId, connectionId)).all()
  return new Map(rows.map((r) => [r.kind, { items: r.data, fetchedAt: r.fetchedAt }]))
}

/** True when the cached entry is younger than 15 minutes. */
export const isFresh = (fetchedAt: string, now: Date) => now.getTime() - Date.parse(fetchedAt) < CACHE_TTL_MS

/** Replaces one kind's cached list. */
export function storeConfig(
  db: OrgDb,
  connectionId: string,
  kind: ConfigKind,
  items: ConfigItem[],
  now = new Date(),
): void {
  const row = { connectionId, kind, data: items, fetchedAt: now.toISOString() }
  db.insert(crmCache)
    .values(row)
    .onConflictDoUpdate({
      target: [crmCache.connectionId, crmCache.kind],
      set: { data: items, fetchedAt: row.fetchedAt },
    })
    .run()
}

/** Forgets a connection's cache (on disconnect). */
export function clearConfig(db: OrgDb, connectionId: string): void {
  db.delete(crmCache).where(eq(crmCache.connectionId, connectionId)).run()
}
