import { env, SELF } from 'cloudflare:test'
import { describe, expect, it, vi } from 'vitest'
import { Staff } from './helpers/browserless'
import { Homeowner, portalPath } from './helpers/portal'
import { api, BASE, createClient, createOrg, unique, type TestOrg } from './helpers/factories'

/** A business with its owner signed in on the pages, one client, one job, one invoice and one campaign. */
async function businessWithRecords() {
  const org = await createOrg({ timezone: 'America/Los_Angeles' })
  const staff = new Staff()
  await staff.post('/login', { email: org.email, password: org.password })
  const csrf = await staff.csrfToken()
  const client = await createClient(org, { first_name: 'Robin', email: `r-${unique()}@example.com`, phone: '+14155550142' })
  const job = await created<{ job: { id: string } }>(org, '/api/v1/jobs', { org_client_id: client.org_client_id, start_at: '2031-03-04T17:00:00Z' })
  const invoice = await created<{ invoice: { id: string } }>(org, '/api/v1/invoices', { org_client_id: client.org_client_id, total_cents: 10_000, due_date: '2031-03-20' })
  const campaign = await created<{ id: string }>(org, '/api/v1/campaigns', { name: 'Spring', channel: 'sms', body: 'Hi {{first_name}}' })
  return { org, staff, csrf, clientId: client.org_client_id, jobId: job.job.id, invoiceId: invoice.invoice.id, campaignId: campaign.id }
}

async function created<T>(org: TestOrg, path: string, body: Record<string, unknown>): Promise<T> {
  const res = await api(org, 'POST', path, body)
  if (res.status !== 201) throw new Error(`${path}: ${res.status} ${await res.text()}`)
  return res.json<T>()
}

type ErrorBody = { error: { code: string; message: string; issues?: Array<{ path: string; message: string }> } }

const clientCount = async (org: TestOrg) => (await (await api(org, 'GET', '/api/v1/clients')).json<{ items: unknown[] }>()).items.length

