import { describe, expect, it } from 'vitest'
import { localDate, addDays, zonedTimeToUtc } from '../src/time'
import { api, createClient, createOrg, unique, type TestOrg } from './helpers/factories'

type Invoice = {
  id: string
  number: number
  status: string
  total_cents: number
  paid_cents: number
  balance_cents: number
  due_date: string
  overdue: boolean
}
type Payment = { id: string; status: string; amount_cents: number }
type Reminder = { invoice_id: string | null; send_at: string; type: string }

const TZ = 'America/Chicago'

async function setUp() {
  const org = await createOrg({ timezone: TZ })
  const client = await createClient(org, { first_name: 'Paula', email: `paula-${unique()}@example.com` })
  return { org, client }
}

async function invoice(org: TestOrg, orgClientId: string, totalCents: number, dueDate: string) {
  const res = await api(org, 'POST', '/api/v1/invoices', {
    org_client_id: orgClientId,
    total_cents: totalCents,
    due_date: dueDate,
  })
  expect(res.status).toBe(201)
  return (await res.json<{ invoice: Invoice }>()).invoice
}

const pendingFor = async (org: TestOrg, invoiceId: string) =>
  (
    await (await api(org, 'GET', '/api/v1/reminders?status=pending&limit=500')).json<{ items: Reminder[] }>()
  ).items.filter((r) => r.invoice_id === invoiceId)

const ltv = async (org: TestOrg, id: string) =>
  (await (await api(org, 'GET', `/api/v1/clients/${id}`)).json<{ ltv_cents: number }>()).ltv_cents

describe('POST /api/v1/invoices', () => {
  it('opens an invoice with reminders at 9:00 local time 2 days before and on the due date', async () => {
    const { org, client } = await setUp()
    const due = addDays(localDate(new Date(), TZ), 10)
    const inv = await invoice(org, client.org_client_id, 25000, due)
    expect(inv).toMatchObject({
      status: 'open',
      total_cents: 25000,
      paid_cents: 0,
      balance_cents: 25000,
      due_date: due,
      overdue: false,
    })
    const times = (await pendingFor(org, inv.id)).map((r) => r.send_at).sort()
    expect(times).toEqual([
      zonedTimeToUtc(addDays(due, -2), '09:00', TZ).toISOString(),
      zonedTimeToUtc(due, '09:00', TZ).toISOString(),
    ])
  })

  it('numbers invoices in sequence and marks an open one past due as overdue', async () => {
    const { org, client } = await setUp()
    const a = await invoice(org, client.org_client_id, 100, addDays(localDate(new Date(), TZ), -3))
    const b = await invoice(org, client.org_client_id, 100, addDays(localDate(new Date(), TZ), 3))
    expect(b.number).toBe(a.number + 1)
    expect(a.overdue).toBe(true)
    expect(await pendingFor(org, a.id)).toEqual([])
    const overdue = await (await api(org, 'GET', '/api/v1/invoices?overdue=true')).json<{ items: Invoice[] }>()
    expect(overdue.items.map((i) => i.id)).toEqual([a.id])
  })

  it.each([
    ['a negative total', { total_cents: -5, due_date: '2027-01-01' }, 'total_cents'],
    ['a fractional total', { total_cents: 10.5, due_date: '2027-01-01' }, 'total_cents'],
    ['an impossible date', { total_cents: 5, due_date: '2027-02-30' }, 'due_date'],
  ])('rejects %s with 400', async (_why, body, path) => {
    const { org, client } = await setUp()
    const res = await api(org, 'POST', '/api/v1/invoices', { org_client_id: client.org_client_id, ...body })
    expect(res.status).toBe(400)
    expect(
      (await res.json<{ error: { issues: Array<{ path: string }> } }>()).error.issues.map((i) => i.path),
    ).toContain(path)
    expect((await (await api(org, 'GET', '/api/v1/invoices')).json<{ items: unknown[] }>()).items).toEqual([])
  })

  it("is 404 for another organization's client and invoice", async () => {
    const a = await setUp()
    const b = await setUp()
    expect(
      (
        await api(b.org, 'POST', '/api/v1/invoices', {
          org_client_id: a.client.org_client_id,
          total_cents: 5,
          due_date: '2027-01-01',
        })
      ).status,
    ).toBe(404)
    const inv = await invoice(a.org, a.client.org_client_id, 500, '2027-01-01')
    expect((await api(b.org, 'GET', `/api/v1/invoices/${inv.id}`)).status).toBe(404)
    expect((await api(b.org, 'POST', `/api/v1/invoices/${inv.id}/payments`, { amount_cents: 500 })).status).toBe(404)
    expect((await (await api(a.org, 'GET', `/api/v1/invoices/${inv.id}`)).json<Invoice>()).status).toBe('open')
  })
})

