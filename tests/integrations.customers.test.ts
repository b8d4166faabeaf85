// Over 300 lines on purpose: each CRM's customer shape and the echo, redelivery and settings cases share capturePushes() and consume().
/**
 * Clients pushed to the CRM as customers: created once in each CRM with its real request shape,
 * linked by push, updated once on a change, never echoed back after the CRM's own webhook
 * changed the client, never created twice by a redelivered message, and not pushed at all with
 * "push new clients" off. CRM HTTP is stubbed at the fetch boundary; the events queue is captured
 * so each test runs the consumer itself.
 */
import { createMessageBatch, env } from 'cloudflare:test'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { orgStub } from '../src/organizations'
import { handleEventBatch } from '../src/queues/events'
import type { CrmCustomerMessage, EventMessage } from '../src/queues/messages'
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
import { base64Hmac, captureQueue, deliver } from './helpers/webhooks'
import { connectionsOf } from '../src/integrations/remote'

afterEach(() => vi.restoreAllMocks())

let line = 1000 + Math.floor(Math.random() * 8000)
const phone = () => `+1415555${String(line++).padStart(4, '0')}`

/** Captures the customer pushes the ORG object queues (other messages go through). */
function capturePushes() {
  const sendBatch = env.EVENTS.sendBatch.bind(env.EVENTS)
  const queued: CrmCustomerMessage[] = []
  vi.spyOn(env.EVENTS, 'sendBatch').mockImplementation(async (items, options) => {
    const rest = [...items].filter((i) => (i.body as EventMessage).type !== 'crm_customer_push')
    for (const i of items)
      if ((i.body as EventMessage).type === 'crm_customer_push') queued.push(i.body as CrmCustomerMessage)
    if (rest.length > 0) return sendBatch(rest, options)
    return { metadata: { metrics: { backlogCount: 0, backlogBytes: 0 } } }
  })
  return queued
}

const customerRows = async (org: TestOrg, connectionId: string) =>
  (await syncLogOf(org, connectionId)).filter((r) => r.step === 'customer').reverse()

const links = async (org: TestOrg, id: string) =>
  (await (await api(org, 'GET', `/api/v1/clients/${id}/crm`)).json<{ links: Array<Record<string, unknown>> }>()).links

const JOBBER_ID = 'Z2lkOi8vSm9iYmVyL0NsaWVudC85OTE='
const isMutation = (name: string) => (call: Call) => call.url === JOBBER_GRAPHQL && call.body.includes(`${name}(`)

/** Jobber answering clientCreate and clientEdit as its GraphQL API does. */
function jobberCustomers() {
  return stubFetch((call) => {
    if (isMutation('clientCreate')(call))
      return json({ data: { clientCreate: { client: { id: JOBBER_ID }, userErrors: [] } } })
    if (isMutation('clientEdit')(call))
      return json({ data: { clientEdit: { client: { id: JOBBER_ID }, userErrors: [] } } })
    return undefined
  })
}

