/**
 * Applying a CRM's job changes through the jobs domain (so job_booked, job_completed and
 * job_canceled are raised with the provider as source). A job is moved forward only: one we
 * first hear of as completed is booked then completed, and a finished job is never reopened.
 */
import type { CrmJob } from '../../../src/integrations/inbound/canonical'
import { and, eq } from 'drizzle-orm'
import type { OrgDb } from '../db'
import { services } from '../schema'
import { syncSettings } from './connection-settings'
import { connectionRow } from './connections'
import { awaitingCrmJob } from './crm-bookings'
import { createJob, getJob, updateJob, type Job, type JobPatch } from '../crm/jobs'
import { findMapping, isStale, linkMapping, logApply, type ChangeContext } from './apply-mappings'

/** Creates or updates the job mapped to the provider's job; returns our job id (null when skipped). */
export function applyCrmJob(
  db: OrgDb,
  ctx: ChangeContext,
  orgClientId: string | null,
  job: CrmJob,
  now = new Date(),
): { job_id: string | null } {
  // Our job booked into the CRM whose webhook came before the booking push linked it is that job.
  const mapping =
    findMapping(db, ctx.provider, 'job', job.external_id) ??
    awaitingCrmJob(db, ctx.connectionId, orgClientId, job.start_at)
  const skip = (detail: string, jobId: string | null = null) => {
    logApply(db, ctx, { status: 'skipped', externalId: job.external_id, orgClientId, detail })
    return { job_id: jobId }
  }
  if (isStale(mapping, job.updated_at)) return skip('job: older than the change already applied', mapping!.localId)
  let current = mapping ? getJob(db, mapping.localId) : null
  const done: string[] = []
  if (!current) {
    if (!orgClientId) return skip('job: not known here and the event names no client')
    current = book(db, ctx, orgClientId, job, now)
    done.push('booked')
  }
  linkMapping(db, ctx, 'job', job.external_id, current.id, job.updated_at)
  if (current.status === 'completed' || current.status === 'cancelled') {
    if (done.length === 0) return skip(`job: already ${current.status}`, current.id)
  } else {
    const patch = patchFor(current, job, done.length > 0)
    const service = current.service_id ? null : mappedService(db, ctx, job)
    if (service) patch.service_id = service
    if (Object.keys(patch).length > 0) {
      updateJob(db, current.id, patch, now)
      done.push(patch.status ?? (patch.start_at ? 'moved' : 'updated'))
    }
  }
  logApply(db, ctx, {
    status: 'ok',
    externalId: job.external_id,
    orgClientId: current.org_client_id,
    detail: `job ${done.join(' and ') || 'unchanged'}`,
  })
  return { job_id: current.id }
}

/** Books the job for the client; one first seen finished starts at its completion time. */
function book(db: OrgDb, ctx: ChangeContext, orgClientId: string, job: CrmJob, now: Date): Job {
  const startAt = job.start_at ?? job.completed_at ?? now.toISOString()
  const endAt = job.end_at && Date.parse(job.end_at) > Date.parse(startAt) ? job.end_at : undefined
  return createJob(
    db,
    {
      org_client_id: orgClientId,
      start_at: startAt,
      end_at: endAt,
      price_cents: job.total_cents ?? 0,
      notes: job.title ?? undefined,
      service_id: mappedService(db, ctx, job) ?? undefined,
      source: ctx.provider,
      external_id: job.external_id,
    },
    now,
  ).job
}

/** Our service for the job's CRM job type, from the connection's service map; null when unmapped or no longer offered. */
function mappedService(db: OrgDb, ctx: ChangeContext, job: CrmJob): string | null {
  if (!job.job_type_id) return null
  const serviceId = syncSettings(connectionRow(db, ctx.connectionId)?.settings).service_map[job.job_type_id]
  if (!serviceId) return null
  const service = db
    .select({ id: services.id })
    .from(services)
    .where(and(eq(services.id, serviceId), eq(services.active, true)))
    .get()
  return service?.id ?? null
}

/** The forward changes the provider's state asks of an open job. */
function patchFor(current: Job, job: CrmJob, justBooked: boolean): JobPatch {
  const patch: JobPatch = {}
  if (job.status !== 'scheduled') patch.status = job.status
  else if (!justBooked && job.start_at && Date.parse(job.start_at) !== Date.parse(current.start_at)) {
    patch.start_at = job.start_at
    if (job.end_at && Date.parse(job.end_at) > Date.parse(job.start_at)) patch.end_at = job.end_at
  }
  if (job.total_cents !== null && job.total_cents !== current.price_cents) patch.price_cents = job.total_cents
  return patch
}
