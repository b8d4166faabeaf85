/**
 * The seed's supabase-js snippets, run with the real @supabase/supabase-js client against the
 * Worker: `functions.invoke` reaches /functions/v1/*, `rpc` reaches /rest/v1/rpc/*.
 */
import { SELF } from 'cloudflare:test'
import { createClient as createSupabaseClient, FunctionsHttpError, type SupabaseClient } from '@supabase/supabase-js'
import { describe, expect, it } from 'vitest'
import { api, BASE, createOrg, unique, type TestOrg } from './helpers/factories'

type SentRequest = { method: string; path: string; headers: Headers }
type Job = {
  id: string
  org_client_id: string
  service_id: string | null
  address_id: string | null
  start_at: string
  end_at: string | null
  status: string
  price_cents: number
  notes: string | null
}
type TimelineItem = { id: string; type: string; created_at: string; data: Record<string, unknown> }
type ClientRow = {
  org_client_id: string
  person_id: string
  first_name: string | null
  last_name: string | null
  primary_email: string | null
  primary_phone_e164: string | null
  status: string
  ltv_cents: number
  tags: string[]
  created_at: string
}

/** A supabase-js client whose every request goes to the Worker under test; `sent` records them. */
function supabaseFor(apiKey: string) {
  const sent: SentRequest[] = []
  const supabase = createSupabaseClient(BASE, apiKey, {
    global: {
      fetch: (input, init) => {
        const request = new Request(input, init)
        sent.push({ method: request.method, path: new URL(request.url).pathname, headers: request.headers })
        return SELF.fetch(request)
      },
    },
    auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
  })
  return { supabase, sent }
}

let nextLine = 6543
/** A phone in the seed's +1 555-987 block, a different one for each booking in this file. */
const phone = () => `+1555987${nextLine++}`

async function createService(org: TestOrg): Promise<string> {
  const res = await api(org, 'POST', '/api/v1/services', {
    name: 'Standard clean',
    duration_minutes: 120,
    price_cents: 12000,
  })
  expect(res.status).toBe(201)
  return (await res.json<{ id: string }>()).id
}

/** The seed's "Creating a Job with New Client" snippet, for a Jane Smith with a fresh email and phone. */
async function bookJane(supabase: SupabaseClient, org: TestOrg, serviceId: string) {
  const email = `jane-${unique()}@example.com`
  const janePhone = phone()
  const { data, error } = await supabase.functions.invoke<{ success: boolean; job: Job }>('create-job-with-client', {
    body: {
      organization_id: org.organizationId,
      client: {
        first_name: 'Jane',
        last_name: 'Smith',
        email,
        phone: janePhone,
        address: { address1: '123 Main St', city: 'San Francisco', state: 'CA', postal: '94102' },
      },
      service_id: serviceId,
      start_at: '2025-02-01T10:00:00Z',
      end_at: '2025-02-01T12:00:00Z',
      price_cents: 15000,
      notes: 'First time client',
    },
  })
  expect(error).toBeNull()
  return { data: data!, email, phone: janePhone }
}

