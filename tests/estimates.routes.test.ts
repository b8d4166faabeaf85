/**
 * /api/v1/estimates: drafts numbered from 1001 with lines and tax as invoices (the client's rate,
 * else the business's default), valid 30 days unless told, listed and filtered, changed while a
 * draft or sent, deleted while a draft; another business's ids are simply not found.
 */
import { describe, expect, it } from 'vitest'
import { localDate } from '../src/time'
import { api, createClient, createOrg, type TestOrg } from './helpers/factories'
import { orgWithClient } from './helpers/messaging'

type Line = { id: string; description: string; quantity: number; unit_price_cents: number; taxable: boolean }
type Estimate = {
  id: string
  number: number
  status: string
  org_client_id: string | null
  lead_id: string | null
  name: string
  subtotal_cents: number
  tax_cents: number
  tax_rate: number
  total_cents: number
  valid_until: string
  notes: string | null
  link: string | null
  line_items: Line[]
}

const LINES = [
  { description: 'Roof inspection', unit_price_cents: 15_000 },
  { description: 'Gutter guard (per ft)', quantity: 2.5, unit_price_cents: 1_999 },
  { description: 'Disposal', quantity: 1, unit_price_cents: 2_500, taxable: false },
]

async function create(org: TestOrg, body: Record<string, unknown>) {
  const res = await api(org, 'POST', '/api/v1/estimates', body)
  expect(res.status, await res.clone().text()).toBe(201)
  return (await res.json<{ estimate: Estimate }>()).estimate
}

const get = async (org: TestOrg, id: string) => (await api(org, 'GET', `/api/v1/estimates/${id}`)).json<Estimate>()

describe('POST /api/v1/estimates', () => {
  it("makes a numbered draft whose tax is the client's rate on the taxable lines, rounded once", async () => {
    const { org, client } = await orgWithClient()
    await api(org, 'PATCH', '/api/v1/organization', { default_tax_rate: 5 })
    await api(org, 'PATCH', `/api/v1/clients/${client.org_client_id}`, { settings: { tax_rate: 8.875 } })
    const first = await create(org, { org_client_id: client.org_client_id, line_items: LINES, notes: 'Ladder access' })
    // 150.00 + 2.5 × 19.99 = 49.975 + 25.00 → 224.975 → $224.98; tax 8.875 % of 199.975 = 17.7478 → $17.75.
    expect(first).toMatchObject({
      number: 1001,
      status: 'draft',
      org_client_id: client.org_client_id,
      lead_id: null,
      name: 'Casey',
      subtotal_cents: 22_498,
      tax_cents: 1_775,
      tax_rate: 8.875,
      total_cents: 24_273,
      notes: 'Ladder access',
      link: null,
    })
    expect(first.line_items.map((l) => [l.description, l.quantity, l.taxable])).toEqual([
      ['Roof inspection', 1, true],
      ['Gutter guard (per ft)', 2.5, true],
      ['Disposal', 1, false],
    ])
    const second = await create(org, { org_client_id: client.org_client_id, line_items: [LINES[0]] })
    expect(second.number).toBe(1002)

    // Another business counts from 1001 too, at its default rate for a client without one.
    const other = await createOrg()
    await api(other, 'PATCH', '/api/v1/organization', { default_tax_rate: 10 })
    const theirs = await createClient(other, { first_name: 'Dana', email: 'dana@example.com' })
    const estimate = await create(other, { org_client_id: theirs.org_client_id, line_items: [LINES[0]] })
    expect(estimate).toMatchObject({ number: 1001, subtotal_cents: 15_000, tax_cents: 1_500, total_cents: 16_500 })
  })

  it('stands 30 days from today in the business’s zone unless told, and takes a later day', async () => {
    const { org, client } = await orgWithClient()
    const today = localDate(new Date(), 'America/Los_Angeles')
    const thirty = new Date(Date.parse(`${today}T12:00:00Z`) + 30 * 86_400_000).toISOString().slice(0, 10)
    expect((await create(org, { org_client_id: client.org_client_id, line_items: LINES })).valid_until).toBe(thirty)
    const later = await create(org, {
      org_client_id: client.org_client_id,
      line_items: LINES,
      valid_until: '2031-06-30',
    })
    expect(later.valid_until).toBe('2031-06-30')
  })

  it('refuses what is not an estimate: no lines, no subject or both, an impossible or past date', async () => {
    const { org, client } = await orgWithClient()
    const bad = async (body: Record<string, unknown>, path: string) => {
      const res = await api(org, 'POST', '/api/v1/estimates', body)
      expect(res.status).toBe(400)
      const { error } = await res.json<{ error: { issues: Array<{ path: string }> } }>()
      expect(error.issues.map((i) => i.path)).toContain(path)
    }
    const c = client.org_client_id
    await bad({ org_client_id: c, line_items: [] }, 'line_items')
    await bad({ line_items: LINES }, 'org_client_id')
    await bad({ org_client_id: c, lead_id: 'x', line_items: LINES }, 'org_client_id')
    await bad({ org_client_id: c, line_items: LINES, valid_until: '2031-02-30' }, 'valid_until')
    await bad({ org_client_id: c, line_items: LINES, valid_until: '2020-01-01' }, 'valid_until')
    await bad({ org_client_id: c, line_items: [{ description: '', unit_price_cents: 1 }] }, 'line_items.0.description')
    await bad(
      { org_client_id: c, line_items: [{ description: 'x', unit_price_cents: -1 }] },
      'line_items.0.unit_price_cents',
    )
  })

  it("finds no other business's client, lead, service or account (404), and nothing is written", async () => {
    const { org, client } = await orgWithClient()
    const stranger = await orgWithClient()
    const { id: serviceId } = await (
      await api(stranger.org, 'POST', '/api/v1/services', { name: 'Their service', price_cents: 100 })
    ).json<{ id: string }>()
    for (const body of [
      { org_client_id: stranger.client.org_client_id, line_items: LINES },
      { lead_id: crypto.randomUUID(), line_items: LINES },
      { org_client_id: client.org_client_id, line_items: [{ ...LINES[0], service_id: serviceId }] },
      { org_client_id: client.org_client_id, line_items: LINES, account_id: crypto.randomUUID() },
    ]) {
      const res = await api(org, 'POST', '/api/v1/estimates', body)
      expect(res.status).toBe(404)
    }
    const list = await (await api(org, 'GET', '/api/v1/estimates')).json<{ items: Estimate[] }>()
    expect(list.items).toEqual([])
  })
})

