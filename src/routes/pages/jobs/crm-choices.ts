/** The booking form's CRM lists: the newest connected CRM's job types, business units and technicians (from the 15-minute cache or the CRM). */
import type { Context } from 'hono'
import type { CrmChoices } from '../../../../views/jobs/crm-booking'
import type { AppEnv } from '../../../env'
import { PROVIDER_LABELS, SCHEDULING_PROVIDERS } from '../../../integrations/availability'
import { connectionsOf } from '../../../integrations/remote'

/** Null when no CRM is connected; a CRM that cannot be read offers no job types (the job is booked here only). */
export async function crmChoices(c: Context<AppEnv>): Promise<CrmChoices | null> {
  const org = c.get('org')
  const conn = (await connectionsOf(org).listConnections()).find(
    (x) => x.status === 'connected' && SCHEDULING_PROVIDERS.includes(x.provider),
  )
  if (!conn) return null
  const kinds = await connectionsOf(org)
    .schedulingConfig(conn.id)
    .catch((error: unknown) => {
      console.warn('jobs: CRM scheduling lists', conn.id, error)
      return null
    })
  const items = (kind: string) => kinds?.find((k) => k.kind === kind)?.items ?? null
  return {
    connectionId: conn.id,
    label: PROVIDER_LABELS[conn.provider],
    jobTypes: items('job_types') ?? [],
    businessUnits: conn.provider === 'servicetitan' ? (items('business_units') ?? []) : null,
    technicians: items('technicians'),
  }
}