describe('POST /api/v1/invoices/{id}/payments', () => {
  it('marks the invoice paid when payments cover it, drops its reminders and adds to lifetime value', async () => {
    const { org, client } = await setUp()
    const inv = await invoice(org, client.org_client_id, 20000, addDays(localDate(new Date(), TZ), 10))
    const first = await api(org, 'POST', `/api/v1/invoices/${inv.id}/payments`, { amount_cents: 5000 })
    expect(first.status).toBe(201)
    const partial = await first.json<{ payment: Payment; invoice: Invoice }>()
    expect(partial.invoice).toMatchObject({ status: 'open', paid_cents: 5000, balance_cents: 15000 })
    expect(await ltv(org, client.org_client_id)).toBe(5000)

    const rest = await (await api(org, 'POST', `/api/v1/invoices/${inv.id}/payments`, { amount_cents: 15000 })).json<{
      invoice: Invoice
    }>()
    expect(rest.invoice).toMatchObject({ status: 'paid', paid_cents: 20000, balance_cents: 0 })
    expect(await pendingFor(org, inv.id)).toEqual([])
    expect(await ltv(org, client.org_client_id)).toBe(20000)
    const timeline = await (await api(org, 'GET', `/api/v1/clients/${client.org_client_id}/timeline`)).json<{
      items: Array<{ type: string }>
    }>()
    expect(timeline.items.map((i) => i.type)).toEqual(expect.arrayContaining(['invoice_paid', 'payment', 'invoice']))
    expect((await api(org, 'POST', `/api/v1/invoices/${inv.id}/payments`, { amount_cents: 1 })).status).toBe(409)
  })

  it('counts a pending payment only once it succeeds', async () => {
    const { org, client } = await setUp()
    const inv = await invoice(org, client.org_client_id, 8000, '2030-01-01')
    const { payment } = await (
      await api(org, 'POST', `/api/v1/invoices/${inv.id}/payments`, { amount_cents: 8000, status: 'pending' })
    ).json<{ payment: Payment }>()
    expect(await ltv(org, client.org_client_id)).toBe(0)
    const done = await (await api(org, 'PATCH', `/api/v1/payments/${payment.id}`, { status: 'succeeded' })).json<{
      invoice: Invoice
    }>()
    expect(done.invoice.status).toBe('paid')
    expect(await ltv(org, client.org_client_id)).toBe(8000)
  })

  it('takes a refund back from the invoice and the lifetime value, never below zero', async () => {
    const { org, client } = await setUp()
    const inv = await invoice(org, client.org_client_id, 3000, '2030-01-01')
    const { payment } = await (
      await api(org, 'POST', `/api/v1/invoices/${inv.id}/payments`, { amount_cents: 3000 })
    ).json<{ payment: Payment }>()
    const refunded = await (await api(org, 'PATCH', `/api/v1/payments/${payment.id}`, { status: 'refunded' })).json<{
      payment: Payment
      invoice: Invoice
    }>()
    expect(refunded.payment.status).toBe('refunded')
    expect(refunded.invoice).toMatchObject({ status: 'open', paid_cents: 0 })
    expect(await ltv(org, client.org_client_id)).toBe(0)
    expect((await api(org, 'PATCH', `/api/v1/payments/${payment.id}`, { status: 'refunded' })).status).toBe(409)
  })

  it.each([
    ['a negative amount', { amount_cents: -100 }],
    ['a zero amount', { amount_cents: 0 }],
    ['more than the balance', { amount_cents: 10001 }],
    ['an unknown status', { amount_cents: 100, status: 'maybe' }],
  ])('rejects %s with 400 and records nothing', async (_why, body) => {
    const { org, client } = await setUp()
    const inv = await invoice(org, client.org_client_id, 10000, '2030-01-01')
    expect((await api(org, 'POST', `/api/v1/invoices/${inv.id}/payments`, body)).status).toBe(400)
    const found = await (await api(org, 'GET', `/api/v1/invoices/${inv.id}`)).json<Invoice & { payments: Payment[] }>()
    expect(found.payments).toEqual([])
    expect(found.paid_cents).toBe(0)
  })

  it('drops the reminders of a voided invoice and takes no payments on it', async () => {
    const { org, client } = await setUp()
    const inv = await invoice(org, client.org_client_id, 10000, '2030-01-01')
    const voided = await (await api(org, 'PATCH', `/api/v1/invoices/${inv.id}`, { status: 'void' })).json<{
      invoice: Invoice
    }>()
    expect(voided.invoice.status).toBe('void')
    expect(await pendingFor(org, inv.id)).toEqual([])
    expect((await api(org, 'POST', `/api/v1/invoices/${inv.id}/payments`, { amount_cents: 100 })).status).toBe(409)
  })
})

