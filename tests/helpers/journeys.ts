/** Helpers for journey tests: journeys and events through the API, enrollments, inbound replies. */
import { env } from 'cloudflare:test'
import { api, type TestOrg } from './factories'
import { twilioPost } from './messaging'

export type Enrollment = {
  id: string
  journey_id: string
  org_client_id: string
  current_step: number
  status: string
  next_step_at: string | null
  end_reason: string | null
  version: number
}

/** Creates a journey (active unless told) and returns its id. */
export async function createJourney(org: TestOrg, body: Record<string, unknown>): Promise<string> {
  const res = await api(org, 'POST', '/api/v1/journeys', { name: 'Journey', trigger_event: 'job_completed', ...body })
  if (res.status !== 201) throw new Error(`journey: ${res.status} ${await res.text()}`)
  return (await res.json<{ journey_id: string }>()).journey_id
}

/** Sends an event through the API. */
export async function raise(org: TestOrg, body: Record<string, unknown>) {
  const res = await api(org, 'POST', '/api/v1/events', body)
  if (res.status !== 202) throw new Error(`event: ${res.status} ${await res.text()}`)
  return res.json<{ event_id: string; org_client_id: string; enrollments: Enrollment[] }>()
}

/** The organization's enrollments, optionally filtered (`?journey_id=…&status=…`). */
export async function enrollmentsOf(org: TestOrg, query = ''): Promise<Enrollment[]> {
  return (await (await api(org, 'GET', `/api/v1/enrollments${query}`)).json<{ items: Enrollment[] }>()).items
}

/** Changes a journey through the API. */
export async function patchJourney(org: TestOrg, id: string, body: Record<string, unknown>) {
  const res = await api(org, 'PATCH', `/api/v1/journeys/${id}`, body)
  if (res.status !== 200) throw new Error(`patch journey: ${res.status} ${await res.text()}`)
  return res.json<{ version: number; status: string }>()
}

/** Marks a job completed through the API (raises job_completed). */
export async function completeJob(org: TestOrg, jobId: string) {
  const res = await api(org, 'PATCH', `/api/v1/jobs/${jobId}`, { status: 'completed' })
  if (res.status !== 200) throw new Error(`complete job: ${res.status} ${await res.text()}`)
}

/** An ordinary text reply from a phone, as Twilio posts it. */
export function replyFrom(phone: string, body: string) {
  return twilioPost('/webhooks/twilio/sms', {
    ToCountry: 'US',
    SmsMessageSid: `SM${crypto.randomUUID().replace(/-/g, '')}`,
    NumMedia: '0',
    SmsStatus: 'received',
    Body: body,
    To: env.TWILIO_FROM_NUMBER!,
    From: phone,
    AccountSid: env.TWILIO_ACCOUNT_SID!,
    ApiVersion: '2010-04-01',
    MessageSid: `SM${crypto.randomUUID().replace(/-/g, '')}`,
  })
}
