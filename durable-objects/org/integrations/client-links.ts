/**
 * A client's CRM link made visible (seed 003's "Contact CRM link"): the CRM customer each
 * connection maps the client to, linked and unlinked by staff, its recent sync log, and a manual
 * sync that pushes the client's recent texts now.
 */
import { and, desc, eq, inArray } from 'drizzle-orm'
import { conflict, notFound } from '../../../src/errors'
import { clientNaming } from '../crm/client-list'
import type { OrgDb } from '../db'
import { connections, externalMappings, messages, orgClients, type Provider, syncLog } from '../schema'
import { syncSettings } from './connection-settings'
import { connectionRow, requireConnection } from './connections'
import type { PushNote } from './push-targets'
import { recordSync, type SyncRow } from './sync-log'

/** One link as the API shows it (`GET /api/v1/clients/{id}/crm`). */
export type ClientLink = {
  connection_id: string
  provider: Provider
  external_id: string
  linked_by: 'match' | 'staff' | 'webhook' | 'push'
  last_synced_at: string | null
}

/** How many of the client's latest texts a manual sync looks at. */
const SYNC_RECENT_TEXTS = 10

function requireClient(db: OrgDb, orgClientId: string): void {
  if (!db.select({ id: orgClients.id }).from(orgClients).where(eq(orgClients.id, orgClientId)).get())
    throw notFound('client')
}

/** The client's links, one per connection that still exists, oldest connection first. */
export function clientLinks(db: OrgDb, orgClientId: string): ClientLink[] {
  requireClient(db, orgClientId)
  return db
    .select({
      connection_id: externalMappings.connectionId,
      provider: externalMappings.provider,
      external_id: externalMappings.externalId,
      linked_by: externalMappings.linkedBy,
      last_synced_at: externalMappings.lastSyncedAt,
    })
    .from(externalMappings)
    .innerJoin(connections, eq(connections.id, externalMappings.connectionId))
    .where(and(eq(externalMappings.entity, 'client'), eq(externalMappings.localId, orgClientId)))
    .orderBy(connections.createdAt, externalMappings.externalId)
    .all()
}

/**
 * Links the client to a CRM customer by hand, replacing the client's earlier link on that
 * connection. A customer already linked to another client of ours is a 409 naming that client.
 */
export function linkClient(
  db: OrgDb,
  orgClientId: string,
  link: { connection_id: string; external_id: string },
  now = new Date(),
): ClientLink {
  requireClient(db, orgClientId)
  const connection = requireConnection(db, link.connection_id)
  const taken = db
    .select({ localId: externalMappings.localId })
    .from(externalMappings)
    .where(
      and(
        eq(externalMappings.provider, connection.provider),
        eq(externalMappings.entity, 'client'),
        eq(externalMappings.externalId, link.external_id),
      ),
    )
    .get()
  if (taken && taken.localId !== orgClientId) {
    const naming = clientNaming(db, [taken.localId])[taken.localId]
    const name = [naming?.first_name, naming?.last_name].filter(Boolean).join(' ') || 'another client'
    throw conflict(`This customer is already linked to ${name}. Unlink it there first.`)
  }
  db.delete(externalMappings)
    .where(
      and(
        eq(externalMappings.connectionId, connection.id),
        eq(externalMappings.entity, 'client'),
        eq(externalMappings.localId, orgClientId),
      ),
    )
    .run()
  const at = now.toISOString()
  db.insert(externalMappings)
    .values({
      provider: connection.provider,
      entity: 'client',
      externalId: link.external_id,
      localId: orgClientId,
      connectionId: connection.id,
      // No provider time yet: the CRM's next change of this customer applies.
      updatedAt: '',
      linkedBy: 'staff',
      lastSyncedAt: null,
    })
    .onConflictDoUpdate({
      target: [externalMappings.provider, externalMappings.entity, externalMappings.externalId],
      set: { localId: orgClientId, connectionId: connection.id, updatedAt: '', linkedBy: 'staff', lastSyncedAt: null },
    })
    .run()
  recordSync(
    db,
    {
      connectionId: connection.id,
      provider: connection.provider,
      direction: 'outbound',
      step: 'link',
      status: 'ok',
      externalId: link.external_id,
      orgClientId,
      detail: 'linked by staff',
    },
    at,
  )
  return {
    connection_id: connection.id,
    provider: connection.provider,
    external_id: link.external_id,
    linked_by: 'staff',
    last_synced_at: null,
  }
}

