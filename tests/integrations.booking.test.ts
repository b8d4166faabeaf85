// Over 300 lines on purpose: one booking per CRM, each with its stubbed API and its later webhook, sharing book() and consume().
/**
 * Booking into the CRM: `POST /api/v1/jobs` with `crm` books the job here, then the events
 * consumer creates it on the CRM's board with each provider's real request (Jobber job with its
 * visit, the client pushed first when unlinked; Housecall Pro job with its schedule; ServiceTitan
 * job with business unit, job type and technician) and links it, so the CRM's later webhook for
 * it updates our job instead of booking another. Strangers' connections are 404s; a connection
 * without a usable token leaves the job here and retries. CRM HTTP is stubbed at the fetch boundary.
 */
import { env } from 'cloudflare:test'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { orgStub } from '../src/organizations'
import type { CrmBookingMessage, EventMessage } from '../src/queues/messages'
import { api, createClient, createOrg, unique, type TestOrg } from './helpers/factories'
import { JOBBER_ACCOUNT, consumeEvent as consume } from './helpers/integrations'
import {
  type Call,
  connectJobber,
  JOBBER_GRAPHQL,
  json,
  signedInOwner,
  stubFetch,
  syncLogOf,
} from './helpers/integrations'
import {
  base64Hmac,
  captureQueue,
  connectWithSecret,
  deliver,
  housecallProHeaders,
  serviceTitanSignature,
} from './helpers/webhooks'
import { connectionsOf } from '../src/integrations/remote'

afterEach(() => vi.restoreAllMocks())

let line = 1000 + Math.floor(Math.random() * 8000)
const phone = () => `+1303555${String(line++).padStart(4, '0')}`

const START = '2030-05-06T16:00:00.000Z'
const END = '2030-05-06T18:00:00.000Z'

/** Captures the bookings the jobs route queues and the customer pushes the object queues; everything else goes through. */
function captureBookings() {
  const send = env.EVENTS.send.bind(env.EVENTS)
  const sendBatch = env.EVENTS.sendBatch.bind(env.EVENTS)
  const bookings: CrmBookingMessage[] = []
  vi.spyOn(env.EVENTS, 'send').mockImplementation(async (body: EventMessage, options) => {
    if (body.type === 'crm_booking') {
      bookings.push(body)
      return { metadata: { metrics: { backlogCount: 0, backlogBytes: 0 } } }
    }
    return send(body, options)
  })
  vi.spyOn(env.EVENTS, 'sendBatch').mockImplementation(async (items, options) => {
    const rest = [...items].filter((i) => (i.body as EventMessage).type !== 'crm_customer_push')
    if (rest.length > 0) return sendBatch(rest, options)
    return { metadata: { metrics: { backlogCount: 0, backlogBytes: 0 } } }
  })
  return bookings
}

type Job = { id: string; status: string; start_at: string; org_client_id: string }

async function book(org: TestOrg, body: Record<string, unknown>) {
  return api(org, 'POST', '/api/v1/jobs', { start_at: START, end_at: END, notify: false, ...body })
}

const jobsOf = async (org: TestOrg) =>
  (await (await api(org, 'GET', '/api/v1/jobs?limit=50')).json<{ items: Job[] }>()).items

/** Our job's link to the CRM's, as stored. */
async function jobLinks(org: TestOrg) {
  const stub = orgStub(env, org.organizationId)
  const { runInDurableObject } = await import('cloudflare:test')
  return runInDurableObject(stub, (_o, state) =>
    state.storage.sql
      .exec<{ external_id: string; local_id: string; linked_by: string }>(
        "select external_id, local_id, linked_by from external_mappings where entity = 'job'",
      )
      .toArray(),
  )
}

const bookRows = async (org: TestOrg, connectionId: string) =>
  (await syncLogOf(org, connectionId)).filter((r) => r.step === 'book').reverse()

