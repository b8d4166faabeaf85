// Over 300 lines on purpose: the invoice page's every action (send, void, refund, edit lines, create from a job, print) with and without htmx, and another business's ids on each, share these helpers.
/** The invoice pages: lines and totals, Send, Void, Refund and Edit lines as plain forms and with htmx, the printout. */
import { describe, expect, it } from 'vitest'
import { Staff } from './helpers/browserless'
import { api, createClient, createOrg, type TestOrg, unique } from './helpers/factories'
import { messagesOf, orgWithClient } from './helpers/messaging'

const HX = { 'hx-request': 'true' }

type Invoice = {
  id: string
  number: number
  status: string
  total_cents: number
  paid_cents: number
  subtotal_cents: number | null
  tax_cents: number
  line_items: Array<{ description: string; quantity: number; unit_price_cents: number; taxable: boolean }>
  payments: Array<{ id: string; status: string }>
}

/** A signed-in owner of the business, and their CSRF token. */
async function staffOf(org: TestOrg) {
  const staff = new Staff()
  await staff.post('/login', { email: org.email, password: org.password })
  return { staff, csrf: await staff.csrfToken() }
}

/** A business taxing 10.25 % with a client (phone and email) and an open invoice of two lines. */
async function invoiced() {
  const { org, client } = await orgWithClient()
  await api(org, 'PATCH', '/api/v1/organization', { default_tax_rate: 10.25 })
  const res = await api(org, 'POST', '/api/v1/invoices', {
    org_client_id: client.org_client_id,
    due_date: '2031-04-01',
    line_items: [
      { description: 'Carpet cleaning', quantity: 1.5, unit_price_cents: 10_000 },
      { description: 'Stain guard', quantity: 1, unit_price_cents: 2_000, taxable: false },
    ],
  })
  const invoice = (await res.json<{ invoice: Invoice }>()).invoice
  return { org, clientId: client.org_client_id, invoice, ...(await staffOf(org)) }
}

const invoiceOf = async (org: TestOrg, id: string) => (await api(org, 'GET', `/api/v1/invoices/${id}`)).json<Invoice>()

