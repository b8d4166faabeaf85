/**
 * A job created on each CRM's board (booking.ts queues and links it): Jobber `jobCreate` at the
 * client's first property with its visit, Housecall Pro `POST /jobs` at the customer's address
 * with its schedule, ServiceTitan JPM `POST /jobs` at the customer's location with its appointment.
 */
import type { CustomerCard } from '../../durable-objects/org/integrations/crm-push'
import type { ConnectionSettings } from '../../durable-objects/org/schema'
import type { Env } from '../env'
import type { CrmBookingMessage } from '../queues/messages'
import { type CallOutcome, httpFailure, idOf, jobberMutation, restCall } from './crm-calls'
import { graphqlData, jobberGraphql, jsonOf, pick, restRequest } from './provider-api'

type ApiEnv = Pick<Env, 'INTEGRATION_ENDPOINTS' | 'SERVICETITAN_APP_KEY'>

type BookedJob = { start_at: string; end_at: string | null; notes: string | null; price_cents: number }

/** The job's end: its own, else an hour after it starts. */
const endOf = (job: BookedJob) => job.end_at ?? new Date(Date.parse(job.start_at) + 3600_000).toISOString()

export function createCrmJob(
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
