/**
 * Booking into the CRM (seed 003's "book appointments directly"): a job booked here with
 * `crm:{connection_id, job_type_id, business_unit_id?, technician_id?}` is created on the CRM's
 * board from the `events` queue (Jobber job with its visit, Housecall Pro job with its schedule,
 * ServiceTitan job with its appointment, business unit and technician), its client pushed first
 * when not linked yet, and linked (`external_mappings` entity 'job', `linked_by` 'push'), so the
 * CRM's later webhooks for it update our job instead of booking another. Failures are retried.
 */
import { z } from 'zod'
import { bookingKey } from '../../durable-objects/org/integrations/crm-bookings'
import { CRM_PROVIDERS } from '../../durable-objects/org/integrations/push-targets'
import type { Author } from '../clients/intake'
import { clock } from '../clock'
import { createJob, type CreateJobInput } from '../jobs/service'
import type { Env } from '../env'
import { invalidInput, notFound } from '../errors'
import { id } from '../http/schemas'
import { orgStub, type Organization } from '../organizations'
import type { CrmBookingMessage } from '../queues/messages'
import { createCrmJob } from './booking-requests'
import { failed, type LogStep, NO_TOKEN, networkError } from './crm-calls'
import { CREATING, createCustomer } from './push-customers'
import { connectionsOf } from './remote'

type CrmProvider = CrmBookingMessage['provider']

const crmId = z.string().trim().min(1).max(100)

/** `POST /api/v1/jobs`'s `crm`: which CRM the job goes onto, as what and with whom. */
export const crmBookingSchema = z
  .object({
    connection_id: id,
    job_type_id: crmId,
    business_unit_id: crmId.optional(),
    technician_id: crmId.optional(),
  })
  .strict()

export type CrmBooking = z.output<typeof crmBookingSchema>

/**
 * Checks a booking's CRM before anything is booked: another business's connection (or none) is a
 * 404; one that is not a CRM, or ServiceTitan without a business unit, is a 400.
 */
export async function checkCrmBooking(env: Env, organization: Organization, crm: CrmBooking): Promise<CrmProvider> {
  const connection = await connectionsOf(orgStub(env, organization.id)).getConnection(crm.connection_id)
  if (!connection) throw notFound('integration')
  const provider = connection.provider
  if (!(CRM_PROVIDERS as readonly string[]).includes(provider))
    throw invalidInput([{ path: 'crm.connection_id', message: `${provider} has no jobs to book` }])
  if (provider === 'servicetitan' && !crm.business_unit_id)
    throw invalidInput([{ path: 'crm.business_unit_id', message: 'is required by ServiceTitan' }])
  return provider as CrmProvider
}

/** Queues the job's booking into the CRM, noted in the sync log so the job page says it is on its way. */
export async function queueCrmBooking(
  env: Env,
  organization: Organization,
  provider: CrmProvider,
  job: { id: string; org_client_id: string },
  crm: CrmBooking,
): Promise<void> {
  const msg: Omit<CrmBookingMessage, 'organization_id'> = { type: 'crm_booking', provider, job_id: job.id, ...crm }
  const org = orgStub(env, organization.id)
  await org.noteCrmBooking(msg, job.org_client_id)
  await env.EVENTS.send({ ...msg, organization_id: organization.id })
}

/**
 * Books a job (src/jobs/service.ts), then queues it for its CRM when `crm` names one: the CRM is
 * checked first, so a stranger's connection books nothing. A queue hiccup never undoes the job.
 */
export async function createJobWithCrm(
  env: Env,
  organization: Organization,
  input: CreateJobInput & { crm?: CrmBooking | undefined },
  author?: Author,
) {
  const { crm, ...job } = input
  const provider = crm ? await checkCrmBooking(env, organization, crm) : null
  const booked = await createJob(env, organization, job, author)
  if (crm && provider)
    await queueCrmBooking(env, organization, provider, booked.job, crm).catch((error: unknown) =>
      console.error('jobs: could not queue the CRM booking', booked.job.id, error),
    )
  return booked
}

/** One attempt at a booking; throws RetryLater when the queue should try again. `attempt` is 1-based. */
export async function pushBooking(env: Env, msg: CrmBookingMessage, attempt: number, now = clock.now()): Promise<void> {
  const org = orgStub(env, msg.organization_id)
  const job = await org.crmBookingJob(msg.connection_id, msg.job_id)
  if (!job) return
  const log: LogStep = (status, detail, externalId) =>
    org.recordCrmStep(msg.connection_id, {
      step: 'book',
      status,
      attempt,
      eventKey: bookingKey(msg.job_id),
      topic: 'job_booked',
      orgClientId: job.org_client_id,
      externalId: externalId ?? null,
      detail,
    })
  // A redelivery after the job was made there: nothing more to do.
  if (job.external_id) return log('ok', 'already on the CRM', job.external_id)
  const label = `crm booking ${msg.job_id}`
  const settings = (await connectionsOf(org).connectionSettings(msg.connection_id)) ?? {}
  const token = await connectionsOf(org).accessToken(msg.connection_id)
  if (!token) return failed(NO_TOKEN, attempt, now, log, label)
  const card = await org.crmCustomerCard(msg.connection_id, job.org_client_id)
  if (!card) return log('skipped', 'not booked: the client is gone')
  // The customer first: a client not linked yet is created in the CRM and linked.
  let customerId = card.external_id
  if (!customerId) {
    if (!card.claimed) return failed(CREATING, attempt, now, log, label)
    const made = await createCustomer(env, msg.provider, token, settings, card).catch(networkError)
    if (!made.ok) {
      await org.releaseCrmCreate(msg.connection_id, job.org_client_id)
      return failed(made, attempt, now, log, label)
    }
    customerId = made.id
    await org.linkCrmPushed(msg.connection_id, 'client', job.org_client_id, customerId)
  }
  const booked = await createCrmJob(env, msg, token, settings, { ...card, external_id: customerId }, job).catch(
    networkError,
  )
  if (!booked.ok) return failed(booked, attempt, now, log, label)
  await org.linkCrmPushed(msg.connection_id, 'job', msg.job_id, booked.id)
  return log('ok', `HTTP ${booked.status}: job booked`, booked.id)
}
