import { env } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import { api, createClient, createOrg, unique } from './helpers/factories'

type Row = {
  org_client_id: string
  person_id: string
  first_name: string
  status: string
  tags: string[]
  ltv_cents: number
  created_at: string
}

describe('POST /api/v1/clients', () => {
  it('creates the person, the client and its property, and answers 201', async () => {
    const org = await createOrg()
    const email = `new-${unique()}@example.com`
    const res = await api(org, 'POST', '/api/v1/clients', {
      first_name: 'Jane',
      last_name: 'Smith',
      email,
      phone: '(415) 555-0198',
      status: 'lead',
      tags: ['vip', ' vip ', 'weekly'],
      notes: 'Gate code 1234',
      address: { address1: '123 Main St', city: 'San Francisco', state: 'CA', postal: '94102' },
      source: 'manual',
      external_id: 'ext-1',
    })
    expect(res.status).toBe(201)
    const created = await res.json<{ org_client_id: string; person_id: string; created: boolean }>()
    expect(created.created).toBe(true)

    const client = await (await api(org, 'GET', `/api/v1/clients/${created.org_client_id}`)).json<
      Record<string, unknown>
    >()
    expect(client).toMatchObject({
      org_client_id: created.org_client_id,
      person_id: created.person_id,
      first_name: 'Jane',
      last_name: 'Smith',
      primary_email: email,
      primary_phone_e164: '+14155550198',
      status: 'lead',
      ltv_cents: 0,
      tags: ['vip', 'weekly'],
      addresses: [{ address1: '123 Main St', city: 'San Francisco', state: 'CA', postal: '94102', country: 'US' }],
      notes: [{ text: 'Gate code 1234' }],
      settings: { pricing_tier: null, tax_rate: null, custom_fields: {} },
      consents: { email_opt_in: true, sms_opt_in: true },
    })
    expect(client['default_address_id']).toBe((client['addresses'] as Array<{ id: string }>)[0]!.id)
  })

  it('answers 200 with the existing client and created:false for the same person', async () => {
    const org = await createOrg()
    const email = `again-${unique()}@example.com`
    const first = await createClient(org, { first_name: 'Al', email })
    const res = await api(org, 'POST', '/api/v1/clients', { first_name: 'Albert', email: email.toUpperCase() })
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ org_client_id: first.org_client_id, person_id: first.person_id, created: false })
  })

  it('gives a found person a phone that nobody had yet', async () => {
    const org = await createOrg()
    const email = `enrich-${unique()}@example.com`
    const first = await createClient(org, { first_name: 'Eve', email })
    await createClient(org, { first_name: 'Eve', email, phone: '(303) 555-0177' })
    const client = await (await api(org, 'GET', `/api/v1/clients/${first.org_client_id}`)).json<{
      primary_phone_e164: string
    }>()
    expect(client.primary_phone_e164).toBe('+13035550177')
  })

  it.each([
    ['an unknown status', { first_name: 'X', status: 'vip' }, 'status'],
    ['a bad phone', { first_name: 'X', phone: 'abc' }, 'phone'],
    ['no first name', { email: 'x@example.com' }, 'first_name'],
    [
      'an address without a city',
      { first_name: 'X', address: { address1: '1 A St', state: 'CA', postal: '9' } },
      'address.city',
    ],
  ])('rejects %s with 400 and creates nothing', async (_why, body, path) => {
    const org = await createOrg()
    const res = await api(org, 'POST', '/api/v1/clients', body)
    expect(res.status).toBe(400)
    const error = await res.json<{ error: { issues: Array<{ path: string }> } }>()
    expect(error.error.issues.map((i) => i.path)).toContain(path)
    const list = await (await api(org, 'GET', '/api/v1/clients')).json<{ items: Row[] }>()
    expect(list.items).toHaveLength(0)
  })
})

describe('GET /api/v1/clients', () => {
  it('lists newest first, filters by status and tag, and pages with a cursor', async () => {
    const org = await createOrg()
    for (let i = 0; i < 5; i++) {
      await createClient(org, {
        first_name: `C${i}`,
        email: `c${i}-${unique()}@example.com`,
        status: i % 2 ? 'lead' : 'active',
        tags: i < 2 ? ['spring'] : [],
      })
    }
    const all = await (await api(org, 'GET', '/api/v1/clients')).json<{ items: Row[]; next_cursor: string | null }>()
    expect(all.items.map((r) => r.first_name)).toEqual(['C4', 'C3', 'C2', 'C1', 'C0'])
    expect(all.next_cursor).toBeNull()

    const leads = await (await api(org, 'GET', '/api/v1/clients?status=lead')).json<{ items: Row[] }>()
    expect(leads.items.map((r) => r.first_name)).toEqual(['C3', 'C1'])
    const spring = await (await api(org, 'GET', '/api/v1/clients?tag=spring')).json<{ items: Row[] }>()
    expect(spring.items.map((r) => r.first_name)).toEqual(['C1', 'C0'])

    const page1 = await (await api(org, 'GET', '/api/v1/clients?limit=2')).json<{ items: Row[]; next_cursor: string }>()
    const page2 = await (await api(org, 'GET', `/api/v1/clients?limit=2&cursor=${page1.next_cursor}`)).json<{
      items: Row[]
      next_cursor: string
    }>()
    const page3 = await (await api(org, 'GET', `/api/v1/clients?limit=2&cursor=${page2.next_cursor}`)).json<{
      items: Row[]
      next_cursor: string | null
    }>()
    expect([...page1.items, ...page2.items, ...page3.items].map((r) => r.first_name)).toEqual([
      'C4',
      'C3',
      'C2',
      'C1',
      'C0',
    ])
    expect(page3.next_cursor).toBeNull()
  })

  it('rejects an unknown status filter with 400', async () => {
    const org = await createOrg()
    expect((await api(org, 'GET', '/api/v1/clients?status=gold')).status).toBe(400)
  })
})

describe('isolation between organizations', () => {
  it("gives organization B 404 for A's client and A's person on every route", async () => {
    const [a, b] = [await createOrg(), await createOrg()]
    const mine = await createClient(a, { first_name: 'Private', email: `private-${unique()}@example.com` })
    const attempts = [
      api(b, 'GET', `/api/v1/clients/${mine.org_client_id}`),
      api(b, 'GET', `/api/v1/people/${mine.person_id}`),
      api(b, 'POST', `/api/v1/people/${mine.person_id}/contact`, { first_name: 'Hacked' }),
      api(b, 'POST', '/functions/v1/propagate-contact-update', { person_id: mine.person_id, first_name: 'Hacked' }),
    ]
    for (const res of await Promise.all(attempts)) {
      expect(res.status).toBe(404)
      expect((await res.json<{ error: { code: string } }>()).error.code).toBe('not_found')
    }
    const list = await (await api(b, 'GET', '/api/v1/clients')).json<{ items: Row[] }>()
    expect(list.items).toHaveLength(0)
    const person = await env.PEOPLE.prepare('select first_name from people where id = ?')
      .bind(mine.person_id)
      .first<{ first_name: string }>()
    expect(person?.first_name).toBe('Private')
  })
})