describe('a client pushed to Jobber', () => {
  it('is created once with clientCreate (company from its account, not its first name), linked by push, and edited once on a change', async () => {
    const { org, staff, csrf } = await signedInOwner()
    const connectionId = await connectJobber(staff, csrf, org)
    const queued = capturePushes()
    const account = await (
      await api(org, 'POST', '/api/v1/accounts', { name: 'Acme Property', kind: 'business' })
    ).json<{
      account_id: string
    }>()
    const email = `robin-${unique()}@example.com`
    const mobile = phone()
    const client = await createClient(org, {
      first_name: 'Robin',
      last_name: 'Hale',
      email,
      phone: mobile,
      account_id: account.account_id,
      address: { address1: '1 Main St', city: 'Oakland', state: 'CA', postal: '94607' },
    })
    expect(queued).toEqual([
      {
        type: 'crm_customer_push',
        organization_id: org.organizationId,
        connection_id: connectionId,
        provider: 'jobber',
        org_client_id: client.org_client_id,
        reason: 'created',
      },
    ])

    const stub = jobberCustomers()
    expect(await consume(queued[0]!)).toEqual([])
    const creates = stub.calls.filter(isMutation('clientCreate'))
    expect(creates).toHaveLength(1)
    expect(creates[0]!.headers.get('authorization')).toBe('Bearer jobber-access-1')
    const sent = JSON.parse(creates[0]!.body) as { variables: { input: Record<string, unknown> } }
    expect(sent.variables.input).toMatchObject({
      firstName: 'Robin',
      lastName: 'Hale',
      companyName: 'Acme Property',
      emails: [{ description: 'MAIN', primary: true, address: email }],
      phones: [{ description: 'MAIN', primary: true, number: mobile }],
      billingAddress: { street1: '1 Main St', city: 'Oakland', province: 'CA', postalCode: '94607', country: 'US' },
    })
    const [link] = await links(org, client.org_client_id)
    expect(link).toMatchObject({ connection_id: connectionId, external_id: JOBBER_ID, linked_by: 'push' })
    expect(link!['last_synced_at']).toEqual(expect.any(String))

    // The same message again (a redelivery) makes no second customer.
    await consume(queued[0]!, 2)
    expect(stub.calls.filter(isMutation('clientCreate'))).toHaveLength(1)
    expect(await links(org, client.org_client_id)).toHaveLength(1)

    // A change here: one edit of the linked customer.
    queued.length = 0
    const before = stub.calls.filter(isMutation('clientEdit')).length
    expect(
      (await api(org, 'PATCH', `/api/v1/clients/${client.org_client_id}`, { last_name: 'Hale-Stone' })).status,
    ).toBe(200)
    expect(queued).toMatchObject([{ reason: 'updated', org_client_id: client.org_client_id }])
    await consume(queued[0]!)
    const edits = stub.calls.filter(isMutation('clientEdit')).slice(before)
    expect(edits).toHaveLength(1)
    expect(JSON.parse(edits[0]!.body).variables).toMatchObject({
      clientId: JOBBER_ID,
      input: { firstName: 'Robin', lastName: 'Hale-Stone', companyName: 'Acme Property' },
    })
    expect(stub.calls.filter(isMutation('clientCreate'))).toHaveLength(1)
    expect((await customerRows(org, connectionId)).map((r) => [r.status, r.topic, r.externalId])).toEqual([
      ['ok', 'customer_created', JOBBER_ID],
      ['ok', 'customer_updated', JOBBER_ID],
      ['ok', 'customer_updated', JOBBER_ID],
    ])
  })

  it("is not echoed back when the change came from Jobber's own webhook", async () => {
    const { org, staff, csrf } = await signedInOwner()
    const connectionId = await connectJobber(staff, csrf, org)
    const queued = capturePushes()
    const mobile = phone()
    const client = await createClient(org, { first_name: 'Sky', last_name: 'Moss', phone: mobile })
    const stub = jobberCustomers()
    await consume(queued[0]!)
    stub.restore()
    queued.length = 0

    // Jobber reports the customer renamed: the client changes here, and nothing goes back.
    const webhooks = captureQueue()
    const fetched = stubFetch((call) =>
      call.url === JOBBER_GRAPHQL && call.body.includes('client(id: $id)')
        ? json({
            data: {
              client: {
                id: JOBBER_ID,
                firstName: 'Sky',
                lastName: 'Moss-Rivera',
                companyName: null,
                isLead: false,
                updatedAt: new Date().toISOString(),
                emails: [],
                phones: [{ number: mobile, primary: true }],
                billingAddress: null,
              },
            },
          })
        : undefined,
    )
    const body = JSON.stringify({
      data: {
        webHookEvent: {
          topic: 'CLIENT_UPDATE',
          appId: 'app-1',
          accountId: JOBBER_ACCOUNT,
          itemId: JOBBER_ID,
          occurredAt: new Date().toISOString(),
        },
      },
    })
    const res = await deliver(`/webhooks/jobber/${connectionId}`, body, {
      'x-jobber-hmac-sha256': await base64Hmac(body, 'jobber_client_secret'),
    })
    expect(res.status).toBe(200)
    await webhooks.drain()
    webhooks.restore()
    expect(fetched.calls.some((c) => c.body.includes('client(id: $id)'))).toBe(true)
    const after = await (await api(org, 'GET', `/api/v1/clients/${client.org_client_id}`)).json<{ last_name: string }>()
    expect(after.last_name).toBe('Moss-Rivera')
    expect(queued).toEqual([])
    expect(fetched.calls.filter((c) => c.body.includes('clientEdit') || c.body.includes('clientCreate'))).toEqual([])

    // The same client changed here afterwards is pushed again: only the CRM's own change is held back.
    await api(org, 'PATCH', `/api/v1/clients/${client.org_client_id}`, { first_name: 'Skye' })
    expect(queued).toMatchObject([{ reason: 'updated', connection_id: connectionId }])
  })

  it('pushes a new client made by booking a job for them, and an address added later', async () => {
    const { org, staff, csrf } = await signedInOwner()
    const connectionId = await connectJobber(staff, csrf, org)
    const queued = capturePushes()
    const res = await api(org, 'POST', '/api/v1/jobs', {
      client: { first_name: 'Nico', phone: phone() },
      start_at: '2030-06-01T16:00:00Z',
      notify: false,
    })
    expect(res.status).toBe(201)
    const { job } = await res.json<{ job: { org_client_id: string } }>()
    expect(queued).toEqual([
      {
        type: 'crm_customer_push',
        organization_id: org.organizationId,
        connection_id: connectionId,
        provider: 'jobber',
        org_client_id: job.org_client_id,
        reason: 'created',
      },
    ])
    const added = await api(org, 'POST', `/api/v1/clients/${job.org_client_id}/addresses`, {
      address1: '7 Lake Ave',
      city: 'Oakland',
      state: 'CA',
      postal: '94610',
    })
    expect(added.status).toBe(201)
    expect(queued.map((m) => m.reason)).toEqual(['created', 'updated'])

    // Moved onto a commercial account: the CRM customer gets the account's name as its company.
    const stub = jobberCustomers()
    await consume(queued[0]!)
    const account = await (
      await api(org, 'POST', '/api/v1/accounts', { name: 'Lakeside HOA', kind: 'business' })
    ).json<{ account_id: string }>()
    const moved = await api(org, 'PATCH', `/api/v1/clients/${job.org_client_id}`, { account_id: account.account_id })
    expect(moved.status).toBe(200)
    expect(queued.map((m) => m.reason)).toEqual(['created', 'updated', 'updated'])
    await consume(queued[2]!)
    const [edit] = stub.calls.filter(isMutation('clientEdit'))
    expect(JSON.parse(edit!.body).variables.input).toMatchObject({
      firstName: 'Nico',
      companyName: 'Lakeside HOA',
      billingAddress: { street1: '7 Lake Ave', city: 'Oakland', postalCode: '94610' },
    })
  })

  it('makes one customer when the new client and its address arrive in one batch and run at once', async () => {
    const { org, staff, csrf } = await signedInOwner()
    await connectJobber(staff, csrf, org)
    const queued = capturePushes()
    const client = await createClient(org, { first_name: 'Bo', phone: phone() })
    await api(org, 'POST', `/api/v1/clients/${client.org_client_id}/addresses`, {
      address1: '2 Hill Rd',
      city: 'Oakland',
      state: 'CA',
      postal: '94611',
    })
    expect(queued.map((m) => m.reason)).toEqual(['created', 'updated'])
    let release: () => void = () => {}
    const held = new Promise<void>((resolve) => {
      release = resolve
    })
    const stub = stubFetch((call) =>
      isMutation('clientCreate')(call)
        ? held.then(() => json({ data: { clientCreate: { client: { id: JOBBER_ID }, userErrors: [] } } }))
        : undefined,
    )
    const batch = createMessageBatch<EventMessage>(
      'homebase-events',
      queued.map((body, i) => ({ id: `b-${i}-${unique()}`, timestamp: new Date(), attempts: 1, body })),
    )
    const retries = batch.messages.map((m) => vi.spyOn(m, 'retry'))
    const run = handleEventBatch(batch, env)
    // Both are under way before Jobber answers the first create.
    await new Promise((r) => setTimeout(r, 300))
    release()
    await run
    expect(stub.calls.filter(isMutation('clientCreate'))).toHaveLength(1)
    // Whichever of the two claimed the create made it; the other waits 30 s, then edits.
    expect(retries.map((r) => r.mock.calls.map(([o]) => o?.delaySeconds)).sort()).toEqual([[], [30]])
    expect(await links(org, client.org_client_id)).toMatchObject([{ external_id: JOBBER_ID, linked_by: 'push' }])
  })

  it('pushes nothing with "push new clients" off, even a message queued before it was turned off', async () => {
    const { org, staff, csrf } = await signedInOwner()
    const connectionId = await connectJobber(staff, csrf, org)
    const queued = capturePushes()
    const early = await createClient(org, { first_name: 'Early', phone: phone() })
    const patched = await api(org, 'PATCH', `/api/v1/integrations/${connectionId}`, {
      settings: { push_new_clients: false },
    })
    expect(patched.status).toBe(200)
    await createClient(org, { first_name: 'Late', phone: phone() })
    expect(queued.map((m) => m.org_client_id)).toEqual([early.org_client_id])

    const stub = jobberCustomers()
    await consume(queued[0]!)
    expect(stub.calls).toEqual([])
    expect((await customerRows(org, connectionId)).map((r) => [r.status, r.detail])).toEqual([
      ['skipped', 'not pushed: "push new clients" is off'],
    ])
    expect(await links(org, early.org_client_id)).toEqual([])
  })

  it('retries a failed create with backoff, and a client made as a CRM customer is not created again', async () => {
    const { org, staff, csrf } = await signedInOwner()
    const connectionId = await connectJobber(staff, csrf, org)
    const queued = capturePushes()
    const fromJobber = await createClient(org, {
      first_name: 'Jo',
      phone: phone(),
      source: 'jobber',
      external_id: 'Z2lkOi8vSm9iYmVyL0NsaWVudC8x',
    })
    const ours = await createClient(org, { first_name: 'Ola', phone: phone() })
    expect(queued.map((m) => m.org_client_id)).toEqual([ours.org_client_id])
    expect(fromJobber.created).toBe(true)

    const replies = [new Response('{"message":"busy"}', { status: 503 })]
    const stub = stubFetch((call) =>
      isMutation('clientCreate')(call)
        ? (replies.shift() ?? json({ data: { clientCreate: { client: { id: JOBBER_ID }, userErrors: [] } } }))
        : undefined,
    )
    expect(await consume(queued[0]!, 1)).toEqual([10])
    expect(await links(org, ours.org_client_id)).toEqual([])
    expect(await consume(queued[0]!, 2)).toEqual([])
    expect(stub.calls.filter(isMutation('clientCreate'))).toHaveLength(2)
    expect((await customerRows(org, connectionId)).map((r) => [r.status, r.attempt])).toEqual([
      ['retry', 1],
      ['ok', 2],
    ])
    expect(await links(org, ours.org_client_id)).toMatchObject([{ linked_by: 'push', external_id: JOBBER_ID }])
  })
})