describe('client stats, timeline and the seed RPCs', () => {
  it('adds up clients and lifetime value', async () => {
    const org = await createOrg()
    const a = await createClient(org, { first_name: 'A', email: `a-${unique()}@example.com` })
    await createClient(org, { first_name: 'B', email: `b-${unique()}@example.com`, status: 'lead' })
    await createClient(org, { first_name: 'C', email: `c-${unique()}@example.com`, status: 'inactive' })
    const inv = await invoice(org, a.org_client_id, 9000, '2030-01-01')
    await api(org, 'POST', `/api/v1/invoices/${inv.id}/payments`, { amount_cents: 9000 })
    const expected = {
      total_clients: 3,
      active_clients: 1,
      lead_clients: 1,
      inactive_clients: 1,
      total_ltv_cents: 9000,
      avg_ltv_cents: 3000,
    }
    expect(await (await api(org, 'GET', '/api/v1/stats/clients')).json()).toEqual(expected)
    const rpc = await api(
      org,
      'POST',
      '/rest/v1/rpc/client_stats',
      { p_org_id: org.organizationId },
      { apikey: org.apiKey },
    )
    expect(await rpc.json()).toEqual(expected)
  })

  it('answers client_timeline and search_clients as bare arrays, and hides other organizations', async () => {
    const [org, other] = [await createOrg(), await createOrg()]
    const client = await createClient(org, {
      first_name: 'Timothy',
      email: `tim-${unique()}@example.com`,
      notes: 'Likes mornings',
    })
    await api(org, 'PATCH', `/api/v1/clients/${client.org_client_id}`, { notes: 'Prefers texts', tags: ['vip'] })
    const timeline = await (
      await api(org, 'POST', '/rest/v1/rpc/client_timeline', { p_org_client_id: client.org_client_id })
    ).json<Array<{ type: string; data: { text?: string } }>>()
    expect(Array.isArray(timeline)).toBe(true)
    expect(timeline.filter((i) => i.type === 'note').map((i) => i.data.text)).toEqual([
      'Prefers texts',
      'Likes mornings',
    ])
    const found = await (
      await api(org, 'POST', '/rest/v1/rpc/search_clients', { p_query: 'tim', p_org_id: org.organizationId })
    ).json<Array<{ org_client_id: string; tags: string[] }>>()
    expect(found).toEqual([expect.objectContaining({ org_client_id: client.org_client_id, tags: ['vip'] })])
    expect(
      (await api(other, 'POST', '/rest/v1/rpc/client_timeline', { p_org_client_id: client.org_client_id })).status,
    ).toBe(404)
    expect(
      (await api(other, 'POST', '/rest/v1/rpc/search_clients', { p_query: 'tim', p_org_id: org.organizationId }))
        .status,
    ).toBe(404)
    expect((await api(other, 'POST', '/rest/v1/rpc/client_stats', { p_org_id: org.organizationId })).status).toBe(404)
  })
})

describe('PATCH /api/v1/clients/{id}', () => {
  it('changes status, tags, notes and versioned custom fields', async () => {
    const { org, client } = await setUp()
    const res = await api(org, 'PATCH', `/api/v1/clients/${client.org_client_id}`, {
      status: 'inactive',
      tags: ['a', 'b'],
      notes: 'Moved away',
      settings: { pricing_tier: 'gold', tax_rate: 8.25, custom_fields: { gate: '1234' } },
    })
    expect(res.status).toBe(200)
    const body = await res.json<{
      status: string
      tags: string[]
      notes: Array<{ text: string }>
      settings: Record<string, unknown>
    }>()
    expect(body).toMatchObject({
      status: 'inactive',
      tags: ['a', 'b'],
      settings: { pricing_tier: 'gold', tax_rate: 8.25, custom_fields: { gate: '1234' }, custom_fields_version: 2 },
    })
    expect(body.notes.map((n) => n.text)).toEqual(['Moved away'])
  })

  it("rejects a bad status with 400 and is 404 for another organization's client", async () => {
    const a = await setUp()
    const b = await setUp()
    expect((await api(a.org, 'PATCH', `/api/v1/clients/${a.client.org_client_id}`, { status: 'gold' })).status).toBe(
      400,
    )
    expect(
      (await api(b.org, 'PATCH', `/api/v1/clients/${a.client.org_client_id}`, { status: 'inactive' })).status,
    ).toBe(404)
    expect(
      (await (await api(a.org, 'GET', `/api/v1/clients/${a.client.org_client_id}`)).json<{ status: string }>()).status,
    ).toBe('active')
  })
})
