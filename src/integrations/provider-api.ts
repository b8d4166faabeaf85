/** Requests to the providers' APIs with a connection's token and the headers each one wants. */
import type { Provider } from '../../durable-objects/org/schema'
import type { Env } from '../env'
import { endpointsFor, JOBBER_GRAPHQL_VERSION } from './endpoints'

type ApiEnv = Pick<Env, 'INTEGRATION_ENDPOINTS' | 'SERVICETITAN_APP_KEY'>

/** Posts a GraphQL operation to Jobber. */
export function jobberGraphql(
  env: ApiEnv,
  token: string,
  query: string,
  variables: Record<string, unknown> = {},
): Promise<Response> {
  return fetch(endpointsFor(env, 'jobber').graphql!, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${token}`,
      'content-type': 'application/json',
      accept: 'application/json',
      'X-JOBBER-GRAPHQL-VERSION': JOBBER_GRAPHQL_VERSION,
    },
    body: JSON.stringify({ query, variables }),
  })
}

/**
 * Calls a REST API at `path` under the provider's base URL (QuickBooks' base names the company
 * `{realm}`). ServiceTitan also wants the app key in `ST-App-Key`.
 */
export function restRequest(
  env: ApiEnv,
  provider: Provider,
  token: string,
  path: string,
  init: { method?: string; body?: unknown; realm?: string } = {},
): Promise<Response> {
  const base = endpointsFor(env, provider).api.replace('{realm}', encodeURIComponent(init.realm ?? ''))
  const headers: Record<string, string> = { authorization: `Bearer ${token}`, accept: 'application/json' }
  if (init.body !== undefined) headers['content-type'] = 'application/json'
  if (provider === 'servicetitan' && env.SERVICETITAN_APP_KEY) headers['ST-App-Key'] = env.SERVICETITAN_APP_KEY
  return fetch(`${base}${path}`, {
    method: init.method ?? 'GET',
    headers,
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  })
}

/** The body as JSON, or null when it is empty or not JSON. */
export async function jsonOf(res: Response): Promise<unknown> {
  const text = await res.text()
  if (!text) return null
  try {
    return JSON.parse(text)
  } catch {
    return null
  }
}

/** A GraphQL response's `data`, or an Error naming its `errors`. */
export function graphqlData(body: unknown): { data: Record<string, unknown> } | { error: string; throttled: boolean } {
  const b = (body ?? {}) as {
    data?: Record<string, unknown> | null
    errors?: Array<{ message?: string; extensions?: { code?: string } }>
  }
  if (b.errors?.length || !b.data) {
    const errors = b.errors ?? []
    return {
      error: errors.map((e) => e.message ?? 'error').join('; ') || 'no data in the GraphQL response',
      throttled: errors.some((e) => e.extensions?.code === 'THROTTLED'),
    }
  }
  return { data: b.data }
}

/** Reads a dotted path out of unknown JSON. */
export function pick(value: unknown, path: string): unknown {
  let at = value
  for (const key of path.split('.')) {
    if (!at || typeof at !== 'object') return undefined
    at = (at as Record<string, unknown>)[key]
  }
  return at
}
