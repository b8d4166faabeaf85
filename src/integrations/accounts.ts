/** Which provider account a new token acts for: its id (for routing app-wide webhooks) and name. */
import type { Provider } from '../../durable-objects/org/schema'
import type { Env } from '../env'
import { graphqlData, jobberGraphql, jsonOf, pick, restRequest } from './provider-api'

export type ProviderAccount = { id: string | null; name: string | null }

type AccountEnv = Pick<Env, 'INTEGRATION_ENDPOINTS' | 'SERVICETITAN_APP_KEY'>

/**
 * Asks the provider who the token belongs to. QuickBooks' company id (realmId) comes on the
 * callback and ServiceTitan's tenant id from the form, so theirs are passed in as `knownId`.
 * Throws when the provider does not answer as expected.
 */
export async function fetchAccount(
  env: AccountEnv,
  provider: Provider,
  token: string,
  knownId: string | null,
): Promise<ProviderAccount> {
  switch (provider) {
    case 'jobber': {
      const res = await jobberGraphql(env, token, 'query { account { id name } }')
      const result = graphqlData(await jsonOf(res))
      if (!res.ok || 'error' in result)
        throw new Error(`Jobber account query: HTTP ${res.status}${'error' in result ? `, ${result.error}` : ''}`)
      return { id: str(pick(result.data, 'account.id')), name: str(pick(result.data, 'account.name')) }
    }
    case 'quickbooks': {
      const realm = knownId ?? ''
      const res = await restRequest(env, provider, token, `/companyinfo/${encodeURIComponent(realm)}`, { realm })
      if (!res.ok) throw new Error(`QuickBooks company info: HTTP ${res.status}`)
      return { id: knownId, name: str(pick(await jsonOf(res), 'CompanyInfo.CompanyName')) }
    }
    case 'housecallpro': {
      const res = await restRequest(env, provider, token, '/company')
      if (!res.ok) throw new Error(`Housecall Pro company: HTTP ${res.status}`)
      const body = await jsonOf(res)
      return { id: str(pick(body, 'id')), name: str(pick(body, 'name')) }
    }
    case 'servicetitan':
      return { id: knownId, name: knownId ? `Tenant ${knownId}` : null }
  }
}

const str = (v: unknown): string | null => (typeof v === 'string' && v ? v : typeof v === 'number' ? String(v) : null)
