// Over 300 lines on purpose: the rules every API request follows (dates, body limits, custom fields, countries, Idempotency-Key) share businessWithRecords() and its records of every kind.
import { env, SELF } from 'cloudflare:test'
import { clock } from '../src/clock'
import { describe, expect, it, vi } from 'vitest'
import { peopleDb } from '../src/db'
import { claimKey, keepAnswer, releaseKey } from '../src/http/idempotency'
import { dateOnly } from '../src/integrations/inbound/canonical'
import { Staff } from './helpers/browserless'
import { Homeowner, portalPath } from './helpers/portal'
import { api, BASE, createClient, createOrg, unique, type TestOrg } from './helpers/factories'

/** A business with its owner signed in on the pages, one client, one job, one invoice and one campaign. */
async function businessWithRecords() {
  const org = await createOrg({ timezone: 'America/Los_Angeles' })
  const staff = new Staff()
  await staff.post('/login', { email: org.email, password: org.password })
  const csrf = await staff.csrfToken()
  const client = await createClient(org, {
    first_name: 'Robin',
    email: `r-${unique()}@example.com`,
    phone: '+14155550142',
  })
  const job = await created<{ job: { id: string } }>(org, '/api/v1/jobs', {
    org_client_id: client.org_client_id,
    start_at: '2031-03-04T17:00:00Z',
  })
  const invoice = await created<{ invoice: { id: string } }>(org, '/api/v1/invoices', {
    org_client_id: client.org_client_id,
    total_cents: 10_000,
    due_date: '2031-03-20',
  })
  const campaign = await created<{ id: string }>(org, '/api/v1/campaigns', {
    name: 'Spring',
    channel: 'sms',
    body: 'Hi {{first_name}}',
  })
  return {
    org,
    staff,
    csrf,
    clientId: client.org_client_id,
    jobId: job.job.id,
    invoiceId: invoice.invoice.id,
    campaignId: campaign.id,
  }
}

async function created<T>(org: TestOrg, path: string, body: Record<string, unknown>): Promise<T> {
  const res = await api(org, 'POST', path, body)
  if (res.status !== 201) throw new Error(`${path}: ${res.status} ${await res.text()}`)
  return res.json<T>()
}

type ErrorBody = { error: { code: string; message: string; issues?: Array<{ path: string; message: string }> } }

