/**
 * A day's CRM availability, cached 15 minutes in crm_cache beside the scheduling configuration: one
 * row per connection, date and filters, under the kind `availability:{date}:{job type}:{technician}`
 * (the kind column is free text; the configuration's kinds are read by name and never meet these).
 */
import { and, eq, like, lt, sql } from 'drizzle-orm'
import type { AvailabilityQuery, Slot } from '../../../src/integrations/availability'
import type { OrgDb } from '../db'
import { crmCache } from '../schema'
import { CACHE_TTL_MS } from './cache'

const PREFIX = 'availability:'

/** The cache key of one query. */
export const availabilityKey = (q: AvailabilityQuery) =>
  `${PREFIX}${q.date}:${q.job_type_id ?? ''}:${q.technician_id ?? ''}`

/** The cached slots of a query and when they were read, or null. */
export function cachedAvailability(
  db: OrgDb,
  connectionId: string,
  q: AvailabilityQuery,
): { slots: Slot[]; fetchedAt: string } | null {
  const row = db.all<{ data: string; fetched_at: string }>(
    sql`select data, fetched_at from ${crmCache} where connection_id = ${connectionId} and kind = ${availabilityKey(q)}`,
  )[0]
  if (!row) return null
  try {
    const slots: unknown = JSON.parse(row.data)
    return Array.isArray(slots) ? { slots: slots as Slot[], fetchedAt: row.fetched_at } : null
  } catch {
    return null
  }
}

/** Keeps a query's slots, and forgets this connection's availability older than 15 minutes. */
export function storeAvailability(db: OrgDb, connectionId: string, q: AvailabilityQuery, slots: Slot[], now: Date) {
  const at = now.toISOString()
  db.delete(crmCache)
    .where(
      and(
        eq(crmCache.connectionId, connectionId),
        like(crmCache.kind, `${PREFIX}%`),
        lt(crmCache.fetchedAt, new Date(now.getTime() - CACHE_TTL_MS).toISOString()),
      ),
    )
    .run()
  db.run(sql`insert into ${crmCache} (connection_id, kind, data, fetched_at)
    values (${connectionId}, ${availabilityKey(q)}, ${JSON.stringify(slots)}, ${at})
    on conflict (connection_id, kind) do update set data = excluded.data, fetched_at = excluded.fetched_at`)
}