describe('booking into Jobber', () => {
  const CLIENT = 'Z2lkOi8vSm9iYmVyL0NsaWVudC81NTU='
  const PROPERTY = 'Z2lkOi8vSm9iYmVyL1Byb3BlcnR5Lzg4'
  const JOB = 'Z2lkOi8vSm9iYmVyL0pvYi80NDQ='
  const is = (name: string) => (call: Call) => call.url === JOBBER_GRAPHQL && call.body.includes(name)

  it('pushes the unlinked client first, creates the job with its visit, links it, and a later JOB_UPDATE moves our job instead of booking another', async () => {
    const { org, staff, csrf } = await signedInOwner()
    const connectionId = await connectJobber(staff, csrf, org)
    const bookings = captureBookings()
    const client = await createClient(org, {
      first_name: 'Jess',
      last_name: 'Ford',
      phone: phone(),
      address: { address1: '4 Bay St', city: 'Oakland', state: 'CA', postal: '94607' },
    })
    const res = await book(org, {
      org_client_id: client.org_client_id,
      notes: 'Gutter clean',
      price_cents: 15000,
      crm: { connection_id: connectionId, job_type_id: 'Z2lkOi8vSm9iYmVyL1Byb2R1Y3QvMQ==', technician_id: 'user-7' },
    })
    expect(res.status).toBe(201)
    const { job } = await res.json<{ job: Job }>()
    expect(bookings).toEqual([
      {
        type: 'crm_booking',
        organization_id: org.organizationId,
        connection_id: connectionId,
        provider: 'jobber',
        job_id: job.id,
        job_type_id: 'Z2lkOi8vSm9iYmVyL1Byb2R1Y3QvMQ==',
        technician_id: 'user-7',
      },
    ])
    // Until the CRM has it, the job page says so.
    expect(await (await staff.get(`/app/jobs/${job.id}`)).text()).toContain('Not yet on Jobber: retrying')

    const stub = stubFetch((call) => {
      if (is('clientCreate(')(call)) return json({ data: { clientCreate: { client: { id: CLIENT }, userErrors: [] } } })
      if (is('HomeBaseClientProperties')(call))
        return json({ data: { client: { clientProperties: { nodes: [{ id: PROPERTY }] } } } })
      if (is('jobCreate(')(call))
        return json({
          data: {
            jobCreate: {
              job: { id: JOB, jobNumber: 12, visits: { nodes: [{ id: 'visit-1', startAt: START }] } },
              userErrors: [],
            },
          },
        })
      return undefined
    })
    expect(await consume(bookings[0]!)).toEqual([])
    expect(
      stub.calls.map((c) => /mutation (\w+)|query (\w+)/.exec(JSON.parse(c.body).query)!.slice(1).join('')),
    ).toEqual(['HomeBaseClientCreate', 'HomeBaseClientProperties', 'HomeBaseJobCreate'])
    const created = JSON.parse(stub.calls[2]!.body) as { variables: { input: Record<string, unknown> } }
    expect(created.variables.input).toMatchObject({
      propertyId: PROPERTY,
      title: 'Gutter clean',
      lineItems: [{ productOrServiceId: 'Z2lkOi8vSm9iYmVyL1Byb2R1Y3QvMQ==', quantity: 1, unitPrice: 150 }],
      scheduling: { createVisits: true, startAt: START, endAt: END, assignedUserIds: ['user-7'] },
    })
    expect(await jobLinks(org)).toEqual([{ external_id: JOB, local_id: job.id, linked_by: 'push' }])
    expect(
      (await (await api(org, 'GET', `/api/v1/clients/${client.org_client_id}/crm`)).json<{ links: unknown[] }>()).links,
    ).toMatchObject([{ external_id: CLIENT, linked_by: 'push' }])
    expect((await bookRows(org, connectionId)).map((r) => [r.status, r.externalId])).toEqual([
      ['retry', null],
      ['ok', JOB],
    ])
    expect(await (await staff.get(`/app/jobs/${job.id}`)).text()).not.toContain('Not yet on Jobber')

    // A redelivery books nothing twice.
    await consume(bookings[0]!, 2)
    expect(stub.calls.filter(is('jobCreate('))).toHaveLength(1)
    stub.restore()

    // Jobber moves the job: ours moves, and there is still one job.
    const webhooks = captureQueue()
    const moved = '2030-05-07T17:00:00Z'
    const fetched = stubFetch((call) =>
      call.url === JOBBER_GRAPHQL && call.body.includes('job(id: $id)')
        ? json({
            data: {
              job: {
                id: JOB,
                title: 'Gutter clean',
                jobStatus: 'active',
                total: 150,
                startAt: moved,
                endAt: '2030-05-07T19:00:00Z',
                completedAt: null,
                updatedAt: new Date().toISOString(),
                client: {
                  id: CLIENT,
                  firstName: 'Jess',
                  lastName: 'Ford',
                  companyName: null,
                  isLead: false,
                  updatedAt: '2026-01-01T00:00:00Z',
                  emails: [],
                  phones: [],
                  billingAddress: null,
                },
                visits: { nodes: [{ startAt: moved, endAt: '2030-05-07T19:00:00Z' }] },
              },
            },
          })
        : undefined,
    )
    const body = JSON.stringify({
      data: {
        webHookEvent: {
          topic: 'JOB_UPDATE',
          appId: 'app-1',
          accountId: JOBBER_ACCOUNT,
          itemId: JOB,
          occurredAt: new Date().toISOString(),
        },
      },
    })
    const delivered = await deliver(`/webhooks/jobber/${connectionId}`, body, {
      'x-jobber-hmac-sha256': await base64Hmac(body, 'jobber_client_secret'),
    })
    expect(delivered.status).toBe(200)
    await webhooks.drain()
    webhooks.restore()
    expect(fetched.calls.length).toBeGreaterThan(0)
    expect((await jobsOf(org)).map((j) => [j.id, j.start_at])).toEqual([[job.id, '2030-05-07T17:00:00.000Z']])
  })
})

