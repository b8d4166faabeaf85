/**
 * Searching a CRM's customers by phone, email or name, for linking a client by hand (seed 003's
 * "Contact CRM link"): Jobber GraphQL `clients(searchTerm:)`, Housecall Pro `GET /customers?q=`,
 * ServiceTitan `GET /crm/v2/tenant/{tenant}/customers?name=` (or `phone=`).
 */
import type { ConnectionSettings, Provider } from '../../durable-objects/org/schema'
import type { Env } from '../env'
import { graphqlData, jobberGraphql, jsonOf, pick, restRequest } from './provider-api'

/** A CRM customer as the link search lists it. */
export type CustomerHit = { external_id: string; name: string; email: string | null; phone: string | null }

type SearchEnv = Pick<Env, 'INTEGRATION_ENDPOINTS' | 'SERVICETITAN_APP_KEY'>

const LIMIT = 10

/** The customers matching `q`; throws when the CRM does not answer as expected. */
export async function searchCustomers(
  env: SearchEnv,
  provider: Provider,
  token: string,
  settings: ConnectionSettings,
  q: string,
): Promise<CustomerHit[]> {
  switch (provider) {
    case 'jobber':
      return jobberSearch(env, token, q)
    case 'housecallpro':
      return housecallProSearch(env, token, q)
    case 'servicetitan':
      return serviceTitanSearch(env, token, settings, q)
    default:
      throw new Error(`${provider} has no customer search`)
  }
}

const CLIENT_SEARCH = `query HomeBaseClientSearch($q: String!, $first: Int!) {
  clients(first: $first, searchTerm: $q) { nodes { id firstName lastName companyName emails { address primary } phones { number primary } } }
}`

/** Jobber: `clients(searchTerm:)` matches names, emails, phones and addresses. */
async function jobberSearch(env: SearchEnv, token: string, q: string): Promise<CustomerHit[]> {
  const res = await jobberGraphql(env, token, CLIENT_SEARCH, { q, first: LIMIT })
  const result = graphqlData(await jsonOf(res))
  if (!res.ok || 'error' in result)
    throw new Error(`Jobber search: HTTP ${res.status}${'error' in result ? `, ${result.error}` : ''}`)
  const nodes = pick(result.data, 'clients.nodes')
  if (!Array.isArray(nodes)) throw new Error('Jobber search: unexpected response')
  return nodes.flatMap((n) =>
    hit(
      pick(n, 'id'),
      [pick(n, 'firstName'), pick(n, 'lastName')].filter(Boolean).join(' ') || pick(n, 'companyName'),
      firstOf(pick(n, 'emails'), 'address'),
      firstOf(pick(n, 'phones'), 'number'),
    ),
  )
}

/** Housecall Pro: `GET /customers?q=` searches name, email, mobile number and address. */
async function housecallProSearch(env: SearchEnv, token: string, q: string): Promise<CustomerHit[]> {
  const res = await restRequest(env, 'housecallpro', token, `/customers?q=${encodeURIComponent(q)}&page_size=${LIMIT}`)
  if (!res.ok) throw new Error(`Housecall Pro search: HTTP ${res.status}`)
  const list = pick(await jsonOf(res), 'customers')
  if (!Array.isArray(list)) throw new Error('Housecall Pro search: unexpected response')
  return list.flatMap((c) =>
    hit(
      pick(c, 'id'),
      [pick(c, 'first_name'), pick(c, 'last_name')].filter(Boolean).join(' ') || pick(c, 'company'),
      pick(c, 'email'),
      pick(c, 'mobile_number') ?? pick(c, 'home_number') ?? pick(c, 'work_number'),
    ),
  )
}

/**
 * ServiceTitan: CRM v2 `customers` filters by `name` or `phone` (its public API reference); it has
 * no email filter, so an email is searched as a name. Kept here alone: not confirmed on a sandbox.
 */
function serviceTitanQuery(q: string): string {
  const digits = q.replace(/\D/g, '')
  return digits.length >= 7 && /^[\d\s()+.-]+$/.test(q) ? `phone=${digits.slice(-10)}` : `name=${encodeURIComponent(q)}`
}

async function serviceTitanSearch(
  env: SearchEnv,
  token: string,
  settings: ConnectionSettings,
  q: string,
): Promise<CustomerHit[]> {
  const tenant = encodeURIComponent(settings.tenant_id ?? '')
  const res = await restRequest(
    env,
    'servicetitan',
    token,
    `/crm/v2/tenant/${tenant}/customers?${serviceTitanQuery(q)}&pageSize=${LIMIT}`,
  )
  if (!res.ok) throw new Error(`ServiceTitan search: HTTP ${res.status}`)
  const list = pick(await jsonOf(res), 'data')
  if (!Array.isArray(list)) throw new Error('ServiceTitan search: unexpected response')
  return list.flatMap((c) => hit(pick(c, 'id'), pick(c, 'name'), pick(c, 'email'), pick(c, 'phoneNumber')))
}

function firstOf(list: unknown, field: string): unknown {
  if (!Array.isArray(list)) return null
  return pick(list.find((x) => pick(x, 'primary') === true) ?? list[0], field)
}

function hit(id: unknown, name: unknown, email: unknown, phone: unknown): CustomerHit[] {
  const externalId = typeof id === 'number' ? String(id) : typeof id === 'string' ? id : ''
  if (!externalId) return []
  const text = (v: unknown) => (typeof v === 'string' && v.trim() ? v.trim() : null)
  return [{ external_id: externalId, name: text(name) ?? '(no name)', email: text(email), phone: text(phone) }]
}
