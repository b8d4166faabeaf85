/** What the assistant knows about one lead, from this business's own lead, its status, activities and estimates. */
import { eq } from 'drizzle-orm'
import type { OrgDb } from '../../db'
import { estimates, leadStatuses, leads } from '../../schema'
import { type ActivityFact, type EstimateFact, openEstimate, recentActivities } from './client-facts'

export type LeadFacts = {
  subject: 'lead'
  id: string
  name: string
  first_name: string
  company: string | null
  status: { name: string; kind: 'open' | 'won' | 'lost'; since: string }
  source: string
  service_interest: string | null
  estimated_value_cents: number | null
  next_follow_up_at: string | null
  last_contact_at: string | null
  converted: { client_id: string | null; on: string | null } | null
  open_estimate: EstimateFact | null
  activities: ActivityFact[]
  created_at: string
}

/** The facts of a lead of this business; null for an id it does not hold. */
export function leadFacts(db: OrgDb, id: string): LeadFacts | null {
  const lead = db
    .select({
      first_name: leads.firstName,
      last_name: leads.lastName,
      company: leads.company,
      source: leads.source,
      service_interest: leads.serviceInterest,
      estimated_value_cents: leads.estimatedValueCents,
      next_follow_up_at: leads.nextFollowUpAt,
      last_contact_at: leads.lastContactAt,
      status_changed_at: leads.statusChangedAt,
      is_converted: leads.isConverted,
      converted_to: leads.convertedToClientId,
      conversion_date: leads.conversionDate,
      created_at: leads.createdAt,
      status_name: leadStatuses.name,
      status_kind: leadStatuses.kind,
    })
    .from(leads)
    .leftJoin(leadStatuses, eq(leadStatuses.id, leads.statusId))
    .where(eq(leads.id, id))
    .get()
  if (!lead) return null
  const name = [lead.first_name, lead.last_name].filter(Boolean).join(' ')
  return {
    subject: 'lead',
    id,
    name,
    first_name: lead.first_name,
    company: lead.company,
    status: {
      name: lead.status_name ?? 'Unknown',
      kind: lead.status_kind ?? 'open',
      since: lead.status_changed_at ?? lead.created_at,
    },
    source: lead.source,
    service_interest: lead.service_interest,
    estimated_value_cents: lead.estimated_value_cents,
    next_follow_up_at: lead.next_follow_up_at,
    last_contact_at: lead.last_contact_at,
    converted: lead.is_converted ? { client_id: lead.converted_to, on: lead.conversion_date } : null,
    open_estimate: openEstimate(db, eq(estimates.leadId, id)),
    activities: recentActivities(db, null, id),
    created_at: lead.created_at,
  }
}
