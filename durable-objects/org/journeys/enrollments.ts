/** Reading enrollments: the API's list, the enrollments page (client, position, history), an event's enrollments. */
import { and, asc, desc, eq, inArray, isNull, sql, type SQL } from 'drizzle-orm'
import type { OrgDb } from '../db'
import { contacts, enrollmentLog, enrollments, journeySteps, orgClients, type EnrollmentStatus } from '../schema'

export type EnrollmentRow = {
  id: string
  journey_id: string
  org_client_id: string
  version: number
  current_step: number
  status: EnrollmentStatus
  next_step_at: string | null
  enrolled_at: string
  ended_at: string | null
  end_reason: string | null
  source: string
  job_id: string | null
  invoice_id: string | null
  trigger_event_id: string | null
}

export type EnrollmentsQuery = { journey_id?: string; status?: EnrollmentStatus; org_client_id?: string; limit: number }

const columns = {
  id: enrollments.id,
  journey_id: enrollments.journeyId,
  org_client_id: enrollments.orgClientId,
  version: enrollments.version,
  current_step: enrollments.currentStep,
  status: enrollments.status,
  next_step_at: enrollments.nextStepAt,
  enrolled_at: enrollments.enrolledAt,
  ended_at: enrollments.endedAt,
  end_reason: enrollments.endReason,
  source: enrollments.source,
  job_id: enrollments.jobId,
  invoice_id: enrollments.invoiceId,
  trigger_event_id: enrollments.triggerEventId,
}

/** Enrollments newest first, archived ones left out. */
export function listEnrollments(db: OrgDb, q: EnrollmentsQuery): EnrollmentRow[] {
  const where: SQL[] = [isNull(enrollments.archivedAt)]
  if (q.journey_id) where.push(eq(enrollments.journeyId, q.journey_id))
  if (q.status) where.push(eq(enrollments.status, q.status))
  if (q.org_client_id) where.push(eq(enrollments.orgClientId, q.org_client_id))
  return db
    .select(columns)
    .from(enrollments)
    .where(and(...where))
    .orderBy(desc(enrollments.enrolledAt))
    .limit(q.limit)
    .all()
}

/** The enrollments an event started. */
export function enrollmentsOfEvent(db: OrgDb, eventId: string): EnrollmentRow[] {
  return db.select(columns).from(enrollments).where(eq(enrollments.triggerEventId, eventId)).all()
}

export type HistoryLine = {
  position: number | null
  type: string
  outcome: string
  message_id: string | null
  at: string
}

export type EnrollmentDetail = EnrollmentRow & { client_name: string; step_count: number; history: HistoryLine[] }

/** A journey's enrollments for its page: who, where they are (step n of m), and what happened so far. */
export function enrollmentDetails(
  db: OrgDb,
  journeyId: string,
  q: { status?: EnrollmentStatus; limit: number },
): EnrollmentDetail[] {
  const rows = db
    .select({
      ...columns,
      first_name: contacts.firstName,
      last_name: contacts.lastName,
      email: contacts.primaryEmail,
      phone: contacts.primaryPhoneE164,
    })
    .from(enrollments)
    .leftJoin(orgClients, eq(orgClients.id, enrollments.orgClientId))
    .leftJoin(contacts, eq(contacts.personId, orgClients.personId))
    .where(
      and(
        eq(enrollments.journeyId, journeyId),
        isNull(enrollments.archivedAt),
        q.status ? eq(enrollments.status, q.status) : undefined,
      ),
    )
    .orderBy(desc(enrollments.enrolledAt))
    .limit(q.limit)
    .all()
  if (rows.length === 0) return []
  const stepCounts = db
    .select({ version: journeySteps.version, n: sql<number>`count(*)` })
    .from(journeySteps)
    .where(eq(journeySteps.journeyId, journeyId))
    .groupBy(journeySteps.version)
    .all()
  const history = new Map<string, HistoryLine[]>()
  // Ninety-nine ids a statement keep under the parameter limit.
  for (let i = 0; i < rows.length; i += 99) {
    const ids = rows.slice(i, i + 99).map((r) => r.id)
    const lines = db
      .select({
        enrollmentId: enrollmentLog.enrollmentId,
        position: enrollmentLog.position,
        type: enrollmentLog.type,
        outcome: enrollmentLog.outcome,
        message_id: enrollmentLog.messageId,
        at: enrollmentLog.at,
      })
      .from(enrollmentLog)
      .where(inArray(enrollmentLog.enrollmentId, ids))
      .orderBy(asc(enrollmentLog.at), sql`rowid`)
      .all()
    for (const { enrollmentId, ...line } of lines)
      history.set(enrollmentId, [...(history.get(enrollmentId) ?? []), line])
  }
  return rows.map(({ first_name, last_name, email, phone, ...r }) => ({
    ...r,
    client_name: [first_name, last_name].filter(Boolean).join(' ') || email || phone || 'Unnamed client',
    step_count: stepCounts.find((s) => s.version === r.version)?.n ?? 0,
    history: history.get(r.id) ?? [],
  }))
}
