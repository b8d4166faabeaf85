/**
 * Booking an approved estimate as a job, once: the job is made as every booking is (reminders,
 * crew, `job_booked`), for the estimate's client at its subtotal, and the estimate's lines become
 * the job's lines, so the job's invoice starts from them.
 */
import { and, eq } from 'drizzle-orm'
import { conflict, invalidInput, notFound } from '../../../../src/errors'
import { addAddress } from '../../cards/addresses'
import type { Author } from '../../cards/cards'
import type { AddressInput } from '../../crm/clients'
import { createJob, getJob, type JobWithCrew, withCrews } from '../../crm/jobs'
import { replaceJobLines } from '../../crm/line-items'
import type { OrgDb } from '../../db'
import { addresses, estimates, jobs } from '../../schema'
import { estimateLines, estimateRow } from './records'

export type EstimateBooking = {
  start_at: string
  end_at?: string | undefined
  /** The crew: team members' user ids (the Worker checked they are on this business's team). */
  assigned_to?: string[] | undefined
  /** One of the client's properties; else `address` is added to them; else the client's default. */
  address_id?: string | undefined
  address?: AddressInput | undefined
  notes?: string | undefined
}

/** 409 unless the estimate is approved and not booked yet (the message names the job it already is). */
function bookable(db: OrgDb, id: string) {
  const row = estimateRow(db, id)
  if (!row) throw notFound('estimate')
  if (row.jobId) throw conflict(`This estimate is already booked as job ${row.jobId}.`)
  if (row.status !== 'approved' || !row.orgClientId)
    throw conflict(`Only an approved estimate can be booked; this one is ${row.status}.`)
  return { ...row, orgClientId: row.orgClientId }
}

/** The property the job is at: one of the client's (else 400), a new one added to them, or null for their default. */
function propertyOf(db: OrgDb, orgClientId: string, input: EstimateBooking, author: Author, at: string): string | null {
  if (input.address_id) {
    const own = db
      .select({ id: addresses.id })
      .from(addresses)
      .where(and(eq(addresses.id, input.address_id), eq(addresses.orgClientId, orgClientId)))
      .get()
    if (!own) throw invalidInput([{ path: 'address_id', message: "is not one of this client's properties" }])
    return own.id
  }
  return input.address ? addAddress(db, orgClientId, input.address, author, at).id : null
}

/** Books the approved estimate as a job with its lines; the caller runs it in one transaction. */
export function bookEstimate(
  db: OrgDb,
  id: string,
  input: EstimateBooking,
  author: Author,
  now: Date,
): { job: JobWithCrew; estimate_id: string } {
  const row = bookable(db, id)
  const lines = estimateLines(db, id)
  const at = now.toISOString()
  const addressId = propertyOf(db, row.orgClientId, input, author, at)
  const serviceId = lines.find((l) => l.service_id)?.service_id ?? undefined
  const { job } = createJob(
    db,
    {
      org_client_id: row.orgClientId,
      service_id: serviceId,
      start_at: input.start_at,
      end_at: input.end_at,
      price_cents: row.subtotalCents,
      notes: input.notes,
      assigned_to: input.assigned_to,
      estimate_id: id,
    },
    now,
  )
  if (addressId) db.update(jobs).set({ addressId }).where(eq(jobs.id, job.id)).run()
  replaceJobLines(db, job.id, lines, now)
  db.update(estimates).set({ jobId: job.id, updatedAt: at }).where(eq(estimates.id, id)).run()
  return { job: withCrews(db, [getJob(db, job.id)!])[0]!, estimate_id: id }
}