const clientCount = async (org: TestOrg) =>
  (await (await api(org, 'GET', '/api/v1/clients')).json<{ items: unknown[] }>()).items.length

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
      [
        'POST',
        '/api/v1/campaigns/preview',
        { channel: 'sms', segment: { last_job_before: '2027-13-01' } },
        'segment.last_job_before',
      ],
      ['POST', `/api/v1/campaigns/${b.campaignId}/send`, { send_at: '2027-13-01T10:00:00Z' }, 'send_at'],
      ['POST', '/api/v1/jobs', { org_client_id: b.clientId, start_at: '2027-13-01T10:00:00Z' }, 'start_at'],
      ['POST', '/api/v1/jobs', { org_client_id: b.clientId, start_at: '2027-01-01T25:00:00Z' }, 'start_at'],
      [
        'POST',
        '/api/v1/jobs',
        { org_client_id: b.clientId, start_at: '2027-01-01T10:00:00Z', end_at: '2027-02-30T11:00:00Z' },
        'end_at',
      ],
      ['PATCH', `/api/v1/jobs/${b.jobId}`, { start_at: '2027-13-01T10:00:00Z' }, 'start_at'],
      ['GET', '/api/v1/jobs?from=2027-13-01T00:00:00Z', undefined, 'from'],
      ['GET', '/api/v1/jobs?to=2027-01-01T25:00:00Z', undefined, 'to'],
      [
        'POST',
        '/api/v1/events',
        { type: 'job_completed', org_client_id: b.clientId, occurred_at: '2027-13-01T10:00:00Z' },
        'occurred_at',
      ],
      [
        'POST',
        '/api/v1/journeys',
        { name: 'J', trigger_event: 'manual', steps: [], settings: { quiet_hours: { start: '25:00', end: '08:00' } } },
        'settings.quiet_hours.start',
      ],
      ['PATCH', '/api/v1/organization', { quiet_hours: { start: '21:00', end: '24:30' } }, 'quiet_hours.end'],
      [
        'POST',
        '/functions/v1/create-job-with-client',
        { org_client_id: b.clientId, start_at: '2027-02-29T10:00:00Z' },
        'start_at',
      ],
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
      [
        'book a job on 2027-13-01',
        422,
        () =>
          b.staff.post(
            '/app/jobs',
            form({ client_mode: 'existing', org_client_id: b.clientId, start: '2027-13-01T09:00' }),
          ),
        'Pick a date and a time.',
      ],
      [
        'book a job at 25:00',
        422,
        () =>
          b.staff.post(
            '/app/jobs',
            form({ client_mode: 'existing', org_client_id: b.clientId, start: '2031-01-10T25:00' }),
          ),
        'Pick a date and a time.',
      ],
      [
        'reschedule to 2027-02-30',
        422,
        () => b.staff.post(`/app/jobs/${b.jobId}/reschedule`, form({ start: '2027-02-30T09:00' })),
        'Pick the new date and time.',
      ],
      [
        'invoice due 2027-13-01',
        422,
        () => b.staff.post('/app/invoices', form({ org_client_id: b.clientId, amount: '100', due_date: '2027-13-01' })),
        'Pick a date.',
      ],
      [
        'campaign after 2027-13-01',
        422,
        () =>
          b.staff.post(
            '/app/campaigns',
            form({ name: 'C', channel: 'sms', body: 'Hi', when: 'now', last_job_after: '2027-13-01' }),
          ),
        'must be a real date',
      ],
      [
        'campaign at 2031-01-10T24:30',
        422,
        () =>
          b.staff.post(
            '/app/campaigns',
            form({ name: 'C', channel: 'sms', body: 'Hi', when: 'later', send_at: '2031-01-10T24:30' }),
          ),
        'Pick a date and a time to send it.',
      ],
      [
        'quiet hours 25:00',
        422,
        () => b.staff.post('/app/settings/messaging', form({ quiet_start: '25:00', quiet_end: '08:00' })),
        'HH:MM',
      ],
      [
        'portal reschedule to 2031-13-01',
        422,
        () =>
          home.post(`${portal}/jobs/${b.jobId}/reschedule`, { first: '2031-13-01T09:00', second: '2031-01-10T10:00' }),
        'Pick a date and a time.',
      ],
    ]
    const answers: string[] = []
    for (const [what, , send, says] of pages) {
      const res = await send()
      const html = await res.text()
      answers.push(`${what}: ${res.status}${html.includes(says) ? '' : ` (does not say "${says}")`}`)
    }
    expect(answers).toEqual(pages.map(([what, status]) => `${what}: ${status}`))
  })

  it('drop an impossible date a CRM sends rather than store it', () => {
    expect(dateOnly('2027-13-01')).toBeNull()
    expect(dateOnly('2027-02-29T10:00:00Z')).toBeNull()
    expect(dateOnly('2028-02-29T10:00:00Z')).toBe('2028-02-29')
  })
})

/** A JSON body streamed in 64 KB chunks, so it arrives without Content-Length. */
function chunkedJson(prefix: string, fillBytes: number, suffix: string): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder()
  const chunk = encoder.encode('x'.repeat(64 * 1024))
  let sent = 0
  return new ReadableStream({
    start(controller) {
      controller.enqueue(encoder.encode(prefix))
    },
    pull(controller) {
      if (sent >= fillBytes) {
        controller.enqueue(encoder.encode(suffix))
        controller.close()
        return
      }
      const part = chunk.subarray(0, Math.min(chunk.length, fillBytes - sent))
      sent += part.length
      controller.enqueue(part)
    },
  })
}

