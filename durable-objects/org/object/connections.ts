/** The ORG object's connections to CRMs and accounting: OAuth tokens, status, the sync log, pushes to the CRM. */
import { peopleDb } from '../../../src/db'
import { invalidInput } from '../../../src/errors'
import type { Keyword } from '../../../src/messaging/keywords'
import { fetchAccount } from '../../../src/integrations/accounts'
import { webhookUrl } from '../../../src/integrations/endpoints'
import { clientCredentialsToken, exchangeCode, type OAuthProvider } from '../../../src/integrations/oauth'
import { indexConnection, setIndexedAccount, unindexConnection } from '../../../src/integrations/route-index'
import { fetchConfigKind, KINDS_OF } from '../../../src/integrations/scheduling'
import * as cache from '../integrations/cache'
import * as connections from '../integrations/connections'
import { pushesForReceived, pushesForSent, type PushNote } from '../integrations/push-targets'
import { listSync, recordSync, type SyncRow } from '../integrations/sync-log'
import * as tokens from '../integrations/tokens'
import type { Result } from '../result'
import { PROVIDERS, type ConnectionSettings, type Provider } from '../schema'
import { OrgCampaigns } from './campaigns'

export type NewIntegration = { provider: Provider; webhook_secret: string; account_id?: string; settings?: ConnectionSettings }
export type ServiceTitanConnect = { tenant_id: string; client_id?: string; client_secret?: string }
export type PushAttempt = {
  status: 'ok' | 'retry' | 'error'; attempt: number; orgClientId: string; externalId: string; messageId: string; direction: string; detail: string
}
/** One provider's card: its current connection (if any) and recent log. */
export type ProviderOverview = { provider: Provider; connection: connections.ConnectionView | null; log: SyncRow[] }

export class OrgConnections extends OrgCampaigns {
  /** Renewals in flight, so two callers never spend one (rotating) refresh token twice. */
  private readonly renewals = new Map<string, Promise<string | null>>()

  /** A connection verified by the business's own webhook secret (API: POST /api/v1/integrations). */
  async createConnection(input: NewIntegration): Promise<Result<connections.ConnectionView>> {
    const id = crypto.randomUUID()
    const sealed = await tokens.seal(this.env, id, 'webhook_secret', input.webhook_secret)
    const row = this.write(() => connections.insertConnection(this.db, {
      id, provider: input.provider, status: 'connected', accountId: input.account_id ?? null, webhookSecret: sealed, settings: input.settings,
    }))
    if (row.ok) await this.index(row.value)
    return row.ok ? { ok: true, value: this.view(row.value) } : row
  }

  /** Starts an OAuth connect: reuses the provider's live connection (keeping its webhook URL) or makes a pending one. */
  async startOAuth(provider: OAuthProvider): Promise<connections.ConnectionView> {
    const live = connections.liveConnectionOf(this.db, provider)
    if (live) return this.view(live)
    const row = connections.insertConnection(this.db, { id: crypto.randomUUID(), provider, status: 'pending' })
    await this.index(row)
    return this.view(row)
  }

  /** Finishes an OAuth connect with the callback's code: tokens sealed, account looked up, status connected (or error). */
  async completeOAuth(connectionId: string, callback: { code: string; realmId?: string }): Promise<Result<connections.ConnectionView>> {
    const found = this.write(() => connections.requireConnection(this.db, connectionId))
    if (!found.ok) return found
    const row = found.value
    const provider = row.provider as OAuthProvider
    const log = (step: string, status: 'ok' | 'error', detail: string | null) =>
      recordSync(this.db, { connectionId, provider, direction: 'outbound', step, status, detail })
    try {
      const fresh = await exchangeCode(this.env, provider, callback.code)
      log('oauth', 'ok', 'authorization code exchanged for tokens')
      const account = await fetchAccount(this.env, provider, fresh.accessToken, callback.realmId ?? null).catch((error: unknown) => {
        log('account', 'error', error instanceof Error ? error.message : String(error))
        return { id: callback.realmId ?? row.accountId, name: row.accountName }
      })
      const sealed = await tokens.sealTokens(this.env, connectionId, fresh)
      this.ctx.storage.transactionSync(() => {
        connections.storeTokens(this.db, connectionId, sealed)
        connections.markConnected(this.db, connectionId, account)
        log('connect', 'ok', `connected${account.name ? ` to ${account.name}` : ''}`)
      })
      await setIndexedAccount(peopleDb(this.env.PEOPLE), connectionId, account.id)
    } catch (error) {
      await this.failOAuth(connectionId, error instanceof Error ? error.message : String(error))
    }
    return { ok: true, value: this.view(connections.requireConnection(this.db, connectionId)) }
  }