describe('impossible dates and times', () => {
  it('answer 400 naming the field on every API path that takes a date, an instant or a time', async () => {
    const b = await businessWithRecords()
    const segment = (s: Record<string, unknown>) => ({ name: 'Bad', channel: 'sms', body: 'Hi', segment: s })
    const cases: Array<[method: string, path: string, body: Record<string, unknown> | undefined, field: string]> = [
      ['POST', '/api/v1/invoices', { org_client_id: b.clientId, total_cents: 100, due_date: '2027-13-01' }, 'due_date'],
      ['POST', '/api/v1/invoices', { org_client_id: b.clientId, total_cents: 100, due_date: '2027-02-30' }, 'due_date'],
      ['POST', '/api/v1/invoices', { org_client_id: b.clientId, total_cents: 100, due_date: '2027-00-10' }, 'due_date'],
      ['PATCH', `/api/v1/invoices/${b.invoiceId}`, { due_date: '2027-13-01' }, 'due_date'],
      ['POST', '/api/v1/campaigns', segment({ last_job_before: '2027-13-01' }), 'segment.last_job_before'],
      ['POST', '/api/v1/campaigns', segment({ last_job_after: '2027-02-30' }), 'segment.last_job_after'],
      ['POST', '/api/v1/campaigns/preview', { channel: 'sms', segment: { last_job_before: '2027-13-01' } }, 'segment.last_job_before'],
      ['POST', `/api/v1/campaigns/${b.campaignId}/send`, { send_at: '2027-13-01T10:00:00Z' }, 'send_at'],
      ['POST', '/api/v1/jobs', { org_client_id: b.clientId, start_at: '2027-13-01T10:00:00Z' }, 'start_at'],
      ['POST', '/api/v1/jobs', { org_client_id: b.clientId, start_at: '2027-01-01T25:00:00Z' }, 'start_at'],
      ['POST', '/api/v1/jobs', { org_client_id: b.clientId, start_at: '2027-01-01T10:00:00Z', end_at: '2027-02-30T11:00:00Z' }, 'end_at'],
      ['PATCH', `/api/v1/jobs/${b.jobId}`, { start_at: '2027-13-01T10:00:00Z' }, 'start_at'],
      ['GET', '/api/v1/jobs?from=2027-13-01T00:00:00Z', undefined, 'from'],
      ['GET', '/api/v1/jobs?to=2027-01-01T25:00:00Z', undefined, 'to'],
      ['POST', '/api/v1/events', { type: 'job_completed', org_client_id: b.clientId, occurred_at: '2027-13-01T10:00:00Z' }, 'occurred_at'],
      ['POST', '/api/v1/journeys', { name: 'J', trigger_event: 'manual', steps: [], settings: { quiet_hours: { start: '25:00', end: '08:00' } } }, 'settings.quiet_hours.start'],
      ['PATCH', '/api/v1/organization', { quiet_hours: { start: '21:00', end: '24:30' } }, 'quiet_hours.end'],
      ['POST', '/functions/v1/create-job-with-client', { org_client_id: b.clientId, start_at: '2027-02-29T10:00:00Z' }, 'start_at'],
    ]
    const answers: string[] = []
    for (const [method, path, body, field] of cases) {
      const res = await api(b.org, method, path, body)
      const json = await res.json<ErrorBody>()
      const named = json.error?.code === 'invalid_input' && (json.error.issues ?? []).some((i) => i.path === field)
      answers.push(`${method} ${path} ${field}: ${res.status}${named ? '' : ` ${JSON.stringify(json)}`}`)
    }
    expect(answers).toEqual(cases.map(([method, path, , field]) => `${method} ${path} ${field}: 400`))
  })

  it('answer 400 pages for query dates and 422 forms (field beside the error) for posted ones, never 500', async () => {
    const b = await businessWithRecords()
    const home = new Homeowner()
    const portal = await portalPath(b.org, b.clientId)
    const form = (fields: Record<string, string>) => ({ _csrf: b.csrf, ...fields })
    const pages: Array<[what: string, status: number, send: () => Promise<Response>, says: string]> = [
      ['schedule ?week=2027-13-01', 400, () => b.staff.get('/app/schedule?week=2027-13-01'), '2027-13-01'],
      ['schedule ?week=2027-02-30', 400, () => b.staff.get('/app/schedule?week=2027-02-30'), 'week'],
      ['new job ?date=2027-13-01', 400, () => b.staff.get('/app/jobs/new?date=2027-13-01'), '2027-13-01'],
      ['new job ?date=2027-04-31', 400, () => b.staff.get('/app/jobs/new?date=2027-04-31'), 'date'],
      ['book a job on 2027-13-01', 422, () => b.staff.post('/app/jobs', form({ client_mode: 'existing', org_client_id: b.clientId, start: '2027-13-01T09:00' })), 'Pick a date and a time.'],
      ['book a job at 25:00', 422, () => b.staff.post('/app/jobs', form({ client_mode: 'existing', org_client_id: b.clientId, start: '2031-01-10T25:00' })), 'Pick a date and a time.'],
      ['reschedule to 2027-02-30', 422, () => b.staff.post(`/app/jobs/${b.jobId}/reschedule`, form({ start: '2027-02-30T09:00' })), 'Pick the new date and time.'],
      ['invoice due 2027-13-01', 422, () => b.staff.post('/app/invoices', form({ org_client_id: b.clientId, amount: '100', due_date: '2027-13-01' })), 'Pick a date.'],
      ['campaign after 2027-13-01', 422, () => b.staff.post('/app/campaigns', form({ name: 'C', channel: 'sms', body: 'Hi', when: 'now', last_job_after: '2027-13-01' })), 'must be a real date'],
      ['campaign at 2031-01-10T24:30', 422, () => b.staff.post('/app/campaigns', form({ name: 'C', channel: 'sms', body: 'Hi', when: 'later', send_at: '2031-01-10T24:30' })), 'Pick a date and a time to send it.'],
      ['quiet hours 25:00', 422, () => b.staff.post('/app/settings/messaging', form({ quiet_start: '25:00', quiet_end: '08:00' })), 'HH:MM'],
      ['portal reschedule to 2031-13-01', 422, () => home.post(`${portal}/jobs/${b.jobId}/reschedule`, { first: '2031-13-01T09:00', second: '2031-01-10T10:00' }), 'Pick a date and a time.'],
    ]
    const answers: string[] = []
    for (const [what, , send, says] of pages) {
      const res = await send()
      const html = await res.text()
      answers.push(`${what}: ${res.status}${html.includes(says) ? '' : ` (does not say "${says}")`}`)
    }
    expect(answers).toEqual(pages.map(([what, status]) => `${what}: ${status}`))
  })
})
