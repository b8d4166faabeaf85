/**
 * Webhook receipts: each verified delivery stored once per provider event key, so a replay is
 * acknowledged without work, and its processing outcome (processed, failed, ignored) recorded.
 */
import { and, eq } from 'drizzle-orm'
import type { OrgDb } from '../db'
import { connections, webhookReceipts, type ConnectionSettings, type ConnectionStatus } from '../schema'
import { recordSync } from './sync-log'

export type NewReceipt = {
  provider: string
  connectionId: string | null
  eventKey: string
  topic: string | null
  body: string
  /** The sealed secret the delivery was verified with (`WebhookConnection.secretSeal`); omitted when not the connection's own. */
  secretSeal?: string | null
}

/**
 * The stored receipt. `duplicate`: the key was seen before; `retry`: it was seen but its
 * processing failed, so the redelivery is worth processing again. `refused`: nothing was stored,
 * as the connection it names is not live (a caller that does not look sees a duplicate: nothing to queue).
 */
export type StoredReceipt = {
  receipt_id: string
  duplicate: boolean
  retry: boolean
  at: string
  refused?: Refusal
}

/** Why a delivery was refused: its connection is gone, disconnected or another provider's; or its secret changed since it was verified. */
export type Refusal = 'connection_not_live' | 'secret_changed'

export type Receipt = typeof webhookReceipts.$inferSelect

export type ReceiptOutcome = 'processed' | 'failed' | 'ignored'

/** What a webhook route needs to know about a connection before it verifies a delivery. */
export type WebhookConnection = {
  id: string
  provider: string
  status: ConnectionStatus
  accountId: string | null
  settings: ConnectionSettings
  /** The secret as sealed at rest: a new secret (even the same one saved again) is sealed anew, so this tells a change. */
  secretSeal: string | null
}

/** The connection a webhook URL names, or null. */
export function connectionForWebhook(db: OrgDb, connectionId: string): WebhookConnection | null {
  return (
    db
      .select({
        id: connections.id,
        provider: connections.provider,
        status: connections.status,
        accountId: connections.accountId,
        settings: connections.settings,
        secretSeal: connections.webhookSecret,
      })
      .from(connections)
      .where(eq(connections.id, connectionId))
      .get() ?? null
  )
}

/** Why a delivery for this connection may not be stored, or null: it must be live, `provider`'s, and verified with its current secret. */
export function refusal(db: OrgDb, input: NewReceipt & { connectionId: string }): Refusal | null {
  const row = connectionForWebhook(db, input.connectionId)
  if (!row || row.provider !== input.provider || row.status === 'disconnected') return 'connection_not_live'
  if (input.secretSeal !== undefined && input.secretSeal !== row.secretSeal) return 'secret_changed'
  return null
}

/** Stores a verified delivery once; a known key comes back as a duplicate with its first receipt's id. */
export function storeReceipt(db: OrgDb, input: NewReceipt, at = new Date().toISOString()): StoredReceipt {
  const id = crypto.randomUUID()
  const inserted = db
    .insert(webhookReceipts)
    .values({
      id,
      provider: input.provider,
      eventKey: input.eventKey,
      connectionId: input.connectionId,
      topic: input.topic,
      body: input.body,
      receivedAt: at,
    })
    .onConflictDoNothing()
    .returning({ id: webhookReceipts.id })
    .get()
  const log = {
    connectionId: input.connectionId,
    provider: input.provider,
    direction: 'inbound' as const,
    step: 'webhook',
    eventKey: input.eventKey,
    topic: input.topic,
  }
  if (inserted) {
    recordSync(db, { ...log, status: 'ok', detail: 'received' }, at)
    return { receipt_id: id, duplicate: false, retry: false, at }
  }
  const first = db.select().from(webhookReceipts).where(eqKey(input.provider, input.eventKey)).get()!
  const retry = first.status === 'failed'
  if (retry)
    db.update(webhookReceipts).set({ status: 'received', error: null }).where(eq(webhookReceipts.id, first.id)).run()
  recordSync(
    db,
    {
      ...log,
      status: retry ? 'retry' : 'skipped',
      detail: retry ? 'redelivered after a failure: processing again' : 'duplicate: already received',
    },
    at,
  )
  return { receipt_id: first.id, duplicate: true, retry, at }
}

function eqKey(provider: string, eventKey: string) {
  return and(eq(webhookReceipts.provider, provider), eq(webhookReceipts.eventKey, eventKey))
}

/** Drops a receipt whose processing could not be queued, so the provider's retry is taken as new. */
export function forgetReceipt(db: OrgDb, id: string): void {
  db.delete(webhookReceipts).where(eq(webhookReceipts.id, id)).run()
}

/** One receipt, or null. */
export function getReceipt(db: OrgDb, id: string): Receipt | null {
  return db.select().from(webhookReceipts).where(eq(webhookReceipts.id, id)).get() ?? null
}

/** Records how processing ended; a processed receipt stays processed (a late, concurrent failure does not undo it). */
export function finishReceipt(
  db: OrgDb,
  id: string,
  outcome: ReceiptOutcome,
  error: string | null = null,
  at = new Date().toISOString(),
): void {
  const current = getReceipt(db, id)
  if (!current || (current.status === 'processed' && outcome === 'failed')) return
  db.update(webhookReceipts)
    .set({ status: outcome, error: error ? error.slice(0, 2000) : null, processedAt: at })
    .where(eq(webhookReceipts.id, id))
    .run()
}
