// A small local Stripe for browser tests: `POST /v1/checkout/sessions` answers as Stripe does, the
// session's `url` is a checkout page with a Pay button, and paying sends the Worker a signed
// `checkout.session.completed` (as Stripe would, from the connected account) before sending the
// browser back to the session's `success_url`. Start the Worker with `STRIPE_API_BASE` set to `url`.
import { createHmac, randomBytes } from 'node:crypto'
import { createServer } from 'node:http'

const id = (prefix) => `${prefix}_${randomBytes(12).toString('hex')}`
const now = () => Math.floor(Date.now() / 1000)
const html = (s) =>
  String(s).replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch])

/** `Stripe-Signature` as Stripe computes it: `t=…,v1=` hex HMAC-SHA256 of `{t}.{body}` under the endpoint secret. */
export function stripeSignature(body, secret, t = now()) {
  return `t=${t},v1=${createHmac('sha256', secret).update(`${t}.${body}`).digest('hex')}`
}

/** Stripe's bracket notation (`metadata[invoice_id]`) read back into the one level of nesting the session uses. */
function field(form, name) {
  const out = {}
  for (const [key, value] of form) {
    const m = new RegExp(`^${name}\\[([^\\]]+)\\]$`).exec(key)
    if (m) out[m[1]] = value
  }
  return out
}

/** The Checkout Session object of a create request, trimmed to the fields Stripe always sends. */
function sessionOf(form, url, account) {
  const sessionId = id('cs_test')
  const amount =
    Number(form.get('line_items[0][price_data][unit_amount]')) * Number(form.get('line_items[0][quantity]'))
  return {
    id: sessionId,
    object: 'checkout.session',
    account,
    amount_subtotal: amount,
    amount_total: amount,
    cancel_url: form.get('cancel_url'),
    client_reference_id: form.get('client_reference_id'),
    created: now(),
    currency: form.get('line_items[0][price_data][currency]'),
    customer_email: form.get('customer_email'),
    expires_at: now() + 24 * 3600,
    livemode: false,
    metadata: field(form, 'metadata'),
    mode: form.get('mode'),
    payment_intent: null,
    payment_status: 'unpaid',
    product_name: form.get('line_items[0][price_data][product_data][name]'),
    status: 'open',
    success_url: form.get('success_url'),
    url: `${url}/c/pay/${sessionId}`,
  }
}

const stripeError = (message, param) => ({
  error: { type: 'invalid_request_error', message, ...(param ? { param } : {}) },
})

/**
 * Starts the fake on a free loopback port. `secretKey` is the only key it accepts; `webhookSecret`
 * signs the events it posts to `webhook` (set once the Worker's URL is known). `requests` keeps
 * every API call (headers and form) for the test to check.
 */
export async function startStripeFake({ secretKey, webhookSecret }) {
  const requests = []
  const sessions = new Map()
  const deliveries = []
  const fake = { url: '', webhook: '', requests, sessions, deliveries }

  const server = createServer(async (req, res) => {
    const path = new URL(req.url, 'http://127.0.0.1').pathname
    let body = ''
    for await (const chunk of req) body += chunk
    const send = (status, type, text, headers = {}) => {
      res.writeHead(status, { 'content-type': type, ...headers })
      res.end(text)
    }
    const json = (status, value) => send(status, 'application/json', JSON.stringify(value))

    if (req.method === 'POST' && path === '/v1/checkout/sessions') {
      const form = new URLSearchParams(body)
      requests.push({ path, headers: req.headers, form })
      if (req.headers.authorization !== `Bearer ${secretKey}`)
        return json(401, stripeError(`Invalid API Key provided: ${req.headers.authorization ?? ''}`))
      for (const param of ['mode', 'success_url', 'line_items[0][price_data][unit_amount]'])
        if (!form.get(param)) return json(400, stripeError(`Missing required param: ${param}.`, param))
      const session = sessionOf(form, fake.url, req.headers['stripe-account'] ?? null)
      sessions.set(session.id, session)
      const { account: _, product_name: __, ...answer } = session
      return json(200, answer)
    }

    const page = /^\/c\/pay\/(cs_test_\w+)(\/pay)?$/.exec(path)
    const session = page ? sessions.get(page[1]) : undefined
    if (!session) return send(404, 'text/plain', 'No such checkout session')
    if (req.method === 'GET' && !page[2]) {
      const amount = (session.amount_total / 100).toFixed(2)
      return send(
        200,
        'text/html; charset=utf-8',
        `<!doctype html><meta name="viewport" content="width=device-width"><title>Stripe Checkout</title>
<h1 data-testid="checkout-product">${html(session.product_name)}</h1>
<p data-testid="checkout-amount">$${amount}</p>
<form method="post" action="/c/pay/${session.id}/pay"><button type="submit">Pay $${amount}</button></form>
<a href="${html(session.cancel_url)}">Back</a>`,
      )
    }
    if (req.method === 'POST' && page[2]) {
      const paid = { ...session, status: 'complete', payment_status: 'paid', payment_intent: id('pi'), url: null }
      sessions.set(session.id, paid)
      const { account, product_name: _, ...object } = paid
      const event = JSON.stringify({
        id: id('evt'),
        object: 'event',
        account,
        api_version: '2026-10-28.endive',
        created: now(),
        data: { object },
        livemode: false,
        pending_webhooks: 1,
        request: { id: null, idempotency_key: null },
        type: 'checkout.session.completed',
      })
      const answer = await fetch(fake.webhook, {
        method: 'POST',
        headers: {
          'content-type': 'application/json; charset=utf-8',
          'user-agent': 'Stripe/1.0 (+https://stripe.com/docs/webhooks)',
          'stripe-signature': stripeSignature(event, webhookSecret),
        },
        body: event,
      })
      deliveries.push({ event: JSON.parse(event), status: answer.status, answer: await answer.text() })
      if (!answer.ok) return send(502, 'text/plain', `The webhook answered ${answer.status}`)
      return send(303, 'text/plain', '', { location: paid.success_url })
    }
    return send(405, 'text/plain', 'Method not allowed')
  })

  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  fake.url = `http://127.0.0.1:${server.address().port}`
  fake.stop = () => new Promise((resolve) => server.close(resolve))
  return fake
}
