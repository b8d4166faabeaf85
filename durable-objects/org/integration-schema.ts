/**
 * Drizzle schema of an organization's CRM and accounting connections (seed 003: connections,
 * sync logs, contact mappings, webhook secrets, scheduling config). Re-exported by `schema.ts`.
 * Tokens and secrets are stored sealed by src/integrations/secrets.ts, never in the clear.
 */
import { sql } from 'drizzle-orm'
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core'

const now = sql`(strftime('%Y-%m-%dT%H:%M:%fZ','now'))`

export const PROVIDERS = ['jobber', 'housecallpro', 'servicetitan', 'quickbooks'] as const
export type Provider = (typeof PROVIDERS)[number]
export const CONNECTION_STATUSES = ['pending', 'connected', 'token_expired', 'disconnected', 'error'] as const
export type ConnectionStatus = (typeof CONNECTION_STATUSES)[number]

/** Per-connection settings that are not secret. */
export type ConnectionSettings = {
  /** ServiceTitan: the tenant the client credentials act for. */
  tenant_id?: string
  /** ServiceTitan: where and how its HMAC signature arrives (default `x-servicetitan-signature`, base64). */
  signature_header?: string
  signature_encoding?: 'base64' | 'hex'
  /** Seed 003's sync settings (connection-settings.ts applies the defaults: all on, no service map). */
  sync_messages?: boolean
  sync_calls?: boolean
  push_new_clients?: boolean
  /** CRM events that end a client's journey and campaign enrollments. */
  stop_journeys_on?: string[]
  /** The CRM's job type id → our service id. */
  service_map?: Record<string, string>
}

/** One connection to a provider account (seed 003: crm_connections / integrations_*). */
export const connections = sqliteTable(
  'connections',
  {
    id: text('id').primaryKey(),
    provider: text('provider', { enum: PROVIDERS }).notNull(),
    status: text('status', { enum: CONNECTION_STATUSES }).notNull().default('pending'),
    /** The provider's id of the account (Jobber account, QuickBooks realm, ServiceTitan tenant, HCP company). */
    accountId: text('account_id'),
    accountName: text('account_name'),
    /** Sealed secrets (`hb1.<kid>.<iv>.<ct>`), bound to this row and field. */
    webhookSecret: text('webhook_secret'),
    accessToken: text('access_token'),
    refreshToken: text('refresh_token'),
    tokenExpiresAt: text('token_expires_at'),
    scopes: text('scopes'),
    settings: text('settings', { mode: 'json' }).$type<ConnectionSettings>().notNull().default(sql`'{}'`),
    lastEventAt: text('last_event_at'),
    lastSyncAt: text('last_sync_at'),
    lastError: text('last_error'),
    connectedAt: text('connected_at'),
    disconnectedAt: text('disconnected_at'),
    createdAt: text('created_at').notNull().default(now),
    updatedAt: text('updated_at').notNull().default(now),
  },
  (t) => [index('connections_provider_idx').on(t.provider, t.status)],
)

export const SYNC_STATUSES = ['ok', 'error', 'skipped', 'retry'] as const
export type SyncStatus = (typeof SYNC_STATUSES)[number]

/** Every step of every sync, in and out, with its outcome (seed 003: sync_logs). */
export const syncLog = sqliteTable(
  'sync_log',
  {
    id: text('id').primaryKey(),
    connectionId: text('connection_id'),
    provider: text('provider').notNull(),
    direction: text('direction', { enum: ['inbound', 'outbound'] }).notNull(),
    /** webhook, fetch, apply, push, oauth, refresh, disconnect… */
    step: text('step').notNull(),
    status: text('status', { enum: SYNC_STATUSES }).notNull(),
    eventKey: text('event_key'),
    topic: text('topic'),
    externalId: text('external_id'),
    orgClientId: text('org_client_id'),
    attempt: integer('attempt').notNull().default(1),
    detail: text('detail'),
    at: text('at').notNull().default(now),
  },
  (t) => [index('sync_log_connection_idx').on(t.connectionId, t.at), index('sync_log_at_idx').on(t.at)],
)

export const MAPPED_ENTITIES = ['client', 'job', 'invoice', 'payment'] as const
export type MappedEntity = (typeof MAPPED_ENTITIES)[number]

/** A provider's record ↔ ours (seed 003: contact_mappings, widened to jobs and invoices). */
export const externalMappings = sqliteTable(
  'external_mappings',
  {
    provider: text('provider', { enum: PROVIDERS }).notNull(),
    entity: text('entity', { enum: MAPPED_ENTITIES }).notNull(),
    externalId: text('external_id').notNull(),
    localId: text('local_id').notNull(),
    connectionId: text('connection_id').notNull(),
    updatedAt: text('updated_at').notNull().default(now),
    /** How the link was made: matched on contact details, by staff, from a webhook, or by our push. */
    linkedBy: text('linked_by', { enum: ['match', 'staff', 'webhook', 'push'] })
      .notNull()
      .default('webhook'),
    /** When the record last went either way between us and the CRM. */
    lastSyncedAt: text('last_synced_at'),
  },
  (t) => [
    primaryKey({ columns: [t.provider, t.entity, t.externalId] }),
    index('external_mappings_local_idx').on(t.entity, t.localId),
  ],
)

/**
 * Each verified webhook delivery, once per provider event id (or body hash when the provider
 * sends none): a replay finds its row and is acknowledged without work.
 */
export const webhookReceipts = sqliteTable(
  'webhook_receipts',
  {
    id: text('id').primaryKey(),
    provider: text('provider').notNull(),
    eventKey: text('event_key').notNull(),
    connectionId: text('connection_id'),
    topic: text('topic'),
    body: text('body').notNull(),
    status: text('status', { enum: ['received', 'processed', 'failed', 'ignored'] })
      .notNull()
      .default('received'),
    receivedAt: text('received_at').notNull().default(now),
    processedAt: text('processed_at'),
    error: text('error'),
  },
  (t) => [
    uniqueIndex('webhook_receipts_key_uq').on(t.provider, t.eventKey),
    index('webhook_receipts_at_idx').on(t.receivedAt),
  ],
)

/** A connection's scheduling configuration (job types, business units, technicians), kept 15 minutes. */
export const crmCache = sqliteTable(
  'crm_cache',
  {
    connectionId: text('connection_id').notNull(),
    kind: text('kind', { enum: ['job_types', 'business_units', 'technicians'] }).notNull(),
    data: text('data', { mode: 'json' }).$type<Array<{ id: string; name: string }>>().notNull(),
    fetchedAt: text('fetched_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.connectionId, t.kind] })],
)
