// Over 300 lines on purpose: booking, editing, moving and listing a job share its row mapping and the crew and reminder helpers; the series, lines and completion already live beside it.
/** Jobs: booking (for an existing or a new client), rescheduling, cancelling, completing. */
import { and, asc, eq, gte, lt, type SQL } from 'drizzle-orm'
import { conflict, invalidInput, notFound } from '../../../src/errors'
import type { Author } from '../cards/cards'
import { createClient, type AddressInput, type NewClient } from './clients'
import { crewsAndConflicts, setCrew } from './crews'
import type { OrgDb } from '../db'
import { recordEvent } from '../events'
import { activateClient } from '../sales/leads/client-status'
import { dropPendingReminders, scheduleJobReminders } from './reminders'
import { addresses, jobs, orgClients, services, tasks, type JobStatus } from '../schema'
import type { Recurrence } from './recurrence'

export type Job = {
  id: string
  org_client_id: string
  address_id: string | null
  service_id: string | null
  start_at: string
  end_at: string | null
  status: JobStatus
  price_cents: number
  notes: string | null
  source: string
  external_id: string | null
  completed_at: string | null
  confirmed_at: string | null
  /** The recurring series this visit is one of; null for a single job. */
  series_id: string | null
  /** The commercial account's site the work is at (then it has no client property). */
  site_id?: string
  created_at: string
}

export type NewJob = {
  org_client_id?: string
  new_client?: NewClient
  address?: AddressInput
  service_id?: string
  start_at: string
  end_at?: string
  price_cents?: number
  notes?: string
  source?: string
  external_id?: string
  /** The crew: team members' user ids (the Worker checked they are on this business's team). */
  assigned_to?: string[]
  /** Makes this job the first visit of a recurring series. */
  recurrence?: Recurrence
  /** The commercial account's site the work is at. */
  site_id?: string
  /** The approved estimate this job books. */
  estimate_id?: string
}

/** A job as the API shows it: with its crew and the jobs of the same people it overlaps. */
export type JobWithCrew = Job & { assigned_to: string[]; conflicts: string[] }

/**
 * A job as a calendar draws it: when, whose, who works it and whether it overlaps another job of
 * its crew (a busy week's overlaps are thousands of ids the calendar never shows, so only the flag
 * crosses the RPC).
 */
export type CalendarRow = Pick<
  JobWithCrew,
  'id' | 'org_client_id' | 'service_id' | 'start_at' | 'end_at' | 'status' | 'assigned_to'
> & { overlaps: boolean }

/** Adds each job's crew and overlapping jobs. */
export function withCrews(db: OrgDb, list: Job[]): JobWithCrew[] {
  const { crews, conflicts } = crewsAndConflicts(db, list)
  return list.map((j) => ({ ...j, assigned_to: crews.get(j.id) ?? [], conflicts: conflicts.get(j.id) ?? [] }))
}

export const toJob = (j: typeof jobs.$inferSelect): Job => ({
  id: j.id,
  org_client_id: j.orgClientId,
  address_id: j.addressId,
  service_id: j.serviceId,
  start_at: j.startAt,
  end_at: j.endAt,
  status: j.status,
  price_cents: j.priceCents,
  notes: j.notes,
  source: j.source,
  external_id: j.externalId,
  completed_at: j.completedAt,
  confirmed_at: j.confirmedAt,
  series_id: j.seriesId,
  ...(j.siteId ? { site_id: j.siteId } : {}),
  created_at: j.createdAt,
})

/**
 * create_job_with_optional_new_client: the client (new or existing), its property, the job and its
 * reminders, written together. The caller runs it inside one storage transaction.
 */
