// Over 300 lines on purpose: a stranger business trying every way in against one victim client shares victim() and everythingBSees().
/**
 * A stranger business B knows only a phone or email that business A's client gave A. Through every
 * way a person enters a business (people/upsert, clients, booking a new client, events with a
 * person, CSV import, CRM webhooks, the seed's /functions/v1 names), B learns none of A's names,
 * emails, phones or addresses, cannot tell that A knows the person, and changes nothing of A's.
 */
import { SELF } from 'cloudflare:test'
import { describe, expect, it, vi } from 'vitest'
import { api, BASE, createClient, createOrg, unique, type TestOrg } from './helpers/factories'
import {
  JOBBER_ACCOUNT,
  connectQuickBooks,
  connectJobber,
  JOBBER_GRAPHQL,
  json,
  signedInOwner,
  stubFetch,
} from './helpers/integrations'
import {
  base64Hmac,
  captureQueue,
  connectWithSecret,
  deliver,
  housecallProHeaders,
  serviceTitanSignature,
} from './helpers/webhooks'

type Client = {
  org_client_id: string
  person_id: string
  first_name: string | null
  last_name: string | null
  primary_email: string | null
  primary_phone_e164: string | null
  addresses: Array<{ address1: string }>
}

let line = 3000 + Math.floor(Math.random() * 5000)
const nextLine = () => String(line++).padStart(4, '0')

/** Business A with its client Alice; what B must never see, and a check that A's card is as it was. */
async function victim() {
  const a = await createOrg({ organization_name: 'Alpha Cleaning' })
  const u = unique()
  const secret = { last: `Anders${u}`, email: `alice-${u}@example.com`, line: nextLine(), street: `1 Hidden Lane ${u}` }
  const phone = `+1303555${secret.line}`
  const made = await createClient(a, {
    first_name: 'Alice',
    last_name: secret.last,
    email: secret.email,
    phone: `(303) 555-${secret.line}`,
    address: { address1: secret.street, city: 'Denver', state: 'CO', postal: '80202' },
  })
  const before = await (await api(a, 'GET', `/api/v1/clients/${made.org_client_id}`)).json<Client>()
  return {
    a,
    made,
    phone,
    email: secret.email,
    /** Fails when any of A's values about Alice that B did not type itself (`typed`) appears in text B received. */
    leaks(text: string, typed: Array<'email' | 'phone'> = []) {
      const hidden = [
        secret.last,
        secret.street,
        ...(typed.includes('email') ? [] : [secret.email]),
        ...(typed.includes('phone') ? [] : [secret.line]),
      ]
      for (const value of hidden) expect(text).not.toContain(value)
    },
    async untouched() {
      const now = await (await api(a, 'GET', `/api/v1/clients/${made.org_client_id}`)).json<Client>()
      expect(now).toEqual(before)
      const timeline = await (await api(a, 'GET', `/api/v1/clients/${made.org_client_id}/timeline`)).json<{
        items: Array<{ type: string }>
      }>()
      expect(timeline.items.map((i) => i.type)).not.toContain('contact_changed')
    },
  }
}

/** Everything B can read about its client afterwards: the client, the person, the list, search, the timeline. */
async function everythingBSees(b: TestOrg, client: { org_client_id: string; person_id: string }): Promise<string> {
  const reads = [
    `/api/v1/clients/${client.org_client_id}`,
    `/api/v1/people/${client.person_id}`,
    '/api/v1/clients?limit=200',
    '/api/v1/clients?q=alice',
    `/api/v1/clients/${client.org_client_id}/timeline`,
  ]
  return (await Promise.all(reads.map(async (path) => (await api(b, 'GET', path)).text()))).join('\n')
}

