/** On a client's page: their activities with the log form, and "From lead: …" with the lead's own history when they came from one. */
import type { Activity, ActivityType } from '../../durable-objects/org/sales/leads/activities'
import type { LeadHistory } from '../../durable-objects/org/sales/leads/conversion'
import { leadName } from '../../durable-objects/org/sales/leads/leads'
import type { FormErrors, FormValues } from '../fields'
import { stamp } from '../format'
import { ActivitiesCard, ActivityItems } from './activities'
import { sourceName } from './parts'

/** What the client page shows of sales: the client's activities, the activity types, the leads it came from. */
export type ClientSales = { activities: Activity[]; types: ActivityType[]; history: LeadHistory[] }

export function ClientActivities(p: {
  clientId: string
  sales: ClientSales
  tz: string
  form?: { values: FormValues; errors: FormErrors }
  /** A refused Log a call form, shown in place. */
  callForm?: { values: FormValues; errors: FormErrors }
}) {
  return (
    <>
      <ActivitiesCard
        action={`/app/clients/${p.clientId}/activities`}
        items={p.sales.activities}
        types={p.sales.types}
        tz={p.tz}
        values={p.form?.values}
        errors={p.form?.errors}
        call={{ action: `/app/clients/${p.clientId}/calls`, ...p.callForm }}
      />
      {p.sales.history.map((lead) => (
        <section class="card" data-testid="lead-history">
          <h2>
            From lead: <a href={`/app/leads/${lead.id}`}>{leadName(lead)}</a>
          </h2>
          <p class="muted small">
            {sourceName(lead.source)} · came in {stamp(lead.created_at, p.tz)}
            {lead.conversion_date ? ` · became a client ${stamp(lead.conversion_date, p.tz)}` : ''}
          </p>
          <ActivityItems items={lead.activities} types={p.sales.types} tz={p.tz} />
        </section>
      ))}
    </>
  )
}