describe('booking into Housecall Pro', () => {
  const SECRET = 'hcp-signing-secret-booking'

  it('creates the job for the linked customer at its address with the schedule, and job.completed completes ours', async () => {
    const { org, staff, csrf } = await signedInOwner()
    const connectionId = await connectWithSecret(org, 'housecallpro', SECRET)
    const stub = stubFetch((call) => {
      if (call.url === 'https://api.housecallpro.com/oauth/token')
        return json({ access_token: 'hcp-access', refresh_token: 'hcp-refresh', expires_in: 7200 })
      if (call.url === 'https://api.housecallpro.com/company') return json({ id: 'co_9', name: 'Sparkle HCP' })
      if (call.url === 'https://api.housecallpro.com/customers/cus_7' && call.method === 'GET')
        return json({ id: 'cus_7', first_name: 'Hal', addresses: [{ id: 'adr_3', street: '9 Elm St' }] })
      if (call.url === 'https://api.housecallpro.com/jobs' && call.method === 'POST')
        return json({ id: 'job_new', work_status: 'scheduled' }, 201)
      return undefined
    })
    const authorize = new URL(
      (await staff.post('/app/integrations/housecallpro/connect', { _csrf: csrf })).headers.get('location')!,
    )
    await staff.get(`/app/integrations/oauth/callback?code=c&state=${authorize.searchParams.get('state')}`)
    // The OAuth connect completes the connection made for webhooks: one connection, with a token.
    const [hcp, ...others] = await connectionsOf(orgStub(env, org.organizationId)).listConnections()
    expect([hcp!.id, hcp!.status, others]).toEqual([connectionId, 'connected', []])
    const bookings = captureBookings()
    const mobile = phone()
    const client = await createClient(org, {
      first_name: 'Hal',
      phone: mobile,
      source: 'housecallpro',
      external_id: 'cus_7',
    })
    const res = await book(org, {
      org_client_id: client.org_client_id,
      notes: 'Window clean',
      crm: { connection_id: connectionId, job_type_id: 'jt_5', technician_id: 'pro_2' },
    })
    expect(res.status).toBe(201)
    const { job } = await res.json<{ job: Job }>()
    await consume(bookings[0]!)
    const posted = stub.calls.filter((c) => c.url === 'https://api.housecallpro.com/jobs')
    expect(posted).toHaveLength(1)
    expect(posted[0]!.headers.get('authorization')).toBe('Bearer hcp-access')
    expect(JSON.parse(posted[0]!.body)).toEqual({
      customer_id: 'cus_7',
      address_id: 'adr_3',
      schedule: { scheduled_start: START, scheduled_end: END, arrival_window: 0 },
      assigned_employee_ids: ['pro_2'],
      job_fields: { job_type_id: 'jt_5' },
      line_items: [],
      notes: 'Window clean',
    })
    expect(await jobLinks(org)).toEqual([{ external_id: 'job_new', local_id: job.id, linked_by: 'push' }])

    {
      const webhooks = captureQueue()
      const payload = JSON.stringify({
        event: 'job.completed',
        job: {
          id: 'job_new',
          work_status: 'complete unrated',
          customer: { id: 'cus_7', first_name: 'Hal', last_name: null, email: null, mobile_number: mobile },
          schedule: { scheduled_start: START, scheduled_end: END },
          work_timestamps: { completed_at: '2030-05-06T17:50:00Z' },
          total_amount: 9000,
          outstanding_balance: 9000,
          updated_at: '2030-05-06T17:50:00Z',
        },
      })
      expect(
        (await deliver(`/webhooks/housecallpro/${connectionId}`, payload, await housecallProHeaders(payload, SECRET)))
          .status,
      ).toBe(200)
      await webhooks.drain()
      webhooks.restore()
      expect((await jobsOf(org)).map((j) => [j.id, j.status])).toEqual([[job.id, 'completed']])
    }
  })
})