describe('a stranger business using what one client gave another business', () => {
  it('people/upsert: new to B, the same id, and only the id', async () => {
    const v = await victim()
    const b = await createOrg()
    const res = await api(b, 'POST', '/api/v1/people/upsert', { phone: v.phone, first_name: 'Alice' })
    expect(res.status).toBe(201)
    const body = await res.text()
    expect(JSON.parse(body)).toEqual({ person_id: v.made.person_id, is_new: true })
    v.leaks(body)
    // Not a client of B: the person stays unknown to B.
    const person = await api(b, 'GET', `/api/v1/people/${v.made.person_id}`)
    expect(person.status).toBe(404)
    v.leaks(await person.text())
    // An upsert with A's email and another phone rewrites nothing of A's.
    await api(b, 'POST', '/api/v1/people/upsert', {
      email: v.email,
      phone: '(720) 555-0101',
      first_name: 'Mallory',
      last_name: 'Stranger',
    })
    await v.untouched()
  })

  it('gives the same answer whether or not another business knows the person', async () => {
    const v = await victim()
    const b = await createOrg()
    const known = await api(b, 'POST', '/api/v1/people/upsert', { email: v.email })
    const unknown = await api(b, 'POST', '/api/v1/people/upsert', { email: `nobody-${unique()}@example.com` })
    expect([known.status, unknown.status]).toEqual([201, 201])
    expect(Object.keys(await known.json<object>())).toEqual(Object.keys(await unknown.json<object>()))
  })

  it("clients: B's card holds only what B typed, and B's contact change stays on B's card", async () => {
    const v = await victim()
    const b = await createOrg()
    const res = await api(b, 'POST', '/api/v1/clients', { first_name: 'Alice', phone: v.phone })
    expect(res.status).toBe(201)
    const mine = await res.json<{ org_client_id: string; person_id: string; created: boolean }>()
    expect(mine.person_id).toBe(v.made.person_id)
    v.leaks(await everythingBSees(b, mine), ['phone'])
    const card = await (await api(b, 'GET', `/api/v1/clients/${mine.org_client_id}`)).json<Client>()
    expect(card).toMatchObject({
      first_name: 'Alice',
      last_name: null,
      primary_email: null,
      primary_phone_e164: v.phone,
      addresses: [],
    })

    const change = await api(b, 'POST', `/api/v1/people/${mine.person_id}/contact`, {
      email: 'mallory@evil.example',
      first_name: 'Mal',
    })
    expect(change.status).toBe(200)
    expect((await api(b, 'GET', `/api/v1/people/${mine.person_id}`)).json()).resolves.toMatchObject({
      primary_email: 'mallory@evil.example',
      first_name: 'Mal',
    })
    await v.untouched()
  })

  it("jobs with a new client: the booking answer and the job carry only B's words", async () => {
    const v = await victim()
    const b = await createOrg()
    const res = await api(b, 'POST', '/api/v1/jobs', {
      client: { first_name: 'Alice', email: v.email },
      start_at: '2031-05-01T15:00:00Z',
    })
    expect(res.status).toBe(201)
    const text = await res.text()
    v.leaks(text, ['email'])
    const { job } = JSON.parse(text) as { job: { org_client_id: string } }
    const client = await (await api(b, 'GET', `/api/v1/clients/${job.org_client_id}`)).json<Client>()
    expect(client).toMatchObject({ first_name: 'Alice', last_name: null, primary_phone_e164: null, addresses: [] })
    v.leaks(await everythingBSees(b, client), ['email'])
    await v.untouched()
  })

  it('events with a person: the new client holds only what the event said', async () => {
    const v = await victim()
    const b = await createOrg()
    const res = await api(b, 'POST', '/api/v1/events', {
      type: 'client_created',
      person: { phone: v.phone, first_name: 'Alice' },
    })
    expect(res.status).toBe(202)
    const raised = await res.json<{ org_client_id: string }>()
    const client = await (await api(b, 'GET', `/api/v1/clients/${raised.org_client_id}`)).json<Client>()
    expect(client).toMatchObject({ first_name: 'Alice', last_name: null, primary_email: null })
    v.leaks(await everythingBSees(b, client), ['phone'])
    await v.untouched()
  })

  it("CSV import: rows with A's email and phone fill only B's cards", { timeout: 30_000 }, async () => {
    const v = await victim()
    const b = await createOrg()
    const res = await SELF.fetch(`${BASE}/api/v1/clients/import`, {
      method: 'POST',
      headers: { authorization: `Bearer ${b.apiKey}`, 'content-type': 'text/csv' },
      body: `name,email,phone\nAl Ice,${v.email},\nAlice,,${v.phone}\n`,
    })
    expect(res.status).toBe(202)
    const { import_id } = await res.json<{ import_id: string }>()
    await vi.waitFor(
      async () => {
        expect((await (await api(b, 'GET', `/api/v1/imports/${import_id}`)).json<{ status: string }>()).status).toBe(
          'done',
        )
      },
      { timeout: 20_000, interval: 200 },
    )
    const list = await (await api(b, 'GET', '/api/v1/clients?limit=50')).json<{ items: Client[] }>()
    expect(list.items.map((c) => c.first_name).sort()).toEqual(['Al'])
    expect(list.items[0]).toMatchObject({ last_name: 'Ice', primary_email: v.email, primary_phone_e164: v.phone })
    v.leaks(await everythingBSees(b, list.items[0]!), ['email', 'phone'])
    await v.untouched()
  })

  it("Housecall Pro and ServiceTitan webhooks: B's CRM customer becomes B's card only", async () => {
    const v = await victim()
    const b = await createOrg()
    const queue = captureQueue()
    const hcp = await connectWithSecret(b, 'housecallpro', 'hcp-secret-entries')
    const customer = {
      id: `cus_${unique()}`,
      first_name: 'Alice',
      last_name: 'Impostor',
      email: v.email,
      mobile_number: null,
      home_number: null,
      work_number: null,
      company: null,
      updated_at: '2026-03-01T09:00:00Z',
    }
    const hcpBody = JSON.stringify({ event: 'customer.created', customer })
    expect(
      (
        await deliver(
          `/webhooks/housecallpro/${hcp}`,
          hcpBody,
          await housecallProHeaders(hcpBody, 'hcp-secret-entries'),
        )
      ).status,
    ).toBe(200)
    const st = await connectWithSecret(b, 'servicetitan', 'servicetitan-key-entries-0123456789', {
      settings: { tenant_id: '77' },
    })
    const stBody = JSON.stringify({
      eventId: `st-${unique()}`,
      eventType: 'JobCompleted',
      data: {
        id: 4242,
        customer: { id: 99, name: 'Alice Other', type: 'Residential', phone: v.phone },
        start: '2030-03-20T15:00:00Z',
        end: '2030-03-20T17:00:00Z',
        completedOn: '2030-03-20T16:50:00Z',
        total: 100,
        summary: 'Tune-up',
      },
    })
    expect(
      (
        await deliver(`/webhooks/servicetitan/${st}`, stBody, {
          'x-servicetitan-signature': await serviceTitanSignature(stBody, 'servicetitan-key-entries-0123456789'),
        })
      ).status,
    ).toBe(200)
    await queue.drain()
    queue.restore()

    const list = await (await api(b, 'GET', '/api/v1/clients?limit=50')).json<{ items: Client[] }>()
    expect(list.items.length).toBeGreaterThan(0)
    for (const client of list.items) v.leaks(await everythingBSees(b, client), ['email', 'phone'])
    expect(list.items.find((c) => c.primary_email === v.email)).toMatchObject({
      first_name: 'Alice',
      last_name: 'Impostor',
    })
    await v.untouched()
  })

  it("Jobber and QuickBooks webhooks: customers fetched from the CRM become B's cards only", async () => {
    const v = await victim()
    const { org: b, staff, csrf } = await signedInOwner()
    const queue = captureQueue()
    // Jobber: CLIENT_CREATE, the client fetched over GraphQL with Dana's email.
    const jobber = await connectJobber(staff, csrf, b)
    const jobberClient = {
      id: `Z2lkOi8vSm9iYmVyL0NsaWVudC8${unique()}`,
      firstName: 'Alice',
      lastName: 'Jobberson',
      companyName: null,
      isLead: false,
      updatedAt: '2026-03-01T10:00:00Z',
      emails: [{ address: v.email, primary: true }],
      phones: [],
      billingAddress: null,
    }
    const graphql = stubFetch((call) =>
      call.url === JOBBER_GRAPHQL ? json({ data: { client: jobberClient } }) : undefined,
    )
    const jobberBody = JSON.stringify({
      data: {
        webHookEvent: {
          topic: 'CLIENT_CREATE',
          appId: 'app-1',
          accountId: JOBBER_ACCOUNT,
          itemId: jobberClient.id,
          occurredAt: new Date().toISOString(),
        },
      },
    })
    expect(
      (
        await deliver(`/webhooks/jobber/${jobber}`, jobberBody, {
          'x-jobber-hmac-sha256': await base64Hmac(jobberBody, 'jobber_client_secret'),
        })
      ).status,
    ).toBe(200)
    await queue.drain()
    graphql.restore()

    // QuickBooks: a Customer with Dana's phone, fetched over REST.
    const realm = String(8_000_000 + Math.floor(Math.random() * 999_999))
    await connectQuickBooks(staff, csrf, realm, 'Bravo Books')
    const customer = {
      Id: '77',
      SyncToken: '0',
      GivenName: 'Alice',
      FamilyName: 'Bookish',
      DisplayName: 'Alice Bookish',
      CompanyName: null,
      Active: true,
      PrimaryPhone: { FreeFormNumber: v.phone },
      MetaData: { CreateTime: '2026-03-01T10:00:00-08:00', LastUpdatedTime: '2026-03-01T10:00:00-08:00' },
    }
    const rest = stubFetch((call) =>
      call.url.includes(`/${realm}/customer/77`)
        ? json({ Customer: customer, time: '2026-03-02T10:00:00.000-08:00' })
        : undefined,
    )
    const qboBody = JSON.stringify({
      eventNotifications: [
        {
          realmId: realm,
          dataChangeEvent: {
            entities: [{ name: 'Customer', id: '77', operation: 'Create', lastUpdated: '2026-03-01T18:00:00.000Z' }],
          },
        },
      ],
    })
    expect(
      (
        await deliver('/webhooks/quickbooks', qboBody, {
          'intuit-signature': await base64Hmac(qboBody, 'qbo_verifier_token'),
        })
      ).status,
    ).toBe(200)
    await queue.drain()
    rest.restore()
    queue.restore()

    const list = await (await api(b, 'GET', '/api/v1/clients?limit=50')).json<{ items: Client[] }>()
    expect(list.items.map((c) => c.last_name).sort()).toEqual(['Bookish', 'Jobberson'])
    for (const client of list.items) v.leaks(await everythingBSees(b, client), ['email', 'phone'])
    await v.untouched()
  })

  it("the seed's functions: upsert-person, create-job-with-client and propagate-contact-update", async () => {
    const v = await victim()
    const b = await createOrg()
    const fn = (name: string, body: unknown) =>
      SELF.fetch(`${BASE}/functions/v1/${name}`, {
        method: 'POST',
        headers: { apikey: b.apiKey, authorization: `Bearer ${b.apiKey}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      })
    const upserted = await fn('upsert-person', { phone: v.phone })
    v.leaks(await upserted.text(), ['phone'])
    const booked = await fn('create-job-with-client', {
      organization_id: b.organizationId,
      client: { first_name: 'Alice', phone: v.phone },
      start_at: '2031-06-01T15:00:00Z',
    })
    expect(booked.status).toBeLessThan(300)
    v.leaks(await booked.text(), ['phone'])
    const propagated = await fn('propagate-contact-update', {
      person_id: v.made.person_id,
      email: 'mallory@evil.example',
      phone: '(720) 555-0199',
      first_name: 'Mallory',
    })
    expect(propagated.status).toBe(200)
    v.leaks(await propagated.text(), ['phone'])
    await v.untouched()
  })

  it('a contact change for a person B does not hold is 404 and writes nothing', async () => {
    const v = await victim()
    const b = await createOrg()
    const res = await api(b, 'POST', `/api/v1/people/${v.made.person_id}/contact`, { email: 'mallory@evil.example' })
    expect(res.status).toBe(404)
    v.leaks(await res.text())
    await v.untouched()
  })
})