describe('request body limits', { timeout: 60_000 }, () => {
  it('refuse a 2 MB JSON body with 413 payload_too_large and write nothing', async () => {
    const org = await createOrg()
    const res = await api(org, 'POST', '/api/v1/clients', { first_name: 'Big', notes: 'x'.repeat(2 * 1024 * 1024) })
    expect(res.status).toBe(413)
    expect((await res.json<ErrorBody>()).error.code).toBe('payload_too_large')
    expect(await clientCount(org)).toBe(0)
  })

  it('refuse a chunked 2 MB JSON body (no Content-Length) with 413, and take a small chunked one', async () => {
    const org = await createOrg()
    const post = (fill: number) =>
      SELF.fetch(`${BASE}/api/v1/clients`, {
        method: 'POST',
        headers: { authorization: `Bearer ${org.apiKey}`, 'content-type': 'application/json' },
        body: chunkedJson('{"first_name":"Streamed","notes":"', fill, '"}'),
      })
    const big = await post(2 * 1024 * 1024)
    expect(big.status).toBe(413)
    expect((await big.json<ErrorBody>()).error.code).toBe('payload_too_large')
    expect(await clientCount(org)).toBe(0)
    const small = await post(5000)
    expect(small.status).toBe(201)
    expect(await clientCount(org)).toBe(1)
  })

  it('refuse a 2 MB form on a page with a 413 page', async () => {
    const org = await createOrg()
    const res = await SELF.fetch(`${BASE}/login`, {
      method: 'POST',
      redirect: 'manual',
      headers: { origin: BASE, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        email: org.email,
        password: org.password,
        filler: 'x'.repeat(2 * 1024 * 1024),
      }).toString(),
    })
    expect(res.status).toBe(413)
    expect(await res.text()).toContain('larger than 1 MB')
  })

  it('take a 5 MB CSV import', async () => {
    const org = await createOrg()
    const blob = 'y'.repeat(100 * 1024)
    const csv = `name,scan\n${Array.from({ length: 50 }, (_, i) => `Client ${i},${blob}\n`).join('')}`
    expect(csv.length).toBeGreaterThan(5 * 1000 * 1000)
    const res = await SELF.fetch(`${BASE}/api/v1/clients/import`, {
      method: 'POST',
      headers: { authorization: `Bearer ${org.apiKey}`, 'content-type': 'text/csv' },
      body: csv,
    })
    expect(res.status).toBe(202)
    const { import_id } = await res.json<{ import_id: string }>()
    const state = await vi.waitFor(
      async () => {
        const now = await (await api(org, 'GET', `/api/v1/imports/${import_id}`)).json<{
          status: string
          done: number
        }>()
        expect(now.status).toBe('done')
        return now
      },
      { timeout: 30_000, interval: 200 },
    )
    expect(state.done).toBe(50)
  })

  it('leave webhooks to their own checks: a 2 MB Stripe body is refused for its signature, not its size', async () => {
    const res = await SELF.fetch(`${BASE}/webhooks/stripe`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'stripe-signature': 't=1,v1=00' },
      body: JSON.stringify({ filler: 'x'.repeat(2 * 1024 * 1024) }),
    })
    expect(res.status).toBe(401)
  })
})

describe('custom fields', () => {
  const patch = (org: TestOrg, id: string, fields: Record<string, unknown>) =>
    api(org, 'PATCH', `/api/v1/clients/${id}`, { settings: { custom_fields: fields } })

  it('take 100 fields of 2 KB each', async () => {
    const org = await createOrg()
    const { org_client_id } = await createClient(org, { first_name: 'Ann' })
    const fields = Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`field_${i}`, 'z'.repeat(2048)]))
    const res = await patch(org, org_client_id, fields)
    expect(res.status).toBe(200)
    expect(
      Object.keys((await res.json<{ settings: { custom_fields: object } }>()).settings.custom_fields),
    ).toHaveLength(100)
  })

  it('refuse 101 fields, a value over 2 KB (in bytes) and an overlong name with 400, changing nothing', async () => {
    const org = await createOrg()
    const { org_client_id } = await createClient(org, { first_name: 'Ann' })
    const many = Object.fromEntries(Array.from({ length: 101 }, (_, i) => [`f${i}`, i]))
    const cases: Array<[Record<string, unknown>, string]> = [
      [many, 'settings.custom_fields'],
      [{ notes: '€'.repeat(1024) }, 'settings.custom_fields.notes'],
      [{ ['k'.repeat(65)]: 'v' }, `settings.custom_fields.${'k'.repeat(65)}`],
    ]
    for (const [fields, path] of cases) {
      const res = await patch(org, org_client_id, fields)
      expect(res.status).toBe(400)
      const body = await res.json<ErrorBody>()
      expect(body.error.code).toBe('invalid_input')
      expect(body.error.issues!.map((i) => i.path)).toContain(path)
    }
    const client = await (await api(org, 'GET', `/api/v1/clients/${org_client_id}`)).json<{
      settings: { custom_fields: object }
    }>()
    expect(client.settings.custom_fields).toEqual({})
  })
})

