/**
 * ServiceTitan V2 webhooks. The envelope and event names are not publicly documented, so this
 * is our own small mapping (docs/decisions/010-crm-webhooks.md): `{eventId?, eventType, data}`
 * where eventType is one of customer created/updated, job booked/created/scheduled/rescheduled,
 * job completed, job canceled, in any spelling ("job.completed", "JobCompleted"). Whatever the
 * payload lacks (the job, its first appointment, the customer) is fetched over the REST API.
 */
import {
  address,
  arr,
  cents,
  iso,
  num,
  obj,
  PermanentError,
  str,
  type CanonicalChange,
  type CanonicalContact,
  type CrmJob,
  type Json,
  type ProviderApi,
} from './canonical'

/** The event id and type of a delivery (null when it is not JSON or names no event). */
export function serviceTitanEvent(text: string): { id: string | null; type: string; body: Json } | null {
  let body: Json
  try {
    body = obj(JSON.parse(text))
  } catch {
    return null
  }
  const type = str(body['eventType']) ?? str(body['type']) ?? str(body['event'])
  return type ? { id: str(body['eventId']) ?? str(body['id']), type, body } : null
}

const JOB_STATES: Record<string, CrmJob['status']> = {
  jobbooked: 'scheduled',
  jobcreated: 'scheduled',
  jobscheduled: 'scheduled',
  jobrescheduled: 'scheduled',
  appointmentrescheduled: 'scheduled',
  jobcompleted: 'completed',
  jobcanceled: 'cancelled',
  jobcancelled: 'cancelled',
}

/** Maps a delivery, fetching what it lacks from `${apiUrl}/…/tenant/${tenant}/…`; other events map to nothing. */
export async function serviceTitanChanges(
  type: string,
  body: Json,
  api: ProviderApi,
  tenantUrl: (module: 'crm' | 'jpm') => string,
): Promise<CanonicalChange[]> {
  const key = type.toLowerCase().replace(/[^a-z]/g, '')
  const data = obj(body['data'] ?? body['payload'])
  if (key === 'customercreated' || key === 'customerupdated') {
    const customer = str(data['name'])
      ? data
      : await fetchJson(api, `${tenantUrl('crm')}/customers/${idOf(data, 'id', 'customerId')}`)
    return [
      {
        kind: 'client',
        op: key === 'customercreated' ? 'created' : 'updated',
        client: await toContact(customer, api, tenantUrl),
      },
    ]
  }
  const status = JOB_STATES[key]
  if (!status) return []
  const job =
    data['customerId'] || data['customer']
      ? data
      : await fetchJson(api, `${tenantUrl('jpm')}/jobs/${idOf(data, 'id', 'jobId')}`)
  let start = iso(job['start']) ?? iso(job['scheduledStart'])
  let end = iso(job['end']) ?? iso(job['scheduledEnd'])
  if (!start && num(job['firstAppointmentId']) !== null) {
    const appointment = await fetchJson(api, `${tenantUrl('jpm')}/appointments/${num(job['firstAppointmentId'])}`)
    start = iso(appointment['start'])
    end = iso(appointment['end'])
  }
  const customer = job['customer']
    ? obj(job['customer'])
    : await fetchJson(api, `${tenantUrl('crm')}/customers/${idOf(job, 'customerId')}`)
  return [
    {
      kind: 'job',
      client: await toContact(customer, api, tenantUrl),
      job: {
        external_id: idOf(job, 'id', 'jobId'),
        status,
        start_at: start,
        end_at: end,
        completed_at: iso(job['completedOn']),
        total_cents: cents(job['total']),
        title: str(job['summary']),
        updated_at: iso(job['modifiedOn']),
        job_type_id: str(job['jobTypeId']),
      },
    },
  ]
}

function idOf(data: Json, ...fields: string[]): string {
  for (const f of fields) {
    const id = str(data[f])
    if (id) return id
  }
  throw new PermanentError(`ServiceTitan event without ${fields.join(' or ')}`)
}

async function fetchJson(api: ProviderApi, url: string): Promise<Json> {
  return obj(
    await api(`servicetitan ${url.split('/tenant/')[1] ?? url}`, url, { headers: { accept: 'application/json' } }),
  )
}

/** A ServiceTitan customer: one `name`; email and phone inline, else from its contacts (fetched when absent). */
async function toContact(
  c: Json,
  api: ProviderApi,
  tenantUrl: (module: 'crm' | 'jpm') => string,
): Promise<CanonicalContact> {
  const id = idOf(c, 'id')
  const inline = str(c['email']) !== null || str(c['phone']) !== null
  const contacts = inline
    ? []
    : c['contacts']
      ? arr(c['contacts'])
      : arr((await fetchJson(api, `${tenantUrl('crm')}/customers/${id}/contacts`))['data'])
  const value = (...types: string[]) =>
    str(contacts.map(obj).find((k) => types.includes(str(k['type']) ?? ''))?.['value'])
  const name = str(c['name']) ?? ''
  const space = name.indexOf(' ')
  const a = obj(c['address'])
  // A commercial customer's one name is the company's, not a person's: it becomes the account.
  const commercial = str(c['type']) === 'Commercial'
  return {
    external_id: id,
    first_name: commercial ? null : space > 0 ? name.slice(0, space) : name || null,
    last_name: commercial || space <= 0 ? null : name.slice(space + 1),
    company: commercial ? name || null : null,
    company_id: commercial ? id : null,
    email: str(c['email']) ?? value('Email'),
    phone: str(c['phone']) ?? value('MobilePhone', 'Phone'),
    address: address({
      address1: a['street'],
      address2: a['unit'],
      city: a['city'],
      state: a['state'],
      postal: a['zip'],
      country: a['country'],
    }),
    is_lead: false,
    updated_at: iso(c['modifiedOn']),
  }
}
