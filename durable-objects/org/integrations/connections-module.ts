/** The ORG object's connections to CRMs and accounting: OAuth tokens, status, the sync log, scheduling config, pushes to the CRM. */
import { peopleDb } from '../../../src/db'
import { invalidInput } from '../../../src/errors'
import { fetchAccount } from '../../../src/integrations/accounts'
import { webhookUrl } from '../../../src/integrations/endpoints'
import { clientCredentialsToken, exchangeCode, type OAuthProvider } from '../../../src/integrations/oauth'
import { indexConnection, setIndexedAccount, unindexConnection } from '../../../src/integrations/connection-index'
import { fetchConfigKind, KINDS_OF } from '../../../src/integrations/scheduling'
import type { OrgHost } from '../host'
import * as cache from './cache'
import * as connections from './connections'
import { type PushNote, pushesForReceived, pushesForSent } from './push-targets'
import { listSync, recordSync, type SyncEntry, type SyncRow } from './sync-log'
import * as tokens from './tokens'
import type { Result } from '../result'
import { type ConnectionSettings, PROVIDERS, type Provider } from '../schema'

export type NewIntegration = {
  provider: Provider
  webhook_secret: string
  account_id?: string
  settings?: ConnectionSettings
}
export type ServiceTitanConnect = { tenant_id: string; client_id?: string; client_secret?: string }
export type PushAttempt = {
  status: 'ok' | 'retry' | 'error'
  attempt: number
  orgClientId: string
  externalId: string
  messageId: string
  direction: string
  detail: string
}
/** One provider's card: its current connection (if any) and recent log. */
export type ProviderOverview = { provider: Provider; connection: connections.ConnectionView | null; log: SyncRow[] }

export type ConnectionsHost = Pick<OrgHost, 'db' | 'env' | 'write' | 'run' | 'clock' | 'profile'>

export class Connections {
  /** Renewals in flight, so two callers never spend one (rotating) refresh token twice. */
  private readonly renewals = new Map<string, Promise<string | null>>()

  constructor(private readonly host: ConnectionsHost) {}

  /** A connection verified by the business's own webhook secret (API: POST /api/v1/integrations). */
  async createConnection(input: NewIntegration): Promise<Result<connections.ConnectionView>> {
    const id = crypto.randomUUID()
    const sealed = await tokens.seal(this.host.env, id, 'webhook_secret', input.webhook_secret)
    const row = await this.host.write(() =>
      connections.insertConnection(
        this.host.db,
        {
          id,
          provider: input.provider,
          status: 'connected',
          accountId: input.account_id ?? null,
          webhookSecret: sealed,
          settings: input.settings,
        },
        this.host.clock.now(),
      ),
    )
    if (row.ok) await this.index(row.value)
    return row.ok ? { ok: true, value: this.view(row.value) } : row
  }

  /** Starts an OAuth connect: reuses the provider's live connection (keeping its webhook URL) or makes a pending one. */
  async startOAuth(provider: OAuthProvider): Promise<connections.ConnectionView> {
    const live = connections.liveConnectionOf(this.host.db, provider)
    if (live) return this.view(live)
    const row = await this.host.run(() =>
      connections.insertConnection(
        this.host.db,
        { id: crypto.randomUUID(), provider, status: 'pending' },
        this.host.clock.now(),
      ),
    )
    await this.index(row)
    return this.view(row)
  }

  /** Finishes an OAuth connect with the callback's code: tokens sealed, account looked up, status connected (or error). */
  async completeOAuth(
    connectionId: string,
    callback: { code: string; realmId?: string },
  ): Promise<Result<connections.ConnectionView>> {
    const found = await this.host.write(() => connections.requireConnection(this.host.db, connectionId))
    if (!found.ok) return found
    const row = found.value
    const provider = row.provider as OAuthProvider
    const entry = (step: string, status: 'ok' | 'error', detail: string | null): SyncEntry => ({
      connectionId,
      provider,
      direction: 'outbound',
      step,
      status,
      detail,
    })
    const log = (e: SyncEntry) => this.host.run(() => recordSync(this.host.db, e, this.host.clock.now().toISOString()))
    try {
      const fresh = await exchangeCode(this.host.env, provider, callback.code)
      await log(entry('oauth', 'ok', 'authorization code exchanged for tokens'))
      const account = await fetchAccount(this.host.env, provider, fresh.accessToken, callback.realmId ?? null).catch(
        async (error: unknown) => {
          await log(entry('account', 'error', error instanceof Error ? error.message : String(error)))
          return { id: callback.realmId ?? row.accountId, name: row.accountName }
        },
      )
      const sealed = await tokens.sealTokens(this.host.env, connectionId, fresh)
      await this.host.run(() => {
        const now = this.host.clock.now()
        connections.storeTokens(this.host.db, connectionId, sealed, now)
        connections.markConnected(this.host.db, connectionId, account, now)
        recordSync(
          this.host.db,
          entry('connect', 'ok', `connected${account.name ? ` to ${account.name}` : ''}`),
          now.toISOString(),
        )
      })
      await setIndexedAccount(peopleDb(this.host.env.PEOPLE), connectionId, account.id)
    } catch (error) {
      await this.failOAuth(connectionId, error instanceof Error ? error.message : String(error))
    }
    return { ok: true, value: this.view(connections.requireConnection(this.host.db, connectionId)) }
  }

