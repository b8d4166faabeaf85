/**
 * A connection's sync settings (seed 003's CRM settings): PATCH /api/v1/integrations/{id} and the
 * Integrations page, and every webhook and push honouring them: texts not pushed when "sync
 * messages" is off, a CRM event left out of "stop journeys on" no longer ending a journey, and a
 * mapped job type booking our service. CRM HTTP is stubbed at the fetch boundary.
 */
import { createExecutionContext, createMessageBatch, env, getQueueResult, runInDurableObject } from 'cloudflare:test'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { Connections } from '../durable-objects/org/integrations/connections-module'
import { orgStub } from '../src/organizations'
import { handleEventBatch } from '../src/queues/events'
import type { CrmPushMessage, EventMessage } from '../src/queues/messages'
import { Staff } from './helpers/browserless'
import { api, createClient, createOrg, type TestOrg, unique } from './helpers/factories'
import {
  connectJobber,
  JOBBER_GRAPHQL,
  json,
  orgSql,
  signedInOwner,
  stubFetch,
  syncLogOf,
} from './helpers/integrations'
import { createJourney, enrollmentsOf, raise } from './helpers/journeys'
import { bookJob, decideAt, messagesOf } from './helpers/messaging'
import { captureQueue, connectWithSecret, deliver, housecallProHeaders } from './helpers/webhooks'

afterEach(() => vi.restoreAllMocks())

type Settings = {
  tenant_id?: string
  signature_header?: string
  signature_encoding?: string
  sync_messages: boolean
  sync_calls: boolean
  push_new_clients: boolean
  stop_journeys_on: string[]
  service_map: Record<string, string>
}
type Connection = { id: string; connection_id: string; provider: string; settings: Settings }

const DEFAULTS = {
  sync_messages: true,
  sync_calls: true,
  push_new_clients: true,
  stop_journeys_on: ['job_booked', 'job_completed', 'customer_contacted', 'invoice_paid'],
  service_map: {},
}

const patch = (org: TestOrg, id: string, settings: unknown) =>
  api(org, 'PATCH', `/api/v1/integrations/${id}`, { settings })
const getConnection = async (org: TestOrg, id: string) =>
  (await api(org, 'GET', `/api/v1/integrations/${id}`)).json<Connection>()

async function service(org: TestOrg, name: string): Promise<string> {
  const res = await api(org, 'POST', '/api/v1/services', { name, duration_minutes: 90, price_cents: 15000 })
  expect(res.status).toBe(201)
  const body = await res.json<{ id?: string; service?: { id: string } }>()
  return body.service?.id ?? body.id!
}

/** A ServiceTitan connection with its own provider settings, made through the API. */
async function serviceTitan(org: TestOrg): Promise<string> {
  return connectWithSecret(org, 'servicetitan', 'st-hmac-key-0123456789abcdef0123456789', {
    settings: { tenant_id: '884422', signature_header: 'X-ST-Signature', signature_encoding: 'hex' },
  })
}

