/**
 * Invoices that go out and receipts that come back: POST /api/v1/invoices/{id}/send (SMS else
 * email, with a pay link that opens the invoice in the portal; consent checked; replays answered
 * once) and a receipt for every succeeded payment (API, page and Stripe alike; never for a refund).
 */
import { describe, expect, it } from 'vitest'
import { api, createOrg, type TestOrg } from './helpers/factories'
import { messagesOf, orgWithClient } from './helpers/messaging'
import { Homeowner } from './helpers/portal'
import { Staff } from './helpers/browserless'
import { deliver, nowSeconds, stripeSignature } from './helpers/webhooks'

type Invoice = { id: string; number: number; status: string; sent_at: string | null; total_cents: number }

/** An open invoice of two lines ($100 and $20 untaxed) for the client. */
async function lineInvoice(org: TestOrg, orgClientId: string, extra: Record<string, unknown> = {}) {
  const res = await api(org, 'POST', '/api/v1/invoices', {
    org_client_id: orgClientId,
    due_date: '2031-04-01',
    line_items: [
      { description: 'Gutter cleaning', quantity: 1, unit_price_cents: 10_000 },
      { description: 'Disposal fee', quantity: 1, unit_price_cents: 2_000, taxable: false },
    ],
    ...extra,
  })
  expect(res.status).toBe(201)
  return (await res.json<{ invoice: Invoice }>()).invoice
}

const send = (org: TestOrg, id: string, body?: unknown, headers?: Record<string, string>) =>
  api(org, 'POST', `/api/v1/invoices/${id}/send`, body, headers)

const invoiceOf = async (org: TestOrg, id: string) => (await api(org, 'GET', `/api/v1/invoices/${id}`)).json<Invoice>()

const optOut = (org: TestOrg, clientId: string, consent: Record<string, boolean>) =>
  api(org, 'POST', `/api/v1/clients/${clientId}/consents`, { ...consent, reason: 'asked by phone' })

/** The `/p/…` path of the pay link in a message body. */
const payPath = (body: string) => body.match(/https:\/\/homebase\.test(\/p\/[\w.-]+)/)?.[1]

