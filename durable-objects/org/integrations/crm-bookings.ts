/** A job booked into the CRM, object side: what the booking push reads of the job, and whether the job is still waiting for its CRM. */
import { and, desc, eq } from 'drizzle-orm'
import type { CrmBookingMessage } from '../../../src/queues/messages'
import type { OrgDb } from '../db'
import { getJob } from '../crm/jobs'
import { syncLog } from '../schema'
import { connectionRow } from './connections'
import { linkedId } from './crm-push'
import type { Mapping } from './apply-mappings'
import { recordSync } from './sync-log'

/** The sync log's event key of a job's booking into the CRM. */
export const bookingKey = (jobId: string) => `job:${jobId}`

/** What a booking push needs of our job: its times, notes and client; null when the job is not ours. */
export function bookingJob(db: OrgDb, jobId: string) {
  const job = getJob(db, jobId)
  return job
    ? {
        id: job.id,
        org_client_id: job.org_client_id,
        start_at: job.start_at,
        end_at: job.end_at,
        notes: job.notes,
        status: job.status,
        price_cents: job.price_cents,
      }
    : null
}

/** A booking waits for its CRM: the queued row that says so (step 'book'), kept until the job is linked. */
export function noteBookingQueued(
  db: OrgDb,
  msg: Omit<CrmBookingMessage, 'organization_id'>,
  orgClientId: string,
  now: Date,
): void {
  recordSync(
    db,
    {
      connectionId: msg.connection_id,
      provider: msg.provider,
      direction: 'outbound',
      step: 'book',
      status: 'retry',
      eventKey: bookingKey(msg.job_id),
      topic: 'job_booked',
      orgClientId,
      detail: 'queued for the CRM',
    },
    now.toISOString(),
  )
}

/** The CRM a job was booked into and is not on yet ("Not yet on Jobber: retrying"); null when linked or never booked there. */
export function pendingBooking(
  db: OrgDb,
  jobId: string,
): { connection_id: string; provider: string; status: string; detail: string | null } | null {
  const booked = db
    .select({ connectionId: syncLog.connectionId, status: syncLog.status, detail: syncLog.detail })
    .from(syncLog)
    .where(and(eq(syncLog.eventKey, bookingKey(jobId)), eq(syncLog.step, 'book')))
    .orderBy(desc(syncLog.at))
    .get()
  if (!booked?.connectionId) return null
  const connection = connectionRow(db, booked.connectionId)
  if (!connection) return null
  if (linkedId(db, connection.id, connection.provider, 'job', jobId)) return null
  return { connection_id: connection.id, provider: connection.provider, status: booked.status, detail: booked.detail }
}

/**
 * Our job the CRM's new job is, when its webhook comes before the booking push linked them (the
 * CRM announces the job the moment the push makes it): the client's job booked into this
 * connection, not linked yet, starting when the CRM's does. Null when there is none, or several.
 */
export function awaitingCrmJob(
  db: OrgDb,
  connectionId: string,
  orgClientId: string | null,
  startAt: string | null,
): Mapping | null {
  if (!orgClientId) return null
  const connection = connectionRow(db, connectionId)
  if (!connection) return null
  const waiting = db
    .selectDistinct({ eventKey: syncLog.eventKey })
    .from(syncLog)
    .where(and(eq(syncLog.connectionId, connectionId), eq(syncLog.step, 'book'), eq(syncLog.orgClientId, orgClientId)))
    .all()
    .map((r) => (r.eventKey ?? '').replace(/^job:/, ''))
    .filter((jobId) => !linkedId(db, connectionId, connection.provider, 'job', jobId))
    .map((jobId) => getJob(db, jobId))
    .filter((job) => job !== null && (startAt === null || Date.parse(job.start_at) === Date.parse(startAt)))
  return waiting.length === 1 ? { localId: waiting[0]!.id, updatedAt: '' } : null
}