export function createJob(db: OrgDb, input: NewJob, now = new Date()): { job: Job; client_created: boolean } {
  let orgClientId = input.org_client_id
  let clientCreated = false
  let addressId: string | null = null
  if (input.new_client) {
    const made = createClient(db, input.new_client)
    orgClientId = made.org_client_id
    clientCreated = made.created
    const client = db
      .select({ addressId: orgClients.defaultAddressId })
      .from(orgClients)
      .where(eq(orgClients.id, orgClientId))
      .get()
    addressId = client?.addressId ?? null
    // An existing client booked with a new property gets it added.
    if (!made.created && input.new_client.address)
      addressId = addProperty(db, orgClientId, input.new_client.address, now, input.new_client.person.author)
  } else {
    const client = db
      .select({ addressId: orgClients.defaultAddressId })
      .from(orgClients)
      .where(eq(orgClients.id, orgClientId ?? ''))
      .get()
    if (!client) throw notFound('client')
    addressId = client.addressId
  }
  const service = input.service_id
    ? db.select().from(services).where(eq(services.id, input.service_id)).get()
    : undefined
  if (input.service_id && !service) throw notFound('service')
  const endAt =
    input.end_at ??
    (service?.durationMinutes
      ? new Date(Date.parse(input.start_at) + service.durationMinutes * 60_000).toISOString()
      : null)
  if (endAt && Date.parse(endAt) <= Date.parse(input.start_at))
    throw invalidInput([{ path: 'end_at', message: 'must be after start_at' }])

  const at = now.toISOString()
  const row = {
    id: crypto.randomUUID(),
    orgClientId: orgClientId!,
    serviceId: input.service_id ?? null,
    // Work at an account's site is at the site's address, not one of the client's properties.
    addressId: input.site_id ? null : addressId,
    startAt: new Date(input.start_at).toISOString(),
    endAt: endAt ? new Date(endAt).toISOString() : null,
    status: 'scheduled' as const,
    priceCents: input.price_cents ?? service?.priceCents ?? 0,
    notes: input.notes ?? null,
    source: input.source ?? 'manual',
    externalId: input.external_id ?? null,
    completedAt: null,
    confirmedAt: null,
    seriesId: null,
    occurrence: null,
    siteId: input.site_id ?? null,
    estimateId: input.estimate_id ?? null,
    createdAt: at,
    updatedAt: at,
  }
  db.insert(jobs).values(row).run()
  if (input.assigned_to) setCrew(db, row.id, input.assigned_to)
  recordEvent(db, 'job_booked', row.orgClientId, { job_id: row.id, start_at: row.startAt, source: row.source }, at)
  // Booked work makes a "lead" client a customer.
  activateClient(db, row.orgClientId, at)
  scheduleJobReminders(db, row, now)
  return { job: toJob(row), client_created: clientCreated }
}

function addProperty(db: OrgDb, orgClientId: string, address: AddressInput, now: Date, author: Author): string {
  const id = crypto.randomUUID()
  db.insert(addresses)
    .values({ id, orgClientId, ...address, source: author.source, changedBy: author.by, createdAt: now.toISOString() })
    .run()
  return id
}

export type JobPatch = {
  status?: JobStatus
  start_at?: string
  end_at?: string
  price_cents?: number
  notes?: string
  assigned_to?: string[]
  /** Another of the business's services (its price is not copied: a booked price stays unless `price_cents` changes it). */
  service_id?: string | null
  /** Another of the client's properties. */
  address_id?: string | null
  /** For a visit of a series: this visit only (the default) or this and every later one. */
  scope?: 'this' | 'following'
}

/** Allowed status changes: finished jobs stay finished. */
const NEXT: Record<JobStatus, JobStatus[]> = {
  scheduled: ['scheduled', 'in_progress', 'completed', 'cancelled', 'blocked'],
  in_progress: ['in_progress', 'scheduled', 'completed', 'cancelled', 'blocked'],
  blocked: ['blocked', 'scheduled', 'in_progress', 'cancelled'],
  completed: ['completed'],
  cancelled: ['cancelled'],
}

/**
 * Changes a job. Moving it moves its unsent reminders (and its end, by the same amount, unless a
 * new end is given) and closes the homeowner's open reschedule request; cancelling or completing
 * removes the reminders; completing raises `job_completed`.
 */