describe('the customer each CRM gets', () => {
  it('Housecall Pro: POST /customers, then PUT /customers/{id} on a change', async () => {
    const { org, staff, csrf } = await signedInOwner()
    const stub = stubFetch((call) => {
      if (call.url === 'https://api.housecallpro.com/oauth/token')
        return json({ access_token: 'hcp-access', refresh_token: 'hcp-refresh', expires_in: 7200 })
      if (call.url === 'https://api.housecallpro.com/company') return json({ id: 'co_9', name: 'Sparkle HCP' })
      if (call.url === 'https://api.housecallpro.com/customers' && call.method === 'POST')
        return json({ id: 'cus_new', first_name: 'Hal' }, 201)
      if (call.url === 'https://api.housecallpro.com/customers/cus_new' && call.method === 'PUT')
        return json({ id: 'cus_new', first_name: 'Hal' })
      return undefined
    })
    const authorize = new URL(
      (await staff.post('/app/integrations/housecallpro/connect', { _csrf: csrf })).headers.get('location')!,
    )
    await staff.get(`/app/integrations/oauth/callback?code=c&state=${authorize.searchParams.get('state')}`)
    const [connection] = await connectionsOf(orgStub(env, org.organizationId)).listConnections()
    const queued = capturePushes()
    const mobile = phone()
    const client = await createClient(org, {
      first_name: 'Hal',
      last_name: 'Ng',
      phone: mobile,
      address: { address1: '9 Elm St', city: 'Oakland', state: 'CA', postal: '94607' },
    })
    await consume(queued[0]!)
    const created = stub.calls.filter((c) => c.url === 'https://api.housecallpro.com/customers')
    expect(created).toHaveLength(1)
    expect(created[0]!.headers.get('authorization')).toBe('Bearer hcp-access')
    expect(JSON.parse(created[0]!.body)).toMatchObject({
      first_name: 'Hal',
      last_name: 'Ng',
      mobile_number: mobile,
      company: null,
      addresses: [{ street: '9 Elm St', city: 'Oakland', state: 'CA', zip: '94607', country: 'US' }],
    })
    await api(org, 'PATCH', `/api/v1/clients/${client.org_client_id}`, { first_name: 'Hallie' })
    await consume(queued[1]!)
    const puts = stub.calls.filter((c) => c.url === 'https://api.housecallpro.com/customers/cus_new')
    expect(puts).toHaveLength(1)
    expect(JSON.parse(puts[0]!.body)).toMatchObject({ first_name: 'Hallie', last_name: 'Ng' })
    expect(await links(org, client.org_client_id)).toMatchObject([
      { connection_id: connection!.id, external_id: 'cus_new', linked_by: 'push' },
    ])
  })

  it('ServiceTitan: POST then PATCH /crm/v2/tenant/{tenant}/customers, a location and contacts on create', async () => {
    const { org, staff, csrf } = await signedInOwner()
    const stub = stubFetch((call) => {
      if (call.url === 'https://auth.servicetitan.io/connect/token')
        return json({ access_token: 'st-access', expires_in: 900 })
      if (call.url === 'https://api.servicetitan.io/crm/v2/tenant/5150/customers' && call.method === 'POST')
        return json({ id: 77001, name: 'Sol Park' })
      if (call.url === 'https://api.servicetitan.io/crm/v2/tenant/5150/customers/77001' && call.method === 'PATCH')
        return json({ id: 77001, name: 'Sol Park' })
      return undefined
    })
    await staff.post('/app/integrations/servicetitan/connect', { _csrf: csrf, tenant_id: '5150' })
    const queued = capturePushes()
    const mobile = phone()
    const email = `sol-${unique()}@example.com`
    const client = await createClient(org, {
      first_name: 'Sol',
      last_name: 'Park',
      phone: mobile,
      email,
      address: { address1: '5 Pine Rd', city: 'Denver', state: 'CO', postal: '80202' },
    })
    await consume(queued[0]!)
    const [created] = stub.calls.filter((c) => c.url.endsWith('/tenant/5150/customers'))
    expect(created!.headers.get('st-app-key')).toBe('st-app-key')
    expect(JSON.parse(created!.body)).toEqual({
      name: 'Sol Park',
      type: 'Residential',
      address: { street: '5 Pine Rd', unit: null, city: 'Denver', state: 'CO', zip: '80202', country: 'US' },
      locations: [
        {
          name: 'Sol Park',
          address: { street: '5 Pine Rd', unit: null, city: 'Denver', state: 'CO', zip: '80202', country: 'US' },
        },
      ],
      contacts: [
        { type: 'MobilePhone', value: mobile },
        { type: 'Email', value: email },
      ],
    })
    await api(org, 'PATCH', `/api/v1/clients/${client.org_client_id}`, { last_name: 'Parker' })
    await consume(queued[1]!)
    const patches = stub.calls.filter((c) => c.url.endsWith('/customers/77001'))
    expect(patches.map((c) => c.method)).toEqual(['PATCH'])
    expect(JSON.parse(patches[0]!.body)).toMatchObject({ name: 'Sol Parker', type: 'Residential' })
    expect(await links(org, client.org_client_id)).toMatchObject([{ external_id: '77001', linked_by: 'push' }])
  })
})

describe('strangers', () => {
  it("another business's client in a push message is not found: nothing is sent or linked", async () => {
    const { org, staff, csrf } = await signedInOwner()
    const connectionId = await connectJobber(staff, csrf, org)
    const stranger = await createOrg()
    const theirs = await createClient(stranger, { first_name: 'Mallory', phone: phone() })
    const stub = jobberCustomers()
    await consume({
      type: 'crm_customer_push',
      organization_id: org.organizationId,
      connection_id: connectionId,
      provider: 'jobber',
      org_client_id: theirs.org_client_id,
      reason: 'created',
    })
    expect(stub.calls).toEqual([])
    expect((await customerRows(org, connectionId)).map((r) => r.status)).toEqual(['skipped'])
    expect((await api(org, 'GET', `/api/v1/clients/${theirs.org_client_id}/crm`)).status).toBe(404)
  })
})
