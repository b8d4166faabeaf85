/**
 * A connection's scheduling configuration (seed 003's crm_scheduling_config): job types,
 * business units and technicians, read from the provider's API. Jobber has no job types or
 * business units; its products and services stand in for job types.
 */
import type { ConnectionSettings, Provider } from '../../durable-objects/org/schema'
import type { Env } from '../env'
import { graphqlData, jobberGraphql, jsonOf, pick, restRequest } from './provider-api'

export const CONFIG_KINDS = ['job_types', 'business_units', 'technicians'] as const
export type ConfigKind = (typeof CONFIG_KINDS)[number]
export type ConfigItem = { id: string; name: string }

/** The kinds each provider has. */
export const KINDS_OF: Record<Provider, readonly ConfigKind[]> = {
  jobber: ['job_types', 'technicians'],
  housecallpro: ['job_types', 'technicians'],
  servicetitan: CONFIG_KINDS,
  quickbooks: [],
}

type ConfigEnv = Pick<Env, 'INTEGRATION_ENDPOINTS' | 'SERVICETITAN_APP_KEY'>

/** Reads one kind from the provider; throws when it does not answer as expected. */
export async function fetchConfigKind(
  env: ConfigEnv,
  provider: Provider,
  token: string,
  settings: ConnectionSettings,
  kind: ConfigKind,
): Promise<ConfigItem[]> {
  if (provider === 'jobber') return jobberList(env, token, kind)
  const path = restPath(provider, settings, kind)
  const res = await restRequest(env, provider, token, path)
  if (!res.ok) throw new Error(`${provider} ${kind}: HTTP ${res.status}`)
  const body = await jsonOf(res)
  const list = pick(body, provider === 'servicetitan' ? 'data' : kind === 'job_types' ? 'job_types' : 'employees')
  if (!Array.isArray(list)) throw new Error(`${provider} ${kind}: unexpected response`)
  return items(list, (x) => pick(x, 'name') ?? [pick(x, 'first_name'), pick(x, 'last_name')].filter(Boolean).join(' '))
}

function restPath(provider: Provider, settings: ConnectionSettings, kind: ConfigKind): string {
  if (provider === 'housecallpro') return kind === 'job_types' ? '/job_fields/job_types' : '/employees?page_size=100'
  const tenant = encodeURIComponent(settings.tenant_id ?? '')
  const paths: Record<ConfigKind, string> = {
    job_types: `/jpm/v2/tenant/${tenant}/job-types`,
    business_units: `/settings/v2/tenant/${tenant}/business-units`,
    technicians: `/settings/v2/tenant/${tenant}/technicians`,
  }
  return `${paths[kind]}?active=True&pageSize=200`
}

async function jobberList(env: ConfigEnv, token: string, kind: ConfigKind): Promise<ConfigItem[]> {
  const [field, query] =
    kind === 'technicians'
      ? ['users', 'query { users(first: 100) { nodes { id name { full } } } }']
      : ['productOrServices', 'query { productOrServices(first: 100) { nodes { id name } } }']
  const res = await jobberGraphql(env, token, query)
  const result = graphqlData(await jsonOf(res))
  if (!res.ok || 'error' in result)
    throw new Error(`Jobber ${kind}: HTTP ${res.status}${'error' in result ? `, ${result.error}` : ''}`)
  const nodes = pick(result.data, `${field}.nodes`)
  if (!Array.isArray(nodes)) throw new Error(`Jobber ${kind}: unexpected response`)
  return items(nodes, (x) => pick(x, 'name.full') ?? pick(x, 'name'))
}

function items(list: unknown[], nameOf: (x: unknown) => unknown): ConfigItem[] {
  return list.flatMap((x) => {
    const id = pick(x, 'id')
    const name = nameOf(x)
    return (typeof id === 'string' || typeof id === 'number') && typeof name === 'string' && name
      ? [{ id: String(id), name }]
      : []
  })
}
