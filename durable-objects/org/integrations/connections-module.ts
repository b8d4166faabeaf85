/**
 * The ORG object's connections to CRMs and accounting once made: their views and sync log, webhook
 * secrets, access tokens, scheduling config, and pushes to the CRM. Connecting is in connect-module.ts.
 */
import { and, eq, inArray } from 'drizzle-orm'
import type { Env } from '../../../src/env'
import { invalidInput, notFound, conflict } from '../../../src/errors'
import {
  type AvailabilityQuery,
  DEFAULT_SLOT_MINUTES,
  fetchAvailability,
  ProviderError,
  SCHEDULING_PROVIDERS,
  type Slot,
} from '../../../src/integrations/availability'
import { webhookUrl } from '../../../src/integrations/endpoints'
import { fetchConfigKind, KINDS_OF } from '../../../src/integrations/scheduling'
import type { OrgHost } from '../host'
import { attempt, type Result } from '../result'
import * as availability from './availability'
import * as cache from './cache'
import * as connections from './connections'
import { type SyncSettings, syncSettings } from './connection-settings'
import { type PushNote, pushesForReceived, pushesForSent } from './push-targets'
import { listSync, recordSync, type SyncRow } from './sync-log'
import * as tokens from './tokens'
import { type ConnectionSettings, externalMappings, PROVIDERS, type Provider, services } from '../schema'

export type PushAttempt = {
  status: 'ok' | 'retry' | 'error' | 'skipped'
  attempt: number
  orgClientId: string
  externalId: string
  messageId: string
  direction: string
  /** The sync log's topic when not a text's (`sms_<direction>`): a call's is `call_<direction>`. */
  topic?: string
  detail: string
}
/** One provider's card: its current connection (if any) and recent log. */
export type ProviderOverview = { provider: Provider; connection: connections.ConnectionView | null; log: SyncRow[] }

export type ConnectionsHost = Pick<OrgHost, 'db' | 'env' | 'run' | 'write' | 'clock' | 'tz'>

/** A day's free slots and where they came from, or what the provider did wrong (the API's 502). */
export type Availability = { slots: Slot[]; source: 'crm' | 'cache'; fetched_at: string } | { provider_error: string }

/** A connection as the API and pages show it, with the webhook URL its provider posts to. */
export function connectionView(env: Env, row: connections.ConnectionRow): connections.ConnectionView {
  return connections.toView(row, webhookUrl(env, row.provider, row.id))
}

export class Connections {
  /** Renewals in flight, so two callers never spend one (rotating) refresh token twice. */
  private readonly renewals = new Map<string, Promise<string | null>>()

  constructor(private readonly host: ConnectionsHost) {}

  listConnections(): connections.ConnectionView[] {
    return connections.listConnections(this.host.db).map((row) => this.view(row))
  }

  getConnection(connectionId: string): connections.ConnectionView | null {
    const row = connections.connectionRow(this.host.db, connectionId)
    return row ? this.view(row) : null
  }

  /** A connection's sync log, newest first; null when there is no such connection. */
  connectionLog(connectionId: string, limit: number): SyncRow[] | null {
    return connections.connectionRow(this.host.db, connectionId)
      ? listSync(this.host.db, { connectionId, limit })
      : null
  }

  /** Every provider's card for the Integrations page. */
  integrationsOverview(): ProviderOverview[] {
    const all = connections.listConnections(this.host.db)
    return PROVIDERS.map((provider) => {
      const row =
        all.find((c) => c.provider === provider && c.status !== 'disconnected') ??
        all.find((c) => c.provider === provider) ??
        null
      return {
        provider,
        connection: row ? this.view(row) : null,
        log: row ? listSync(this.host.db, { connectionId: row.id, limit: 10 }) : [],
      }
    })
  }

  /** The connection's webhook secret in the clear, for verifying a delivery; null when it has none. */
  async webhookSecret(connectionId: string): Promise<string | null> {
    const row = connections.connectionRow(this.host.db, connectionId)
    if (!row?.webhookSecret) return null
    return tokens.unseal(this.host.env, connectionId, 'webhook_secret', row.webhookSecret).catch((error: unknown) => {
      console.error('connections: webhook secret does not open', connectionId, error)
      return null
    })
  }

  connectionSettings(connectionId: string): ConnectionSettings | null {
    return connections.connectionRow(this.host.db, connectionId)?.settings ?? null
  }

