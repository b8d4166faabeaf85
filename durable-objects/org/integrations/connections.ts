/**
 * Connections to CRMs and accounting (seed 003: crm_connections, webhook secrets): rows, status
 * changes and the view shown to staff and the API. Secrets arrive here already sealed and never
 * leave through a view.
 */
import { and, desc, eq, ne } from 'drizzle-orm'
import { notFound } from '../../../src/errors'
import type { OrgDb } from '../db'
import { connections, type ConnectionSettings, type ConnectionStatus, type Provider } from '../schema'
import { type SyncSettings, syncSettings } from './connection-settings'

export type ConnectionRow = typeof connections.$inferSelect

/** A connection as staff and the API see it: everything but the secrets. */
export type ConnectionView = {
  id: string
  connection_id: string
  provider: Provider
  status: ConnectionStatus
  /** How HomeBase reaches the provider: OAuth tokens, ServiceTitan's client credentials, or webhooks only. */
  auth: 'oauth' | 'client_credentials' | 'webhook_only' | 'none'
  account_id: string | null
  account_name: string | null
  webhook_url: string
  has_webhook_secret: boolean
  token_expires_at: string | null
  /** The provider's own settings (tenant, signature) and the sync settings with their defaults. */
  settings: ConnectionSettings & SyncSettings
  last_event_at: string | null
  last_sync_at: string | null
  last_error: string | null
  connected_at: string | null
  disconnected_at: string | null
  created_at: string
  updated_at: string
}

export type NewConnection = {
  id: string
  provider: Provider
  status: ConnectionStatus
  accountId?: string | null
  /** Sealed by src/integrations/secrets.ts for `connection:<id>:webhook_secret`. */
  webhookSecret?: string | null
  settings?: ConnectionSettings
}

/** Inserts a connection. */
export function insertConnection(db: OrgDb, c: NewConnection, now = new Date()): ConnectionRow {
  const at = now.toISOString()
  return db
    .insert(connections)
    .values({
      id: c.id,
      provider: c.provider,
      status: c.status,
      accountId: c.accountId ?? null,
      webhookSecret: c.webhookSecret ?? null,
      settings: c.settings ?? {},
      connectedAt: c.status === 'connected' ? at : null,
      createdAt: at,
      updatedAt: at,
    })
    .returning()
    .get()
}

/** One connection, or null. */
export function connectionRow(db: OrgDb, id: string): ConnectionRow | null {
  return db.select().from(connections).where(eq(connections.id, id)).get() ?? null
}

/** One connection, or a 404. */
export function requireConnection(db: OrgDb, id: string): ConnectionRow {
  const row = connectionRow(db, id)
  if (!row) throw notFound('integration')
  return row
}

/** Every connection, newest first. */
export function listConnections(db: OrgDb): ConnectionRow[] {
  return db.select().from(connections).orderBy(desc(connections.createdAt), desc(connections.id)).all()
}

/** The newest connection of a provider that is not disconnected: a reconnect reuses it (and its webhook URL). */
export function liveConnectionOf(db: OrgDb, provider: Provider): ConnectionRow | null {
  return (
    db
      .select()
      .from(connections)
      .where(and(eq(connections.provider, provider), ne(connections.status, 'disconnected')))
      .orderBy(desc(connections.createdAt), desc(connections.id))
      .get() ?? null
  )
}

/** Stores freshly sealed tokens; a refresh that returned no new refresh token keeps the old one. */
export function storeTokens(
  db: OrgDb,
  id: string,
  t: { accessToken: string; refreshToken: string | null; expiresAt: string | null; scopes: string | null },
  now = new Date(),
): void {
  db.update(connections)
    .set({
      accessToken: t.accessToken,
      ...(t.refreshToken ? { refreshToken: t.refreshToken } : {}),
      tokenExpiresAt: t.expiresAt,
      ...(t.scopes ? { scopes: t.scopes } : {}),
      updatedAt: now.toISOString(),
    })
    .where(eq(connections.id, id))
    .run()
}

/**
 * Stores the sealed client credentials a ServiceTitan connection gets its tokens with, in the
 * refresh-token column (client credentials have no refresh token); null uses the app's own.
 */
