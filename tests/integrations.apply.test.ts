// Over 300 lines on purpose: every provider's webhook applied through the events queue, one describe per provider, with the provider APIs stubbed at the fetch boundary.
/**
 * Processing CRM webhooks from the events queue: items fetched from the providers (stubbed at
 * the fetch boundary with their real response shapes), mapped, and applied to clients, jobs and
 * invoices with the provider as source, in any delivery order, once.
 */
import { env } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import { orgStub } from '../src/organizations'
import { handleEvent } from '../src/queues/events'
import { RetryLater } from '../src/integrations/retry'
import { api, createClient, createOrg, unique, type TestOrg } from './helpers/factories'
import {
  JOBBER_ACCOUNT,
  connectQuickBooks,
  connectJobber,
  JOBBER_GRAPHQL,
  json,
  signedInOwner,
  stubFetch,
  type Route,
} from './helpers/integrations'
import { createJourney, enrollmentsOf, raise } from './helpers/journeys'
import { messagesOf } from './helpers/messaging'
import { Homeowner, portalPath } from './helpers/portal'
import {
  base64Hmac,
  captureQueue,
  connectWithSecret,
  deliver,
  eventsOf,
  housecallProHeaders,
  inboundLogOf,
  receiptsOf,
  serviceTitanSignature,
} from './helpers/webhooks'
import { connectionsOf } from '../src/integrations/remote'

type Client = {
  org_client_id: string
  person_id: string
  first_name: string
  last_name: string | null
  primary_email: string | null
  primary_phone_e164: string | null
  source: string
  external_id: string | null
  status: string
  addresses: unknown[]
}
type Job = {
  id: string
  org_client_id: string
  status: string
  source: string
  external_id: string | null
  price_cents: number
  start_at: string
  completed_at: string | null
}
type Invoice = {
  id: string
  status: string
  total_cents: number
  paid_cents: number
  payments: Array<{ amount_cents: number; method: string; status: string }>
}

let line = 2000 + Math.floor(Math.random() * 5000)
/** A US mobile number no other test in this file uses. */
const nextPhone = () => `(415) 555-${String(line++).padStart(4, '0')}`

const clients = async (org: TestOrg) =>
  (await (await api(org, 'GET', '/api/v1/clients?limit=50')).json<{ items: Client[] }>()).items
const client = async (org: TestOrg, id: string) => (await api(org, 'GET', `/api/v1/clients/${id}`)).json<Client>()
const jobs = async (org: TestOrg) =>
  (await (await api(org, 'GET', '/api/v1/jobs?limit=50')).json<{ items: Job[] }>()).items
const invoices = async (org: TestOrg) =>
  (await (await api(org, 'GET', '/api/v1/invoices?limit=50')).json<{ items: Invoice[] }>()).items
const invoice = async (org: TestOrg, id: string) => (await api(org, 'GET', `/api/v1/invoices/${id}`)).json<Invoice>()

