/** Events sent through the API: for a known client, or for a person who becomes a client first. */
import { and, desc, eq, isNull } from 'drizzle-orm'
import { notFound } from '../../../src/errors'
import type { CardInput } from '../cards/cards'
import { createClient } from '../crm/clients'
import type { OrgDb } from '../db'
import { recordEvent } from '../events'
import { events, orgClients } from '../schema'
import { enrollmentsOfEvent, type EnrollmentRow } from './enrollments'

/** The event types the API takes; `opted_out` is recorded as the `sms_opt_out` it stands for. */
export const API_EVENT_TYPES = [
  'manual',
  'job_completed',
  'invoice_paid',
  'client_created',
  'lead_created',
  'job_booked',
  'replied',
  'review_left',
  'opted_out',
] as const
export type ApiEventType = (typeof API_EVENT_TYPES)[number]

export type RaiseInput = {
  type: ApiEventType
  orgClientId?: string
  /** A person linked in the registry, with the caller's words for the card; made a client when they are not one yet. */
  person?: CardInput
  source: string
  externalId?: string
  at: string
}

export type Raised = { event_id: string; org_client_id: string; enrollments: EnrollmentRow[] }

/** Records the event (journeys stop and enroll as for any event) and returns the enrollments it started. */
export function raiseEvent(db: OrgDb, input: RaiseInput): Raised {
  const type = input.type === 'opted_out' ? 'sms_opt_out' : input.type
  let orgClientId = input.orgClientId
  let eventId: string | null = null
  if (input.person) {
    const lead = type === 'lead_created'
    const made = createClient(db, {
      person: input.person,
      source: input.source,
      ...(lead ? { status: 'lead' } : {}),
      ...(input.externalId ? { external_id: input.externalId } : {}),
    })
    orgClientId = made.org_client_id
    // A new client already raised its own client_created / lead_created: that is this event.
    if (made.created && (type === 'client_created' || type === 'lead_created'))
      eventId = latestEvent(db, orgClientId, type)
  } else if (
    !orgClientId ||
    !db
      .select({ id: orgClients.id })
      .from(orgClients)
      .where(and(eq(orgClients.id, orgClientId), isNull(orgClients.mergedInto)))
      .get()
  ) {
    throw notFound('client')
  }
  eventId ??= recordEvent(
    db,
    type,
    orgClientId!,
    { source: input.source, ...(input.externalId ? { external_id: input.externalId } : {}), via: 'api' },
    input.at,
  )
  return { event_id: eventId, org_client_id: orgClientId!, enrollments: enrollmentsOfEvent(db, eventId) }
}

function latestEvent(db: OrgDb, orgClientId: string, type: string): string | null {
  return (
    db
      .select({ id: events.id })
      .from(events)
      .where(and(eq(events.orgClientId, orgClientId), eq(events.type, type)))
      .orderBy(desc(events.createdAt))
      .limit(1)
      .get()?.id ?? null
  )
}