describe('supabase.functions.invoke', () => {
  it('upsert-person answers {person_id, is_new} and finds the same person by phone', async () => {
    const org = await createOrg()
    const { supabase, sent } = supabaseFor(org.apiKey)
    // The seed's snippet; its +1 555-123-4567 cannot exist (no exchange starts with 1), so another 555 number.
    const { data: personData, error } = await supabase.functions.invoke<{ person_id: string; is_new: boolean }>(
      'upsert-person',
      {
        body: { email: 'john@example.com', phone: '+15558675309', first_name: 'John', last_name: 'Doe' },
      },
    )
    expect(error).toBeNull()
    expect(personData).toEqual({ person_id: expect.any(String), is_new: true })

    const again = await supabase.functions.invoke('upsert-person', { body: { phone: '(555) 867-5309' } })
    expect(again.error).toBeNull()
    expect(again.data).toEqual({ person_id: personData!.person_id, is_new: false })

    // What the client really sent: the seed's route, the key twice, and its own headers.
    expect(sent[0]).toMatchObject({ method: 'POST', path: '/functions/v1/upsert-person' })
    expect(sent[0]!.headers.get('authorization')).toBe(`Bearer ${org.apiKey}`)
    expect(sent[0]!.headers.get('apikey')).toBe(org.apiKey)
    expect(sent[0]!.headers.get('x-client-info')).toMatch(/^supabase-js/)
  })

  it('create-job-with-client books a new client with a job and answers {success, job}', async () => {
    const org = await createOrg()
    const serviceId = await createService(org)
    const { supabase } = supabaseFor(org.apiKey)
    const { data } = await bookJane(supabase, org, serviceId)
    expect(data.success).toBe(true)
    expect(data.job).toMatchObject({
      id: expect.any(String),
      org_client_id: expect.any(String),
      service_id: serviceId,
      address_id: expect.any(String),
      start_at: '2025-02-01T10:00:00.000Z',
      end_at: '2025-02-01T12:00:00.000Z',
      status: 'scheduled',
      price_cents: 15000,
      notes: 'First time client',
    })
    const client = await (await api(org, 'GET', `/api/v1/clients/${data.job.org_client_id}`)).json<{
      first_name: string
      addresses: Array<{ id: string; city: string }>
    }>()
    expect(client.first_name).toBe('Jane')
    expect(client.addresses).toEqual([expect.objectContaining({ id: data.job.address_id, city: 'San Francisco' })])
  })

  it('propagate-contact-update changes the shared fields and answers {success, person_id}', async () => {
    const org = await createOrg()
    const { supabase } = supabaseFor(org.apiKey)
    const { data: booked } = await bookJane(supabase, org, await createService(org))
    const client = await (await api(org, 'GET', `/api/v1/clients/${booked.job.org_client_id}`)).json<ClientRow>()
    const newEmail = `jane.smith-${unique()}@example.com`

    const { data, error } = await supabase.functions.invoke('propagate-contact-update', {
      body: { person_id: client.person_id, last_name: 'Smith-Jones', email: newEmail },
    })
    expect(error).toBeNull()
    expect(data).toEqual({ success: true, person_id: client.person_id })
    const after = await (await api(org, 'GET', `/api/v1/clients/${client.org_client_id}`)).json<ClientRow>()
    expect(after).toMatchObject({ last_name: 'Smith-Jones', primary_email: newEmail })
  })

  it('reports a wrong key as an error with status 401', async () => {
    const { supabase } = supabaseFor('hb_not_a_real_key')
    const { data, error } = await supabase.functions.invoke('upsert-person', {
      body: { email: `x-${unique()}@example.com` },
    })
    expect(data).toBeNull()
    expect(error).toBeInstanceOf(FunctionsHttpError)
    const response = (error as FunctionsHttpError).context as Response
    expect(response.status).toBe(401)
    expect(await response.json()).toMatchObject({ error: { code: 'unauthorized' } })
  })

  it("refuses create-job-with-client for another organization's id with 404", async () => {
    const [org, other] = [await createOrg(), await createOrg()]
    const { supabase } = supabaseFor(org.apiKey)
    const { error } = await supabase.functions.invoke('create-job-with-client', {
      body: { organization_id: other.organizationId, client: { first_name: 'Jane' }, start_at: '2025-02-01T10:00:00Z' },
    })
    expect(error).toBeInstanceOf(FunctionsHttpError)
    expect(((error as FunctionsHttpError).context as Response).status).toBe(404)
  })
})

