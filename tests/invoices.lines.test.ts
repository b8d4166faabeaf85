/**
 * Invoices with line items: subtotal, tax at the client's rate else the business's default
 * (rounded half up once per invoice), total; a job's lines copied; editing lines; old invoices
 * made from a total alone; another business's ids.
 */
import { describe, expect, it } from 'vitest'
import { invoiceMoney } from '../durable-objects/org/crm/invoice-lines'
import { api, createClient, createOrg, type TestOrg, unique } from './helpers/factories'

type Line = {
  id: string
  description: string
  quantity: number
  unit_price_cents: number
  service_id: string | null
  taxable: boolean
}
type Invoice = {
  id: string
  status: string
  subtotal_cents: number | null
  tax_cents: number
  tax_rate: number | null
  total_cents: number
  paid_cents: number
  balance_cents: number
  line_items: Line[]
}
type Issue = { path: string; message: string }

/** A business (its default tax rate as given) with one client. */
async function business(defaultRate?: number) {
  const org = await createOrg()
  if (defaultRate !== undefined)
    expect((await api(org, 'PATCH', '/api/v1/organization', { default_tax_rate: defaultRate })).status).toBe(200)
  const client = await createClient(org, { first_name: 'Tess', email: `tess-${unique()}@example.com` })
  return { org, clientId: client.org_client_id }
}

const create = (org: TestOrg, body: Record<string, unknown>) =>
  api(org, 'POST', '/api/v1/invoices', { due_date: '2031-04-01', ...body })

async function created(org: TestOrg, body: Record<string, unknown>): Promise<Invoice> {
  const res = await create(org, body)
  expect(res.status).toBe(201)
  return (await res.json<{ invoice: Invoice }>()).invoice
}

const invoiceOf = async (org: TestOrg, id: string) => (await api(org, 'GET', `/api/v1/invoices/${id}`)).json<Invoice>()

describe('invoice money', () => {
  it('rounds the subtotal and the tax half up once per invoice, never per line', () => {
    const lines = [
      { quantity: 1, unit_price_cents: 200 },
      { quantity: 1, unit_price_cents: 200 },
      // 1.5 × 333 = 499.5 and 0.5 × 1 = 0.5: per line 500 + 1, once 500.
      { quantity: 1.5, unit_price_cents: 333, taxable: false },
      { quantity: 0.5, unit_price_cents: 1, taxable: false },
    ]
    // Tax on 400 at 10.25 % is 41 (20.5 + 20.5 rounded per line would be 42).
    expect(invoiceMoney(lines, 10.25)).toEqual({ subtotal_cents: 900, tax_cents: 41, total_cents: 941 })
    expect(invoiceMoney([{ quantity: 1, unit_price_cents: 200 }], 10.25).tax_cents).toBe(21)
    expect(invoiceMoney([{ quantity: 1, unit_price_cents: 1000 }], 8.875).tax_cents).toBe(89)
    expect(invoiceMoney([{ quantity: 3, unit_price_cents: 999 }], 0)).toEqual({
      subtotal_cents: 2997,
      tax_cents: 0,
      total_cents: 2997,
    })
  })
})