describe('the invoice page', () => {
  it('shows the lines, subtotal, tax with its rate, total, paid and balance, and asks to set up payments', async () => {
    const { org, invoice, staff } = await invoiced()
    // 15,000 + 2,000 = 17,000; tax 10.25 % of 15,000 = 1,537.50 → 1,538.
    expect(invoice.total_cents).toBe(18_538)
    await api(org, 'POST', `/api/v1/invoices/${invoice.id}/payments`, { amount_cents: 8_538 })
    const html = await (await staff.get(`/app/invoices/${invoice.id}`)).text()
    for (const text of [
      'Carpet cleaning',
      'Stain guard',
      'data-testid="invoice-subtotal">$170.00<',
      'Tax (10.25%)',
      'data-testid="invoice-tax">$15.38<',
      'data-testid="invoice-total">$185.38<',
      'data-testid="invoice-paid">$85.38<',
      'data-testid="invoice-balance">$100.00<',
      'Send by text',
      'Send by email',
      `href="/app/invoices/${invoice.id}/print"`,
    ])
      expect(html).toContain(text)
    expect(html).toMatch(/data-testid="setup-payments"[\s\S]*href="\/app\/settings#payments">Set up payments</)

    await api(org, 'PATCH', '/api/v1/organization', { payment_instructions: 'Zelle to pay@example.com' })
    expect(await (await staff.get(`/app/invoices/${invoice.id}`)).text()).not.toContain('setup-payments')
  })

  it('sends by text without JavaScript and by email with htmx, and says why when it cannot', async () => {
    const { org, clientId, invoice, staff, csrf } = await invoiced()
    const plain = await staff.post(`/app/invoices/${invoice.id}/send`, { _csrf: csrf, channel: 'sms' })
    expect(plain.status).toBe(303)
    expect(plain.headers.get('location')).toBe(`/app/invoices/${invoice.id}?done=sent_sms`)
    const after = await (await staff.get(plain.headers.get('location')!)).text()
    expect(after).toContain('Invoice sent by text.')
    expect(after).not.toContain('Not sent yet')

    const hx = await staff.post(`/app/invoices/${invoice.id}/send`, { _csrf: csrf, channel: 'email' }, HX)
    expect(hx.status).toBe(200)
    expect(await hx.text()).toMatch(/^<section id="invoice-panel"[\s\S]*Invoice sent by email\./)
    expect((await messagesOf(org, '?purpose=invoice')).map((m) => m.channel).sort()).toEqual(['email', 'sms'])

    await api(org, 'POST', `/api/v1/clients/${clientId}/consents`, { sms_opt_in: false, reason: 'asked' })
    const refused = await staff.post(`/app/invoices/${invoice.id}/send`, { _csrf: csrf, channel: 'sms' }, HX)
    expect(refused.status).toBe(409)
    expect(await refused.text()).toContain('Not sent. The client has opted out of texts.')
    expect(await messagesOf(org, '?purpose=invoice')).toHaveLength(2)
  })

  it('voids without JavaScript and with htmx, and a void invoice has no actions left', async () => {
    const { org, invoice, staff, csrf } = await invoiced()
    const plain = await staff.post(`/app/invoices/${invoice.id}/void`, { _csrf: csrf })
    expect(plain.status).toBe(303)
    expect(plain.headers.get('location')).toBe(`/app/invoices/${invoice.id}?done=voided`)
    expect((await invoiceOf(org, invoice.id)).status).toBe('void')
    const page = await (await staff.get(`/app/invoices/${invoice.id}?done=voided`)).text()
    expect(page).toContain('Invoice voided.')
    for (const gone of ['data-testid="void-invoice"', 'Send by text', 'Record a payment', 'data-testid="edit-lines"'])
      expect(page).not.toContain(gone)
    const again = await staff.post(`/app/invoices/${invoice.id}/void`, { _csrf: csrf }, HX)
    expect(again.status).toBe(409)
    expect(await again.text()).toContain('A void invoice cannot be changed.')

    const other = await invoiced()
    const hx = await other.staff.post(`/app/invoices/${other.invoice.id}/void`, { _csrf: other.csrf }, HX)
    expect(hx.status).toBe(200)
    const fragment = await hx.text()
    expect(fragment).toMatch(/^<section id="invoice-panel"[\s\S]*Invoice voided\./)
    expect(fragment).toContain('data-testid="invoice-status">void<')
  })

  it('refunds a payment without JavaScript and with htmx; the invoice reopens and no receipt goes', async () => {
    const { org, clientId, invoice, staff, csrf } = await invoiced()
    for (const amount_cents of [10_000, 8_538])
      await api(org, 'POST', `/api/v1/invoices/${invoice.id}/payments`, { amount_cents })
    const [second, first] = (await invoiceOf(org, invoice.id)).payments
    expect((await invoiceOf(org, invoice.id)).status).toBe('paid')
    const receipts = (await messagesOf(org, '?purpose=receipt')).length

    const plain = await staff.post(`/app/invoices/${invoice.id}/payments/${first!.id}/refund`, { _csrf: csrf })
    expect(plain.status).toBe(303)
    expect(await invoiceOf(org, invoice.id)).toMatchObject({ status: 'open', paid_cents: 8_538 })
    expect(await (await staff.get(plain.headers.get('location')!)).text()).toContain('Payment refunded.')

    const hx = await staff.post(`/app/invoices/${invoice.id}/payments/${second!.id}/refund`, { _csrf: csrf }, HX)
    expect(hx.status).toBe(200)
    const fragment = await hx.text()
    expect(fragment).toMatch(/^<section id="invoice-panel"[\s\S]*Payment refunded\./)
    expect(fragment).toContain('data-testid="invoice-balance">$185.38<')
    expect(fragment).not.toContain('data-testid="refund-payment"')
    const twice = await staff.post(`/app/invoices/${invoice.id}/payments/${second!.id}/refund`, { _csrf: csrf }, HX)
    expect(twice.status).toBe(409)
    expect((await messagesOf(org, '?purpose=receipt')).length).toBe(receipts)

    // A payment of another invoice is not refunded through this one's page.
    const made = await api(org, 'POST', '/api/v1/invoices', {
      org_client_id: clientId,
      total_cents: 1_000,
      due_date: '2031-04-01',
    })
    const otherInvoice = (await made.json<{ invoice: Invoice }>()).invoice
    await api(org, 'POST', `/api/v1/invoices/${otherInvoice.id}/payments`, { amount_cents: 1_000 })
    const [otherPayment] = (await invoiceOf(org, otherInvoice.id)).payments
    const wrong = await staff.post(`/app/invoices/${invoice.id}/payments/${otherPayment!.id}/refund`, { _csrf: csrf })
    expect(wrong.status).toBe(404)
    expect((await invoiceOf(org, otherInvoice.id)).status).toBe('paid')
  })

  it('edits the lines with the job page’s editor, without JavaScript and with htmx', async () => {
    const { org, invoice, staff, csrf } = await invoiced()
    const editing = await (await staff.get(`/app/invoices/${invoice.id}?edit=lines`)).text()
    expect(editing).toContain('id="invoice-lines"')
    expect(editing).toContain('name="line_description_0" value="Carpet cleaning"')
    expect(editing).toContain('name="line_quantity_0" value="1.5"')
    const opened = await staff.get(`/app/invoices/${invoice.id}?edit=lines`, HX)
    expect(await opened.text()).toMatch(/^<section id="invoice-panel"[\s\S]*action="\/app\/invoices\/[^"]+\/lines"/)

    const row = (i: number, description: string, quantity: string, price: string, taxable = true) => ({
      [`line_description_${i}`]: description,
      [`line_quantity_${i}`]: quantity,
      [`line_price_${i}`]: price,
      ...(taxable ? { [`line_taxable_${i}`]: '1' } : {}),
    })
    const added = await staff.post(`/app/invoices/${invoice.id}/lines`, {
      _csrf: csrf,
      rows: '1',
      ...row(0, 'Carpet cleaning', '1.5', '100'),
      do: 'add',
    })
    expect(added.status).toBe(200)
    expect(await added.text()).toContain('name="line_description_1" value=""')

    const saved = await staff.post(`/app/invoices/${invoice.id}/lines`, {
      _csrf: csrf,
      rows: '2',
      ...row(0, 'Carpet cleaning', '2', '100'),
      ...row(1, 'Pet odour', '1', '$30', false),
      do: 'save',
    })
    expect(saved.status).toBe(303)
    expect(saved.headers.get('location')).toBe(`/app/invoices/${invoice.id}?done=lines`)
    // 20,000 + 3,000 = 23,000; tax 10.25 % of 20,000 = 2,050.
    expect(await invoiceOf(org, invoice.id)).toMatchObject({
      subtotal_cents: 23_000,
      tax_cents: 2_050,
      total_cents: 25_050,
      line_items: [
        { description: 'Carpet cleaning', quantity: 2, unit_price_cents: 10_000, taxable: true },
        { description: 'Pet odour', quantity: 1, unit_price_cents: 3_000, taxable: false },
      ],
    })

    const bad = await staff.post(
      `/app/invoices/${invoice.id}/lines`,
      { _csrf: csrf, rows: '1', ...row(0, 'Carpet cleaning', '0', 'lots'), do: 'save' },
      HX,
    )
    expect(bad.status).toBe(422)
    const fragment = await bad.text()
    expect(fragment).toMatch(/^<section id="invoice-panel"/)
    expect(fragment).toContain('Enter a quantity more than 0, at most 10,000.')
    expect(fragment).toContain('name="line_price_0" value="lots"')
    const ok = await staff.post(
      `/app/invoices/${invoice.id}/lines`,
      { _csrf: csrf, rows: '1', ...row(0, 'Carpet cleaning', '1', '100'), do: 'save' },
      HX,
    )
    expect(ok.status).toBe(200)
    const savedHx = await ok.text()
    expect(savedHx).toContain('Lines saved.')
    expect(savedHx).toContain('data-testid="invoice-total">$110.25<')

    await api(org, 'POST', `/api/v1/invoices/${invoice.id}/payments`, { amount_cents: 11_025 })
    const paid = await staff.post(
      `/app/invoices/${invoice.id}/lines`,
      { _csrf: csrf, rows: '1', ...row(0, 'More', '1', '1'), do: 'save' },
      HX,
    )
    expect(paid.status).toBe(409)
    expect(await paid.text()).toContain('A paid invoice cannot be changed.')
  })

  it("creates an invoice from a job's lines with tax, and from an amount typed", async () => {
    const { org, clientId, staff, csrf } = await invoiced()
    const job = await api(org, 'POST', '/api/v1/jobs', {
      org_client_id: clientId,
      start_at: '2031-03-04T15:00:00Z',
      price_cents: 9_000,
      notify: false,
    })
    const jobId = (await job.json<{ job: { id: string } }>()).job.id
    await api(org, 'PUT', `/api/v1/jobs/${jobId}/line-items`, {
      items: [{ description: 'Move-out clean', quantity: 1, unit_price_cents: 20_000 }],
    })
    const form = await (await staff.get(`/app/invoices/new?client=${clientId}&job=${jobId}&amount=200.00`)).text()
    expect(form).toContain('data-testid="job-lines-to-bill"')
    expect(form).toContain('Move-out clean')
    expect(form).not.toContain('name="amount"')
    const made = await staff.post('/app/invoices', {
      _csrf: csrf,
      org_client_id: clientId,
      job_id: jobId,
      from_job: '1',
      due_date: '2031-05-01',
    })
    expect(made.status).toBe(303)
    const fromJob = await invoiceOf(org, made.headers.get('location')!.split('/').pop()!)
    expect(fromJob).toMatchObject({ subtotal_cents: 20_000, tax_cents: 2_050, total_cents: 22_050 })

    const typed = await staff.post('/app/invoices', {
      _csrf: csrf,
      org_client_id: clientId,
      description: 'Window washing',
      amount: '80',
      taxable: '1',
      due_date: '2031-05-01',
    })
    const one = await invoiceOf(org, typed.headers.get('location')!.split('/').pop()!)
    expect(one).toMatchObject({ subtotal_cents: 8_000, tax_cents: 820, total_cents: 8_820 })
    expect(one.line_items).toMatchObject([{ description: 'Window washing', quantity: 1, taxable: true }])

    const none = await staff.post('/app/invoices', { _csrf: csrf, org_client_id: clientId, due_date: '2031-05-01' }, HX)
    expect(none.status).toBe(422)
    expect(await none.text()).toContain('id="f-amount-error">Enter an amount.')
  })
})

