/**
 * External mappings for applying CRM changes: a provider's client, job, invoice or payment id
 * ↔ ours. `updated_at` holds the provider's own time of the last change applied ('' when the
 * provider gave none), so an older, late delivery never overwrites a newer one.
 */
import { and, eq } from 'drizzle-orm'
import type { OrgDb } from '../db'
import { externalMappings, type MappedEntity, type Provider } from '../schema'
import { recordSync, type SyncEntry } from './sync-log'

/** Which delivery a change comes from, for mappings and the sync log. */
export type ChangeContext = { provider: Provider; connectionId: string; eventKey: string; topic: string | null }

export type Mapping = { localId: string; updatedAt: string }

/** Our id for the provider's record, with the provider time last applied; null when unmapped. */
export function findMapping(db: OrgDb, provider: Provider, entity: MappedEntity, externalId: string): Mapping | null {
  return (
    db
      .select({ localId: externalMappings.localId, updatedAt: externalMappings.updatedAt })
      .from(externalMappings)
      .where(
        and(
          eq(externalMappings.provider, provider),
          eq(externalMappings.entity, entity),
          eq(externalMappings.externalId, externalId),
        ),
      )
      .get() ?? null
  )
}

/** How a link came about: our client made from the CRM's (`webhook`), found by its phone or email (`match`), or the CRM's made from ours (`push`). */
export type LinkedBy = 'webhook' | 'match' | 'push'

/**
 * Links the provider's record to ours, noting when it last synced; the stored provider time only
 * moves forward. A link to the same record keeps how it was first made (a staff link stays one).
 */
export function linkMapping(
  db: OrgDb,
  ctx: ChangeContext,
  entity: MappedEntity,
  externalId: string,
  localId: string,
  providerTime: string | null,
  linkedBy: LinkedBy = 'webhook',
  now = new Date(),
): void {
  const current = findMapping(db, ctx.provider, entity, externalId)
  const keep = current !== null && (providerTime === null || isStale(current, providerTime))
  const updatedAt = keep ? current.updatedAt : (providerTime ?? '')
  const lastSyncedAt = now.toISOString()
  const relinked = current?.localId !== localId
  db.insert(externalMappings)
    .values({
      provider: ctx.provider,
      entity,
      externalId,
      localId,
      connectionId: ctx.connectionId,
      updatedAt,
      linkedBy,
      lastSyncedAt,
    })
    .onConflictDoUpdate({
      target: [externalMappings.provider, externalMappings.entity, externalMappings.externalId],
      set: { localId, connectionId: ctx.connectionId, updatedAt, lastSyncedAt, ...(relinked ? { linkedBy } : {}) },
    })
    .run()
}

/** True when a change stamped `providerTime` is older than the one already applied. */
export function isStale(mapping: Mapping | null, providerTime: string | null): boolean {
  return (
    mapping !== null &&
    providerTime !== null &&
    mapping.updatedAt !== '' &&
    Date.parse(providerTime) < Date.parse(mapping.updatedAt)
  )
}

/** One `apply` row in the sync log for this change. */
export function logApply(
  db: OrgDb,
  ctx: ChangeContext,
  entry: Pick<SyncEntry, 'status' | 'externalId' | 'orgClientId' | 'detail'>,
): void {
  recordSync(db, {
    connectionId: ctx.connectionId,
    provider: ctx.provider,
    direction: 'inbound',
    step: 'apply',
    eventKey: ctx.eventKey,
    topic: ctx.topic,
    ...entry,
  })
}