describe('PATCH /api/v1/integrations/{id}', () => {
  it('shows the defaults, then changes only what is sent and keeps the provider settings', async () => {
    const org = await createOrg()
    const id = await serviceTitan(org)
    expect((await getConnection(org, id)).settings).toEqual({
      tenant_id: '884422',
      signature_header: 'x-st-signature',
      signature_encoding: 'hex',
      ...DEFAULTS,
    })
    const windows = await service(org, 'Window cleaning')

    const res = await patch(org, id, {
      sync_messages: false,
      stop_journeys_on: ['invoice_paid'],
      service_map: { '77': windows },
    })
    expect(res.status).toBe(200)
    const expected = {
      ...DEFAULTS,
      tenant_id: '884422',
      signature_header: 'x-st-signature',
      signature_encoding: 'hex',
      sync_messages: false,
      stop_journeys_on: ['invoice_paid'],
      service_map: { '77': windows },
    }
    expect((await res.json<Connection>()).settings).toEqual(expected)
    expect((await getConnection(org, id)).settings).toEqual(expected)
    const list = await (await api(org, 'GET', '/api/v1/integrations')).json<{ items: Connection[] }>()
    expect(list.items.find((c) => c.id === id)!.settings).toEqual(expected)

    // A later PATCH of one field leaves the others as they were.
    await patch(org, id, { sync_calls: false })
    expect((await getConnection(org, id)).settings).toEqual({ ...expected, sync_calls: false })
  })

  it('refuses invalid settings with a 400 and writes nothing', async () => {
    const org = await createOrg()
    const id = await serviceTitan(org)
    const before = await getConnection(org, id)
    for (const settings of [
      { sync_messages: 'no' },
      { stop_journeys_on: ['job_booked', 'moon_landing'] },
      { service_map: { '77': 'not-a-service-of-ours' } },
      { tenant_id: 'other-tenant' },
    ]) {
      const res = await patch(org, id, settings)
      expect(res.status, JSON.stringify(settings)).toBe(400)
      expect((await res.json<{ error: { code: string } }>()).error.code).toBe('invalid_input')
    }
    const bad = await patch(org, id, { sync_messages: false, service_map: { '77': 'not-a-service-of-ours' } })
    expect((await bad.json<{ error: { issues: { path: string }[] } }>()).error.issues).toEqual([
      expect.objectContaining({ path: 'settings.service_map.77' }),
    ])
    expect((await getConnection(org, id)).settings).toEqual(before.settings)
    expect((await api(org, 'PATCH', `/api/v1/integrations/${id}`, { sync_messages: false })).status).toBe(400)
  })

  it("answers 404 for another business's connection and leaves it as it was", async () => {
    const [mine, theirs] = [await createOrg(), await createOrg()]
    const theirId = await serviceTitan(theirs)
    const res = await patch(mine, theirId, { sync_messages: false })
    expect(res.status).toBe(404)
    expect((await getConnection(theirs, theirId)).settings.sync_messages).toBe(true)
    expect((await patch(mine, crypto.randomUUID(), { sync_messages: false })).status).toBe(404)
  })
})

describe('the settings form on the Integrations page', () => {
  it('saves the checkboxes for an owner, and refuses a member and a tech', async () => {
    const { org, staff, csrf } = await signedInOwner()
    const id = await serviceTitan(org)
    const page = await (await staff.get('/app/integrations')).text()
    expect(page).toContain(`action="/app/integrations/${id}/settings"`)

    const res = await staff.post(`/app/integrations/${id}/settings`, {
      _csrf: csrf,
      sync_calls: 'on',
      stop_journeys_on: 'job_completed',
    })
    expect(res.status).toBe(303)
    const inPlace = await staff.post(
      `/app/integrations/${id}/settings`,
      { _csrf: csrf, sync_calls: 'on', stop_journeys_on: 'job_completed' },
      { 'hx-request': 'true' },
    )
    expect(inPlace.status).toBe(200)
    expect(await inPlace.text()).toContain('Sync settings saved.')
    expect((await getConnection(org, id)).settings).toMatchObject({
      tenant_id: '884422',
      sync_messages: false,
      sync_calls: true,
      push_new_clients: false,
      stop_journeys_on: ['job_completed'],
    })

    for (const role of ['member', 'tech'] as const) {
      const email = await teammateSignedIn(org, role)
      const refused = await email.post(`/app/integrations/${id}/settings`, {
        _csrf: await email.csrfToken(),
        sync_messages: 'on',
      })
      expect(refused.status, role).toBe(403)
    }
    expect((await getConnection(org, id)).settings.sync_messages).toBe(false)
  })

  it('maps a CRM job type to a service with one select per cached job type', async () => {
    const { org, staff, csrf } = await signedInOwner()
    const id = await serviceTitan(org)
    const windows = await service(org, 'Window cleaning')
    await orgSql(
      org,
      "insert into crm_cache (connection_id, kind, data, fetched_at) values (?, 'job_types', ?, ?)",
      id,
      JSON.stringify([{ id: '77', name: 'Window job' }]),
      new Date().toISOString(),
    )
    const config = await staff.get(`/app/integrations/${id}/config`, { 'hx-request': 'true' })
    const html = await config.text()
    expect(html).toContain('name="job_type:77"')
    expect(html).toContain(`<option value="${windows}">Window cleaning</option>`)
    expect(html).not.toContain('<nav')
    // Without JavaScript the same settings are a page of their own.
    expect(await (await staff.get(`/app/integrations/${id}/config`)).text()).toContain('name="job_type:77"')
    const res = await staff.post(`/app/integrations/${id}/service-map`, {
      _csrf: csrf,
      'job_type:77': windows,
      'job_type:78': '',
    })
    expect(res.status).toBe(303)
    expect((await getConnection(org, id)).settings.service_map).toEqual({ '77': windows })
    const refused = await staff.post(`/app/integrations/${id}/service-map`, { _csrf: csrf, 'job_type:77': 'gone' })
    expect(refused.status).toBe(422)
    expect((await getConnection(org, id)).settings.service_map).toEqual({ '77': windows })
  })
})

