/** The sync log: every step of every sync, in and out, with its outcome (seed 003: sync_logs). */
import { desc, eq } from 'drizzle-orm'
import type { OrgDb } from '../db'
import { syncLog, type SyncStatus } from '../schema'

export type SyncEntry = {
  connectionId: string | null
  provider: string
  direction: 'inbound' | 'outbound'
  step: string
  status: SyncStatus
  eventKey?: string | null
  topic?: string | null
  externalId?: string | null
  orgClientId?: string | null
  attempt?: number
  detail?: string | null
}

export type SyncRow = typeof syncLog.$inferSelect

/** Appends one entry and returns its id. */
export function recordSync(db: OrgDb, e: SyncEntry, at = new Date().toISOString()): string {
  const id = crypto.randomUUID()
  db.insert(syncLog)
    .values({
      id,
      connectionId: e.connectionId,
      provider: e.provider,
      direction: e.direction,
      step: e.step,
      status: e.status,
      eventKey: e.eventKey ?? null,
      topic: e.topic ?? null,
      externalId: e.externalId ?? null,
      orgClientId: e.orgClientId ?? null,
      attempt: e.attempt ?? 1,
      detail: e.detail ? e.detail.slice(0, 2000) : null,
      at,
    })
    .run()
  return id
}

/** The newest entries, of one connection or of all. */
export function listSync(db: OrgDb, q: { connectionId?: string; limit: number }): SyncRow[] {
  const query = db.select().from(syncLog)
  return (q.connectionId ? query.where(eq(syncLog.connectionId, q.connectionId)) : query)
    .orderBy(desc(syncLog.at), desc(syncLog.id))
    .limit(q.limit)
    .all()
}