describe('POST /api/v1/invoices/{id}/send', () => {
  it('texts the client a pay link that opens the invoice with its lines, and sets sent_at', async () => {
    const { org, client, phone } = await orgWithClient()
    const invoice = await lineInvoice(org, client.org_client_id)
    const res = await send(org, invoice.id)
    expect(res.status).toBe(201)
    const answer = await res.json<{ message_id: string; channel: string }>()
    expect(answer.channel).toBe('sms')
    const [sent] = await messagesOf(org, '?purpose=invoice')
    expect(sent).toMatchObject({ id: answer.message_id, channel: 'sms', to: phone, purpose: 'invoice' })
    expect(sent!.body).toContain(`invoice #${invoice.number} for $120.00 is due Apr 1, 2031`)
    expect((await invoiceOf(org, invoice.id)).sent_at).toEqual(expect.any(String))

    const page = await new Homeowner().get(payPath(sent!.body)!)
    expect(page.status).toBe(200)
    const html = await page.text()
    for (const text of ['Gutter cleaning', 'Disposal fee', '$100.00', 'Subtotal', '$120.00', 'Pay $120.00'])
      expect(html).toContain(text)

    // Sending again is a new message.
    expect((await send(org, invoice.id)).status).toBe(201)
    expect(await messagesOf(org, '?purpose=invoice')).toHaveLength(2)
  })

  it('emails the client who cannot be texted, with the lines and totals, and emails on request', async () => {
    const noPhone = await orgWithClient({ phone: null })
    const invoice = await lineInvoice(noPhone.org, noPhone.client.org_client_id)
    const res = await send(noPhone.org, invoice.id)
    expect(res.status).toBe(201)
    expect(await res.json()).toMatchObject({ channel: 'email' })
    const [mail] = await messagesOf(noPhone.org, '?purpose=invoice')
    expect(mail).toMatchObject({ channel: 'email', to: noPhone.email })
    expect(mail!.subject).toBe(`Invoice #${invoice.number} from Sparkle Cleaning: $120.00`)
    for (const text of ['Gutter cleaning: $100.00', 'Subtotal: $120.00', 'Tax (0%): $0.00', 'Total: $120.00'])
      expect(mail!.body).toContain(text)
    expect(payPath(mail!.body)).toBeDefined()

    // Opted out of texts but not of email: the email goes.
    const { org, client, email } = await orgWithClient()
    await optOut(org, client.org_client_id, { sms_opt_in: false })
    const other = await lineInvoice(org, client.org_client_id)
    expect(await (await send(org, other.id)).json()).toMatchObject({ channel: 'email' })
    const asked = await send(org, other.id, { channel: 'email' })
    expect(asked.status).toBe(201)
    expect((await messagesOf(org, '?purpose=invoice')).map((m) => m.to)).toEqual([email, email])
  })

  it('sends nothing to a client who opted out, and says why (409)', async () => {
    const { org, client } = await orgWithClient({ email: null })
    await optOut(org, client.org_client_id, { sms_opt_in: false })
    const invoice = await lineInvoice(org, client.org_client_id)
    const res = await send(org, invoice.id)
    expect(res.status).toBe(409)
    expect(await res.json()).toMatchObject({
      error: {
        code: 'not_sent',
        message: 'Not sent. The client has opted out of texts. The client has no email address on file.',
      },
    })
    const asked = await send(org, invoice.id, { channel: 'sms' })
    expect(await asked.json()).toMatchObject({ error: { code: 'not_sent' } })
    expect(await messagesOf(org, '?purpose=invoice')).toEqual([])
    expect((await invoiceOf(org, invoice.id)).sent_at).toBeNull()
  })

  it('opens a draft it sends, refuses a void invoice, and rejects an unknown channel', async () => {
    const { org, client } = await orgWithClient()
    const draft = await lineInvoice(org, client.org_client_id, { status: 'draft' })
    expect((await send(org, draft.id)).status).toBe(201)
    expect((await invoiceOf(org, draft.id)).status).toBe('open')
    expect((await send(org, draft.id, { channel: 'fax' })).status).toBe(400)
    await api(org, 'PATCH', `/api/v1/invoices/${draft.id}`, { status: 'void' })
    expect((await send(org, draft.id)).status).toBe(409)
    expect(await messagesOf(org, '?purpose=invoice')).toHaveLength(1)
  })

  it('answers a replayed request with its first answer and sends once', async () => {
    const { org, client } = await orgWithClient()
    const invoice = await lineInvoice(org, client.org_client_id)
    const key = { 'idempotency-key': `send-${invoice.id}` }
    const first = await send(org, invoice.id, {}, key)
    const again = await send(org, invoice.id, {}, key)
    expect(first.status).toBe(201)
    expect(again.status).toBe(201)
    expect(await again.json()).toEqual(await first.json())
    expect(await messagesOf(org, '?purpose=invoice')).toHaveLength(1)
  })

  it("is 404 for another business's invoice, and sends nothing", async () => {
    const { org, client } = await orgWithClient()
    const stranger = await createOrg()
    const invoice = await lineInvoice(org, client.org_client_id)
    expect((await send(stranger, invoice.id)).status).toBe(404)
    expect(await messagesOf(org, '?purpose=invoice')).toEqual([])
    expect((await invoiceOf(org, invoice.id)).sent_at).toBeNull()
  })
})