describe('Jobber', () => {
  const jobberClient = (id: string, over: Record<string, unknown> = {}) => ({
    id,
    firstName: 'Maria',
    lastName: 'Lopez',
    companyName: null,
    isLead: false,
    updatedAt: '2026-03-01T10:00:00Z',
    emails: [{ address: `Maria.Lopez-${unique()}@Example.com`, primary: true }],
    phones: [{ number: nextPhone(), primary: true }],
    billingAddress: {
      street1: '12 Oak St',
      street2: null,
      city: 'San Francisco',
      province: 'CA',
      postalCode: '94110',
      country: 'United States',
    },
    ...over,
  })
  const jobberJob = (id: string, clientItem: unknown, over: Record<string, unknown> = {}) => ({
    id,
    title: 'Deep clean',
    jobStatus: 'requires_invoicing',
    total: 240.5,
    startAt: '2030-03-05T17:00:00Z',
    endAt: '2030-03-05T19:00:00Z',
    completedAt: null,
    updatedAt: '2030-03-05T19:05:00Z',
    client: clientItem,
    visits: { nodes: [{ startAt: '2030-03-05T17:00:00Z', endAt: '2030-03-05T19:00:00Z' }] },
    ...over,
  })

  /** Jobber's GraphQL endpoint answering `{data:{<kind>: item}}` for the items by id (null when unknown). */
  const graphql =
    (items: Record<string, unknown>): Route =>
    (call) => {
      if (call.url !== JOBBER_GRAPHQL) return undefined
      const { query, variables } = JSON.parse(call.body) as { query: string; variables: { id: string } }
      const kind = /\{ (\w+)\(id: \$id\)/.exec(query)![1]!
      return json({
        data: { [kind]: items[variables.id] ?? null },
        extensions: { cost: { requestedQueryCost: 12, actualQueryCost: 12 } },
      })
    }

  async function jobberOrg() {
    const { org, staff, csrf } = await signedInOwner()
    return { org, id: await connectJobber(staff, csrf, org) }
  }

  /** Delivers a topic for an item, signed with the app's client secret (an OAuth connection has no secret of its own). */
  async function send(id: string, topic: string, itemId: string, occurredAt = new Date().toISOString()) {
    const body = JSON.stringify({
      data: { webHookEvent: { topic, appId: 'app-1', accountId: JOBBER_ACCOUNT, itemId, occurredAt } },
    })
    const res = await deliver(`/webhooks/jobber/${id}`, body, {
      'x-jobber-hmac-sha256': await base64Hmac(body, 'jobber_client_secret'),
    })
    expect(res.status).toBe(200)
  }

  it('creates a client with source jobber from CLIENT_CREATE, fetched over GraphQL with the token', async () => {
    const { org, id } = await jobberOrg()
    const queue = captureQueue()
    const item = jobberClient('Z2lkOi8vSm9iYmVyL0NsaWVudC8x')
    const http = stubFetch(graphql({ [item.id]: item }))
    await send(id, 'CLIENT_CREATE', item.id)
    await queue.drain()

    const [call] = http.calls
    expect(call!.headers.get('authorization')).toBe('Bearer jobber-access-1')
    expect(call!.headers.get('x-jobber-graphql-version')).toBe('2025-04-16')
    expect(JSON.parse(call!.body)).toMatchObject({
      query: expect.stringContaining('client(id: $id)'),
      variables: { id: item.id },
    })
    const [row] = await clients(org)
    const made = await client(org, row!.org_client_id)
    expect(made).toMatchObject({
      first_name: 'Maria',
      last_name: 'Lopez',
      primary_email: item.emails[0]!.address.toLowerCase(),
      source: 'jobber',
      external_id: item.id,
      status: 'active',
      addresses: [{ address1: '12 Oak St', city: 'San Francisco', state: 'CA', postal: '94110', country: 'US' }],
    })
    expect(made.primary_phone_e164).toMatch(/^\+1415555\d{4}$/)
    expect(await eventsOf(org, made.org_client_id)).toMatchObject([
      { type: 'client_created', data: { source: 'jobber' } },
    ])
    expect(await receiptsOf(org)).toMatchObject([{ status: 'processed' }])
    expect((await inboundLogOf(org)).map((r) => `${r.step}:${r.status}`)).toEqual([
      'webhook:ok',
      'fetch:ok',
      'apply:ok',
    ])

    // A newer update changes this business's card (source: the connection); an older one is skipped.
    const newer = {
      ...item,
      updatedAt: '2026-03-02T10:00:00Z',
      emails: [{ address: `maria-new-${unique()}@example.com`, primary: true }],
    }
    const older = {
      ...item,
      updatedAt: '2026-02-01T10:00:00Z',
      lastName: 'Stale',
      emails: [{ address: `maria-old-${unique()}@example.com`, primary: true }],
    }
    http.restore()
    const next = stubFetch(graphql({ [item.id]: newer }))
    await send(id, 'CLIENT_UPDATE', item.id)
    await queue.drain()
    next.restore()
    const late = stubFetch(graphql({ [item.id]: older }))
    await send(id, 'CLIENT_UPDATE', item.id, '2026-02-01T10:00:01Z')
    await queue.drain()
    late.restore()
    const person = await (await api(org, 'GET', `/api/v1/people/${made.person_id}`)).json<{
      primary_email: string
      emails: string[]
      last_name: string
    }>()
    expect(person).toMatchObject({ primary_email: newer.emails[0]!.address, last_name: 'Lopez' })
    expect(person.emails).toContain(made.primary_email)
    expect((await eventsOf(org, made.org_client_id)).map((e) => [e.type, e.data['source']])).toEqual([
      ['client_created', 'jobber'],
      ['contact_changed', 'crm'],
      ['client_updated', 'jobber'],
    ])
    expect((await eventsOf(org, made.org_client_id))[1]?.data).toMatchObject({
      field: 'email',
      to: newer.emails[0]!.address,
      by: `jobber:${id}`,
    })
    expect((await inboundLogOf(org)).some((r) => r.status === 'skipped' && /older/.test(r.detail ?? ''))).toBe(true)
    expect(await clients(org)).toHaveLength(1)
    queue.restore()
  })

  it('books then completes a job whose VISIT_COMPLETE arrives before JOB_CREATE, and the late JOB_CREATE changes nothing', async () => {
    const { org, id } = await jobberOrg()
    const thanks = await createJourney(org, {
      trigger_event: 'job_completed',
      trigger_source: 'jobber',
      steps: [
        { type: 'wait', delay_minutes: 60 },
        { type: 'sms', body: 'Thanks for having us!' },
      ],
    })
    const queue = captureQueue()
    const customer = jobberClient('client-9')
    const job = jobberJob('job-9', customer)
    const visit = { id: 'visit-9', startAt: job.startAt, endAt: job.endAt, completedAt: '2030-03-05T19:00:00Z', job }
    const http = stubFetch(
      graphql({ 'visit-9': visit, 'job-9': { ...job, jobStatus: 'upcoming', updatedAt: '2030-03-01T08:00:00Z' } }),
    )
    await send(id, 'VISIT_COMPLETE', 'visit-9')
    await queue.drain()
    await send(id, 'JOB_CREATE', 'job-9')
    await queue.drain()
    http.restore()

    const all = await jobs(org)
    expect(all).toHaveLength(1)
    expect(all[0]).toMatchObject({
      status: 'completed',
      source: 'jobber',
      external_id: 'job-9',
      price_cents: 24050,
      start_at: '2030-03-05T17:00:00.000Z',
    })
    const events = (await eventsOf(org, all[0]!.org_client_id)).filter((e) => e.type.startsWith('job_'))
    expect(events.map((e) => [e.type, e.data['source']])).toEqual([
      ['job_booked', 'jobber'],
      ['job_completed', 'jobber'],
    ])
    expect(await enrollmentsOf(org, `?journey_id=${thanks}`)).toMatchObject([
      { org_client_id: all[0]!.org_client_id, status: 'active' },
    ])
    expect((await receiptsOf(org)).map((r) => r.status)).toEqual(['processed', 'processed'])
    queue.restore()
  })

  it('records PAYMENT_CREATE on the invoice once and raises invoice_paid with source jobber', async () => {
    const { org, id } = await jobberOrg()
    const queue = captureQueue()
    const inv = {
      id: 'inv-3',
      invoiceNumber: '17',
      invoiceStatus: 'paid',
      dueDate: '2030-04-01T00:00:00-07:00',
      updatedAt: '2030-03-06T10:00:00Z',
      amounts: { total: 150, invoiceBalance: 0 },
      client: jobberClient('client-3'),
      jobs: { nodes: [] },
    }
    const http = stubFetch(graphql({ 'pay-3': { id: 'pay-3', amount: 150, invoice: inv }, 'inv-3': inv }))
    await send(id, 'PAYMENT_CREATE', 'pay-3')
    const [message] = queue.queued
    await queue.drain()
    await handleEvent(message!, env) // the queue delivering the same message again
    await send(id, 'INVOICE_UPDATE', 'inv-3')
    await queue.drain()
    http.restore()

    const [only] = await invoices(org)
    const paid = await invoice(org, only!.id)
    expect(paid).toMatchObject({
      status: 'paid',
      total_cents: 15000,
      paid_cents: 15000,
      payments: [{ amount_cents: 15000, method: 'jobber', status: 'succeeded' }],
    })
    const paidEvents = (await eventsOf(org, (await clients(org))[0]!.org_client_id)).filter(
      (e) => e.type === 'invoice_paid',
    )
    expect(paidEvents).toMatchObject([{ data: { source: 'jobber', total_cents: 15000 } }])
    queue.restore()
  })

  it('marks the receipt failed and throws for a retry when Jobber fails, then applies it on the retry; 429 waits as asked', async () => {
    const { org, id } = await jobberOrg()
    const queue = captureQueue()
    const item = jobberClient('client-5')
    let down = true
    const http = stubFetch(
      (call) => (down && call.url === JOBBER_GRAPHQL ? new Response('upstream down', { status: 502 }) : undefined),
      graphql({ 'client-5': item }),
    )
    await send(id, 'CLIENT_CREATE', 'client-5')
    const [message] = queue.queued.splice(0)
    await expect(handleEvent(message!, env, 1)).rejects.toThrow('HTTP 502')
    expect(await receiptsOf(org)).toMatchObject([{ status: 'failed', error: expect.stringContaining('HTTP 502') }])
    expect(await clients(org)).toEqual([])
    down = false
    await handleEvent(message!, env, 2)
    expect(await receiptsOf(org)).toMatchObject([{ status: 'processed', error: null }])
    expect(await clients(org)).toHaveLength(1)
    expect((await inboundLogOf(org)).map((r) => `${r.step}:${r.status}`)).toEqual([
      'webhook:ok',
      'fetch:retry',
      'process:retry',
      'fetch:ok',
      'apply:ok',
    ])
    http.restore()

    const busy = stubFetch((call) =>
      call.url === JOBBER_GRAPHQL
        ? new Response('{"errors":[{"message":"Throttled"}]}', { status: 429, headers: { 'retry-after': '120' } })
        : undefined,
    )
    await send(id, 'CLIENT_UPDATE', 'client-5')
    const [throttled] = queue.queued.splice(0)
    const error = await handleEvent(throttled!, env, 1).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(RetryLater)
    expect((error as RetryLater).delaySeconds).toBe(120)
    busy.restore()
    queue.restore()
  })

  it('disconnects the connection on APP_DISCONNECT without asking Jobber anything', async () => {
    const { org, id } = await jobberOrg()
    const queue = captureQueue()
    const http = stubFetch()
    await send(id, 'APP_DISCONNECT', 'acct-1')
    await queue.drain()
    expect(http.calls).toEqual([])
    http.restore()
    expect(await (await api(org, 'GET', `/api/v1/integrations/${id}`)).json()).toMatchObject({ status: 'disconnected' })
    const body = JSON.stringify({
      data: {
        webHookEvent: {
          topic: 'CLIENT_CREATE',
          appId: 'app-1',
          accountId: JOBBER_ACCOUNT,
          itemId: 'x',
          occurredAt: '2026-03-01T00:00:00Z',
        },
      },
    })
    expect(
      (
        await deliver(`/webhooks/jobber/${id}`, body, {
          'x-jobber-hmac-sha256': await base64Hmac(body, 'jobber_client_secret'),
        })
      ).status,
    ).toBe(404)
    queue.restore()
  })
})

describe('Housecall Pro', () => {
  const SECRET = 'hcp-signing-secret-1'
  const customer = (over: Record<string, unknown> = {}) => ({
    id: `cus_${unique()}`,
    first_name: 'Dana',
    last_name: 'Reyes',
    email: `dana-${unique()}@example.com`,
    mobile_number: nextPhone(),
    home_number: null,
    work_number: null,
    company: null,
    updated_at: '2026-03-01T09:00:00Z',
    ...over,
  })
  const hcpJob = (id: string, cust: unknown, over: Record<string, unknown> = {}) => ({
    id,
    invoice_number: '1001',
    description: 'Window cleaning',
    work_status: 'scheduled',
    customer: cust,
    address: { street: '9 Elm St', street_line_2: null, city: 'Oakland', state: 'CA', zip: '94607', country: 'US' },
    schedule: { scheduled_start: '2030-03-10T16:00:00Z', scheduled_end: '2030-03-10T18:00:00Z' },
    work_timestamps: { on_my_way_at: null, started_at: null, completed_at: null },
    total_amount: 18000,
    outstanding_balance: 18000,
    updated_at: '2030-03-01T09:00:00Z',
    ...over,
  })

  async function hcpOrg() {
    const org = await createOrg()
    return { org, id: await connectWithSecret(org, 'housecallpro', SECRET) }
  }

  async function send(id: string, payload: unknown) {
    const body = JSON.stringify(payload)
    const res = await deliver(`/webhooks/housecallpro/${id}`, body, await housecallProHeaders(body, SECRET))
    expect(res.status).toBe(200)
    return res.json<{ duplicate: boolean }>()
  }

  it('makes one completed job when job.completed comes before job.created, and a replay is processed once', async () => {
    const { org, id } = await hcpOrg()
    const queue = captureQueue()
    const cust = customer()
    const completed = hcpJob('job_77', cust, {
      work_status: 'complete unrated',
      work_timestamps: { completed_at: '2030-03-10T17:55:00Z' },
      updated_at: '2030-03-10T17:55:00Z',
    })
    await send(id, { event: 'job.completed', job: completed })
    expect(await send(id, { event: 'job.completed', job: completed })).toMatchObject({ duplicate: true })
    const [message] = queue.queued
    await queue.drain()
    await handleEvent(message!, env)
    // Late, with the schedule the job had before it was moved, and no time to compare: the job only moves forward.
    await send(id, {
      event: 'job.created',
      job: hcpJob('job_77', cust, {
        updated_at: null,
        schedule: { scheduled_start: '2030-03-09T16:00:00Z', scheduled_end: '2030-03-09T18:00:00Z' },
      }),
    })
    await queue.drain()

    const all = await jobs(org)
    expect(all).toMatchObject([
      {
        status: 'completed',
        source: 'housecallpro',
        external_id: 'job_77',
        price_cents: 18000,
        start_at: '2030-03-10T16:00:00.000Z',
      },
    ])
    expect((await receiptsOf(org)).map((r) => r.status)).toEqual(['processed', 'processed'])
    const made = await client(org, all[0]!.org_client_id)
    expect(made).toMatchObject({
      first_name: 'Dana',
      source: 'housecallpro',
      external_id: cust.id,
      addresses: [{ address1: '9 Elm St', city: 'Oakland' }],
    })
    expect((await eventsOf(org, made.org_client_id)).map((e) => e.type)).toEqual([
      'client_created',
      'job_booked',
      'job_completed',
    ])
    queue.restore()
  })

  it('ends an active enrollment as cancelled_crm_event when the CRM books a job for the client', async () => {
    const { org, id } = await hcpOrg()
    const cust = customer()
    const ours = await createClient(org, { first_name: 'Dana', email: cust.email, phone: cust.mobile_number })
    const journey = await createJourney(org, {
      trigger_event: 'manual',
      settings: { stop_on: ['job_booked'] },
      steps: [
        { type: 'wait', delay_minutes: 1440 },
        { type: 'sms', body: 'Still thinking about that window cleaning?' },
      ],
    })
    await raise(org, { type: 'manual', org_client_id: ours.org_client_id })
    expect(await enrollmentsOf(org, `?journey_id=${journey}`)).toMatchObject([
      { org_client_id: ours.org_client_id, status: 'active' },
    ])

    const queue = captureQueue()
    await send(id, { event: 'job.created', job: hcpJob(`job_${unique()}`, cust) })
    await queue.drain()
    expect(await jobs(org)).toMatchObject([
      { org_client_id: ours.org_client_id, source: 'housecallpro', status: 'scheduled' },
    ])
    expect(await enrollmentsOf(org, `?journey_id=${journey}`)).toMatchObject([{ status: 'cancelled_crm_event' }])
    queue.restore()
  })

  it("answers a homeowner's open request for another time when Housecall Pro moves the visit, and tells them once", async () => {
    const { org, id } = await hcpOrg()
    const queue = captureQueue()
    await send(id, { event: 'job.created', job: hcpJob('job_90', customer()) })
    await queue.drain()
    const [job] = await jobs(org)
    const path = await portalPath(org, job!.org_client_id)
    const asked = await new Homeowner().post(`${path}/jobs/${job!.id}/reschedule`, {
      first: '2030-03-12T09:00',
      second: '2030-03-13T14:30',
    })
    expect(asked.status).toBe(303)
    const open = async () =>
      (await (await api(org, 'GET', '/api/v1/tasks')).json<{ items: { job_id: string }[] }>()).items
    expect(await open()).toHaveLength(1)

    const moved = {
      event: 'job.appointment.rescheduled',
      appointment: {
        id: 'appt_9',
        job_id: 'job_90',
        start_time: '2030-03-12T16:00:00Z',
        end_time: '2030-03-12T18:00:00Z',
      },
    }
    await send(id, moved)
    await queue.drain()
    expect(await open()).toEqual([])
    const told = await messagesOf(org, '?purpose=reschedule_moved')
    expect(told).toHaveLength(1)
    // Delivered again: the request is closed already, nobody is told twice.
    await send(id, { ...moved, appointment: { ...moved.appointment, id: 'appt_10' } })
    await queue.drain()
    expect(await messagesOf(org, '?purpose=reschedule_moved')).toHaveLength(1)
    queue.restore()
  })

  it("pays the job's invoice on job.paid with source housecallpro, and moves a job on job.appointment.rescheduled", async () => {
    const { org, id } = await hcpOrg()
    const queue = captureQueue()
    const cust = customer()
    await send(id, { event: 'job.created', job: hcpJob('job_88', cust) })
    await send(id, {
      event: 'job.appointment.rescheduled',
      appointment: {
        id: 'appt_1',
        job_id: 'job_88',
        start_time: '2030-03-12T16:00:00Z',
        end_time: '2030-03-12T18:00:00Z',
      },
    })
    await queue.drain()
    expect(await jobs(org)).toMatchObject([{ start_at: '2030-03-12T16:00:00.000Z', status: 'scheduled' }])

    await send(id, {
      event: 'job.paid',
      job: hcpJob('job_88', cust, {
        work_status: 'complete rated',
        outstanding_balance: 0,
        updated_at: '2030-03-12T19:00:00Z',
      }),
    })
    await queue.drain()
    const [only] = await invoices(org)
    expect(await invoice(org, only!.id)).toMatchObject({
      status: 'paid',
      total_cents: 18000,
      payments: [{ amount_cents: 18000, method: 'housecallpro' }],
    })
    const events = await eventsOf(org, (await jobs(org))[0]!.org_client_id)
    expect(events.find((e) => e.type === 'invoice_paid')?.data).toMatchObject({ source: 'housecallpro' })
    expect(await jobs(org)).toMatchObject([{ status: 'completed' }])
    queue.restore()
  })

  it('never lets an older customer.updated overwrite a newer one', async () => {
    const { org, id } = await hcpOrg()
    const queue = captureQueue()
    const cust = customer({ updated_at: '2026-03-05T09:00:00Z' })
    await send(id, { event: 'customer.created', customer: cust })
    await send(id, {
      event: 'customer.updated',
      customer: { ...cust, last_name: 'Old-Name', updated_at: '2026-03-04T09:00:00Z' },
    })
    await queue.drain()
    const [made] = await clients(org)
    expect(made).toMatchObject({ first_name: 'Dana', last_name: 'Reyes' })
    await send(id, {
      event: 'customer.updated',
      customer: { ...cust, last_name: 'Reyes-Park', updated_at: '2026-03-06T09:00:00Z' },
    })
    await queue.drain()
    expect((await clients(org))[0]).toMatchObject({ last_name: 'Reyes-Park' })
    queue.restore()
  })
})

describe('QuickBooks Online', () => {
  const QBO_API = 'https://quickbooks.api.intuit.com/v3/company'

  async function qboOrg(realm: string) {
    const { org, staff, csrf } = await signedInOwner()
    await connectQuickBooks(staff, csrf, realm)
    return org
  }

  const qboCustomer = (id: string) => ({
    Id: id,
    SyncToken: '0',
    GivenName: 'Priya',
    FamilyName: 'Shah',
    DisplayName: 'Priya Shah',
    CompanyName: null,
    Active: true,
    PrimaryEmailAddr: { Address: `priya-${unique()}@example.com` },
    PrimaryPhone: { FreeFormNumber: nextPhone() },
    BillAddr: {
      Id: '2',
      Line1: '4 Pine Ave',
      City: 'Austin',
      CountrySubDivisionCode: 'TX',
      PostalCode: '78701',
      Country: 'USA',
    },
    MetaData: { CreateTime: '2026-03-01T10:00:00-08:00', LastUpdatedTime: '2026-03-01T10:00:00-08:00' },
  })

  /** QuickBooks' Accounting API answering `{<Entity>: …, time}` for the entities by path. */
  const accounting =
    (realm: string, entities: Record<string, Record<string, unknown>>): Route =>
    (call) => {
      const path = new URL(call.url).pathname.replace(`/v3/company/${realm}/`, '')
      const [kind, entityId] = path.split('/')
      const entity = entities[`${kind}/${entityId}`]
      if (!call.url.startsWith(`${QBO_API}/${realm}/`) || !entity) return undefined
      return json({ [kind!.charAt(0).toUpperCase() + kind!.slice(1)]: entity, time: '2026-03-02T10:00:00.000-08:00' })
    }

  it("fetches a legacy notification's Customer and creates the client with source quickbooks", async () => {
    const realm = String(9_000_000 + Math.floor(Math.random() * 999_999))
    const org = await qboOrg(realm)
    const queue = captureQueue()
    const http = stubFetch(accounting(realm, { 'customer/58': qboCustomer('58') }))
    const body = JSON.stringify({
      eventNotifications: [
        {
          realmId: realm,
          dataChangeEvent: {
            entities: [{ name: 'Customer', id: '58', operation: 'Create', lastUpdated: '2026-03-01T18:00:00.000Z' }],
          },
        },
      ],
    })
    const res = await deliver('/webhooks/quickbooks', body, {
      'intuit-signature': await base64Hmac(body, 'qbo_verifier_token'),
    })
    expect(await res.json()).toMatchObject({ duplicate: false, queued: 1 })
    await queue.drain()
    expect(http.calls.map((c) => c.url)).toEqual([`${QBO_API}/${realm}/customer/58?minorversion=75`])
    expect(http.calls[0]!.headers.get('authorization')).toBe('Bearer qbo-access')
    http.restore()
    expect(await clients(org)).toMatchObject([{ first_name: 'Priya', last_name: 'Shah', status: 'active' }])
    expect(await client(org, (await clients(org))[0]!.org_client_id)).toMatchObject({
      source: 'quickbooks',
      external_id: '58',
      addresses: [{ city: 'Austin', state: 'TX', country: 'US' }],
    })
    queue.restore()
  })

  it('applies CloudEvents for an invoice and then its payment: invoice_paid with source quickbooks', async () => {
    const realm = String(8_000_000 + Math.floor(Math.random() * 999_999))
    const org = await qboOrg(realm)
    const queue = captureQueue()
    const inv = {
      Id: '130',
      DocNumber: '1037',
      TotalAmt: 362.07,
      Balance: 362.07,
      DueDate: '2030-04-01',
      CustomerRef: { value: '61', name: 'Priya Shah' },
      MetaData: { LastUpdatedTime: '2026-03-02T10:00:00-08:00' },
    }
    const entities: Record<string, Record<string, unknown>> = { 'customer/61': qboCustomer('61'), 'invoice/130': inv }
    const http = stubFetch((call) => accounting(realm, entities)(call))
    const cloud = (id: string, type: string, entity: string) => ({
      specversion: '1.0',
      id,
      source: 'intuit.test',
      type,
      datacontenttype: 'application/json',
      time: '2026-03-02T18:00:00Z',
      intuitentityid: entity,
      intuitaccountid: realm,
      data: {},
    })
    const post = async (events: unknown[]) => {
      const body = JSON.stringify(events)
      expect(
        (
          await deliver('/webhooks/quickbooks', body, {
            'intuit-signature': await base64Hmac(body, 'qbo_verifier_token'),
          })
        ).status,
      ).toBe(200)
    }
    await post([cloud(`ce-${unique()}`, 'qbo.invoice.created.v1', '130')])
    await queue.drain()
    expect(await invoices(org)).toMatchObject([{ status: 'open', total_cents: 36207, paid_cents: 0 }])

    entities['invoice/130'] = { ...inv, Balance: 0, MetaData: { LastUpdatedTime: '2026-03-03T10:00:00-08:00' } }
    entities['payment/77'] = {
      Id: '77',
      TotalAmt: 362.07,
      CustomerRef: { value: '61' },
      Line: [{ Amount: 362.07, LinkedTxn: [{ TxnId: '130', TxnType: 'Invoice' }] }],
    }
    await post([cloud(`ce-${unique()}`, 'qbo.payment.created.v1', '77')])
    await queue.drain()
    http.restore()
    const [only] = await invoices(org)
    expect(await invoice(org, only!.id)).toMatchObject({
      status: 'paid',
      paid_cents: 36207,
      payments: [{ amount_cents: 36207, method: 'quickbooks' }],
    })
    const events = await eventsOf(org, (await clients(org))[0]!.org_client_id)
    expect(events.filter((e) => e.type === 'invoice_paid')).toMatchObject([{ data: { source: 'quickbooks' } }])
    queue.restore()
  })
})

describe('ServiceTitan', () => {
  const KEY = 'servicetitan-hmac-key-0123456789abcdef'

  async function send(id: string, payload: unknown) {
    const body = JSON.stringify(payload)
    expect(
      (
        await deliver(`/webhooks/servicetitan/${id}`, body, {
          'x-servicetitan-signature': await serviceTitanSignature(body, KEY),
        })
      ).status,
    ).toBe(200)
  }

  it('completes a job from a payload that carries the job and its customer, fetching nothing', async () => {
    const org = await createOrg()
    const id = await connectWithSecret(org, 'servicetitan', KEY, { settings: { tenant_id: '4455' } })
    const queue = captureQueue()
    const http = stubFetch()
    await send(id, {
      eventId: `st-${unique()}`,
      eventType: 'JobCompleted',
      data: {
        id: 9001,
        customer: {
          id: 501,
          name: 'Sam Carter',
          type: 'Residential',
          email: `sam-${unique()}@example.com`,
          phone: nextPhone(),
        },
        start: '2030-03-20T15:00:00Z',
        end: '2030-03-20T17:00:00Z',
        completedOn: '2030-03-20T16:50:00Z',
        total: 320,
        summary: 'AC tune-up',
      },
    })
    await queue.drain()
    expect(http.calls).toEqual([])
    http.restore()
    expect(await jobs(org)).toMatchObject([
      { status: 'completed', source: 'servicetitan', external_id: '9001', price_cents: 32000 },
    ])
    expect(await clients(org)).toMatchObject([{ first_name: 'Sam', last_name: 'Carter' }])
    queue.restore()
  })

  it('fetches the job, its first appointment and the customer over REST when the payload names only the job', async () => {
    const { org, staff, csrf } = await signedInOwner()
    const id = await connectWithSecret(org, 'servicetitan', KEY, { settings: { tenant_id: '4455' } })
    const rest: Record<string, unknown> = {
      '/jpm/v2/tenant/4455/jobs/9002': {
        id: 9002,
        customerId: 502,
        jobStatus: 'Scheduled',
        firstAppointmentId: 700,
        summary: 'Furnace check',
        modifiedOn: '2026-03-01T10:00:00Z',
      },
      '/jpm/v2/tenant/4455/appointments/700': {
        id: 700,
        jobId: 9002,
        start: '2030-03-21T15:00:00Z',
        end: '2030-03-21T16:00:00Z',
      },
      '/crm/v2/tenant/4455/customers/502': {
        id: 502,
        name: 'Lee Park',
        type: 'Residential',
        address: { street: '3 Birch Rd', unit: null, city: 'Denver', state: 'CO', zip: '80202', country: 'USA' },
        modifiedOn: '2026-03-01T10:00:00Z',
      },
      '/crm/v2/tenant/4455/customers/502/contacts': {
        data: [
          { id: 1, type: 'Email', value: `lee-${unique()}@example.com` },
          { id: 2, type: 'MobilePhone', value: nextPhone() },
        ],
      },
    }
    const http = stubFetch(
      (call) =>
        call.url === 'https://auth.servicetitan.io/connect/token'
          ? json({ access_token: 'st-access-1', expires_in: 900, token_type: 'Bearer' })
          : undefined,
      (call) => {
        const path = new URL(call.url).pathname
        return call.url.startsWith('https://api.servicetitan.io') && rest[path] ? json(rest[path]) : undefined
      },
    )
    expect(
      (await staff.post('/app/integrations/servicetitan/connect', { _csrf: csrf, tenant_id: '4455' })).status,
    ).toBe(303)
    const queue = captureQueue()
    await send(id, { eventId: `st-${unique()}`, eventType: 'job.booked', data: { id: 9002 } })
    await queue.drain()
    const apiCalls = http.to('https://api.servicetitan.io')
    expect(apiCalls.map((c) => new URL(c.url).pathname)).toEqual(Object.keys(rest))
    expect(apiCalls[0]!.headers.get('st-app-key')).toBe('st-app-key')
    expect(apiCalls[0]!.headers.get('authorization')).toBe('Bearer st-access-1')
    http.restore()
    expect(await jobs(org)).toMatchObject([
      { status: 'scheduled', source: 'servicetitan', start_at: '2030-03-21T15:00:00.000Z' },
    ])
    expect(await client(org, (await clients(org))[0]!.org_client_id)).toMatchObject({
      first_name: 'Lee',
      last_name: 'Park',
      source: 'servicetitan',
      addresses: [{ city: 'Denver' }],
    })
    expect((await connectionsOf(orgStub(env, org.organizationId)).listConnections())[0]).toMatchObject({ id })
    queue.restore()
  })
})