describe('POST /api/v1/invoices with line_items', () => {
  it("totals the lines with tax at the business's default rate, taxable lines only", async () => {
    const { org, clientId } = await business(10.25)
    const invoice = await created(org, {
      org_client_id: clientId,
      line_items: [
        { description: 'Deep clean', quantity: 1, unit_price_cents: 200 },
        { description: 'Windows', quantity: 1, unit_price_cents: 200, taxable: true },
        { description: 'Oven', quantity: 1.5, unit_price_cents: 333, taxable: false },
        { description: 'Extra bag', quantity: 0.5, unit_price_cents: 1, taxable: false },
      ],
    })
    expect(invoice).toMatchObject({
      status: 'open',
      subtotal_cents: 900,
      tax_cents: 41,
      tax_rate: 10.25,
      total_cents: 941,
      balance_cents: 941,
    })
    expect(invoice.line_items.map((l) => [l.description, l.quantity, l.unit_price_cents, l.taxable])).toEqual([
      ['Deep clean', 1, 200, true],
      ['Windows', 1, 200, true],
      ['Oven', 1.5, 333, false],
      ['Extra bag', 0.5, 1, false],
    ])
    expect(await invoiceOf(org, invoice.id)).toMatchObject({ total_cents: 941, line_items: invoice.line_items })
    // A payment is judged against the total with tax.
    const over = await api(org, 'POST', `/api/v1/invoices/${invoice.id}/payments`, { amount_cents: 942 })
    expect(over.status).toBe(400)
    const paid = await api(org, 'POST', `/api/v1/invoices/${invoice.id}/payments`, { amount_cents: 941 })
    expect((await paid.json<{ invoice: Invoice }>()).invoice.status).toBe('paid')
  })

  it("uses the client's own rate over the default, and 0 % when it is zero or nothing is set", async () => {
    const { org, clientId } = await business(10)
    // A client's rate is a percent, like the business's: 0–30 with up to three decimals.
    expect((await api(org, 'PATCH', `/api/v1/clients/${clientId}`, { settings: { tax_rate: 31 } })).status).toBe(400)
    expect((await api(org, 'PATCH', `/api/v1/clients/${clientId}`, { settings: { tax_rate: 8.875 } })).status).toBe(200)
    const lines = [{ description: 'Furnace tune-up', quantity: 1, unit_price_cents: 1000 }]
    expect(await created(org, { org_client_id: clientId, line_items: lines })).toMatchObject({
      subtotal_cents: 1000,
      tax_cents: 89,
      tax_rate: 8.875,
      total_cents: 1089,
    })
    await api(org, 'PATCH', `/api/v1/clients/${clientId}`, { settings: { tax_rate: 0 } })
    expect(await created(org, { org_client_id: clientId, line_items: lines })).toMatchObject({
      tax_cents: 0,
      tax_rate: 0,
      total_cents: 1000,
    })
    const untaxed = await business()
    expect(await created(untaxed.org, { org_client_id: untaxed.clientId, line_items: lines })).toMatchObject({
      subtotal_cents: 1000,
      tax_cents: 0,
      tax_rate: 0,
      total_cents: 1000,
    })
  })

  it("copies a job's lines with tax when neither lines nor a total are given, and keeps them when the job's change", async () => {
    const { org, clientId } = await business(10.25)
    const job = await api(org, 'POST', '/api/v1/jobs', {
      org_client_id: clientId,
      start_at: '2031-03-04T15:00:00Z',
      price_cents: 14_000,
      notify: false,
    })
    const jobId = (await job.json<{ job: { id: string } }>()).job.id
    const jobLines = [
      { description: 'Standard clean', quantity: 1, unit_price_cents: 14_000 },
      { description: 'Fridge', quantity: 2, unit_price_cents: 2_250, taxable: false },
    ]
    await api(org, 'PUT', `/api/v1/jobs/${jobId}/line-items`, { items: jobLines })
    const invoice = await created(org, { org_client_id: clientId, job_id: jobId })
    // 14,000 × 10.25 % = 1,435.
    expect(invoice).toMatchObject({ job_id: jobId, subtotal_cents: 18_500, tax_cents: 1_435, total_cents: 19_935 })
    expect(invoice.line_items.map((l) => [l.description, l.quantity, l.taxable])).toEqual([
      ['Standard clean', 1, true],
      ['Fridge', 2, false],
    ])
    await api(org, 'PUT', `/api/v1/jobs/${jobId}/line-items`, { items: [jobLines[0]] })
    expect((await invoiceOf(org, invoice.id)).line_items).toHaveLength(2)
  })

  it('keeps an invoice made from a total alone: no subtotal, no tax, no lines', async () => {
    const { org, clientId } = await business(10.25)
    const invoice = await created(org, { org_client_id: clientId, total_cents: 12_345 })
    expect(invoice).toMatchObject({ subtotal_cents: null, tax_cents: 0, tax_rate: null, total_cents: 12_345 })
    expect(invoice.line_items).toEqual([])
    const listed = await (await api(org, 'GET', '/api/v1/invoices')).json<{ items: Invoice[] }>()
    expect(listed.items[0]).toMatchObject({ id: invoice.id, subtotal_cents: null, tax_cents: 0 })
  })

  it('refuses bad lines, or lines with a total, with 400 naming the field, and writes nothing', async () => {
    const { org, clientId } = await business()
    const cases: Array<[unknown, string]> = [
      [[{ description: 'Zero', quantity: 0, unit_price_cents: 100 }], 'line_items.0.quantity'],
      [[{ description: '', quantity: 1, unit_price_cents: 100 }], 'line_items.0.description'],
      [[{ description: 'Neg', quantity: 1, unit_price_cents: -1 }], 'line_items.0.unit_price_cents'],
      [[], 'line_items'],
    ]
    for (const [line_items, path] of cases) {
      const res = await create(org, { org_client_id: clientId, line_items })
      expect(res.status).toBe(400)
      expect((await res.json<{ error: { issues: Issue[] } }>()).error.issues.map((i) => i.path)).toContain(path)
    }
    const both = await create(org, {
      org_client_id: clientId,
      total_cents: 100,
      line_items: [{ description: 'A', quantity: 1, unit_price_cents: 100 }],
    })
    expect(both.status).toBe(400)
    expect(await (await api(org, 'GET', '/api/v1/invoices')).json()).toEqual({ items: [] })
  })

  it("answers 404 for another business's client, job or service on a line", async () => {
    const mine = await business()
    const theirs = await business()
    const service = await (
      await api(theirs.org, 'POST', '/api/v1/services', { name: 'Theirs', price_cents: 500 })
    ).json<{ id: string }>()
    const line = { description: 'Theirs', quantity: 1, unit_price_cents: 500 }
    expect((await create(mine.org, { org_client_id: theirs.clientId, line_items: [line] })).status).toBe(404)
    expect(
      (await create(mine.org, { org_client_id: mine.clientId, line_items: [{ ...line, service_id: service.id }] }))
        .status,
    ).toBe(404)
    expect(await (await api(mine.org, 'GET', '/api/v1/invoices')).json()).toEqual({ items: [] })
  })
})

