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
import type { CustomerCard } from '../../durable-objects/org/integrations/crm-push'
import { CRM_PROVIDERS } from '../../durable-objects/org/integrations/push-targets'
import type { ConnectionSettings } from '../../durable-objects/org/schema'
import type { Author } from '../clients/intake'
import { clock } from '../clock'
import { createJob, type CreateJobInput } from '../jobs/service'
import type { Env } from '../env'
import { invalidInput, notFound } from '../errors'
import { id } from '../http/schemas'
import { orgStub, type Organization } from '../organizations'
import type { CrmBookingMessage } from '../queues/messages'
import { graphqlData, jobberGraphql, jsonOf, pick, restRequest } from './provider-api'
import {
  type CallOutcome,
  failed,
  httpFailure,
  idOf,
  jobberMutation,
  type LogStep,
  NO_TOKEN,
  networkError,
  restCall,
} from './crm-calls'
import { CREATING, createCustomer } from './push-customers'

type CrmProvider = CrmBookingMessage['provider']
type ApiEnv = Pick<Env, 'INTEGRATION_ENDPOINTS' | 'SERVICETITAN_APP_KEY'>

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
  const connection = await orgStub(env, organization.id).getConnection(crm.connection_id)
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
  const settings = (await org.connectionSettings(msg.connection_id)) ?? {}
  const token = await org.accessToken(msg.connection_id)
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

type BookedJob = { start_at: string; end_at: string | null; notes: string | null; price_cents: number }

/** The job's end: its own, else an hour after it starts. */
const endOf = (job: BookedJob) => job.end_at ?? new Date(Date.parse(job.start_at) + 3600_000).toISOString()

function createCrmJob(
  env: ApiEnv,
  msg: CrmBookingMessage,
  token: string,
  settings: ConnectionSettings,
  card: CustomerCard & { external_id: string },
  job: BookedJob,
): Promise<CallOutcome> {
  switch (msg.provider) {
    case 'jobber':
      return jobberJob(env, token, msg, card.external_id, job)
    case 'housecallpro':
      return housecallProJob(env, token, msg, card.external_id, job)
    case 'servicetitan':
      return serviceTitanJob(env, token, settings, msg, card.external_id, job)
  }
}

const CLIENT_PROPERTIES = `query HomeBaseClientProperties($id: EncodedId!) {
  client(id: $id) { clientProperties(first: 1) { nodes { id } } }
}`

const JOB_CREATE = `mutation HomeBaseJobCreate($input: JobCreateAttributes!) {
  jobCreate(input: $input) { job { id jobNumber visits(first: 1) { nodes { id startAt } } } userErrors { message path } }
}`

/** Jobber: the client's first property, then `jobCreate` there (its visit made with it). */
async function jobberJob(
  env: ApiEnv,
  token: string,
  msg: CrmBookingMessage,
  clientId: string,
  job: BookedJob,
): Promise<CallOutcome> {
  const res = await jobberGraphql(env, token, CLIENT_PROPERTIES, { id: clientId })
  if (!res.ok) return httpFailure(res)
  const result = graphqlData(await jsonOf(res))
  if ('error' in result)
    return { ok: false, status: res.status, retryable: result.throttled, retryAfter: null, detail: result.error }
  const nodes = pick(result.data, 'client.clientProperties.nodes')
  const propertyId = Array.isArray(nodes) ? idOf(pick(nodes[0], 'id')) : null
  if (!propertyId)
    return {
      ok: false,
      status: res.status,
      retryable: false,
      retryAfter: null,
      detail: 'the client has no property in Jobber: add their address',
    }
  return jobberMutation(env, token, JOB_CREATE, { input: jobberJobInput(propertyId, msg, job) }, 'jobCreate', 'job')
}

/**
 * Jobber's `JobCreateAttributes`: the property, a title, the crew's instructions, the job type as
 * its product or service line, and `scheduling` to make the visit at our time with the
 * technician. After Jobber's GraphQL reference; not confirmed on a live account, so kept here alone.
 */
