import { env, SELF } from 'cloudflare:test'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { Staff } from './helpers/browserless'
import { api, BASE } from './helpers/factories'
import { businessWithClient, Homeowner, openInvoice, portalPath } from './helpers/portal'

const ACCOUNT = 'acct_1PortalTest0001'

/** Stripe's answer to POST /v1/checkout/sessions (trimmed to the fields it always sends). */
const checkoutSession = (id: string) => ({
  id,
  object: 'checkout.session',
  mode: 'payment',
  status: 'open',
  payment_status: 'unpaid',
  currency: 'usd',
  amount_total: 14_500,
  url: `https://checkout.stripe.com/c/pay/${id}#fidkdWxOYHwnPyd1blpxYHZxWjA0`,
  livemode: false,
  metadata: {},
})

/** `Stripe-Signature` as Stripe computes it: hex HMAC-SHA256 of `{t}.{body}` under the endpoint secret. */
async function stripeSignature(body: string, t = Math.floor(Date.now() / 1000)) {
  const key = await crypto.subtle.importKey(
    'raw',
    new TextEncoder().encode(env.STRIPE_WEBHOOK_SECRET!),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign'],
  )
  const mac = new Uint8Array(await crypto.subtle.sign('HMAC', key, new TextEncoder().encode(`${t}.${body}`)))
  return `t=${t},v1=${[...mac].map((b) => b.toString(16).padStart(2, '0')).join('')}`
}

afterEach(() => {
  vi.restoreAllMocks()
})