describe('a webhook that outruns the booking', () => {
  const SECRET = 'hcp-signing-secret-race'

  it('adopts our waiting job when job.created comes before the booking is linked: one job, linked, nothing booked twice', async () => {
    const org = await createOrg()
    const connectionId = await connectWithSecret(org, 'housecallpro', SECRET)
    const bookings = captureBookings()
    const mobile = phone()
    const client = await createClient(org, {
      first_name: 'Ari',
      phone: mobile,
      source: 'housecallpro',
      external_id: 'cus_9',
    })
    const res = await book(org, {
      org_client_id: client.org_client_id,
      crm: { connection_id: connectionId, job_type_id: 'jt_5' },
    })
    const { job } = await res.json<{ job: Job }>()
    // A job of the same client at another time is not ours: it is booked as the CRM's own.
    const webhooks = captureQueue()
    const announce = async (id: string, start: string) => {
      const payload = JSON.stringify({
        event: 'job.created',
        job: {
          id,
          work_status: 'scheduled',
          customer: { id: 'cus_9', first_name: 'Ari', last_name: null, email: null, mobile_number: mobile },
          schedule: { scheduled_start: start, scheduled_end: END },
          work_timestamps: { on_my_way_at: null, started_at: null, completed_at: null },
          total_amount: 0,
          outstanding_balance: 0,
          updated_at: new Date().toISOString(),
        },
      })
      const delivered = await deliver(
        `/webhooks/housecallpro/${connectionId}`,
        payload,
        await housecallProHeaders(payload, SECRET),
      )
      expect(delivered.status).toBe(200)
      await webhooks.drain()
    }
    await announce('job_other', '2030-05-06T12:00:00.000Z')
    await announce('job_ours', START)
    webhooks.restore()
    const all = await jobsOf(org)
    expect(all).toHaveLength(2)
    expect((await jobLinks(org)).sort((x, y) => x.external_id.localeCompare(y.external_id))).toMatchObject([
      { external_id: 'job_other', local_id: expect.not.stringMatching(job.id) },
      { external_id: 'job_ours', local_id: job.id },
    ])
    // The booking's own delivery then finds the job on the CRM and books nothing.
    const stub = stubFetch()
    expect(await consume(bookings[0]!)).toEqual([])
    expect(stub.calls).toEqual([])
    expect((await bookRows(org, connectionId)).at(-1)).toMatchObject({ status: 'ok', externalId: 'job_ours' })
  })
})