describe('GET, PATCH and DELETE /api/v1/estimates', () => {
  it('lists newest first, filtered by status and client', async () => {
    const { org, client } = await orgWithClient()
    const other = await createClient(org, { first_name: 'Robin', email: 'robin@example.com' })
    const a = await create(org, { org_client_id: client.org_client_id, line_items: LINES })
    const b = await create(org, { org_client_id: other.org_client_id, line_items: LINES })
    const list = async (q: string) =>
      (await (await api(org, 'GET', `/api/v1/estimates${q}`)).json<{ items: Estimate[] }>()).items.map((e) => e.id)
    expect(await list('')).toEqual([b.id, a.id])
    expect(await list(`?org_client_id=${client.org_client_id}`)).toEqual([a.id])
    expect(await list('?status=draft')).toHaveLength(2)
    expect(await list('?status=approved')).toEqual([])
    expect((await api(org, 'GET', '/api/v1/estimates?status=maybe')).status).toBe(400)
  })

  it('changes the lines of a draft (totals follow at its own rate) and its date and notes', async () => {
    const { org, client } = await orgWithClient()
    await api(org, 'PATCH', '/api/v1/organization', { default_tax_rate: 10 })
    const made = await create(org, { org_client_id: client.org_client_id, line_items: LINES })
    // The business's rate changes after: the estimate keeps the one it was made at.
    await api(org, 'PATCH', '/api/v1/organization', { default_tax_rate: 20 })
    const res = await api(org, 'PATCH', `/api/v1/estimates/${made.id}`, {
      line_items: [{ description: 'Full re-roof', unit_price_cents: 1_200_000 }],
      valid_until: '2031-12-31',
      notes: 'Includes permit',
    })
    expect(res.status).toBe(200)
    const { estimate } = await res.json<{ estimate: Estimate }>()
    expect(estimate).toMatchObject({
      subtotal_cents: 1_200_000,
      tax_cents: 120_000,
      total_cents: 1_320_000,
      valid_until: '2031-12-31',
      notes: 'Includes permit',
    })
    expect((await get(org, made.id)).line_items.map((l) => l.description)).toEqual(['Full re-roof'])
  })

  it('deletes a draft, and another business can neither read, change, delete, send nor book it', async () => {
    const { org, client } = await orgWithClient()
    const made = await create(org, { org_client_id: client.org_client_id, line_items: LINES })
    const stranger = await createOrg()
    for (const [method, path, body] of [
      ['GET', `/api/v1/estimates/${made.id}`, undefined],
      ['PATCH', `/api/v1/estimates/${made.id}`, { notes: 'mine now' }],
      ['DELETE', `/api/v1/estimates/${made.id}`, undefined],
      ['POST', `/api/v1/estimates/${made.id}/send`, {}],
      ['POST', `/api/v1/estimates/${made.id}/job`, { start_at: '2031-05-01T16:00:00Z' }],
    ] as const) {
      const res = await api(stranger, method, path, body)
      expect(res.status, `${method} ${path}`).toBe(404)
    }
    expect((await get(org, made.id)).notes).toBeNull()
    expect((await api(org, 'DELETE', `/api/v1/estimates/${made.id}`)).status).toBe(200)
    expect((await api(org, 'GET', `/api/v1/estimates/${made.id}`)).status).toBe(404)
  })
})
