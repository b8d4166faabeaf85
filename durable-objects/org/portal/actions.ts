/**
 * What a homeowner does from the portal: confirm a visit, ask to move it, rate a finished one,
 * open an invoice to pay. Each checks that the job or invoice belongs to the client of the link.
 */
import { and, eq } from 'drizzle-orm'
import { conflict, invalidInput, notFound } from '../../../src/errors'
import type { OrgDb } from '../db'
import { recordEvent } from '../events'
import { createReviewRequest } from '../reviews/requests'
import { jobs, reviewRequests, tasks } from '../schema'
import { paymentSettings } from './settings'
import { portalBusiness, portalContact, portalInvoices, type PortalBusiness, type PortalInvoice } from './view'

/** The client's own job, else 404: another client's job is as good as missing. */
function jobOf(db: OrgDb, orgClientId: string, jobId: string) {
  const job = db
    .select()
    .from(jobs)
    .where(and(eq(jobs.id, jobId), eq(jobs.orgClientId, orgClientId)))
    .get()
  if (!job) throw notFound('job')
  return job
}

/** A visit the homeowner may still act on: scheduled and not begun. */
function assertUpcoming(job: typeof jobs.$inferSelect, now: Date, what: string) {
  if (job.status !== 'scheduled' || Date.parse(job.startAt) <= now.getTime())
    throw conflict(`This visit can no longer be ${what}.`)
}

/**
 * Confirms an upcoming visit: `jobs.confirmed_at` (the day-before "please confirm" reminder is
 * then skipped) and `job_confirmed` on the client's timeline. Confirming twice changes nothing.
 */
export function confirmJob(db: OrgDb, orgClientId: string, jobId: string, now = new Date()): { confirmed_at: string } {
  const job = jobOf(db, orgClientId, jobId)
  if (job.confirmedAt) return { confirmed_at: job.confirmedAt }
  assertUpcoming(job, now, 'confirmed')
  const at = now.toISOString()
  db.update(jobs).set({ confirmedAt: at, updatedAt: at }).where(eq(jobs.id, jobId)).run()
  recordEvent(db, 'job_confirmed', orgClientId, { job_id: jobId, start_at: job.startAt, by: 'homeowner' }, at)
  return { confirmed_at: at }
}

/**
 * Asks the business to move a visit to one of two preferred times: a `reschedule_request` task
 * for staff (a second ask replaces the times of the open one) and `reschedule_requested` on the timeline.
 */
export function requestReschedule(
  db: OrgDb,
  orgClientId: string,
  jobId: string,
  input: { times: string[]; note?: string | null },
  now = new Date(),
): { task_id: string } {
  const job = jobOf(db, orgClientId, jobId)
  assertUpcoming(job, now, 'moved from here')
  const times = input.times.map((t) => new Date(t))
  const issues = times.flatMap((t, i) =>
    Number.isNaN(t.getTime()) || t.getTime() <= now.getTime()
      ? [{ path: `times.${i}`, message: 'Pick a time in the future.' }]
      : [],
  )
  if (times.length !== 2) issues.push({ path: 'times', message: 'Give two preferred times.' })
  else if (times[0]!.getTime() === times[1]!.getTime())
    issues.push({ path: 'times.1', message: 'Pick a different second time.' })
  if (issues.length > 0) throw invalidInput(issues)
  const preferredTimes = times.map((t) => t.toISOString())
  const note = input.note?.trim() || null
  const open = db
    .select({ id: tasks.id })
    .from(tasks)
    .where(and(eq(tasks.jobId, jobId), eq(tasks.type, 'reschedule_request'), eq(tasks.status, 'open')))
    .get()
  const id = open?.id ?? crypto.randomUUID()
  const at = now.toISOString()
  if (open) db.update(tasks).set({ preferredTimes, note }).where(eq(tasks.id, id)).run()
  else
    db.insert(tasks)
      .values({
        id,
        type: 'reschedule_request',
        orgClientId,
        jobId,
        preferredTimes,
        note,
        status: 'open',
        createdAt: at,
      })
      .run()
  recordEvent(
    db,
    'reschedule_requested',
    orgClientId,
    { job_id: jobId, task_id: id, first_choice: preferredTimes[0]!, second_choice: preferredTimes[1]! },
    at,
  )
  return { task_id: id }
}

/** The review request for rating a finished visit from the portal: the one already opened for it, else a new one. */
export function openJobReview(db: OrgDb, orgClientId: string, jobId: string, now = new Date()): string {
  const job = jobOf(db, orgClientId, jobId)
  if (job.status !== 'completed') throw conflict('Only a finished visit can be rated.')
  const existing = db
    .select({ id: reviewRequests.id })
    .from(reviewRequests)
    .where(
      and(
        eq(reviewRequests.jobId, jobId),
        eq(reviewRequests.orgClientId, orgClientId),
        eq(reviewRequests.channel, 'portal'),
      ),
    )
    .get()
  if (existing) return existing.id
  const id = crypto.randomUUID()
  createReviewRequest(db, { id, orgClientId, channel: 'portal', jobId }, now)
  return id
}

/** An invoice to pay, with the business, the client's email for Stripe's receipt, and the business's Stripe account (null: none). */
export type InvoiceToPay = {
  invoice: PortalInvoice
  business: PortalBusiness
  email: string | null
  stripe_account_id: string | null
}

/** An open invoice of the client with what paying it needs; 404 for another's or an unsent one, 409 once paid. */
export function invoiceToPay(db: OrgDb, orgClientId: string, invoiceId: string, now = new Date()): InvoiceToPay {
  const business = portalBusiness(db)
  const invoice = business
    ? portalInvoices(db, orgClientId, now, business.time_zone).find((i) => i.id === invoiceId)
    : undefined
  if (!business || !invoice) throw notFound('invoice')
  if (invoice.status !== 'open' || invoice.balance_cents === 0) throw conflict('This invoice is already paid.')
  return {
    invoice,
    business,
    email: portalContact(db, orgClientId)?.email ?? null,
    stripe_account_id: paymentSettings(db).stripe_account_id,
  }
}