describe('PATCH /api/v1/invoices/{id} with line_items', () => {
  it("recomputes an open invoice at the rate it was made with, and refuses a paid or void invoice's lines (409)", async () => {
    const { org, clientId } = await business(10)
    const invoice = await created(org, {
      org_client_id: clientId,
      line_items: [{ description: 'Mow', quantity: 1, unit_price_cents: 5_000 }],
    })
    expect(invoice.total_cents).toBe(5_500)
    // The default changes later: the invoice keeps the 10 % it was made with.
    await api(org, 'PATCH', '/api/v1/organization', { default_tax_rate: 5 })
    const lines = [
      { description: 'Mow', quantity: 1, unit_price_cents: 5_000 },
      { description: 'Edging', quantity: 2.5, unit_price_cents: 1_001 },
      { description: 'Mulch (untaxed)', quantity: 1, unit_price_cents: 700, taxable: false },
    ]
    const res = await api(org, 'PATCH', `/api/v1/invoices/${invoice.id}`, { line_items: lines })
    expect(res.status).toBe(200)
    // 5,000 + 2,502.5 + 700 = 8,202.5 → 8,203; tax 10 % of 7,502.5 = 750.25 → 750.
    expect((await res.json<{ invoice: Invoice }>()).invoice).toMatchObject({
      subtotal_cents: 8_203,
      tax_cents: 750,
      tax_rate: 10,
      total_cents: 8_953,
    })
    expect((await invoiceOf(org, invoice.id)).line_items.map((l) => l.description)).toEqual([
      'Mow',
      'Edging',
      'Mulch (untaxed)',
    ])
    // A total is not set beside lines.
    expect((await api(org, 'PATCH', `/api/v1/invoices/${invoice.id}`, { total_cents: 100 })).status).toBe(409)
    await api(org, 'POST', `/api/v1/invoices/${invoice.id}/payments`, { amount_cents: 5_000 })
    const below = await api(org, 'PATCH', `/api/v1/invoices/${invoice.id}`, {
      line_items: [{ description: 'Mow', quantity: 1, unit_price_cents: 100 }],
    })
    expect(below.status).toBe(409)
    await api(org, 'POST', `/api/v1/invoices/${invoice.id}/payments`, { amount_cents: 3_953 })
    const paid = await api(org, 'PATCH', `/api/v1/invoices/${invoice.id}`, { line_items: lines.slice(0, 1) })
    expect(paid.status).toBe(409)
    expect((await invoiceOf(org, invoice.id)).line_items).toHaveLength(3)

    const other = await created(org, { org_client_id: clientId, total_cents: 1_000 })
    await api(org, 'PATCH', `/api/v1/invoices/${other.id}`, { status: 'void' })
    expect((await api(org, 'PATCH', `/api/v1/invoices/${other.id}`, { line_items: lines })).status).toBe(409)
  })

  it('turns an invoice made from a total into one with lines, at the rate of today', async () => {
    const { org, clientId } = await business(10.25)
    const invoice = await created(org, { org_client_id: clientId, total_cents: 10_000 })
    const res = await api(org, 'PATCH', `/api/v1/invoices/${invoice.id}`, {
      line_items: [{ description: 'Repair', quantity: 1, unit_price_cents: 10_000 }],
    })
    expect((await res.json<{ invoice: Invoice }>()).invoice).toMatchObject({
      subtotal_cents: 10_000,
      tax_cents: 1_025,
      tax_rate: 10.25,
      total_cents: 11_025,
    })
  })

  it("is 404 for another business's invoice, which keeps its lines", async () => {
    const mine = await business()
    const theirs = await business()
    const invoice = await created(theirs.org, {
      org_client_id: theirs.clientId,
      line_items: [{ description: 'Theirs', quantity: 1, unit_price_cents: 900 }],
    })
    const res = await api(mine.org, 'PATCH', `/api/v1/invoices/${invoice.id}`, {
      line_items: [{ description: 'Mine now', quantity: 1, unit_price_cents: 1 }],
    })
    expect(res.status).toBe(404)
    expect((await api(mine.org, 'GET', `/api/v1/invoices/${invoice.id}`)).status).toBe(404)
    expect((await invoiceOf(theirs.org, invoice.id)).line_items.map((l) => l.description)).toEqual(['Theirs'])
  })
})
