/**
 * Where each provider's OAuth and API live. They are configuration: `INTEGRATION_ENDPOINTS`
 * (JSON, merged over these per provider) points tests and local development at stubs.
 */
import type { Provider } from '../../durable-objects/org/schema'
import type { Env } from '../env'

export type ProviderEndpoints = {
  /** The authorization-code grant's consent page (absent: the provider uses client credentials). */
  authorize?: string
  token: string
  /** REST base URL; QuickBooks' contains `{realm}`. */
  api: string
  /** Jobber's GraphQL endpoint. */
  graphql?: string
}

/** The Jobber GraphQL schema version every request pins (header `X-JOBBER-GRAPHQL-VERSION`). */
export const JOBBER_GRAPHQL_VERSION = '2025-04-16'

const DEFAULTS: Record<Provider, ProviderEndpoints> = {
  jobber: {
    authorize: 'https://api.getjobber.com/api/oauth/authorize',
    token: 'https://api.getjobber.com/api/oauth/token',
    api: 'https://api.getjobber.com/api',
    graphql: 'https://api.getjobber.com/api/graphql',
  },
  housecallpro: {
    authorize: 'https://api.housecallpro.com/oauth/authorize',
    token: 'https://api.housecallpro.com/oauth/token',
    api: 'https://api.housecallpro.com',
  },
  servicetitan: {
    token: 'https://auth.servicetitan.io/connect/token',
    api: 'https://api.servicetitan.io',
  },
  quickbooks: {
    authorize: 'https://appcenter.intuit.com/connect/oauth2',
    token: 'https://oauth.platform.intuit.com/oauth2/v1/tokens/bearer',
    api: 'https://quickbooks.api.intuit.com/v3/company/{realm}',
  },
}

/** The provider's endpoints, with any override from `INTEGRATION_ENDPOINTS` applied. */
export function endpointsFor(env: Pick<Env, 'INTEGRATION_ENDPOINTS'>, provider: Provider): ProviderEndpoints {
  return { ...DEFAULTS[provider], ...overrides(env.INTEGRATION_ENDPOINTS)[provider] }
}

function overrides(json: string | undefined): Partial<Record<Provider, Partial<ProviderEndpoints>>> {
  if (!json?.trim()) return {}
  try {
    const parsed: unknown = JSON.parse(json)
    return parsed && typeof parsed === 'object' ? (parsed as Partial<Record<Provider, Partial<ProviderEndpoints>>>) : {}
  } catch {
    console.error("INTEGRATION_ENDPOINTS is not valid JSON; using the providers' own endpoints")
    return {}
  }
}

/** Where this deployment is reached from outside (OAuth redirects, webhook URLs). */
export const publicBaseUrl = (env: Pick<Env, 'PUBLIC_BASE_URL'>) =>
  (env.PUBLIC_BASE_URL ?? 'http://localhost:8787').replace(/\/+$/, '')

/** The URL a provider posts webhooks for one connection to. */
export const webhookUrl = (env: Pick<Env, 'PUBLIC_BASE_URL'>, provider: Provider, connectionId: string) =>
  `${publicBaseUrl(env)}/webhooks/${provider}/${connectionId}`

/** The OAuth redirect URI registered with every provider's app. */
export const oauthRedirectUri = (env: Pick<Env, 'PUBLIC_BASE_URL'>) =>
  `${publicBaseUrl(env)}/app/integrations/oauth/callback`
