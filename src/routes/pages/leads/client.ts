/** What a client's page shows of sales: its activities, the activity types, and the leads it came from with their histories. */
import type { Context } from 'hono'
import type { ClientSales } from '../../../../views/leads/client-history'
import type { AppEnv } from '../../../env'
import { sales } from '../../../sales/remote'

/** The client's activities and lead history (empty for a client this business does not hold; the page 404s on its own). */
export async function clientSales(c: Context<AppEnv>, orgClientId: string): Promise<ClientSales> {
  const leads = sales(c.get('org')).leads
  const [activities, types, history] = await Promise.all([
    leads.activitiesOf({ org_client_id: orgClientId }),
    leads.activityTypes(),
    leads.clientLeadHistory(orgClientId),
  ])
  return { activities: activities ?? [], types, history: history ?? [] }
}