export function storeClientCredentials(
  db: OrgDb,
  id: string,
  sealed: string | null,
  settings: ConnectionSettings,
  now = new Date(),
): void {
  db.update(connections)
    .set({ refreshToken: sealed, settings, updatedAt: now.toISOString() })
    .where(eq(connections.id, id))
    .run()
}

/** The connection works: its account is known and the error is cleared. */
export function markConnected(
  db: OrgDb,
  id: string,
  account: { id: string | null; name: string | null },
  now = new Date(),
): void {
  const at = now.toISOString()
  db.update(connections)
    .set({
      status: 'connected',
      accountId: account.id,
      accountName: account.name,
      lastError: null,
      connectedAt: at,
      disconnectedAt: null,
      updatedAt: at,
    })
    .where(eq(connections.id, id))
    .run()
}

/** Sets a status that needs the business's attention (token_expired, error) with why. */
export function markTrouble(
  db: OrgDb,
  id: string,
  status: 'token_expired' | 'error',
  error: string,
  now = new Date(),
): void {
  db.update(connections)
    .set({ status, lastError: error.slice(0, 500), updatedAt: now.toISOString() })
    .where(eq(connections.id, id))
    .run()
}

/** Notes when the provider last sent us an event. */
export function markEvent(db: OrgDb, id: string, at: string): void {
  db.update(connections).set({ lastEventAt: at }).where(eq(connections.id, id)).run()
}

/** Notes when we last wrote to the provider successfully. */
export function markSynced(db: OrgDb, id: string, at: string): void {
  db.update(connections).set({ lastSyncAt: at }).where(eq(connections.id, id)).run()
}

/** Merges sync settings into the stored ones: what is sent replaces what was; the provider's own settings stay. */
export function updateSyncSettings(
  db: OrgDb,
  id: string,
  patch: Partial<SyncSettings>,
  now = new Date(),
): ConnectionRow {
  const row = requireConnection(db, id)
  return db
    .update(connections)
    .set({ settings: { ...row.settings, ...patch }, updatedAt: now.toISOString() })
    .where(eq(connections.id, id))
    .returning()
    .get()
}

/** Disconnects: tokens, credentials and the webhook secret are erased; the row stays for its log. */
export function disconnect(db: OrgDb, id: string, reason: string, now = new Date()): ConnectionRow {
  requireConnection(db, id)
  const at = now.toISOString()
  return db
    .update(connections)
    .set({
      status: 'disconnected',
      accessToken: null,
      refreshToken: null,
      tokenExpiresAt: null,
      webhookSecret: null,
      lastError: reason.slice(0, 500),
      disconnectedAt: at,
      updatedAt: at,
    })
    .where(eq(connections.id, id))
    .returning()
    .get()
}

/** The view of a row; `webhookUrl` is built by the caller, which knows the public base URL. */
export function toView(row: ConnectionRow, webhookUrl: string): ConnectionView {
  return {
    id: row.id,
    connection_id: row.id,
    provider: row.provider,
    status: row.status,
    auth: authOf(row),
    account_id: row.accountId,
    account_name: row.accountName,
    webhook_url: webhookUrl,
    has_webhook_secret: row.webhookSecret !== null,
    token_expires_at: row.tokenExpiresAt,
    settings: publicSettings(row.settings),
    last_event_at: row.lastEventAt,
    last_sync_at: row.lastSyncAt,
    last_error: row.lastError,
    connected_at: row.connectedAt,
    disconnected_at: row.disconnectedAt,
    created_at: row.createdAt,
    updated_at: row.updatedAt,
  }
}

function authOf(row: ConnectionRow): ConnectionView['auth'] {
  if (row.provider === 'servicetitan' && row.accessToken) return 'client_credentials'
  if (row.accessToken) return 'oauth'
  return row.webhookSecret ? 'webhook_only' : 'none'
}

const publicSettings = (s: ConnectionSettings): ConnectionSettings & SyncSettings => ({
  ...syncSettings(s),
  ...(s.tenant_id ? { tenant_id: s.tenant_id } : {}),
  ...(s.signature_header ? { signature_header: s.signature_header } : {}),
  ...(s.signature_encoding ? { signature_encoding: s.signature_encoding } : {}),
})