describe('booking into ServiceTitan', () => {
  const KEY = 'servicetitan-hmac-key-booking-0123456789'

  it('creates a JPM job at the customer location with business unit, job type and technician; JobCompleted completes ours', async () => {
    const { org, staff, csrf } = await signedInOwner()
    const connectionId = await connectWithSecret(org, 'servicetitan', KEY, { settings: { tenant_id: '4455' } })
    const stub = stubFetch((call) => {
      if (call.url === 'https://auth.servicetitan.io/connect/token')
        return json({ access_token: 'st-access', expires_in: 900, token_type: 'Bearer' })
      if (call.url === 'https://api.servicetitan.io/crm/v2/tenant/4455/locations?customerId=9001&pageSize=1')
        return json({ data: [{ id: 3100, customerId: 9001, name: 'Home' }], hasMore: false })
      if (call.url === 'https://api.servicetitan.io/jpm/v2/tenant/4455/jobs' && call.method === 'POST')
        return json({ id: 66001, jobNumber: '66001', jobStatus: 'Scheduled' })
      // The webhook's customer, read back with the token: its contacts.
      if (call.url.startsWith('https://api.servicetitan.io/crm/v2/tenant/4455/customers/9001/contacts'))
        return json({ data: [], hasMore: false })
      return undefined
    })
    expect(
      (await staff.post('/app/integrations/servicetitan/connect', { _csrf: csrf, tenant_id: '4455' })).status,
    ).toBe(303)
    const bookings = captureBookings()
    const client = await createClient(org, {
      first_name: 'Sam',
      last_name: 'Carter',
      phone: phone(),
      source: 'servicetitan',
      external_id: '9001',
    })
    // ServiceTitan books into a business unit: without one the booking is refused and nothing is booked.
    const missing = await book(org, {
      org_client_id: client.org_client_id,
      crm: { connection_id: connectionId, job_type_id: '12' },
    })
    expect(missing.status).toBe(400)
    expect(await jobsOf(org)).toEqual([])

    const res = await book(org, {
      org_client_id: client.org_client_id,
      notes: 'AC tune-up',
      crm: { connection_id: connectionId, job_type_id: '12', business_unit_id: '34', technician_id: '56' },
    })
    expect(res.status).toBe(201)
    const { job } = await res.json<{ job: Job }>()
    await consume(bookings[0]!)
    const posted = stub.calls.filter((c) => c.url.endsWith('/jpm/v2/tenant/4455/jobs'))
    expect(posted).toHaveLength(1)
    expect(posted[0]!.headers.get('st-app-key')).toBe('st-app-key')
    expect(JSON.parse(posted[0]!.body)).toEqual({
      customerId: 9001,
      locationId: 3100,
      businessUnitId: 34,
      jobTypeId: 12,
      priority: 'Normal',
      summary: 'AC tune-up',
      appointments: [{ start: START, end: END, arrivalWindowStart: START, arrivalWindowEnd: END, technicianIds: [56] }],
    })
    expect(await jobLinks(org)).toEqual([{ external_id: '66001', local_id: job.id, linked_by: 'push' }])

    const webhooks = captureQueue()
    const payload = JSON.stringify({
      eventId: `st-${unique()}`,
      eventType: 'JobCompleted',
      data: {
        id: 66001,
        customer: { id: 9001, name: 'Sam Carter', type: 'Residential' },
        start: START,
        end: END,
        completedOn: '2030-05-06T17:40:00Z',
        total: 210,
        summary: 'AC tune-up',
      },
    })
    expect(
      (
        await deliver(`/webhooks/servicetitan/${connectionId}`, payload, {
          'x-servicetitan-signature': await serviceTitanSignature(payload, KEY),
        })
      ).status,
    ).toBe(200)
    await webhooks.drain()
    webhooks.restore()
    expect((await jobsOf(org)).map((j) => [j.id, j.status])).toEqual([[job.id, 'completed']])
  })
})