describe('receipts', () => {
  it('texts a receipt once per succeeded payment, for a pending one when it succeeds, never for a refund', async () => {
    const { org, client, phone } = await orgWithClient()
    const invoice = await lineInvoice(org, client.org_client_id)
    const pay = (body: Record<string, unknown>) =>
      api(org, 'POST', `/api/v1/invoices/${invoice.id}/payments`, body).then((r) =>
        r.json<{ payment: { id: string } }>(),
      )
    const first = await pay({ amount_cents: 2_000, method: 'cash' })
    let receipts = await messagesOf(org, '?purpose=receipt')
    expect(receipts).toHaveLength(1)
    expect(receipts[0]).toMatchObject({ channel: 'sms', to: phone })
    expect(receipts[0]!.body).toBe(
      `Sparkle Cleaning: thank you! We received your payment of $20.00 for invoice #${invoice.number}. $100.00 is left to pay.`,
    )
    // The same provider payment posted twice records and receipts once.
    await pay({ amount_cents: 1_000, external_id: 'chk_1' })
    await pay({ amount_cents: 1_000, external_id: 'chk_1' })
    expect(await messagesOf(org, '?purpose=receipt')).toHaveLength(2)

    const pending = await pay({ amount_cents: 9_000, status: 'pending' })
    expect(await messagesOf(org, '?purpose=receipt')).toHaveLength(2)
    await api(org, 'PATCH', `/api/v1/payments/${pending.payment.id}`, { status: 'succeeded' })
    receipts = await messagesOf(org, '?purpose=receipt')
    expect(receipts).toHaveLength(3)
    expect(receipts[0]!.body).toContain('$90.00 for invoice')
    expect(receipts[0]!.body).toContain('It is paid in full.')

    expect((await api(org, 'PATCH', `/api/v1/payments/${first.payment.id}`, { status: 'refunded' })).status).toBe(200)
    expect(await messagesOf(org, '?purpose=receipt')).toHaveLength(3)
  })

  it('emails the receipt when the client cannot be texted, and sends none to one who opted out of both', async () => {
    const { org, client, email } = await orgWithClient()
    await optOut(org, client.org_client_id, { sms_opt_in: false })
    const invoice = await lineInvoice(org, client.org_client_id)
    await api(org, 'POST', `/api/v1/invoices/${invoice.id}/payments`, { amount_cents: 12_000 })
    const [mail] = await messagesOf(org, '?purpose=receipt')
    expect(mail).toMatchObject({ channel: 'email', to: email })
    expect(mail!.subject).toBe(`Receipt from Sparkle Cleaning: $120.00 for invoice #${invoice.number}`)

    await optOut(org, client.org_client_id, { email_opt_in: false })
    const other = await lineInvoice(org, client.org_client_id)
    const paid = await api(org, 'POST', `/api/v1/invoices/${other.id}/payments`, { amount_cents: 12_000 })
    expect(paid.status).toBe(201)
    expect(await messagesOf(org, '?purpose=receipt')).toHaveLength(1)
  })

  it('sends a receipt for a payment recorded on the invoice page', async () => {
    const { org, client } = await orgWithClient()
    const invoice = await lineInvoice(org, client.org_client_id)
    const staff = new Staff()
    await staff.post('/login', { email: org.email, password: org.password })
    const res = await staff.post(`/app/invoices/${invoice.id}/payments`, {
      _csrf: await staff.csrfToken(),
      amount: '50',
      method: 'check',
    })
    expect(res.status).toBe(303)
    const receipts = await messagesOf(org, '?purpose=receipt')
    expect(receipts.map((m) => m.body)).toEqual([expect.stringContaining('payment of $50.00')])
  })

  it('sends a receipt for a Stripe payment once, however often the webhook arrives', async () => {
    const { org, client } = await orgWithClient()
    await api(org, 'PATCH', '/api/v1/organization', { stripe_account_id: 'acct_1ReceiptTest0001' })
    const invoice = await lineInvoice(org, client.org_client_id)
    const body = JSON.stringify({
      id: `evt_${invoice.id}`,
      object: 'event',
      account: 'acct_1ReceiptTest0001',
      created: nowSeconds(),
      type: 'checkout.session.completed',
      livemode: false,
      data: {
        object: {
          id: `cs_test_${invoice.id}`,
          object: 'checkout.session',
          mode: 'payment',
          payment_status: 'paid',
          status: 'complete',
          amount_total: 12_000,
          currency: 'usd',
          payment_intent: `pi_${invoice.id}`,
          metadata: { organization_id: org.organizationId, invoice_id: invoice.id },
        },
      },
    })
    const post = async () =>
      deliver('/webhooks/stripe', body, {
        'stripe-signature': await stripeSignature(body, 'whsec_test_secret_0123456789'),
      })
    expect(await (await post()).json()).toMatchObject({ ok: true, recorded: true })
    expect(await (await post()).json()).toMatchObject({ ok: true, duplicate: true })
    const receipts = await messagesOf(org, '?purpose=receipt')
    expect(receipts).toHaveLength(1)
    expect(receipts[0]!.body).toContain('payment of $120.00')
    expect((await invoiceOf(org, invoice.id)).status).toBe('paid')
  })
})