/** Unlinks the client from its customer on the connection; 404 when there is no such link. */
export function unlinkClient(db: OrgDb, orgClientId: string, connectionId: string, now = new Date()): void {
  requireClient(db, orgClientId)
  const connection = requireConnection(db, connectionId)
  const removed = db
    .delete(externalMappings)
    .where(
      and(
        eq(externalMappings.connectionId, connectionId),
        eq(externalMappings.entity, 'client'),
        eq(externalMappings.localId, orgClientId),
      ),
    )
    .returning({ externalId: externalMappings.externalId })
    .all()
  if (removed.length === 0) throw notFound('CRM link')
  // A client made from that customer keeps its source, but no longer names the customer: nothing is pushed to it.
  db.update(orgClients)
    .set({ externalId: null })
    .where(
      and(
        eq(orgClients.id, orgClientId),
        eq(orgClients.source, connection.provider),
        inArray(
          orgClients.externalId,
          removed.map((r) => r.externalId),
        ),
      ),
    )
    .run()
  recordSync(
    db,
    {
      connectionId,
      provider: connection.provider,
      direction: 'outbound',
      step: 'unlink',
      status: 'ok',
      externalId: removed[0]!.externalId,
      orgClientId,
      detail: 'unlinked by staff',
    },
    now.toISOString(),
  )
}

/** The client's newest sync-log rows, of every connection. */
export function clientSyncLog(db: OrgDb, orgClientId: string, limit: number): SyncRow[] {
  return db
    .select()
    .from(syncLog)
    .where(eq(syncLog.orgClientId, orgClientId))
    .orderBy(desc(syncLog.at), desc(syncLog.id))
    .limit(limit)
    .all()
}

/** The client's recent sent texts not yet noted on the customer, as pushes (none when the connection does not sync messages). */
export function pendingTexts(db: OrgDb, link: ClientLink, orgClientId: string, now: Date): PushNote[] {
  if (!syncSettings(connectionRow(db, link.connection_id)?.settings).sync_messages) return []
  const recent = db
    .select({ id: messages.id, body: messages.body, sentAt: messages.sentAt })
    .from(messages)
    .where(
      and(
        eq(messages.orgClientId, orgClientId),
        eq(messages.channel, 'sms'),
        inArray(messages.status, ['sent', 'delivered']),
      ),
    )
    .orderBy(desc(messages.createdAt))
    .limit(SYNC_RECENT_TEXTS)
    .all()
  if (recent.length === 0) return []
  const pushed = new Set(
    db
      .select({ key: syncLog.eventKey })
      .from(syncLog)
      .where(
        and(
          eq(syncLog.connectionId, link.connection_id),
          eq(syncLog.step, 'push'),
          eq(syncLog.status, 'ok'),
          inArray(
            syncLog.eventKey,
            recent.map((m) => m.id),
          ),
        ),
      )
      .all()
      .map((r) => r.key),
  )
  return recent
    .filter((m) => !pushed.has(m.id))
    .reverse()
    .map((m) => ({
      type: 'crm_push',
      connection_id: link.connection_id,
      provider: link.provider as PushNote['provider'],
      org_client_id: orgClientId,
      external_client_id: link.external_id,
      direction: 'outbound',
      body: m.body.slice(0, 1600),
      at: m.sentAt ?? now.toISOString(),
      message_id: m.id,
    }))
}
