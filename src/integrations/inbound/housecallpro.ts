/**
 * Housecall Pro webhooks: `{event, job:{id, customer, schedule, work_timestamps, total_amount…}}`,
 * `{event, customer}` or `{event, appointment:{job_id, start_time, end_time}}`. The payload
 * carries the item, so nothing is fetched. Amounts are in cents.
 */
import {
  address,
  arr,
  iso,
  num,
  obj,
  str,
  type CanonicalChange,
  type CanonicalContact,
  type CrmJob,
  type Json,
} from './canonical'

/** Housecall Pro's "test webhook" ping, answered 200 and never stored. */
export function isHousecallProPing(text: string): boolean {
  try {
    const body = obj(JSON.parse(text))
    return Object.keys(body).length === 1 && body['foo'] === 'bar'
  } catch {
    return false
  }
}

/** The event name of a delivery (`job.completed`), or null when the body is not one. */
export function housecallProTopic(text: string): string | null {
  try {
    return str(obj(JSON.parse(text))['event'])
  } catch {
    return null
  }
}

/** Maps a delivery to canonical changes; events we do not use map to nothing. */
export function housecallProChanges(body: Json): CanonicalChange[] {
  const event = str(body['event']) ?? ''
  if (event === 'customer.created' || event === 'customer.updated') {
    return [
      {
        kind: 'client',
        op: event === 'customer.created' ? 'created' : 'updated',
        client: toContact(obj(body['customer'])),
      },
    ]
  }
  if (event === 'job.appointment.scheduled' || event === 'job.appointment.rescheduled')
    return appointmentChange(obj(body['appointment']))
  const job = obj(body['job'])
  if (!str(job['id'])) return []
  const client = job['customer'] ? toContact(obj(job['customer']), job['address']) : null
  switch (event) {
    case 'job.created':
    case 'job.scheduled':
    case 'job.rescheduled':
      return [{ kind: 'job', client, job: toJob(job, 'scheduled') }]
    case 'job.completed':
      return [{ kind: 'job', client, job: toJob(job, 'completed') }]
    case 'job.canceled':
    case 'job.deleted':
      return [{ kind: 'job', client, job: toJob(job, 'cancelled') }]
    case 'job.paid':
      return [
        { kind: 'job', client, job: toJob(job, statusOf(job)) },
        {
          kind: 'invoice',
          client,
          invoice: {
            external_id: str(job['id'])!,
            job_external_id: str(job['id']),
            total_cents: num(job['total_amount']) ?? 0,
            due_date: null,
            status: 'paid',
            settle: true,
            updated_at: iso(job['updated_at']),
          },
        },
      ]
    default:
      return []
  }
}

/** An appointment moved: the job's schedule follows (the job itself must already be known). */
function appointmentChange(appointment: Json): CanonicalChange[] {
  const jobId = str(appointment['job_id'])
  if (!jobId) return []
  return [
    {
      kind: 'job',
      client: null,
      job: {
        external_id: jobId,
        status: 'scheduled',
        start_at: iso(appointment['start_time']),
        end_at: iso(appointment['end_time']),
        completed_at: null,
        total_cents: null,
        title: null,
        updated_at: iso(appointment['updated_at']),
      },
    },
  ]
}

/** The job's state from its `work_status` ("complete rated", "pro canceled", "scheduled"…). */
function statusOf(job: Json): CrmJob['status'] {
  const status = str(job['work_status'])?.toLowerCase() ?? ''
  if (status.startsWith('complete')) return 'completed'
  return status.includes('cancel') ? 'cancelled' : 'scheduled'
}

function toJob(job: Json, status: CrmJob['status']): CrmJob {
  const schedule = obj(job['schedule'])
  const times = obj(job['work_timestamps'])
  return {
    external_id: str(job['id'])!,
    status,
    start_at: iso(schedule['scheduled_start']),
    end_at: iso(schedule['scheduled_end']),
    completed_at: iso(times['completed_at']),
    total_cents: num(job['total_amount']),
    title: str(job['description']) ?? str(job['name']),
    updated_at: iso(job['updated_at']),
    job_type_id: str(obj(obj(job['job_fields'])['job_type'])['id']),
  }
}

/** A Housecall Pro customer; the mobile number first, then home and work. */
function toContact(customer: Json, jobAddress?: unknown): CanonicalContact {
  const a = obj(jobAddress ?? arr(customer['addresses'])[0])
  return {
    external_id: str(customer['id']) ?? '',
    first_name: str(customer['first_name']),
    last_name: str(customer['last_name']),
    company: str(customer['company']),
    email: str(customer['email']),
    phone: str(customer['mobile_number']) ?? str(customer['home_number']) ?? str(customer['work_number']),
    address: address({
      address1: a['street'],
      address2: a['street_line_2'],
      city: a['city'],
      state: a['state'],
      postal: a['zip'],
      country: a['country'],
    }),
    is_lead: false,
    updated_at: iso(customer['updated_at']),
  }
}
