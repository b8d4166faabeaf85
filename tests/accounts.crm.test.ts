/**
 * CRM customers with a company: the company becomes an account (found by the CRM's company id,
 * else by name), the client becomes its contact with its own first name, and a second or replayed
 * webhook makes nothing more. Provider APIs are stubbed at the fetch boundary.
 */
import { describe, expect, it } from 'vitest'
import { api, createOrg, type TestOrg, unique } from './helpers/factories'
import {
  JOBBER_ACCOUNT,
  connectJobber,
  JOBBER_GRAPHQL,
  json,
  signedInOwner,
  stubFetch,
  type Route,
} from './helpers/integrations'
import {
  base64Hmac,
  captureQueue,
  connectWithSecret,
  deliver,
  housecallProHeaders,
  serviceTitanSignature,
} from './helpers/webhooks'

type Client = { org_client_id: string; first_name: string | null; last_name: string | null; account_id: string | null }
type Account = {
  id: string
  name: string
  external_id: string | null
  contacts: Array<{ first_name: string; org_client_id?: string; is_primary: boolean }>
}

let line = 7000 + Math.floor(Math.random() * 2000)
const nextPhone = () => `(415) 555-${String(line++).padStart(4, '0')}`

const accountsOf = async (org: TestOrg) =>
  (await (await api(org, 'GET', '/api/v1/accounts')).json<{ items: Array<{ id: string; name: string }> }>()).items
const accountOf = async (org: TestOrg, id: string) => (await api(org, 'GET', `/api/v1/accounts/${id}`)).json<Account>()
const clientsOf = async (org: TestOrg) => {
  const list = await (await api(org, 'GET', '/api/v1/clients?limit=50')).json<{
    items: Array<{ org_client_id: string }>
  }>()
  return Promise.all(
    list.items.map(async (c) => (await api(org, 'GET', `/api/v1/clients/${c.org_client_id}`)).json<Client>()),
  )
}

describe('Jobber clients with a company name', () => {
  const jobberClient = (id: string, firstName: string, companyName: string | null) => ({
    id,
    firstName,
    lastName: 'Ortiz',
    companyName,
    isLead: false,
    updatedAt: '2026-03-01T10:00:00Z',
    emails: [{ address: `${firstName.toLowerCase()}-${unique()}@example.com`, primary: true }],
    phones: [{ number: nextPhone(), primary: true }],
    billingAddress: null,
  })
  const graphql =
    (items: Record<string, unknown>): Route =>
    (call) => {
      if (call.url !== JOBBER_GRAPHQL) return undefined
      const { variables } = JSON.parse(call.body) as { variables: { id: string } }
      return json({ data: { client: items[variables.id] ?? null } })
    }
  async function send(id: string, itemId: string, occurredAt = new Date().toISOString()) {
    const body = JSON.stringify({
      data: { webHookEvent: { topic: 'CLIENT_CREATE', appId: 'app-1', accountId: JOBBER_ACCOUNT, itemId, occurredAt } },
    })
    const res = await deliver(`/webhooks/jobber/${id}`, body, {
      'x-jobber-hmac-sha256': await base64Hmac(body, 'jobber_client_secret'),
    })
    expect(res.status).toBe(200)
  }

  it('makes one account across two webhooks and a replay, each client its contact with its own first name', async () => {
    const { org, staff, csrf } = await signedInOwner()
    const id = await connectJobber(staff, csrf, org)
    const queue = captureQueue()
    const first = jobberClient('client-a', 'Rosa', 'Harbor Point HOA')
    const second = jobberClient('client-b', 'Ken', 'harbor point hoa ')
    const http = stubFetch(graphql({ [first.id]: first, [second.id]: second }))
    await send(id, first.id, '2026-03-01T10:00:01Z')
    await queue.drain()
    await send(id, second.id, '2026-03-01T10:00:02Z')
    await queue.drain()
    // Delivered again, and once more later as a new delivery of the same client.
    await send(id, first.id, '2026-03-01T10:00:01Z')
    await send(id, first.id, '2026-03-01T11:00:00Z')
    await queue.drain()
    http.restore()
    queue.restore()

    const accounts = await accountsOf(org)
    expect(accounts.map((a) => a.name)).toEqual(['Harbor Point HOA'])
    const account = await accountOf(org, accounts[0]!.id)
    expect(account.external_id).toBeNull()
    const clients = await clientsOf(org)
    expect(clients.map((c) => [c.first_name, c.last_name, c.account_id]).sort()).toEqual([
      ['Ken', 'Ortiz', account.id],
      ['Rosa', 'Ortiz', account.id],
    ])
    expect(account.contacts.map((c) => [c.first_name, c.is_primary])).toEqual([
      ['Rosa', true],
      ['Ken', false],
    ])
  })
})