  /** Records a connect that did not finish (refused consent, bad code); a pending connection shows the error. */
  async failOAuth(connectionId: string, reason: string): Promise<void> {
    const row = connections.connectionRow(this.host.db, connectionId)
    if (!row) return
    await this.host.run(() => {
      const now = this.host.clock.now()
      recordSync(
        this.host.db,
        { connectionId, provider: row.provider, direction: 'outbound', step: 'oauth', status: 'error', detail: reason },
        now.toISOString(),
      )
      if (row.status !== 'connected') connections.markTrouble(this.host.db, connectionId, 'error', reason, now)
    })
  }

  /** Connects ServiceTitan with its tenant id and client credentials (the tenant's own, else the app's). */
  async connectServiceTitan(input: ServiceTitanConnect): Promise<Result<connections.ConnectionView>> {
    const { env, db } = this.host
    const own =
      input.client_id && input.client_secret ? { clientId: input.client_id, clientSecret: input.client_secret } : null
    if (!own && !(env.SERVICETITAN_CLIENT_ID && env.SERVICETITAN_CLIENT_SECRET)) {
      return this.host.write(() => {
        throw invalidInput([
          { path: 'client_id', message: 'Enter the client id and secret ServiceTitan gave you for HomeBase.' },
        ])
      })
    }
    const row =
      connections.liveConnectionOf(db, 'servicetitan') ??
      (await this.host.run(() =>
        connections.insertConnection(
          db,
          { id: crypto.randomUUID(), provider: 'servicetitan', status: 'pending' },
          this.host.clock.now(),
        ),
      ))
    const settings = { ...row.settings, tenant_id: input.tenant_id }
    const sealedCredentials = own
      ? await tokens.seal(
          env,
          row.id,
          'client_credentials',
          JSON.stringify({ client_id: own.clientId, client_secret: own.clientSecret }),
        )
      : null
    try {
      const fresh = await clientCredentialsToken(
        env,
        own ?? { clientId: env.SERVICETITAN_CLIENT_ID!, clientSecret: env.SERVICETITAN_CLIENT_SECRET! },
      )
      const sealed = await tokens.sealTokens(env, row.id, { ...fresh, refreshToken: null })
      await this.host.run(() => {
        const now = this.host.clock.now()
        connections.storeClientCredentials(db, row.id, sealedCredentials, settings, now)
        connections.storeTokens(db, row.id, sealed, now)
        connections.markConnected(db, row.id, { id: input.tenant_id, name: `Tenant ${input.tenant_id}` }, now)
        recordSync(
          db,
          {
            connectionId: row.id,
            provider: 'servicetitan',
            direction: 'outbound',
            step: 'connect',
            status: 'ok',
            detail: `client credentials accepted for tenant ${input.tenant_id}`,
          },
          now.toISOString(),
        )
      })
    } catch (error) {
      await this.failOAuth(row.id, error instanceof Error ? error.message : String(error))
    }
    const final = connections.requireConnection(db, row.id)
    await this.index(final)
    return { ok: true, value: this.view(final) }
  }

  /** Disconnects (staff, the API, or the provider's APP_DISCONNECT): secrets erased, webhooks no longer routed. */
  async disconnectConnection(connectionId: string, reason: string): Promise<Result<connections.ConnectionView>> {
    const done = await this.host.write(() => {
      const now = this.host.clock.now()
      const row = connections.disconnect(this.host.db, connectionId, reason, now)
      cache.clearConfig(this.host.db, connectionId)
      recordSync(
        this.host.db,
        {
          connectionId,
          provider: row.provider,
          direction: 'outbound',
          step: 'disconnect',
          status: 'ok',
          detail: reason,
        },
        now.toISOString(),
      )
      return row
    })
    if (!done.ok) return done
    await unindexConnection(peopleDb(this.host.env.PEOPLE), connectionId)
    return { ok: true, value: this.view(done.value) }
  }

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
      .renewAccessToken(this.host.env, this.host.db, row, now)
      .finally(() => this.renewals.delete(connectionId))
    this.renewals.set(connectionId, renewal)
    return renewal
  }

  /** Job types, business units and technicians, from the 15-minute cache or the provider; null items where neither has them. */
  async schedulingConfig(connectionId: string, now: Date): Promise<cache.CachedKind[] | null> {
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
          topic: `sms_${a.direction}`,
          externalId: a.externalId,
          orgClientId: a.orgClientId,
          detail: a.detail,
        },
        at,
      )
      if (a.status === 'ok') connections.markSynced(this.host.db, connectionId, at)
    })
  }

  /** What a sent SMS pushes to each connected CRM holding its client. */
  pushesForSent(messageId: string): PushNote[] {
    return pushesForSent(this.host.db, messageId, this.host.clock.now())
  }

  /** What a received SMS pushes to each connected CRM holding its client. */
  pushesForReceived(orgClientId: string, body: string): PushNote[] {
    return pushesForReceived(this.host.db, orgClientId, body, this.host.clock.now())
  }

  private view(row: connections.ConnectionRow): connections.ConnectionView {
    return connections.toView(row, webhookUrl(this.host.env, row.provider, row.id))
  }

  /** Writes the connection's routing row in D1 (webhooks find the organization by it). */
  private async index(row: connections.ConnectionRow): Promise<void> {
    const p = this.host.profile()
    if (!p) throw new Error('organization profile missing: cannot index a connection')
    await indexConnection(peopleDb(this.host.env.PEOPLE), {
      connectionId: row.id,
      organizationId: p.organizationId,
      provider: row.provider,
      accountId: row.accountId,
    })
  }
}