describe('the printout', () => {
  it("prints the business's wordmark in its colour, its address, the client, the lines and totals", async () => {
    const { org, invoice, staff } = await invoiced()
    await api(org, 'PATCH', '/api/v1/organization', {
      logo_text: 'SPARKLE',
      brand_color: '#0A7D5A',
      phone: '(415) 555-0142',
      address: { address1: '500 Market St', address2: 'Suite 2', city: 'Oakland', state: 'CA', postal: '94607' },
    })
    const res = await staff.get(`/app/invoices/${invoice.id}/print`)
    expect(res.status).toBe(200)
    const html = await res.text()
    for (const text of [
      `<title>Invoice #${invoice.number} · Sparkle Cleaning</title>`,
      'data-testid="wordmark">SPARKLE<',
      'border-top: 6px solid #0a7d5a',
      '500 Market St',
      'Suite 2',
      'Oakland, CA 94607',
      '(415) 555-0142',
      'Casey',
      '1 Main St, Oakland, CA 94607',
      'Carpet cleaning',
      'Tax (10.25%)',
      '$185.38',
      'Due Apr 1, 2031',
      '@media print',
    ])
      expect(html).toContain(text)
    expect(html).not.toContain('class="nav')
  })
})

describe("another business's invoice", () => {
  it('is not found on any invoice page or action, and nothing changes', async () => {
    const theirs = await invoiced()
    const mine = await createOrg()
    await createClient(mine, { first_name: 'Me', email: `me-${unique()}@example.com` })
    const { staff, csrf } = await staffOf(mine)
    const id = theirs.invoice.id
    await api(theirs.org, 'POST', `/api/v1/invoices/${id}/payments`, { amount_cents: 1_000 })
    const [payment] = (await invoiceOf(theirs.org, id)).payments
    for (const path of [`/app/invoices/${id}`, `/app/invoices/${id}?edit=lines`, `/app/invoices/${id}/print`])
      expect((await staff.get(path)).status).toBe(404)
    const posts: Array<[string, Record<string, string>]> = [
      [`/app/invoices/${id}/send`, { channel: 'sms' }],
      [`/app/invoices/${id}/void`, {}],
      [`/app/invoices/${id}/payments/${payment!.id}/refund`, {}],
      [`/app/invoices/${id}/lines`, { rows: '1', line_description_0: 'Mine', line_price_0: '1', do: 'save' }],
      [`/app/invoices/${id}/payments`, { amount: '1' }],
    ]
    for (const [path, fields] of posts) expect((await staff.post(path, { _csrf: csrf, ...fields })).status).toBe(404)
    expect(await invoiceOf(theirs.org, id)).toMatchObject({ status: 'open', paid_cents: 1_000, total_cents: 18_538 })
    expect((await invoiceOf(theirs.org, id)).line_items).toHaveLength(2)
    expect(await messagesOf(theirs.org, '?purpose=invoice')).toEqual([])
  })
})

describe('server time of the invoice page', () => {
  it('renders the page of an invoice with lines and payments (timed for the report)', async () => {
    const { org, invoice, staff } = await invoiced()
    await api(org, 'POST', `/api/v1/invoices/${invoice.id}/payments`, { amount_cents: 1_000 })
    const times: number[] = []
    for (let i = 0; i < 30; i++) {
      const started = performance.now()
      const res = await staff.get(`/app/invoices/${invoice.id}`)
      await res.text()
      times.push(performance.now() - started)
      expect(res.status).toBe(200)
    }
    times.sort((a, b) => a - b)
    console.log(
      `invoice page: median ${times[15]!.toFixed(1)} ms, p90 ${times[27]!.toFixed(1)} ms over ${times.length} requests`,
    )
  })
})
