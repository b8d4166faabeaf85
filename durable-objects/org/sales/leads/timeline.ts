/** What sales adds to a client's timeline: its activities, and the leads it came from with their activities. */
import { desc, eq, inArray, or } from 'drizzle-orm'
import type { TimelineItem } from '../../crm/reports'
import type { OrgDb } from '../../db'
import { activities, leads } from '../../schema'
import { callOutcome } from '../calls/outcome'

/** The client's activities and its converted leads' (type `activity`), and each such lead as it came in (type `lead`). */
export function salesTimeline(db: OrgDb, orgClientId: string, limit: number): TimelineItem[] {
  const fromLeads = db
    .select({
      id: leads.id,
      first_name: leads.firstName,
      last_name: leads.lastName,
      source: leads.source,
      service_interest: leads.serviceInterest,
      estimated_value_cents: leads.estimatedValueCents,
      created_at: leads.createdAt,
      conversion_date: leads.conversionDate,
    })
    .from(leads)
    .where(eq(leads.convertedToClientId, orgClientId))
    .all()
  const leadIds = fromLeads.map((l) => l.id)
  const logged = db
    .select()
    .from(activities)
    .where(
      leadIds.length > 0
        ? or(eq(activities.orgClientId, orgClientId), inArray(activities.leadId, leadIds))
        : eq(activities.orgClientId, orgClientId),
    )
    .orderBy(desc(activities.occurredAt))
    .limit(limit)
    .all()
  return [
    ...fromLeads.map(({ created_at, id, ...lead }) => ({
      id: `lead:${id}`,
      type: 'lead',
      created_at,
      data: { lead_id: id, ...lead },
    })),
    ...logged.map((a) => ({
      id: a.id,
      type: 'activity',
      created_at: a.occurredAt,
      data: {
        activity_type: a.type,
        direction: a.direction,
        summary: a.summary,
        lead_id: a.leadId,
        author_id: a.authorId,
        source: a.source,
        duration_seconds: a.durationSeconds,
        url: a.url,
        outcome: callOutcome(a),
      },
    })),
  ]
}
