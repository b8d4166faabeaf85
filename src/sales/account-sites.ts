/** The sites a job for a client may be booked at, for the booking form's "Where" picker: its account's, else none. */
import type { Context } from 'hono'
import type { Site } from '../../durable-objects/org/sales/accounts/sites'
import type { AppEnv } from '../env'
import { sales } from './remote'

/** The sites of the client's account; none for no client, a client on no account, or one this business does not hold. */
export async function siteChoices(c: Context<AppEnv>, orgClientId: string | undefined): Promise<Site[]> {
  if (!orgClientId) return []
  const client = await c.get('org').getClient(orgClientId)
  if (!client?.account_id) return []
  const sites = await sales(c.get('org')).accounts.listSites(client.account_id)
  return sites.ok ? sites.value : []
}