  /** Changes a connection's sync settings (owners and admins); a service map naming a service we do not have is a 400. */
  updateSyncSettings(connectionId: string, patch: Partial<SyncSettings>): Promise<Result<connections.ConnectionView>> {
    return this.host.write(() => {
      connections.requireConnection(this.host.db, connectionId)
      const wanted = [...new Set(Object.values(patch.service_map ?? {}))]
      const known = new Set(
        wanted.length === 0
          ? []
          : this.host.db
              .select({ id: services.id })
              .from(services)
              .where(inArray(services.id, wanted))
              .all()
              .map((r) => r.id),
      )
      const unknown = Object.entries(patch.service_map ?? {}).filter(([, serviceId]) => !known.has(serviceId))
      if (unknown.length > 0)
        throw invalidInput(
          unknown.map(([jobType]) => ({
            path: `settings.service_map.${jobType}`,
            message: 'is not one of your services',
          })),
        )
      return this.view(connections.updateSyncSettings(this.host.db, connectionId, patch, this.host.clock.now()))
    })
  }

  /** Notes that the provider sent an event (the card's "last event"). */
  markEvent(connectionId: string, at: string): Promise<void> {
    return this.host.run(() => connections.markEvent(this.host.db, connectionId, at))
  }

  /** A usable access token for the connection, refreshed first when it is about to expire; null when there is none. */
  async accessToken(connectionId: string): Promise<string | null> {
    const inFlight = this.renewals.get(connectionId)
    if (inFlight) return inFlight
    const row = connections.connectionRow(this.host.db, connectionId)
    if (row?.status !== 'connected' || !row.accessToken) return null
    const now = this.host.clock.now()
    if (!tokens.dueForRefresh(row, now))
      return tokens.unseal(this.host.env, connectionId, 'access_token', row.accessToken)
    const renewal = tokens
      .renewAccessToken(this.host.env, this.host, row, now)
      .finally(() => this.renewals.delete(connectionId))
    this.renewals.set(connectionId, renewal)
    return renewal
  }

  /** Job types, business units and technicians, from the 15-minute cache or the provider; null items where neither has them. */
  async schedulingConfig(connectionId: string, now: Date = this.host.clock.now()): Promise<cache.CachedKind[] | null> {
    const row = connections.connectionRow(this.host.db, connectionId)
    if (!row) return null
    const kinds = KINDS_OF[row.provider]
    const cached = cache.cachedConfig(this.host.db, connectionId)
    const stale = kinds.filter((k) => !cached.has(k) || !cache.isFresh(cached.get(k)!.fetchedAt, now))
    const token = stale.length > 0 && row.status === 'connected' ? await this.accessToken(connectionId) : null
    if (token) {
      await Promise.all(
        stale.map(async (kind) => {
          const items = await fetchConfigKind(this.host.env, row.provider, token, row.settings, kind).catch(
            (error: unknown) => {
              console.warn('connections: scheduling config', row.provider, kind, error)
              return null
            },
          )
          if (items) await this.host.run(() => cache.storeConfig(this.host.db, connectionId, kind, items, now))
        }),
      )
    }
    const fresh = cache.cachedConfig(this.host.db, connectionId)
    return kinds.map((kind) => ({
      kind,
      items: fresh.get(kind)?.items ?? null,
      fetched_at: fresh.get(kind)?.fetchedAt ?? null,
    }))
  }

