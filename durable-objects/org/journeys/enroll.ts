/** Starting and ending enrollments under a journey's re-entry rule, each change written to its history. */
import { and, desc, eq } from 'drizzle-orm'
import type { OrgDb } from '../db'
import {
  enrollmentLog,
  enrollments,
  invoices,
  type journeys,
  type EnrollmentStatus,
  type FlatData,
  type JourneySettings,
} from '../schema'
import { effectiveSettings } from './definitions'

const DAY_MS = 86_400_000

export type Trigger = { id: string; orgClientId: string; data: FlatData; at: string }

/** Enrolls the event's client in the journey unless re-entry forbids it; returns the enrollment id or null. */
export function enroll(
  db: OrgDb,
  journey: typeof journeys.$inferSelect,
  event: Trigger,
  source: string,
): string | null {
  const mine = and(eq(enrollments.orgClientId, event.orgClientId), eq(enrollments.journeyId, journey.id))
  if (
    db
      .select({ id: enrollments.id })
      .from(enrollments)
      .where(and(mine, eq(enrollments.status, 'active')))
      .get()
  )
    return null
  const last = db
    .select({ enrolledAt: enrollments.enrolledAt })
    .from(enrollments)
    .where(mine)
    .orderBy(desc(enrollments.enrolledAt))
    .limit(1)
    .get()
  if (last && !reentryAllows(journey.settings, last.enrolledAt, event.at)) return null
  const id = crypto.randomUUID()
  const invoiceId = text(event.data['invoice_id'])
  const jobId =
    text(event.data['job_id']) ??
    (invoiceId
      ? (db.select({ jobId: invoices.jobId }).from(invoices).where(eq(invoices.id, invoiceId)).get()?.jobId ?? null)
      : null)
  db.insert(enrollments)
    .values({
      id,
      journeyId: journey.id,
      version: journey.version,
      orgClientId: event.orgClientId,
      currentStep: 0,
      status: 'active',
      nextStepAt: event.at,
      triggerEventId: event.id,
      jobId,
      invoiceId,
      source,
      enrolledAt: event.at,
      updatedAt: event.at,
    })
    .run()
  logStep(db, {
    enrollmentId: id,
    position: null,
    type: 'enrolled',
    outcome: `enrolled on version ${journey.version} (source: ${source})`,
    at: event.at,
  })
  return id
}

/** True when a client whose last enrollment started at `lastStart` may start again at `at`. */
export function reentryAllows(settings: JourneySettings, lastStart: string, at: string): boolean {
  const { reentry } = effectiveSettings(settings)
  if (reentry.mode === 'never') return false
  return Date.parse(at) - Date.parse(lastStart) >= reentry.days * DAY_MS
}

/** Ends an enrollment with a status and why; nothing more of it goes out. */
export function endEnrollment(
  db: OrgDb,
  id: string,
  status: Exclude<EnrollmentStatus, 'active'>,
  reason: string,
  at: string,
): void {
  db.update(enrollments)
    .set({ status, endReason: reason, endedAt: at, nextStepAt: null, updatedAt: at })
    .where(eq(enrollments.id, id))
    .run()
  logStep(db, { enrollmentId: id, position: null, type: 'ended', outcome: `${status}: ${reason}`, at })
}

export type LogEntry = {
  enrollmentId: string
  position: number | null
  type: string
  outcome: string
  messageId?: string | null
  at: string
}

/** Appends one line to an enrollment's history. */
export function logStep(db: OrgDb, e: LogEntry): void {
  db.insert(enrollmentLog)
    .values({
      id: crypto.randomUUID(),
      enrollmentId: e.enrollmentId,
      position: e.position,
      type: e.type,
      outcome: e.outcome,
      messageId: e.messageId ?? null,
      at: e.at,
    })
    .run()
}

const text = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null)
