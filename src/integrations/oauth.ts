/**
 * OAuth 2.0 with the providers: the authorization-code grant (Jobber, Housecall Pro, QuickBooks),
 * refresh, and ServiceTitan's client-credentials grant. Requests are form-encoded; QuickBooks
 * takes the app's credentials as HTTP Basic, the others in the form.
 */
import { clock } from '../clock'
import type { Provider } from '../../durable-objects/org/schema'
import { basicAuth, textFromBase64url } from '../encoding'
import type { Env } from '../env'
import { endpointsFor, oauthRedirectUri } from './endpoints'
import { jsonOf, pick } from './provider-api'

export const OAUTH_PROVIDERS = ['jobber', 'housecallpro', 'quickbooks'] as const
export type OAuthProvider = (typeof OAUTH_PROVIDERS)[number]

/** What a token endpoint gave us; `expiresAt` null when the provider did not say. */
export type TokenSet = {
  accessToken: string
  refreshToken: string | null
  expiresAt: string | null
  scopes: string | null
}

export type ClientCredentials = { clientId: string; clientSecret: string }

/** The token endpoint refused the grant (revoked, expired, invalid_grant): the business must connect again. */
export class TokenRejected extends Error {}

type OAuthEnv = Pick<
  Env,
  | 'INTEGRATION_ENDPOINTS'
  | 'PUBLIC_BASE_URL'
  | 'JOBBER_CLIENT_ID'
  | 'JOBBER_CLIENT_SECRET'
  | 'HOUSECALLPRO_CLIENT_ID'
  | 'HOUSECALLPRO_CLIENT_SECRET'
  | 'QUICKBOOKS_CLIENT_ID'
  | 'QUICKBOOKS_CLIENT_SECRET'
  | 'SERVICETITAN_CLIENT_ID'
  | 'SERVICETITAN_CLIENT_SECRET'
>

/** HomeBase's own app credentials with the provider, from the Worker's secrets. */
export function appCredentials(env: OAuthEnv, provider: Provider): ClientCredentials | null {
  const pairs: Record<Provider, [string | undefined, string | undefined]> = {
    jobber: [env.JOBBER_CLIENT_ID, env.JOBBER_CLIENT_SECRET],
    housecallpro: [env.HOUSECALLPRO_CLIENT_ID, env.HOUSECALLPRO_CLIENT_SECRET],
    quickbooks: [env.QUICKBOOKS_CLIENT_ID, env.QUICKBOOKS_CLIENT_SECRET],
    servicetitan: [env.SERVICETITAN_CLIENT_ID, env.SERVICETITAN_CLIENT_SECRET],
  }
  const [clientId, clientSecret] = pairs[provider]
  return clientId && clientSecret ? { clientId, clientSecret } : null
}

/** The provider's consent page for this `state`. */
export function authorizeUrl(env: OAuthEnv, provider: OAuthProvider, state: string): string {
  const url = new URL(endpointsFor(env, provider).authorize!)
  url.searchParams.set('client_id', appCredentials(env, provider)?.clientId ?? '')
  url.searchParams.set('redirect_uri', oauthRedirectUri(env))
  url.searchParams.set('response_type', 'code')
  url.searchParams.set('state', state)
  if (provider === 'quickbooks') url.searchParams.set('scope', 'com.intuit.quickbooks.accounting')
  return url.toString()
}

/** Trades the callback's code for tokens. */
export function exchangeCode(env: OAuthEnv, provider: OAuthProvider, code: string): Promise<TokenSet> {
  return tokenRequest(env, provider, { grant_type: 'authorization_code', code, redirect_uri: oauthRedirectUri(env) })
}

/** New tokens from a refresh token (Jobber and QuickBooks rotate it: keep the new one). */
export function refreshTokens(env: OAuthEnv, provider: OAuthProvider, refreshToken: string): Promise<TokenSet> {
  return tokenRequest(env, provider, { grant_type: 'refresh_token', refresh_token: refreshToken })
}

/** A ServiceTitan token for the tenant's client id and secret. */
export function clientCredentialsToken(env: OAuthEnv, credentials: ClientCredentials): Promise<TokenSet> {
  return tokenRequest(env, 'servicetitan', { grant_type: 'client_credentials' }, credentials)
}

async function tokenRequest(
  env: OAuthEnv,
  provider: Provider,
  form: Record<string, string>,
  credentials = appCredentials(env, provider),
): Promise<TokenSet> {
  if (!credentials) throw new Error(`${provider}: the app's client id and secret are not configured`)
  const headers: Record<string, string> = {
    'content-type': 'application/x-www-form-urlencoded',
    accept: 'application/json',
  }
  const body = new URLSearchParams(form)
  if (provider === 'quickbooks') headers.authorization = basicAuth(credentials.clientId, credentials.clientSecret)
  else {
    body.set('client_id', credentials.clientId)
    body.set('client_secret', credentials.clientSecret)
  }
  const res = await fetch(endpointsFor(env, provider).token, { method: 'POST', headers, body: body.toString() })
  const json = await jsonOf(res)
  if (!res.ok) {
    const code = pick(json, 'error')
    const description = pick(json, 'error_description')
    const message = `${provider} token endpoint answered ${res.status}${typeof code === 'string' ? ` ${code}` : ''}${typeof description === 'string' ? `: ${description}` : ''}`
    if (code === 'invalid_grant' || res.status === 400 || res.status === 401) throw new TokenRejected(message)
    throw new Error(message)
  }
  return tokenSetFrom(json, clock.now())
}

/** Reads a token response; the expiry comes from `expires_in`, else `expires_at`, else the JWT's `exp`. */
export function tokenSetFrom(json: unknown, now: Date): TokenSet {
  const accessToken = pick(json, 'access_token')
  if (typeof accessToken !== 'string' || !accessToken) throw new Error('the token response has no access_token')
  const refreshToken = pick(json, 'refresh_token')
  const scopes = pick(json, 'scope')
  return {
    accessToken,
    refreshToken: typeof refreshToken === 'string' && refreshToken ? refreshToken : null,
    expiresAt: expiryOf(json, accessToken, now),
    scopes: typeof scopes === 'string' ? scopes : null,
  }
}

function expiryOf(json: unknown, accessToken: string, now: Date): string | null {
  const seconds = Number(pick(json, 'expires_in'))
  if (Number.isFinite(seconds) && seconds > 0) return new Date(now.getTime() + seconds * 1000).toISOString()
  const at = pick(json, 'expires_at')
  if (typeof at === 'string' && !Number.isNaN(Date.parse(at))) return new Date(at).toISOString()
  const exp = jwtExpiry(accessToken)
  return exp === null ? null : new Date(exp * 1000).toISOString()
}

/** The `exp` claim of a JWT access token (Jobber's carry one), or null. */
function jwtExpiry(token: string): number | null {
  const payload = token.split('.')[1]
  if (!payload) return null
  try {
    const claims: unknown = JSON.parse(textFromBase64url(payload))
    const exp = pick(claims, 'exp')
    return typeof exp === 'number' ? exp : null
  } catch {
    return null
  }
}