describe('supabase.rpc', () => {
  it('client_timeline answers a bare array of {id, type, created_at, data}, newest first', async () => {
    const org = await createOrg()
    const { supabase, sent } = supabaseFor(org.apiKey)
    const { data: booked } = await bookJane(supabase, org, await createService(org))
    const orgClientId = booked.job.org_client_id

    const { data: timeline, error } = await supabase.rpc('client_timeline', { p_org_client_id: orgClientId })
    expect(error).toBeNull()
    expect(Array.isArray(timeline)).toBe(true)
    const items = timeline as TimelineItem[]
    expect(items.map((e) => e.type).sort()).toEqual(['client_created', 'job'])
    const job = items.find((e) => e.type === 'job')!
    expect(job).toMatchObject({
      id: booked.job.id,
      created_at: expect.any(String),
      data: { price_cents: 15000, notes: 'First time client' },
    })
    const times = items.map((e) => e.created_at)
    expect(times).toEqual([...times].sort().reverse())
    expect(sent.at(-1)).toMatchObject({ method: 'POST', path: '/rest/v1/rpc/client_timeline' })
  })

  it('client_stats answers the counts and lifetime value as one object', async () => {
    const org = await createOrg()
    const { supabase } = supabaseFor(org.apiKey)
    const serviceId = await createService(org)
    await bookJane(supabase, org, serviceId)
    await bookJane(supabase, org, serviceId)
    const lead = await api(org, 'POST', '/api/v1/clients', {
      first_name: 'Lee',
      email: `lee-${unique()}@example.com`,
      status: 'lead',
    })
    expect(lead.status).toBe(201)

    const { data, error } = await supabase.rpc('client_stats', { p_org_id: org.organizationId })
    expect(error).toBeNull()
    expect(data).toEqual({
      total_clients: 3,
      active_clients: 2,
      lead_clients: 1,
      inactive_clients: 0,
      total_ltv_cents: 0,
      avg_ltv_cents: 0,
    })
  })

  it("search_clients answers a bare array of client rows matching 'jan'", async () => {
    const org = await createOrg()
    const { supabase } = supabaseFor(org.apiKey)
    const { data: booked, email, phone: janePhone } = await bookJane(supabase, org, await createService(org))
    await api(org, 'POST', '/api/v1/clients', {
      first_name: 'Bob',
      last_name: 'Stone',
      email: `bob-${unique()}@example.com`,
    })

    const { data: clients, error } = await supabase.rpc('search_clients', {
      p_query: 'jan',
      p_org_id: org.organizationId,
    })
    expect(error).toBeNull()
    expect(clients).toEqual([
      {
        org_client_id: booked.job.org_client_id,
        person_id: expect.any(String),
        first_name: 'Jane',
        last_name: 'Smith',
        primary_email: email,
        primary_phone_e164: janePhone,
        status: 'active',
        ltv_cents: 0,
        tags: [],
        created_at: expect.any(String),
      } satisfies ClientRow,
    ])
  })

  it("answers 404 for another organization's p_org_id and for another organization's client", async () => {
    const [org, other] = [await createOrg(), await createOrg()]
    const mine = supabaseFor(org.apiKey).supabase
    const { data: booked } = await bookJane(supabaseFor(other.apiKey).supabase, other, await createService(other))

    for (const call of [
      mine.rpc('client_stats', { p_org_id: other.organizationId }),
      mine.rpc('search_clients', { p_query: 'jan', p_org_id: other.organizationId }),
      mine.rpc('client_timeline', { p_org_client_id: booked.job.org_client_id }),
    ]) {
      const { data, error, status } = await call
      expect(data).toBeNull()
      expect(status).toBe(404)
      expect(error).not.toBeNull()
    }
  })

  it('reports a wrong key as an error with status 401', async () => {
    const org = await createOrg()
    const { supabase } = supabaseFor('hb_not_a_real_key')
    const { data, error, status } = await supabase.rpc('client_stats', { p_org_id: org.organizationId })
    expect(data).toBeNull()
    expect(error).not.toBeNull()
    expect(status).toBe(401)
  })
})
