/**
 * Activities: calls, notes, meetings, emails and texts logged on a lead or a client (the types
 * are the activity_types lookup), plus the pipeline's own entries on a lead (a status change, the
 * conversion). A call, meeting, email or text moves the lead's `last_contact_at`.
 */
import { and, asc, desc, eq, isNull } from 'drizzle-orm'
import { conflict, invalidInput, notFound } from '../../../../src/errors'
import type { OrgDb } from '../../db'
import { activities, activityTypes, leads, orgClients } from '../../schema'

export type Activity = {
  id: string
  lead_id: string | null
  org_client_id: string | null
  type: string
  direction: 'inbound' | 'outbound' | null
  summary: string
  occurred_at: string
  author_id: string | null
  source: string
  external_id: string | null
  duration_seconds: number | null
  url: string | null
  created_at: string
}

export type ActivityType = { key: string; name: string; icon: string | null; position: number }

/** What was logged; `external_id` (a CallSid) makes a replay answer the first one. */
export type NewActivity = {
  type: string
  direction?: 'inbound' | 'outbound' | null
  summary: string
  occurred_at?: string
  author_id?: string | null
  source?: string
  external_id?: string | null
  duration_seconds?: number | null
  url?: string | null
}

/** Whom an activity is about: a lead or a client, never both. */
export type ActivitySubject = { lead_id: string } | { org_client_id: string }

/** Types that are a contact with the person (a note is not). */
export const CONTACT_TYPES = ['call', 'meeting', 'email', 'sms']

/** The pipeline's own entries on a lead's history, written by the system, never posted. */
export type SystemActivityType = 'status_changed' | 'converted'

/** An activity row as the API shows it. */
export const toActivity = (a: typeof activities.$inferSelect): Activity => ({
  id: a.id,
  lead_id: a.leadId,
  org_client_id: a.orgClientId,
  type: a.type,
  direction: a.direction,
  summary: a.summary,
  occurred_at: a.occurredAt,
  author_id: a.authorId,
  source: a.source,
  external_id: a.externalId,
  duration_seconds: a.durationSeconds,
  url: a.url,
  created_at: a.createdAt,
})

/** The kinds of activity in their order. */
export function listActivityTypes(db: OrgDb): ActivityType[] {
  return db.select().from(activityTypes).orderBy(asc(activityTypes.position), asc(activityTypes.key)).all()
}

/**
 * Logs an activity on a lead or a client (404 when this business has neither). A converted lead
 * is history: its activities go on the client now (409). A known `external_id` answers the
 * activity already logged, writing nothing.
 */
export function addActivity(db: OrgDb, subject: ActivitySubject, input: NewActivity, now: Date): Activity {
  if (input.external_id) {
    const seen = db.select().from(activities).where(eq(activities.externalId, input.external_id)).get()
    if (seen) return toActivity(seen)
  }
  if (!db.select({ key: activityTypes.key }).from(activityTypes).where(eq(activityTypes.key, input.type)).get())
    throw invalidInput([
      { path: 'type', message: 'is not one of the activity types (call, note, meeting, email, sms)' },
    ])
  const lead = 'lead_id' in subject ? leadOf(db, subject.lead_id) : null
  if (lead?.isConverted) throw conflict('This lead became a client: log activities on the client.')
  if ('org_client_id' in subject) requireClient(db, subject.org_client_id)
  const at = now.toISOString()
  const row = {
    id: crypto.randomUUID(),
    leadId: 'lead_id' in subject ? subject.lead_id : null,
    orgClientId: 'org_client_id' in subject ? subject.org_client_id : null,
    type: input.type,
    direction: input.direction ?? null,
    summary: input.summary,
    occurredAt: input.occurred_at ? new Date(input.occurred_at).toISOString() : at,
    authorId: input.author_id ?? null,
    source: input.source ?? 'staff',
    externalId: input.external_id ?? null,
    durationSeconds: input.duration_seconds ?? null,
    url: input.url ?? null,
    createdAt: at,
  }
  db.insert(activities).values(row).run()
  if (lead && CONTACT_TYPES.includes(row.type) && (!lead.lastContactAt || lead.lastContactAt < row.occurredAt))
    db.update(leads).set({ lastContactAt: row.occurredAt, updatedAt: at }).where(eq(leads.id, lead.id)).run()
  return toActivity(row)
}

/** A lead's or client's activities, newest first; null when this business has no such lead or client. */
export function activitiesOf(db: OrgDb, subject: ActivitySubject, limit = 200): Activity[] | null {
  if (
    'lead_id' in subject
      ? !db.select({ id: leads.id }).from(leads).where(eq(leads.id, subject.lead_id)).get()
      : !clientExists(db, subject.org_client_id)
  )
    return null
  return listActivities(db, subject, limit)
}

/** The activities of a lead or client, newest first (the subject is not checked). */
export function listActivities(db: OrgDb, subject: ActivitySubject, limit = 200): Activity[] {
  const where =
    'lead_id' in subject ? eq(activities.leadId, subject.lead_id) : eq(activities.orgClientId, subject.org_client_id)
  return db
    .select()
    .from(activities)
    .where(where)
    .orderBy(desc(activities.occurredAt), desc(activities.createdAt), desc(activities.id))
    .limit(limit)
    .all()
    .map(toActivity)
}

/** Writes one of the pipeline's own entries on a lead's history. */
export function systemActivity(
  db: OrgDb,
  leadId: string,
  type: SystemActivityType,
  summary: string,
  at: string,
  authorId: string | null = null,
): void {
  db.insert(activities)
    .values({
      id: crypto.randomUUID(),
      leadId,
      orgClientId: null,
      type,
      summary,
      occurredAt: at,
      authorId,
      source: 'system',
      createdAt: at,
    })
    .run()
}

function leadOf(db: OrgDb, id: string) {
  const lead = db
    .select({ id: leads.id, isConverted: leads.isConverted, lastContactAt: leads.lastContactAt })
    .from(leads)
    .where(eq(leads.id, id))
    .get()
  if (!lead) throw notFound('lead')
  return lead
}

function clientExists(db: OrgDb, id: string): boolean {
  return !!db
    .select({ id: orgClients.id })
    .from(orgClients)
    .where(and(eq(orgClients.id, id), isNull(orgClients.mergedInto)))
    .get()
}

function requireClient(db: OrgDb, id: string): void {
  if (!clientExists(db, id)) throw notFound('client')
}