export function updateJob(
  db: OrgDb,
  id: string,
  patch: JobPatch,
  now = new Date(),
  options: { quiet?: boolean } = {},
): Job {
  const job = db.select().from(jobs).where(eq(jobs.id, id)).get()
  if (!job) throw notFound('job')
  const status = patch.status ?? job.status
  if (!NEXT[job.status].includes(status)) throw conflict(`A ${job.status} job cannot become ${status}.`)
  const startAt = patch.start_at ? new Date(patch.start_at).toISOString() : job.startAt
  const moved = startAt !== job.startAt
  let endAt = patch.end_at ? new Date(patch.end_at).toISOString() : job.endAt
  if (moved && !patch.end_at && job.endAt)
    endAt = new Date(Date.parse(job.endAt) + Date.parse(startAt) - Date.parse(job.startAt)).toISOString()
  if (endAt && Date.parse(endAt) <= Date.parse(startAt))
    throw invalidInput([{ path: 'end_at', message: 'must be after start_at' }])
  if ((moved || patch.end_at) && (job.status === 'completed' || job.status === 'cancelled')) {
    throw conflict(`A ${job.status} job cannot be moved.`)
  }
  if (patch.service_id && !db.select({ id: services.id }).from(services).where(eq(services.id, patch.service_id)).get())
    throw notFound('service')
  if (
    patch.address_id &&
    !db
      .select({ id: addresses.id })
      .from(addresses)
      .where(and(eq(addresses.id, patch.address_id), eq(addresses.orgClientId, job.orgClientId)))
      .get()
  )
    throw invalidInput([{ path: 'address_id', message: "is not one of this client's properties" }])
  const at = now.toISOString()
  const completing = status === 'completed' && job.status !== 'completed'
  db.update(jobs)
    .set({
      status,
      startAt,
      endAt,
      ...(patch.price_cents !== undefined ? { priceCents: patch.price_cents } : {}),
      ...(patch.notes !== undefined ? { notes: patch.notes } : {}),
      ...(patch.service_id !== undefined ? { serviceId: patch.service_id } : {}),
      ...(patch.address_id !== undefined ? { addressId: patch.address_id } : {}),
      ...(completing ? { completedAt: at } : {}),
      // A moved visit is a new appointment: the homeowner's confirmation was for the old time.
      ...(moved ? { confirmedAt: null } : {}),
      updatedAt: at,
    })
    .where(eq(jobs.id, id))
    .run()
  if (patch.assigned_to) setCrew(db, id, patch.assigned_to)

  if (status === 'cancelled' || status === 'completed') dropPendingReminders(db, { jobId: id })
  else if (moved) scheduleJobReminders(db, { id, orgClientId: job.orgClientId, startAt }, now)
  if (moved) closeRescheduleRequests(db, id, at)
  // A series-wide change records one event, on the visit it was made from.
  if (options.quiet) return getJob(db, id)!
  if (moved) recordEvent(db, 'job_rescheduled', job.orgClientId, { job_id: id, from: job.startAt, to: startAt }, at)
  if (status === 'cancelled' && job.status !== 'cancelled')
    recordEvent(db, 'job_canceled', job.orgClientId, { job_id: id }, at)
  if (completing)
    recordEvent(
      db,
      'job_completed',
      job.orgClientId,
      { job_id: id, price_cents: patch.price_cents ?? job.priceCents, source: job.source },
      at,
    )
  return getJob(db, id)!
}

/** A homeowner's open request for another time is answered by any move of the visit: it closes. */
function closeRescheduleRequests(db: OrgDb, jobId: string, at: string): void {
  db.update(tasks)
    .set({ status: 'done', doneAt: at })
    .where(and(eq(tasks.jobId, jobId), eq(tasks.type, 'reschedule_request'), eq(tasks.status, 'open')))
    .run()
}

export function getJob(db: OrgDb, id: string): Job | null {
  const row = db.select().from(jobs).where(eq(jobs.id, id)).get()
  return row ? toJob(row) : null
}

export type JobsQuery = {
  from?: string
  to?: string
  status?: JobStatus
  org_client_id?: string
  series_id?: string
  limit: number
}

/** What a jobs query asks for, as SQL conditions. */
function jobsWhere(query: JobsQuery): SQL[] {
  const where: SQL[] = []
  if (query.from) where.push(gte(jobs.startAt, new Date(query.from).toISOString()))
  if (query.to) where.push(lt(jobs.startAt, new Date(query.to).toISOString()))
  if (query.status) where.push(eq(jobs.status, query.status))
  if (query.org_client_id) where.push(eq(jobs.orgClientId, query.org_client_id))
  if (query.series_id) where.push(eq(jobs.seriesId, query.series_id))
  return where
}

/** Jobs by start time, within [from, to). */
export function listJobs(db: OrgDb, query: JobsQuery): Job[] {
  return db
    .select()
    .from(jobs)
    .where(and(...jobsWhere(query)))
    .orderBy(asc(jobs.startAt))
    .limit(query.limit)
    .all()
    .map(toJob)
}

/** Jobs by start time as a calendar draws them: only the columns it shows, the crew and an overlap flag. */
export function calendarRows(db: OrgDb, query: JobsQuery): CalendarRow[] {
  const list = db
    .select({
      id: jobs.id,
      org_client_id: jobs.orgClientId,
      service_id: jobs.serviceId,
      start_at: jobs.startAt,
      end_at: jobs.endAt,
      status: jobs.status,
    })
    .from(jobs)
    .where(and(...jobsWhere(query)))
    .orderBy(asc(jobs.startAt))
    .limit(query.limit)
    .all()
  const { crews, conflicts } = crewsAndConflicts(db, list)
  return list.map((j) => ({ ...j, assigned_to: crews.get(j.id) ?? [], overlaps: conflicts.has(j.id) }))
}
