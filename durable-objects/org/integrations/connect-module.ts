/** Connecting an organization to CRMs and accounting (webhook secret, OAuth, ServiceTitan) and disconnecting it. */
import { peopleDb } from '../../../src/db'
import { invalidInput } from '../../../src/errors'
import { fetchAccount } from '../../../src/integrations/accounts'
import { clientCredentialsToken, exchangeCode, type OAuthProvider } from '../../../src/integrations/oauth'
import { indexConnection, setIndexedAccount, unindexConnection } from '../../../src/integrations/connection-index'
import type { OrgHost } from '../host'
import * as cache from './cache'
import * as connections from './connections'
import { connectionView } from './connections-module'
import { recordSync, type SyncEntry } from './sync-log'
import * as tokens from './tokens'
import type { Result } from '../result'
import type { ConnectionSettings, Provider } from '../schema'

export type NewIntegration = {
  provider: Provider
  webhook_secret: string
  account_id?: string
  settings?: ConnectionSettings
}
export type ServiceTitanConnect = { tenant_id: string; client_id?: string; client_secret?: string }
export type ConnectFlowHost = Pick<OrgHost, 'db' | 'env' | 'write' | 'run' | 'clock' | 'profile'>

export class ConnectFlow {
  constructor(private readonly host: ConnectFlowHost) {}

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
    // The account id is the business's word here, not proven: it is kept on the connection but not
    // routed by, or app-wide deliveries for a stranger's account would be stored in this business.
    if (row.ok) await this.index(row.value, null)
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

  private view(row: connections.ConnectionRow): connections.ConnectionView {
    return connectionView(this.host.env, row)
  }

  /** Writes the connection's routing row in D1 (webhooks find the organization by it). */
  /** Routes the connection's own webhook URL to this business, and app-wide deliveries by `accountId` when one was proven. */
  private async index(row: connections.ConnectionRow, accountId = row.accountId): Promise<void> {
    const p = this.host.profile()
    if (!p) throw new Error('organization profile missing: cannot index a connection')
    await indexConnection(peopleDb(this.host.env.PEOPLE), {
      connectionId: row.id,
      organizationId: p.organizationId,
      provider: row.provider,
      accountId,
    })
  }
}