  /** Records a connect that did not finish (refused consent, bad code); a pending connection shows the error. */
  async failOAuth(connectionId: string, reason: string): Promise<void> {
    const row = connections.connectionRow(this.db, connectionId)
    if (!row) return
    this.ctx.storage.transactionSync(() => {
      recordSync(this.db, { connectionId, provider: row.provider, direction: 'outbound', step: 'oauth', status: 'error', detail: reason })
      if (row.status !== 'connected') connections.markTrouble(this.db, connectionId, 'error', reason)
    })
  }

  /** Connects ServiceTitan with its tenant id and client credentials (the tenant's own, else the app's). */
  async connectServiceTitan(input: ServiceTitanConnect): Promise<Result<connections.ConnectionView>> {
    const own = input.client_id && input.client_secret ? { clientId: input.client_id, clientSecret: input.client_secret } : null
    if (!own && !(this.env.SERVICETITAN_CLIENT_ID && this.env.SERVICETITAN_CLIENT_SECRET)) {
      return this.write(() => { throw invalidInput([{ path: 'client_id', message: 'Enter the client id and secret ServiceTitan gave you for HomeBase.' }]) })
    }
    const row = connections.liveConnectionOf(this.db, 'servicetitan') ?? connections.insertConnection(this.db, { id: crypto.randomUUID(), provider: 'servicetitan', status: 'pending' })
    const settings = { ...row.settings, tenant_id: input.tenant_id }
    const sealedCredentials = own ? await tokens.seal(this.env, row.id, 'client_credentials', JSON.stringify({ client_id: own.clientId, client_secret: own.clientSecret })) : null
    try {
      const fresh = await clientCredentialsToken(this.env, own ?? { clientId: this.env.SERVICETITAN_CLIENT_ID!, clientSecret: this.env.SERVICETITAN_CLIENT_SECRET! })
      const sealed = await tokens.sealTokens(this.env, row.id, { ...fresh, refreshToken: null })
      this.ctx.storage.transactionSync(() => {
        connections.storeClientCredentials(this.db, row.id, sealedCredentials, settings)
        connections.storeTokens(this.db, row.id, sealed)
        connections.markConnected(this.db, row.id, { id: input.tenant_id, name: `Tenant ${input.tenant_id}` })
        recordSync(this.db, { connectionId: row.id, provider: 'servicetitan', direction: 'outbound', step: 'connect', status: 'ok', detail: `client credentials accepted for tenant ${input.tenant_id}` })
      })
    } catch (error) {
      await this.failOAuth(row.id, error instanceof Error ? error.message : String(error))
    }
    const final = connections.requireConnection(this.db, row.id)
    await this.index(final)
    return { ok: true, value: this.view(final) }
  }

  /** Disconnects (staff, the API, or the provider's APP_DISCONNECT): secrets erased, webhooks no longer routed. */
  async disconnectConnection(connectionId: string, reason: string): Promise<Result<connections.ConnectionView>> {
    const done = this.write(() => {
      const row = connections.disconnect(this.db, connectionId, reason)
      cache.clearConfig(this.db, connectionId)
      recordSync(this.db, { connectionId, provider: row.provider, direction: 'outbound', step: 'disconnect', status: 'ok', detail: reason })
      return row
    })
    if (!done.ok) return done
    await unindexConnection(peopleDb(this.env.PEOPLE), connectionId)
    return { ok: true, value: this.view(done.value) }
  }

  async listConnections(): Promise<connections.ConnectionView[]> {
    return connections.listConnections(this.db).map((row) => this.view(row))
  }

  async getConnection(connectionId: string): Promise<connections.ConnectionView | null> {
    const row = connections.connectionRow(this.db, connectionId)
    return row ? this.view(row) : null
  }

  /** A connection's sync log, newest first; null when there is no such connection. */
  async connectionLog(connectionId: string, limit: number): Promise<SyncRow[] | null> {
    return connections.connectionRow(this.db, connectionId) ? listSync(this.db, { connectionId, limit }) : null
  }

  /** Every provider's card for the Integrations page. */
  async integrationsOverview(): Promise<ProviderOverview[]> {
    const all = connections.listConnections(this.db)
    return PROVIDERS.map((provider) => {
      const row = all.find((c) => c.provider === provider && c.status !== 'disconnected') ?? all.find((c) => c.provider === provider) ?? null
      return { provider, connection: row ? this.view(row) : null, log: row ? listSync(this.db, { connectionId: row.id, limit: 10 }) : [] }
    })
  }

  /** The connection's webhook secret in the clear, for verifying a delivery; null when it has none. */
  async webhookSecret(connectionId: string): Promise<string | null> {
    const row = connections.connectionRow(this.db, connectionId)
    if (!row?.webhookSecret) return null
    return tokens.unseal(this.env, connectionId, 'webhook_secret', row.webhookSecret).catch((error: unknown) => {
      console.error('connections: webhook secret does not open', connectionId, error)
      return null
    })
  }

