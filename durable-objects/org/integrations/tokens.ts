/**
 * A connection's secrets at rest and its access token in use: each secret is sealed for its own
 * row and column, and a token within five minutes of expiry is renewed before it is handed out
 * (refresh grant, or ServiceTitan's client credentials again).
 */
import type { Env } from '../../../src/env'
import {
  appCredentials,
  clientCredentialsToken,
  refreshTokens,
  TokenRejected,
  type ClientCredentials,
  type OAuthProvider,
  type TokenSet,
} from '../../../src/integrations/oauth'
import { decryptSecret, encryptSecret } from '../../../src/integrations/secrets'
import type { OrgHost } from '../host'
import { markTrouble, storeTokens, type ConnectionRow } from './connections'
import { recordSync } from './sync-log'

export type SecretField = 'webhook_secret' | 'access_token' | 'refresh_token' | 'client_credentials'

/** Renew a token this long before it expires. */
export const REFRESH_WINDOW_MS = 5 * 60_000

/** The place a secret is bound to: a sealed value copied to another row or column does not open. */
export const aadOf = (connectionId: string, field: SecretField) => `connection:${connectionId}:${field}`

/** Seals a secret for one connection's column. */
export const seal = (env: Env, connectionId: string, field: SecretField, value: string) =>
  encryptSecret(env, value, aadOf(connectionId, field))

/** Opens a secret sealed by `seal`; throws when the key or place is wrong. */
export const unseal = (env: Env, connectionId: string, field: SecretField, sealed: string) =>
  decryptSecret(env, sealed, aadOf(connectionId, field))

/** Seals a token set for storage. */
export async function sealTokens(env: Env, connectionId: string, t: TokenSet): Promise<TokenSet> {
  return {
    ...t,
    accessToken: await seal(env, connectionId, 'access_token', t.accessToken),
    refreshToken: t.refreshToken ? await seal(env, connectionId, 'refresh_token', t.refreshToken) : null,
  }
}

/** True when the token expires within the refresh window (a token without an expiry is used as it is). */
export function dueForRefresh(row: Pick<ConnectionRow, 'tokenExpiresAt'>, now: Date): boolean {
  return row.tokenExpiresAt !== null && Date.parse(row.tokenExpiresAt) - now.getTime() <= REFRESH_WINDOW_MS
}

/** ServiceTitan's client id and secret for a connection: its own (sealed), else the app's from the Worker's secrets. */
export async function serviceTitanCredentials(env: Env, row: ConnectionRow): Promise<ClientCredentials | null> {
  if (!row.refreshToken) return appCredentials(env, 'servicetitan')
  const opened = JSON.parse(await unseal(env, row.id, 'client_credentials', row.refreshToken)) as {
    client_id: string
    client_secret: string
  }
  return { clientId: opened.client_id, clientSecret: opened.client_secret }
}

/**
 * Renews the connection's access token, stores it sealed and returns it. A refused grant marks
 * the connection `token_expired` (the card asks to reconnect) and returns null; a provider that
 * is merely down leaves the status alone and returns the old token while it still works.
 */
export async function renewAccessToken(
  env: Env,
  host: Pick<OrgHost, 'db' | 'run'>,
  row: ConnectionRow,
  now: Date,
): Promise<string | null> {
  const log = (status: 'ok' | 'error', detail: string | null) =>
    recordSync(host.db, {
      connectionId: row.id,
      provider: row.provider,
      direction: 'outbound',
      step: 'refresh',
      status,
      detail,
    })
  try {
    const fresh = await fetchRenewal(env, row)
    const sealed = await sealTokens(env, row.id, fresh)
    await host.run(() => {
      storeTokens(host.db, row.id, sealed)
      log('ok', fresh.expiresAt ? `token valid until ${fresh.expiresAt}` : null)
    })
    return fresh.accessToken
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error)
    if (error instanceof TokenRejected) {
      await host.run(() => {
        markTrouble(host.db, row.id, 'token_expired', message)
        log('error', `${message}; reconnect needed`)
      })
      return null
    }
    await host.run(() => log('error', message))
    const stillValid = row.accessToken && row.tokenExpiresAt && Date.parse(row.tokenExpiresAt) > now.getTime()
    return stillValid ? unseal(env, row.id, 'access_token', row.accessToken!) : null
  }
}

async function fetchRenewal(env: Env, row: ConnectionRow): Promise<TokenSet> {
  if (row.provider === 'servicetitan') {
    const credentials = await serviceTitanCredentials(env, row)
    if (!credentials) throw new TokenRejected('no ServiceTitan client credentials')
    return { ...(await clientCredentialsToken(env, credentials)), refreshToken: null }
  }
  if (!row.refreshToken) throw new TokenRejected('the token expired and there is no refresh token')
  return refreshTokens(env, row.provider as OAuthProvider, await unseal(env, row.id, 'refresh_token', row.refreshToken))
}