describe('paying an invoice from the portal', () => {
  it('creates a Stripe Checkout session on the business’s account and the signed webhook marks the invoice paid', async () => {
    const { org, client, email } = await businessWithClient('Stripe Cleaning')
    expect((await api(org, 'PATCH', '/api/v1/organization', { stripe_account_id: ACCOUNT })).status).toBe(200)
    const invoice = await openInvoice(org, client.org_client_id, 14_500)
    const path = await portalPath(org, client.org_client_id)
    const session = checkoutSession('cs_test_a1PortalPay')
    const stripe = vi
      .spyOn(globalThis, 'fetch')
      // Made at call time: a Response from the test's context cannot be read inside the Worker's request.
      .mockImplementationOnce(
        async () =>
          new Response(JSON.stringify(session), { status: 200, headers: { 'content-type': 'application/json' } }),
      )

    const res = await new Homeowner().post(`${path}/invoices/${invoice.id}/pay`)
    expect(res.status).toBe(303)
    expect(res.headers.get('location')).toBe(session.url)
    expect(stripe).toHaveBeenCalledTimes(1)
    const [url, init] = stripe.mock.calls[0]!
    expect(String(url)).toBe('https://api.stripe.com/v1/checkout/sessions')
    const headers = new Headers(init!.headers)
    expect(headers.get('authorization')).toBe(`Bearer ${env.STRIPE_SECRET_KEY}`)
    expect(headers.get('stripe-account')).toBe(ACCOUNT)
    expect(headers.get('content-type')).toBe('application/x-www-form-urlencoded')
    const form = new URLSearchParams(String(init!.body))
    expect(Object.fromEntries(form)).toMatchObject({
      mode: 'payment',
      'line_items[0][quantity]': '1',
      'line_items[0][price_data][currency]': 'usd',
      'line_items[0][price_data][unit_amount]': '14500',
      'line_items[0][price_data][product_data][name]': `Invoice #${invoice.number} from Stripe Cleaning`,
      'metadata[organization_id]': org.organizationId,
      'metadata[invoice_id]': invoice.id,
      client_reference_id: invoice.id,
      customer_email: email,
    })
    // Stripe keeps the return URLs: they carry a pay-only link for this invoice, never the whole portal link.
    const success = new URL(form.get('success_url')!)
    expect(success.searchParams.get('done')).toBe('paid')
    const payLink = success.pathname
    expect(payLink).not.toBe(path)
    const payPage = await new Homeowner().get(payLink)
    expect(payPage.status).toBe(200)
    expect(await payPage.text()).toContain(`Pay $145.00`)
    vi.restoreAllMocks()

    const event = JSON.stringify({
      id: `evt_${crypto.randomUUID().replace(/-/g, '')}`,
      object: 'event',
      account: ACCOUNT,
      type: 'checkout.session.completed',
      created: Math.floor(Date.now() / 1000),
      data: {
        object: {
          ...session,
          status: 'complete',
          payment_status: 'paid',
          amount_total: 14_500,
          payment_intent: 'pi_test_portal_1',
          metadata: { organization_id: org.organizationId, invoice_id: invoice.id },
        },
      },
    })
    const hook = await SELF.fetch(`${BASE}/webhooks/stripe`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'stripe-signature': await stripeSignature(event) },
      body: event,
    })
    expect(hook.status).toBe(200)
    const paid = await (await api(org, 'GET', `/api/v1/invoices/${invoice.id}`)).json<{
      status: string
      balance_cents: number
    }>()
    expect(paid).toMatchObject({ status: 'paid', balance_cents: 0 })
    const page = await (await new Homeowner().get(path)).text()
    expect(page).toContain(`Invoice #${invoice.number}`)
    expect(page).not.toContain('Pay $145.00')
    expect(await (await new Homeowner().get(payLink)).text()).toContain('This invoice is paid')
  })

  it('shows how to pay when the business has no Stripe account', async () => {
    const { org, client } = await businessWithClient('Check Only Co')
    await api(org, 'PATCH', '/api/v1/organization', { payment_instructions: 'Mail a check to 1 Main St, Oakland.' })
    const invoice = await openInvoice(org, client.org_client_id, 8_000)
    const stripe = vi.spyOn(globalThis, 'fetch')
    const res = await new Homeowner().post(`${await portalPath(org, client.org_client_id)}/invoices/${invoice.id}/pay`)
    expect(res.status).toBe(200)
    const html = await res.text()
    expect(html).toContain('Mail a check to 1 Main St, Oakland.')
    expect(html).toContain('(415) 555-0199')
    expect(html).toContain('$80.00')
    expect(stripe).not.toHaveBeenCalled()
  })

  it('falls back to the instructions when Stripe refuses, and never pays another client’s invoice', async () => {
    const { org, client } = await businessWithClient('Refused Co')
    await api(org, 'PATCH', '/api/v1/organization', {
      stripe_account_id: ACCOUNT,
      payment_instructions: 'Venmo @refused-co',
    })
    const invoice = await openInvoice(org, client.org_client_id)
    vi.spyOn(globalThis, 'fetch').mockImplementationOnce(
      async () =>
        new Response(JSON.stringify({ error: { type: 'invalid_request_error', message: 'No such account' } }), {
          status: 400,
        }),
    )
    const path = await portalPath(org, client.org_client_id)
    const res = await new Homeowner().post(`${path}/invoices/${invoice.id}/pay`)
    expect(res.status).toBe(502)
    expect(await res.text()).toContain('Venmo @refused-co')

    const other = await businessWithClient('Other Client Co')
    const theirs = await openInvoice(other.org, other.client.org_client_id)
    expect((await new Homeowner().post(`${path}/invoices/${theirs.id}/pay`)).status).toBe(404)
    expect((await api(org, 'PATCH', '/api/v1/organization', { stripe_account_id: 'not-an-account' })).status).toBe(400)
  })

  it('lets the owner set the Stripe account and the instructions on the settings page', async () => {
    const { org } = await businessWithClient('Settings Co')
    const staff = new Staff()
    await staff.post('/login', { email: org.email, password: org.password })
    const csrf = await staff.csrfToken()
    expect(await (await staff.get('/app/settings')).text()).toContain('id="payments"')
    const bad = await staff.post(
      '/app/settings/payments',
      { _csrf: csrf, stripe_account_id: 'sk_live_oops', payment_instructions: 'Zelle' },
      { 'hx-request': 'true' },
    )
    expect(bad.status).toBe(422)
    const form = await bad.text()
    expect(form).toContain('A Stripe account id starts with acct_')
    expect(form).toContain('value="sk_live_oops"')
    const ok = await staff.post(
      '/app/settings/payments',
      { _csrf: csrf, stripe_account_id: ACCOUNT, payment_instructions: 'Zelle to pay@settings.example' },
      { 'hx-request': 'true' },
    )
    expect(ok.status).toBe(200)
    expect(await ok.text()).toContain('Clients pay open invoices by card through Stripe Checkout.')
    expect(await (await api(org, 'GET', '/api/v1/organization')).json()).toMatchObject({
      stripe_account_id: ACCOUNT,
      payment_instructions: 'Zelle to pay@settings.example',
    })
    await staff.post('/app/settings/payments', { _csrf: csrf, stripe_account_id: '', payment_instructions: '' })
    expect(await (await api(org, 'GET', '/api/v1/organization')).json()).toMatchObject({
      stripe_account_id: null,
      payment_instructions: null,
    })
  })
})