  async connectionSettings(connectionId: string): Promise<ConnectionSettings | null> {
    return connections.connectionRow(this.db, connectionId)?.settings ?? null
  }

  /** Notes that the provider sent an event (the card's "last event"). */
  async markEvent(connectionId: string, at: string): Promise<void> {
    connections.markEvent(this.db, connectionId, at)
  }

  /** A usable access token for the connection, refreshed first when it is about to expire; null when there is none. */
  async accessToken(connectionId: string): Promise<string | null> {
    const inFlight = this.renewals.get(connectionId)
    if (inFlight) return inFlight
    const row = connections.connectionRow(this.db, connectionId)
    if (!row || row.status !== 'connected' || !row.accessToken) return null
    if (!tokens.dueForRefresh(row, new Date())) return tokens.unseal(this.env, connectionId, 'access_token', row.accessToken)
    const renewal = tokens.renewAccessToken(this.env, this.db, row).finally(() => this.renewals.delete(connectionId))
    this.renewals.set(connectionId, renewal)
    return renewal
  }

  /** Job types, business units and technicians, from the 15-minute cache or the provider; null items where neither has them. */
  async schedulingConfig(connectionId: string, now = new Date()): Promise<cache.CachedKind[] | null> {
    const row = connections.connectionRow(this.db, connectionId)
    if (!row) return null
    const kinds = KINDS_OF[row.provider]
    const cached = cache.cachedConfig(this.db, connectionId)
    const stale = kinds.filter((k) => !cached.has(k) || !cache.isFresh(cached.get(k)!.fetchedAt, now))
    const token = stale.length > 0 && row.status === 'connected' ? await this.accessToken(connectionId) : null
    if (token) {
      await Promise.all(stale.map(async (kind) => {
        const items = await fetchConfigKind(this.env, row.provider, token, row.settings, kind).catch((error: unknown) => {
          console.warn('connections: scheduling config', row.provider, kind, error)
          return null
        })
        if (items) cache.storeConfig(this.db, connectionId, kind, items, now)
      }))
    }
    const fresh = cache.cachedConfig(this.db, connectionId)
    return kinds.map((kind) => ({ kind, items: fresh.get(kind)?.items ?? null, fetched_at: fresh.get(kind)?.fetchedAt ?? null }))
  }

  /** One push attempt's outcome, from the queue consumer (src/integrations/push.ts). */
  async recordPush(connectionId: string, a: PushAttempt): Promise<void> {
    const row = connections.connectionRow(this.db, connectionId)
    if (!row) return
    const at = new Date().toISOString()
    this.ctx.storage.transactionSync(() => {
      recordSync(this.db, {
        connectionId, provider: row.provider, direction: 'outbound', step: 'push', status: a.status, attempt: a.attempt,
        eventKey: a.messageId, topic: `sms_${a.direction}`, externalId: a.externalId, orgClientId: a.orgClientId, detail: a.detail,
      }, at)
      if (a.status === 'ok') connections.markSynced(this.db, connectionId, at)
    })
  }

  /** A sent SMS also goes to the client's CRM. */
  override async deliverySucceeded(messageId: string, provider: string, providerMessageId: string): Promise<void> {
    await super.deliverySucceeded(messageId, provider, providerMessageId)
    await this.enqueuePushes(pushesForSent(this.db, messageId))
  }

  /** A received SMS also goes to the client's CRM. */
  override async recordInboundSms(from: string, body: string, keyword: Keyword | null): Promise<string | null> {
    const orgClientId = await super.recordInboundSms(from, body, keyword)
    if (orgClientId) await this.enqueuePushes(pushesForReceived(this.db, orgClientId, body))
    return orgClientId
  }

  /** Queues pushes; a queue hiccup is logged and never fails the text itself. */
  private async enqueuePushes(notes: PushNote[]): Promise<void> {
    const p = this.profileRow()
    if (!p || notes.length === 0) return
    try {
      await this.env.EVENTS.sendBatch(notes.map((n) => ({ body: { ...n, organization_id: p.organizationId } })))
    } catch (error) {
      console.error('connections: could not queue CRM pushes', error)
    }
  }

  private view(row: connections.ConnectionRow): connections.ConnectionView {
    return connections.toView(row, webhookUrl(this.env, row.provider, row.id))
  }

  /** Writes the connection's routing row in D1 (webhooks find the organization by it). */
  private async index(row: connections.ConnectionRow): Promise<void> {
    const p = this.profileRow()
    if (!p) throw new Error('organization profile missing: cannot index a connection')
    await indexConnection(peopleDb(this.env.PEOPLE), { connectionId: row.id, organizationId: p.organizationId, provider: row.provider, accountId: row.accountId })
  }
}