function jobberJobInput(propertyId: string, msg: CrmBookingMessage, job: BookedJob): Record<string, unknown> {
  return {
    propertyId,
    title: job.notes?.split('\n')[0]?.slice(0, 100) || 'Booked in HomeBase',
    instructions: job.notes ?? undefined,
    invoicing: { invoicingType: 'FIXED_PRICE', invoicingSchedule: 'ON_COMPLETION' },
    lineItems: [
      {
        productOrServiceId: msg.job_type_id,
        quantity: 1,
        unitPrice: job.price_cents / 100,
        saveToProductsAndServices: false,
      },
    ],
    scheduling: {
      createVisits: true,
      startAt: job.start_at,
      endAt: endOf(job),
      ...(msg.technician_id ? { assignedUserIds: [msg.technician_id] } : {}),
    },
  }
}

/**
 * Housecall Pro: `POST /jobs` for the customer at their first address, with the schedule, the
 * job type (`job_fields.job_type_id`) and the employee (its public API reference, read by third
 * parties; unconfirmed, so kept here alone).
 */
async function housecallProJob(
  env: ApiEnv,
  token: string,
  msg: CrmBookingMessage,
  customerId: string,
  job: BookedJob,
): Promise<CallOutcome> {
  const res = await restRequest(env, 'housecallpro', token, `/customers/${encodeURIComponent(customerId)}`)
  if (!res.ok) return httpFailure(res)
  const addresses = pick(await jsonOf(res), 'addresses')
  const addressId = Array.isArray(addresses) ? idOf(pick(addresses[0], 'id')) : null
  return restCall(env, 'housecallpro', token, '/jobs', 'POST', {
    customer_id: customerId,
    ...(addressId ? { address_id: addressId } : {}),
    schedule: { scheduled_start: job.start_at, scheduled_end: endOf(job), arrival_window: 0 },
    ...(msg.technician_id ? { assigned_employee_ids: [msg.technician_id] } : {}),
    job_fields: { job_type_id: msg.job_type_id },
    line_items: [],
    notes: job.notes ?? undefined,
  })
}

/**
 * ServiceTitan: the customer's first location (CRM v2 `locations?customerId=`), then JPM v2
 * `POST /jobs` with business unit, job type, priority and one appointment for the technician.
 * Its `campaignId` comes from the connection's `campaign_id` setting when there is one.
 */
async function serviceTitanJob(
  env: ApiEnv,
  token: string,
  settings: ConnectionSettings,
  msg: CrmBookingMessage,
  customerId: string,
  job: BookedJob,
): Promise<CallOutcome> {
  const tenant = encodeURIComponent(settings.tenant_id ?? '')
  const res = await restRequest(
    env,
    'servicetitan',
    token,
    `/crm/v2/tenant/${tenant}/locations?customerId=${encodeURIComponent(customerId)}&pageSize=1`,
  )
  if (!res.ok) return httpFailure(res)
  const list = pick(await jsonOf(res), 'data')
  const locationId = Array.isArray(list) ? idOf(pick(list[0], 'id')) : null
  if (!locationId)
    return {
      ok: false,
      status: res.status,
      retryable: false,
      retryAfter: null,
      detail: 'the customer has no location in ServiceTitan',
    }
  const num = (v: string) => (/^\d+$/.test(v) ? Number(v) : v)
  const campaignId = (settings as { campaign_id?: string }).campaign_id
  return restCall(env, 'servicetitan', token, `/jpm/v2/tenant/${tenant}/jobs`, 'POST', {
    customerId: num(customerId),
    locationId: num(locationId),
    businessUnitId: num(msg.business_unit_id ?? ''),
    jobTypeId: num(msg.job_type_id),
    priority: 'Normal',
    ...(campaignId ? { campaignId: num(campaignId) } : {}),
    summary: job.notes ?? 'Booked in HomeBase',
    appointments: [
      {
        start: job.start_at,
        end: endOf(job),
        arrivalWindowStart: job.start_at,
        arrivalWindowEnd: endOf(job),
        technicianIds: msg.technician_id ? [num(msg.technician_id)] : [],
      },
    ],
  })
}
