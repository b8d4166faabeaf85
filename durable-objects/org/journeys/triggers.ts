/** Events into journeys: first stop what the event ends, then enroll where its trigger matches. */
import { and, desc, eq, ne } from 'drizzle-orm'
import type { OrgDb } from '../db'
import { type CrmStopEvent, syncSettings } from '../integrations/connection-settings'
import {
  connections,
  enrollments,
  invoices,
  jobs,
  JOURNEY_TRIGGERS,
  journeys,
  messages,
  type FlatData,
  type Provider,
  type StopCondition,
} from '../schema'
import { effectiveSettings } from './definitions'
import { enroll, endEnrollment } from './enroll'

export type RaisedEvent = { id: string; type: string; orgClientId: string; data: FlatData; at: string }

/** Systems whose events end an enrollment as `cancelled_crm_event` rather than `stopped`. */
const CRM_SOURCES = ['jobber', 'housecallpro', 'servicetitan', 'quickbooks'] as const

/** Called for every event recorded against a client, inside the same transaction. */
export function onEvent(db: OrgDb, event: RaisedEvent): void {
  const condition = stopConditionOf(event)
  if (condition) stopEnrollments(db, event, condition)
  const trigger = JOURNEY_TRIGGERS.find((t) => t === event.type)
  if (!trigger) return
  const matching = db
    .select()
    .from(journeys)
    .where(and(eq(journeys.triggerEvent, trigger), eq(journeys.status, 'active')))
    .all()
  if (matching.length === 0) return
  const source = sourceOf(db, event)
  for (const journey of matching) {
    if (journey.triggerSource === 'any' || journey.triggerSource === source) enroll(db, journey, event, source)
  }
}

/** The stop condition an event stands for, if any. */
export function stopConditionOf(event: Pick<RaisedEvent, 'type' | 'data'>): StopCondition | null {
  switch (event.type) {
    case 'job_booked':
    case 'replied':
    case 'invoice_paid':
    case 'review_left':
      return event.type
    case 'sms_opt_out':
      return 'opted_out'
    case 'consent_changed':
      return event.data['sms_opt_in'] === false ||
        event.data['email_opt_in'] === false ||
        event.data['marketing_email_opt_in'] === false
        ? 'opted_out'
        : null
    default:
      return null
  }
}

/** Ends every active enrollment of the client whose journey stops on this condition. */
function stopEnrollments(db: OrgDb, event: RaisedEvent, condition: StopCondition): void {
  const active = db
    .select({ id: enrollments.id, settings: journeys.settings })
    .from(enrollments)
    .innerJoin(journeys, eq(journeys.id, enrollments.journeyId))
    .where(and(eq(enrollments.orgClientId, event.orgClientId), eq(enrollments.status, 'active')))
    .all()
  const fromCrm = (CRM_SOURCES as readonly unknown[]).includes(event.data['source'])
  if (fromCrm && !crmStopsJourneys(db, event)) return
  for (const e of active) {
    if (!effectiveSettings(e.settings).stop_on.includes(condition)) continue
    endEnrollment(db, e.id, fromCrm ? 'cancelled_crm_event' : 'stopped', condition, event.at)
  }
  dropWaitingLastMessages(db, event, condition)
}

/** Our events as a connection's `stop_journeys_on` names them (seed 003: the CRM events that end campaign enrollments). */
const CRM_STOP_EVENT_OF: Record<string, CrmStopEvent> = {
  job_booked: 'job_booked',
  job_completed: 'job_completed',
  customer_contacted: 'customer_contacted',
  invoice_paid: 'invoice_paid',
}

/**
 * Whether the connection the event came from lets it end journeys: its own connection when the
 * event names one, else the provider's live connection; an event the settings do not name does.
 */
function crmStopsJourneys(db: OrgDb, event: RaisedEvent): boolean {
  const name = CRM_STOP_EVENT_OF[event.type]
  if (!name) return true
  const connectionId = event.data['connection_id']
  const row =
    typeof connectionId === 'string'
      ? db.select({ settings: connections.settings }).from(connections).where(eq(connections.id, connectionId)).get()
      : db
          .select({ settings: connections.settings })
          .from(connections)
          .where(
            and(eq(connections.provider, event.data['source'] as Provider), ne(connections.status, 'disconnected')),
          )
          .orderBy(desc(connections.createdAt))
          .get()
  return !row || syncSettings(row.settings).stop_journeys_on.includes(name)
}

/**
 * A completed enrollment's last message may still be waiting (quiet hours, the daily cap): a stop
 * condition arriving meanwhile drops it, as it would have stopped the enrollment a step earlier.
 */
function dropWaitingLastMessages(db: OrgDb, event: RaisedEvent, condition: StopCondition): void {
  const waiting = db
    .select({ id: messages.id, settings: journeys.settings })
    .from(messages)
    .innerJoin(enrollments, eq(enrollments.id, messages.enrollmentId))
    .innerJoin(journeys, eq(journeys.id, enrollments.journeyId))
    .where(
      and(
        eq(messages.orgClientId, event.orgClientId),
        eq(messages.status, 'deferred'),
        eq(enrollments.status, 'completed'),
      ),
    )
    .all()
  for (const m of waiting) {
    if (!effectiveSettings(m.settings).stop_on.includes(condition)) continue
    db.update(messages)
      .set({ status: 'skipped', reason: `journey stopped: ${condition}`, sendAfter: null, updatedAt: event.at })
      .where(eq(messages.id, m.id))
      .run()
  }
}

/** Where the event came from: its own `source`, else its job's (or its invoice's job's), else manual. */
export function sourceOf(db: OrgDb, event: Pick<RaisedEvent, 'data'>): string {
  const given = event.data['source']
  if (typeof given === 'string' && given !== '') return given
  const jobId =
    typeof event.data['job_id'] === 'string' ? event.data['job_id'] : invoiceJob(db, event.data['invoice_id'])
  const job = jobId ? db.select({ source: jobs.source }).from(jobs).where(eq(jobs.id, jobId)).get() : undefined
  return job?.source ?? 'manual'
}

function invoiceJob(db: OrgDb, invoiceId: unknown): string | null {
  if (typeof invoiceId !== 'string') return null
  return db.select({ jobId: invoices.jobId }).from(invoices).where(eq(invoices.id, invoiceId)).get()?.jobId ?? null
}