/** A teammate of `org` with `role`, signed in. */
async function teammateSignedIn(org: TestOrg, role: 'member' | 'tech'): Promise<Staff> {
  const email = `mate-${unique()}@example.com`
  const res = await api(org, 'POST', '/api/v1/team/invites', { email, role })
  const { invite_url } = await res.json<{ invite_url: string }>()
  const staff = new Staff()
  await staff.post(new URL(invite_url).pathname, { password: 'mate password 1' })
  if (!staff.cookie) await staff.post('/login', { email, password: 'mate password 1' })
  return staff
}

const JOBBER_CLIENT = 'Z2lkOi8vSm9iYmVyL0NsaWVudC80Mg=='
const isNote = (call: { url: string; body: string }) =>
  call.url === JOBBER_GRAPHQL && call.body.includes('clientCreateNote')

/** Hands one push to the events consumer. */
async function consume(message: CrmPushMessage) {
  const batch = createMessageBatch<EventMessage>('homebase-events', [
    { id: `push-${unique()}`, timestamp: new Date(), attempts: 1, body: message },
  ])
  const ctx = createExecutionContext()
  await handleEventBatch(batch, env)
  return getQueueResult(batch, ctx)
}

describe('"sync messages" off', () => {
  it('queues no note for a sent text, and a note queued before it was turned off is skipped', async () => {
    const { org, staff, csrf } = await signedInOwner()
    await api(org, 'PATCH', '/api/v1/organization', { quiet_hours: { start: '00:00', end: '00:00' } })
    const connectionId = await connectJobber(staff, csrf, org)
    const client = await createClient(org, {
      first_name: 'Casey',
      phone: `+1415555${String(1000 + Math.floor(Math.random() * 8999))}`,
      source: 'jobber',
      external_id: JOBBER_CLIENT,
    })
    await bookJob(org, client.org_client_id, '2030-06-10T19:00:00Z')
    await decideAt(org, new Date('2030-06-09T19:00:30Z'))
    const sms = (await messagesOf(org)).find((m) => m.channel === 'sms')!
    const queued = () =>
      runInDurableObject(orgStub(env, org.organizationId), (instance) =>
        (instance as unknown as { connections: Connections }).connections.pushesForSent(sms.id),
      )
    // With the default settings the text would go to Jobber…
    expect(await queued()).toMatchObject([{ connection_id: connectionId, external_client_id: JOBBER_CLIENT }])
    expect((await patch(org, connectionId, { sync_messages: false })).status).toBe(200)
    // …and with "sync messages" off nothing is queued.
    expect(await queued()).toEqual([])

    const stub = stubFetch((call) =>
      isNote(call) ? json({ data: { clientCreateNote: { clientNote: { id: 'n' }, userErrors: [] } } }) : undefined,
    )
    const message: CrmPushMessage = {
      type: 'crm_push',
      organization_id: org.organizationId,
      connection_id: connectionId,
      provider: 'jobber',
      org_client_id: client.org_client_id,
      external_client_id: JOBBER_CLIENT,
      direction: 'outbound',
      body: 'Queued before the switch',
      at: '2030-06-09T19:00:30.000Z',
      message_id: sms.id,
    }
    const result = await consume(message)
    expect(result.explicitAcks).toHaveLength(1)
    expect(stub.calls.filter(isNote)).toEqual([])
    const pushes = (await syncLogOf(org, connectionId)).filter((r) => r.step === 'push')
    expect(pushes).toMatchObject([{ status: 'skipped', eventKey: sms.id }])

    // Turned back on, the same push goes.
    await patch(org, connectionId, { sync_messages: true })
    await consume(message)
    expect(stub.calls.filter(isNote)).toHaveLength(1)
  })
})