describe('Housecall Pro customers with a company', () => {
  const SECRET = 'hcp-accounts-secret-1'
  async function send(id: string, payload: unknown) {
    const body = JSON.stringify(payload)
    const res = await deliver(`/webhooks/housecallpro/${id}`, body, await housecallProHeaders(body, SECRET))
    expect(res.status).toBe(200)
  }

  it('links the customer to the account once, whether it comes alone or with a job, and keeps its first name', async () => {
    const org = await createOrg()
    const id = await connectWithSecret(org, 'housecallpro', SECRET)
    const queue = captureQueue()
    const customer = {
      id: `cus_${unique()}`,
      first_name: 'Lena',
      last_name: 'Park',
      email: `lena-${unique()}@example.com`,
      mobile_number: nextPhone(),
      company: 'Cedar Offices LLC',
      updated_at: '2026-03-01T09:00:00Z',
    }
    await send(id, { event: 'customer.created', customer })
    await send(id, {
      event: 'job.created',
      job: {
        id: `job_${unique()}`,
        work_status: 'scheduled',
        customer,
        schedule: { scheduled_start: '2030-03-10T16:00:00Z', scheduled_end: '2030-03-10T18:00:00Z' },
        work_timestamps: {},
        total_amount: 18000,
        updated_at: '2030-03-01T09:00:00Z',
      },
    })
    await queue.drain()
    queue.restore()

    const accounts = await accountsOf(org)
    expect(accounts.map((a) => a.name)).toEqual(['Cedar Offices LLC'])
    const [client] = await clientsOf(org)
    expect(client).toMatchObject({ first_name: 'Lena', last_name: 'Park', account_id: accounts[0]!.id })
    expect((await accountOf(org, accounts[0]!.id)).contacts).toHaveLength(1)
  })
})

describe('ServiceTitan commercial customers', () => {
  const KEY = 'servicetitan-accounts-key-0123456789ab'
  async function send(id: string, payload: unknown) {
    const body = JSON.stringify(payload)
    const res = await deliver(`/webhooks/servicetitan/${id}`, body, {
      'x-servicetitan-signature': await serviceTitanSignature(body, KEY),
    })
    expect(res.status).toBe(200)
  }
  const completed = (jobId: number, customer: unknown) => ({
    eventId: `st-${unique()}`,
    eventType: 'JobCompleted',
    data: {
      id: jobId,
      customer,
      start: '2030-03-20T15:00:00Z',
      end: '2030-03-20T17:00:00Z',
      completedOn: '2030-03-20T16:50:00Z',
      total: 320,
      summary: 'Rooftop unit service',
    },
  })

  it("takes the company's name as the account (adopting one staff typed in), never as a person's name", async () => {
    const org = await createOrg()
    const typed = (
      await (await api(org, 'POST', '/api/v1/accounts', { name: 'Acme Offices' })).json<{ account_id: string }>()
    ).account_id
    const id = await connectWithSecret(org, 'servicetitan', KEY, { settings: { tenant_id: '4455' } })
    const queue = captureQueue()
    const http = stubFetch()
    const customer = { id: 501, name: 'Acme Offices', type: 'Commercial', email: `ap-${unique()}@acme.test` }
    await send(id, completed(9101, customer))
    await send(id, completed(9102, customer))
    await queue.drain()
    expect(http.calls).toEqual([])
    http.restore()
    queue.restore()

    expect((await accountsOf(org)).map((a) => a.id)).toEqual([typed])
    const account = await accountOf(org, typed)
    expect(account.external_id).toBe('servicetitan:501')
    const [client] = await clientsOf(org)
    expect(client).toMatchObject({ first_name: null, last_name: null, account_id: typed })
    expect(account.contacts.map((c) => c.org_client_id)).toEqual([client!.org_client_id])
    const jobs = await (await api(org, 'GET', `/api/v1/accounts/${typed}`)).json<{ jobs_count: number }>()
    expect(jobs.jobs_count).toBe(2)
  })
})