  /**
   * A day's free slots from the CRM (seed 003's scheduling phase), from the 15-minute cache or the
   * provider; slots already begun are left out. 404 for no such connection, 409 for one without a
   * schedule or a usable token; a provider that fails is an answer of its own, never a crash.
   */
  async availability(
    connectionId: string,
    query: AvailabilityQuery,
    now: Date = this.host.clock.now(),
  ): Promise<Result<Availability>> {
    const row = connections.connectionRow(this.host.db, connectionId)
    const checked = attempt(() => {
      if (!row) throw notFound('integration')
      if (!SCHEDULING_PROVIDERS.includes(row.provider)) throw conflict(`${row.provider} has no schedule to read.`)
      if (row.provider === 'servicetitan' && query.job_type_id && !/^\d+$/.test(query.job_type_id))
        throw invalidInput([{ path: 'job_type_id', message: 'is not a ServiceTitan job type id' }])
      return row
    })
    if (!checked.ok) return checked
    const conn = checked.value
    const upcoming = (slots: Slot[]) => slots.filter((s) => Date.parse(s.start_at) >= now.getTime())
    const cached = availability.cachedAvailability(this.host.db, connectionId, query)
    if (cached && cache.isFresh(cached.fetchedAt, now))
      return { ok: true, value: { slots: upcoming(cached.slots), source: 'cache', fetched_at: cached.fetchedAt } }
    const token = conn.status === 'connected' ? await this.accessToken(connectionId) : null
    if (!token)
      return {
        ok: false,
        error: { status: 409, code: 'not_connected', message: 'This connection has no usable token: reconnect it.' },
      }
    try {
      const day = { tz: this.host.tz(), slotMinutes: this.slotMinutes(conn.settings, query.job_type_id) }
      const slots = this.namedTechnicians(
        connectionId,
        await fetchAvailability(this.host.env, conn.provider, token, conn.settings, query, day),
      )
      await this.host.run(() => availability.storeAvailability(this.host.db, connectionId, query, slots, now))
      return { ok: true, value: { slots: upcoming(slots), source: 'crm', fetched_at: now.toISOString() } }
    } catch (error) {
      if (error instanceof ProviderError) return { ok: true, value: { provider_error: error.message } }
      throw error
    }
  }

  /** How long a slot lasts: the duration of the service the job type is mapped to, else an hour. */
  private slotMinutes(settings: ConnectionSettings, jobTypeId: string | undefined): number {
    const serviceId = jobTypeId ? syncSettings(settings).service_map[jobTypeId] : null
    const minutes = serviceId
      ? this.host.db.select({ m: services.durationMinutes }).from(services).where(eq(services.id, serviceId)).get()?.m
      : null
    return minutes && minutes > 0 ? minutes : DEFAULT_SLOT_MINUTES
  }

  /** Slots for a technician carry their name from the cached technicians list when the provider gave none. */
  private namedTechnicians(connectionId: string, slots: Slot[]): Slot[] {
    const names = cache.cachedConfig(this.host.db, connectionId).get('technicians')?.items ?? []
    return slots.map((s) => {
      const name = s.technician_id && !s.technician_name ? names.find((n) => n.id === s.technician_id)?.name : undefined
      return name ? { ...s, technician_name: name } : s
    })
  }

  /** One push attempt's outcome, from the queue consumer (src/integrations/push.ts). */
  async recordPush(connectionId: string, a: PushAttempt): Promise<void> {
    const row = connections.connectionRow(this.host.db, connectionId)
    if (!row) return
    const at = this.host.clock.now().toISOString()
    await this.host.run(() => {
      recordSync(
        this.host.db,
        {
          connectionId,
          provider: row.provider,
          direction: 'outbound',
          step: 'push',
          status: a.status,
          attempt: a.attempt,
          eventKey: a.messageId,
          topic: a.topic ?? `sms_${a.direction}`,
          externalId: a.externalId,
          orgClientId: a.orgClientId,
          detail: a.detail,
        },
        at,
      )
      if (a.status !== 'ok') return
      connections.markSynced(this.host.db, connectionId, at)
      this.host.db
        .update(externalMappings)
        .set({ lastSyncedAt: at })
        .where(
          and(
            eq(externalMappings.connectionId, connectionId),
            eq(externalMappings.entity, 'client'),
            eq(externalMappings.localId, a.orgClientId),
          ),
        )
        .run()
    })
  }

  /** What a sent SMS pushes to each connected CRM holding its client (not to one whose "sync messages" is off). */
  pushesForSent(messageId: string): PushNote[] {
    return this.syncingMessages(pushesForSent(this.host.db, messageId, this.host.clock.now()))
  }

  /** What a received SMS pushes to each connected CRM holding its client (not to one whose "sync messages" is off). */
  pushesForReceived(orgClientId: string, body: string): PushNote[] {
    return this.syncingMessages(pushesForReceived(this.host.db, orgClientId, body, this.host.clock.now()))
  }

  /** The pushes whose connection syncs messages. */
  private syncingMessages(notes: PushNote[]): PushNote[] {
    return notes.filter(
      (n) => syncSettings(connections.connectionRow(this.host.db, n.connection_id)?.settings).sync_messages,
    )
  }

  private view(row: connections.ConnectionRow): connections.ConnectionView {
    return connectionView(this.host.env, row)
  }
}