describe('Housecall Pro webhooks honour the settings', () => {
  const SECRET = 'hcp-signing-secret-settings'
  let line = 3000 + Math.floor(Math.random() * 5000)
  const customer = () => ({
    id: `cus_${unique()}`,
    first_name: 'Dana',
    last_name: 'Reyes',
    email: `dana-${unique()}@example.com`,
    mobile_number: `(415) 555-${String(line++).padStart(4, '0')}`,
    home_number: null,
    work_number: null,
    company: null,
    updated_at: '2026-03-01T09:00:00Z',
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
  async function send(id: string, payload: unknown) {
    const body = JSON.stringify(payload)
    const res = await deliver(`/webhooks/housecallpro/${id}`, body, await housecallProHeaders(body, SECRET))
    expect(res.status).toBe(200)
  }
  type Job = { id: string; org_client_id: string; service_id: string | null; external_id: string | null }
  const jobs = async (org: TestOrg) =>
    (await (await api(org, 'GET', '/api/v1/jobs?limit=50')).json<{ items: Job[] }>()).items

  it('a booked job no longer ends a journey once "job booked" is left out of the stop events', async () => {
    const org = await createOrg()
    const id = await connectWithSecret(org, 'housecallpro', SECRET)
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
    expect((await patch(org, id, { stop_journeys_on: ['job_completed', 'invoice_paid'] })).status).toBe(200)

    const queue = captureQueue()
    await send(id, { event: 'job.created', job: hcpJob(`job_${unique()}`, cust) })
    await queue.drain()
    queue.restore()
    expect(await jobs(org)).toMatchObject([{ org_client_id: ours.org_client_id }])
    expect(await enrollmentsOf(org, `?journey_id=${journey}`)).toMatchObject([{ status: 'active' }])

    // A job booked here (not from the CRM) still ends it: the setting is about CRM events only.
    await bookJob(org, ours.org_client_id, '2030-04-01T16:00:00Z')
    expect(await enrollmentsOf(org, `?journey_id=${journey}`)).toMatchObject([{ status: 'stopped' }])
  })

  it('books a job of a mapped job type as our service, and leaves an unmapped one without', async () => {
    const org = await createOrg()
    const id = await connectWithSecret(org, 'housecallpro', SECRET)
    const windows = await service(org, 'Window cleaning')
    expect((await patch(org, id, { service_map: { jt_windows: windows } })).status).toBe(200)

    const queue = captureQueue()
    const mapped = `job_${unique()}`
    const unmapped = `job_${unique()}`
    await send(id, {
      event: 'job.created',
      job: hcpJob(mapped, customer(), { job_fields: { job_type: { id: 'jt_windows', name: 'Windows' } } }),
    })
    await send(id, {
      event: 'job.created',
      job: hcpJob(unmapped, customer(), { job_fields: { job_type: { id: 'jt_gutters', name: 'Gutters' } } }),
    })
    await queue.drain()
    queue.restore()
    const all = await jobs(org)
    expect(all.find((j) => j.external_id === mapped)?.service_id).toBe(windows)
    expect(all.find((j) => j.external_id === unmapped)?.service_id).toBeNull()
  })
})