describe('the booking form', () => {
  it("offers the CRM's job types and technicians when Jobber is connected, and books into it from the form", async () => {
    const { org, staff, csrf } = await signedInOwner()
    const connectionId = await connectJobber(staff, csrf, org)
    const lists = stubFetch((call) => {
      if (call.url !== JOBBER_GRAPHQL) return undefined
      if (call.body.includes('productOrServices'))
        return json({ data: { productOrServices: { nodes: [{ id: 'prod-1', name: 'Gutter cleaning' }] } } })
      if (call.body.includes('users'))
        return json({ data: { users: { nodes: [{ id: 'user-7', name: { full: 'Pat Lee' } }] } } })
      return undefined
    })
    const client = await createClient(org, { first_name: 'Rae', phone: phone() })
    const form = await (await staff.get(`/app/jobs/new?client=${client.org_client_id}`)).text()
    expect(form).toContain('Book in Jobber too')
    expect(form).toMatch(/<option value="prod-1"[^>]*>Gutter cleaning<\/option>/)
    expect(form).toMatch(/<option value="user-7"[^>]*>Pat Lee<\/option>/)
    expect(form).toContain(`name="crm_connection_id" value="${connectionId}"`)
    lists.restore()

    const bookings = captureBookings()
    const res = await staff.post('/app/jobs', {
      _csrf: csrf,
      client_mode: 'existing',
      org_client_id: client.org_client_id,
      start: '2030-05-06T09:00',
      notify_shown: '1',
      crm_connection_id: connectionId,
      crm_job_type_id: 'prod-1',
      crm_technician_id: 'user-7',
    })
    expect(res.status).toBe(303)
    const [job] = await jobsOf(org)
    expect(bookings).toEqual([
      {
        type: 'crm_booking',
        organization_id: org.organizationId,
        connection_id: connectionId,
        provider: 'jobber',
        job_id: job!.id,
        job_type_id: 'prod-1',
        technician_id: 'user-7',
      },
    ])

    // "Don't book in Jobber": the job is booked here only.
    const here = await staff.post('/app/jobs', {
      _csrf: csrf,
      client_mode: 'existing',
      org_client_id: client.org_client_id,
      start: '2030-05-07T09:00',
      notify_shown: '1',
      crm_connection_id: connectionId,
      crm_job_type_id: '',
    })
    expect(here.status).toBe(303)
    expect(await jobsOf(org)).toHaveLength(2)
    expect(bookings).toHaveLength(1)
  })
})

describe('misuse and failures', () => {
  it("another business's connection in crm is a 404 and books nothing", async () => {
    const { org: theirs, staff, csrf } = await signedInOwner()
    const theirConnection = await connectJobber(staff, csrf, theirs)
    const org = await createOrg()
    const bookings = captureBookings()
    const client = await createClient(org, { first_name: 'Val', phone: phone() })
    const res = await book(org, {
      org_client_id: client.org_client_id,
      crm: { connection_id: theirConnection, job_type_id: 'x' },
    })
    expect(res.status).toBe(404)
    expect(await jobsOf(org)).toEqual([])
    expect(await jobsOf(theirs)).toEqual([])
    expect(bookings).toEqual([])
  })

  it('a connection without a usable token keeps the job here, logs the attempt and retries with backoff', async () => {
    const org = await createOrg()
    // Connected for webhooks only: no OAuth token to call Housecall Pro with.
    const connectionId = await connectWithSecret(org, 'housecallpro', 'hcp-secret-no-token')
    const bookings = captureBookings()
    const client = await createClient(org, {
      first_name: 'Noa',
      phone: phone(),
      source: 'housecallpro',
      external_id: 'cus_1',
    })
    const res = await book(org, {
      org_client_id: client.org_client_id,
      crm: { connection_id: connectionId, job_type_id: 'jt_1' },
    })
    expect(res.status).toBe(201)
    const { job } = await res.json<{ job: Job }>()
    const stub = stubFetch()
    expect(await consume(bookings[0]!, 1)).toEqual([10])
    expect(await consume(bookings[0]!, 2)).toEqual([20])
    expect(stub.calls).toEqual([])
    expect((await jobsOf(org)).map((j) => j.id)).toEqual([job.id])
    expect((await bookRows(org, connectionId)).map((r) => [r.status, r.attempt])).toEqual([
      ['retry', 1],
      ['retry', 1],
      ['retry', 2],
    ])
    expect((await bookRows(org, connectionId))[1]!.detail).toContain('no usable access token')
    expect(await jobLinks(org)).toEqual([])
  })
})