describe('country codes', () => {
  const signup = (country: string) =>
    SELF.fetch(`${BASE}/api/v1/signup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        email: `o-${unique()}@example.com`,
        password: 'correct horse battery',
        organization_name: 'Country Co',
        country,
      }),
    })

  it('sign-up refuses a country phone numbering does not know, and takes a real one in any case', async () => {
    for (const country of ['XX', 'ZZ', 'AQ', 'usa', '']) {
      const res = await signup(country)
      expect(res.status, country).toBe(400)
      expect((await res.json<ErrorBody>()).error.issues!.map((i) => i.path)).toEqual(['country'])
    }
    const ok = await signup('ca')
    expect(ok.status).toBe(201)
    const { api_key } = await ok.json<{ api_key: string }>()
    const org = { apiKey: api_key } as TestOrg
    expect((await (await api(org, 'GET', '/api/v1/organization')).json<{ country: string }>()).country).toBe('CA')
  })

  it('every other place that takes a country for phones refuses an unknown one with 400 naming the field', async () => {
    const org = await createOrg()
    const { org_client_id } = await createClient(org, {
      first_name: 'Ann',
      address: { address1: '1 Main St', city: 'Oakland', state: 'CA', postal: '94607' },
    })
    const address = { address1: '1 Main St', city: 'Oakland', state: 'CA', postal: '94607', country: 'XX' }
    const cases: Array<[string, string, Record<string, unknown>, string]> = [
      ['PATCH', '/api/v1/organization', { country: 'XX' }, 'country'],
      ['POST', '/api/v1/clients', { first_name: 'Bo', phone: '415 555 0100', address }, 'address.country'],
      ['POST', `/api/v1/clients/${org_client_id}/addresses`, address, 'country'],
      ['POST', '/api/v1/people/upsert', { phone: '415 555 0100', default_country: 'XX' }, 'default_country'],
      ['POST', '/functions/v1/upsert-person', { phone: '415 555 0100', default_country: 'XX' }, 'default_country'],
      [
        'POST',
        '/api/v1/events',
        { type: 'client_created', person: { phone: '415 555 0100', default_country: 'XX' } },
        'person.default_country',
      ],
      [
        'POST',
        '/api/v1/jobs',
        { client: { first_name: 'Cy', phone: '415 555 0100', address }, start_at: '2031-01-01T17:00:00Z' },
        'client.address.country',
      ],
    ]
    const answers: string[] = []
    for (const [method, path, body, field] of cases) {
      const res = await api(org, method, path, body)
      const paths = res.status === 400 ? ((await res.json<ErrorBody>()).error.issues?.map((i) => i.path) ?? []) : []
      answers.push(`${method} ${path}: ${res.status}${paths.includes(field) ? '' : ` ${JSON.stringify(paths)}`}`)
    }
    expect(answers).toEqual(cases.map(([method, path]) => `${method} ${path}: 400`))
    const organization = await (await api(org, 'GET', '/api/v1/organization')).json<{ country: string }>()
    expect(organization.country).toBe('US')
  })

  it('a business that moves to a known country reads national numbers there', async () => {
    const org = await createOrg()
    const moved = await api(org, 'PATCH', '/api/v1/organization', { country: 'gb', phone: '020 7946 0018' })
    expect(moved.status).toBe(200)
    expect(await moved.json()).toMatchObject({ country: 'GB', phone: '+442079460018' })
    const client = await createClient(org, { first_name: 'Ada', phone: '020 7946 0019' })
    const card = await (await api(org, 'GET', `/api/v1/clients/${client.org_client_id}`)).json<{
      primary_phone_e164: string
    }>()
    expect(card.primary_phone_e164).toBe('+442079460019')
  })
})

type Payment = { id: string; amount_cents: number }
type PaymentAnswer = { payment: Payment; invoice: { id: string; paid_cents: number }; duplicate?: boolean }

/** A business with one client and one open invoice of $100. */
async function openInvoice(org?: TestOrg) {
  const owner = org ?? (await createOrg())
  const { org_client_id } = await createClient(owner, { first_name: 'Payer' })
  const { invoice } = await created<{ invoice: { id: string } }>(owner, '/api/v1/invoices', {
    org_client_id,
    total_cents: 10_000,
    due_date: '2031-01-15',
  })
  return { org: owner, invoiceId: invoice.id }
}

const paymentsOf = async (org: TestOrg, invoiceId: string) =>
  (await (await api(org, 'GET', `/api/v1/invoices/${invoiceId}`)).json<{ payments: Payment[] }>()).payments

const pay = (org: TestOrg, invoiceId: string, body: Record<string, unknown>, key?: string) =>
  api(org, 'POST', `/api/v1/invoices/${invoiceId}/payments`, body, key ? { 'idempotency-key': key } : {})

describe('Idempotency-Key on POST /api/v1', { timeout: 60_000 }, () => {
  it('30 concurrent identical payments with one key record one payment; every answer is that 201 or 409 in progress', async () => {
    const { org, invoiceId } = await openInvoice()
    const key = `pay-${unique()}`
    const answers = await Promise.all(
      Array.from({ length: 30 }, async () => {
        const res = await pay(org, invoiceId, { amount_cents: 100, external_id: 'ch_1' }, key)
        return { status: res.status, body: await res.text() }
      }),
    )
    expect(await paymentsOf(org, invoiceId)).toHaveLength(1)
    const first = answers.find((a) => a.status === 201)!
    expect(first).toBeDefined()
    for (const a of answers) {
      if (a.status === 409) expect(JSON.parse(a.body).error.code).toBe('idempotency_in_progress')
      else expect(a).toEqual(first)
    }
    const again = await pay(org, invoiceId, { amount_cents: 100, external_id: 'ch_1' }, key)
    expect(again.status).toBe(201)
    expect(await again.text()).toBe(first.body)
    expect(again.headers.get('idempotent-replayed')).toBe('true')
  })

  it('replays the first answer on any POST, errors included, and writes nothing more', async () => {
    const org = await createOrg()
    const key = `client-${unique()}`
    const body = { first_name: 'Once', email: `once-${unique()}@example.com` }
    const first = await api(org, 'POST', '/api/v1/clients', body, { 'idempotency-key': key })
    const second = await api(org, 'POST', '/api/v1/clients', body, { 'idempotency-key': key })
    expect([first.status, second.status]).toEqual([201, 201])
    expect(await second.json()).toEqual(await first.json())
    expect(await clientCount(org)).toBe(1)

    const badKey = `bad-${unique()}`
    const refused = await api(org, 'POST', '/api/v1/clients', { first_name: '' }, { 'idempotency-key': badKey })
    const replayed = await api(org, 'POST', '/api/v1/clients', { first_name: '' }, { 'idempotency-key': badKey })
    expect([refused.status, replayed.status]).toEqual([400, 400])
    expect(await replayed.json()).toEqual(await refused.json())
  })

  it('answers 409 idempotency_key_reused for a used key with a different body, writing nothing', async () => {
    const { org, invoiceId } = await openInvoice()
    const key = `pay-${unique()}`
    expect((await pay(org, invoiceId, { amount_cents: 100 }, key)).status).toBe(201)
    const other = await pay(org, invoiceId, { amount_cents: 200 }, key)
    expect(other.status).toBe(409)
    expect((await other.json<ErrorBody>()).error.code).toBe('idempotency_key_reused')
    expect(await paymentsOf(org, invoiceId)).toHaveLength(1)
  })

  it('processes a key anew once its 24 hours are over', async () => {
    const { org, invoiceId } = await openInvoice()
    const key = `pay-${unique()}`
    const first = await (await pay(org, invoiceId, { amount_cents: 100 }, key)).json<PaymentAnswer>()
    // A day and a second later by the Worker's clock (the object's own clock is not needed here).
    clock.advance(24 * 3_600_000 + 1000)
    const later = await pay(org, invoiceId, { amount_cents: 100 }, key).finally(() => clock.set(null))
    expect(later.status).toBe(201)
    expect((await later.json<PaymentAnswer>()).payment.id).not.toBe(first.payment.id)
    expect(await paymentsOf(org, invoiceId)).toHaveLength(2)
  })

  it('keeps keys per organization: another business may use the same key', async () => {
    const a = await openInvoice()
    const b = await openInvoice()
    const key = `shared-${unique()}`
    expect((await pay(a.org, a.invoiceId, { amount_cents: 100 }, key)).status).toBe(201)
    expect((await pay(b.org, b.invoiceId, { amount_cents: 100 }, key)).status).toBe(201)
    expect((await pay(b.org, b.invoiceId, { amount_cents: 300 }, `x-${key}`)).status).toBe(201)
    expect(await paymentsOf(a.org, a.invoiceId)).toHaveLength(1)
    expect(await paymentsOf(b.org, b.invoiceId)).toHaveLength(2)
    // A's exact request, key and body, sent with B's key: never A's stored answer, just not found.
    const onlyA = `a-only-${unique()}`
    expect((await pay(a.org, a.invoiceId, { amount_cents: 50 }, onlyA)).status).toBe(201)
    const copied = await pay(b.org, a.invoiceId, { amount_cents: 50 }, onlyA)
    expect(copied.status).toBe(404)
    expect(copied.headers.get('idempotent-replayed')).toBeNull()
    expect(await copied.text()).not.toContain(a.invoiceId)
    expect(await paymentsOf(a.org, a.invoiceId)).toHaveLength(2)
  })

  it('claims a key once; a claim released after a failure, or lapsed, can be taken again', async () => {
    const db = peopleDb(env.PEOPLE)
    const org = `org-${unique()}`
    const now = new Date()
    expect(await claimKey(db, org, 'k', 'h1', now)).toBe(true)
    expect(await claimKey(db, org, 'k', 'h1', now)).toBe(false)
    await releaseKey(db, org, 'k', now.toISOString())
    expect(await claimKey(db, org, 'k', 'h1', now)).toBe(true)
    // A request that died holds its claim five minutes, no longer.
    expect(await claimKey(db, org, 'k', 'h1', new Date(now.getTime() + 4 * 60_000))).toBe(false)
    const later = new Date(now.getTime() + 6 * 60_000)
    expect(await claimKey(db, org, 'k', 'h2', later)).toBe(true)
    // The answer kept lasts 24 hours from its claim.
    await keepAnswer(db, org, 'k', later.toISOString(), 201, '{}')
    expect(await claimKey(db, org, 'k', 'h2', new Date(later.getTime() + 23 * 3_600_000))).toBe(false)
    expect(await claimKey(db, org, 'k', 'h2', new Date(later.getTime() + 24 * 3_600_000))).toBe(true)
  })

  it('refuses an unusable key with 400', async () => {
    const { org, invoiceId } = await openInvoice()
    const res = await pay(org, invoiceId, { amount_cents: 100 }, 'x'.repeat(256))
    expect(res.status).toBe(400)
    expect(await paymentsOf(org, invoiceId)).toHaveLength(0)
  })
})

describe('a payment external_id is unique per invoice', { timeout: 60_000 }, () => {
  it('30 concurrent payments with one external_id and no key record one; the rest answer it with duplicate: true', async () => {
    const { org, invoiceId } = await openInvoice()
    const answers = await Promise.all(
      Array.from({ length: 30 }, async () => {
        const res = await pay(org, invoiceId, { amount_cents: 100, external_id: 'pi_123' })
        return { status: res.status, body: await res.json<PaymentAnswer>() }
      }),
    )
    const payments = await paymentsOf(org, invoiceId)
    expect(payments).toHaveLength(1)
    expect(answers.filter((a) => a.status === 201)).toHaveLength(1)
    for (const a of answers.filter((x) => x.status !== 201)) {
      expect(a.status).toBe(200)
      expect(a.body).toMatchObject({ duplicate: true, payment: { id: payments[0]!.id }, invoice: { paid_cents: 100 } })
    }
  })

  it('answers the existing payment even once the invoice is paid, and the same id on another invoice is its own payment', async () => {
    const { org, invoiceId } = await openInvoice()
    const other = await openInvoice(org)
    expect((await pay(org, invoiceId, { amount_cents: 10_000, external_id: 'pi_full' })).status).toBe(201)
    const again = await pay(org, invoiceId, { amount_cents: 10_000, external_id: 'pi_full' })
    expect(again.status).toBe(200)
    expect(await again.json()).toMatchObject({ duplicate: true, invoice: { status: 'paid' } })
    expect((await pay(org, other.invoiceId, { amount_cents: 500, external_id: 'pi_full' })).status).toBe(201)
  })
})

describe('an empty JSON body', () => {
  it('reads as {} where every field is optional: sending a campaign now', async () => {
    const b = await businessWithRecords()
    const res = await SELF.fetch(`${BASE}/api/v1/campaigns/${b.campaignId}/send`, {
      method: 'POST',
      headers: { authorization: `Bearer ${b.org.apiKey}`, 'content-type': 'application/json' },
      body: '',
    })
    expect(res.status).toBe(200)
  })

  it('still fails required fields, and malformed JSON stays a 400', async () => {
    const org = await createOrg()
    const post = (body: string) =>
      SELF.fetch(`${BASE}/api/v1/clients`, {
        method: 'POST',
        headers: { authorization: `Bearer ${org.apiKey}`, 'content-type': 'application/json' },
        body,
      })
    const empty = await post('')
    expect(empty.status).toBe(400)
    expect((await empty.json<ErrorBody>()).error.issues!.map((i) => i.path)).toContain('first_name')
    const malformed = await post('{"first_name":')
    expect(malformed.status).toBe(400)
    expect((await malformed.json<ErrorBody>()).error.code).toBe('invalid_input')
    expect(await clientCount(org)).toBe(0)
  })
})
