/**
 * POST /webhooks/stripe: Stripe-Signature verified (300 s tolerance), a paid Checkout session or
 * Stripe invoice with our metadata pays our invoice once, subscriptions keep the business's plan.
 */
import { env } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import { peopleDb } from '../src/db'
import { subscriptions } from '../src/people/schema'
import { eq } from 'drizzle-orm'
import { api, createClient, createOrg, unique, type TestOrg } from './helpers/factories'
import { deliver, nowSeconds, receiptsOf, stripeSignature } from './helpers/webhooks'

const SECRET = 'whsec_test_secret_0123456789'
/** The business's connected Stripe account, which its invoices are paid into. */
const ACCOUNT = 'acct_1StripeHookTest01'

type Invoice = {
  id: string
  status: string
  paid_cents: number
  payments: Array<{ amount_cents: number; method: string }>
}

async function openInvoice(org: TestOrg, total = 12500): Promise<string> {
  expect((await api(org, 'PATCH', '/api/v1/organization', { stripe_account_id: ACCOUNT })).status).toBe(200)
  const c = await createClient(org, { first_name: 'Ivy', email: `ivy-${unique()}@example.com` })
  const res = await api(org, 'POST', '/api/v1/invoices', {
    org_client_id: c.org_client_id,
    total_cents: total,
    due_date: '2030-05-01',
  })
  return (await res.json<{ invoice: { id: string } }>()).invoice.id
}

const invoiceOf = async (org: TestOrg, id: string) => (await api(org, 'GET', `/api/v1/invoices/${id}`)).json<Invoice>()

function event(
  type: string,
  object: Record<string, unknown>,
  id = `evt_${unique()}`,
  created = nowSeconds(),
  account: string | null = ACCOUNT,
) {
  return JSON.stringify({
    id,
    object: 'event',
    ...(account ? { account } : {}),
    api_version: '2026-10-28.endive',
    created,
    type,
    livemode: false,
    data: { object },
  })
}

const checkout = (org: TestOrg, invoiceId: string, over: Record<string, unknown> = {}) => ({
  id: `cs_test_${unique()}`,
  object: 'checkout.session',
  mode: 'payment',
  payment_status: 'paid',
  status: 'complete',
  amount_total: 12500,
  currency: 'usd',
  payment_intent: `pi_${unique()}`,
  customer: null,
  customer_details: { email: 'ivy@example.com', phone: null },
  metadata: { organization_id: org.organizationId, invoice_id: invoiceId },
  ...over,
})

async function post(body: string, signature?: string) {
  return deliver('/webhooks/stripe', body, { 'stripe-signature': signature ?? (await stripeSignature(body, SECRET)) })
}

describe('POST /webhooks/stripe', () => {
  it('marks our invoice paid from checkout.session.completed, and a replay pays nothing twice', async () => {
    const org = await createOrg()
    const invoiceId = await openInvoice(org)
    const session = checkout(org, invoiceId)
    const body = event('checkout.session.completed', session)
    const res = await post(body)
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ ok: true, duplicate: false, recorded: true })
    expect(await invoiceOf(org, invoiceId)).toMatchObject({
      status: 'paid',
      paid_cents: 12500,
      payments: [{ amount_cents: 12500, method: 'stripe' }],
    })

    expect(await (await post(body)).json()).toEqual({ ok: true, duplicate: true, recorded: false })
    // Another event about the same PaymentIntent is not a second payment either.
    const again = await post(event('checkout.session.completed', session))
    expect(await again.json()).toMatchObject({
      ok: true,
      recorded: false,
      ignored: expect.stringContaining('already recorded'),
    })
    expect((await invoiceOf(org, invoiceId)).payments).toHaveLength(1)
    expect((await receiptsOf(org)).map((r) => [r.provider, r.status])).toEqual([
      ['stripe', 'processed'],
      ['stripe', 'ignored'],
    ])
  })

  it("records invoice.paid by the Stripe invoice's metadata and ignores a session not yet paid", async () => {
    const org = await createOrg()
    const invoiceId = await openInvoice(org, 9900)
    const unpaid = await post(
      event('checkout.session.completed', checkout(org, invoiceId, { payment_status: 'unpaid' })),
    )
    expect(await unpaid.json()).toMatchObject({ ok: true, ignored: expect.any(String) })
    expect(await invoiceOf(org, invoiceId)).toMatchObject({ status: 'open', paid_cents: 0 })

    const stripeInvoice = {
      id: `in_${unique()}`,
      object: 'invoice',
      customer: 'cus_abc',
      amount_paid: 9900,
      currency: 'usd',
      status: 'paid',
      parent: null,
      metadata: { organization_id: org.organizationId, invoice_id: invoiceId },
    }
    expect(await (await post(event('invoice.paid', stripeInvoice))).json()).toMatchObject({ recorded: true })
    expect(await invoiceOf(org, invoiceId)).toMatchObject({ status: 'paid', paid_cents: 9900 })
  })

  it("counts only money paid in dollars into the business's own Stripe account, whatever the metadata says", async () => {
    const org = await createOrg()
    const invoiceId = await openInvoice(org)
    // Someone else's connected account (or the platform's own) naming this invoice in its metadata.
    const cases = [
      event('checkout.session.completed', checkout(org, invoiceId), undefined, undefined, 'acct_1SomeoneElse0001'),
      event('checkout.session.completed', checkout(org, invoiceId), undefined, undefined, null),
      event(
        'invoice.paid',
        {
          id: `in_${unique()}`,
          object: 'invoice',
          amount_paid: 12500,
          currency: 'usd',
          metadata: { organization_id: org.organizationId, invoice_id: invoiceId },
        },
        undefined,
        undefined,
        'acct_1SomeoneElse0001',
      ),
      // The right account, but 12,500 of a currency worth a fraction of a cent.
      event('checkout.session.completed', checkout(org, invoiceId, { currency: 'idr' })),
    ]
    for (const body of cases) {
      const res = await post(body)
      expect(res.status).toBe(200)
      expect(await res.json()).toMatchObject({ ok: true, recorded: false, ignored: expect.any(String) })
    }
    expect(await invoiceOf(org, invoiceId)).toMatchObject({ status: 'open', paid_cents: 0, payments: [] })

    // A business with no Stripe account of its own is never paid by a Stripe event.
    const other = await createOrg()
    const c = await createClient(other, { first_name: 'Ned', email: `ned-${unique()}@example.com` })
    const open = await api(other, 'POST', '/api/v1/invoices', {
      org_client_id: c.org_client_id,
      total_cents: 12500,
      due_date: '2030-05-01',
    })
    const otherInvoice = (await open.json<{ invoice: { id: string } }>()).invoice.id
    expect(await (await post(event('checkout.session.completed', checkout(other, otherInvoice)))).json()).toMatchObject(
      {
        recorded: false,
      },
    )
    expect((await invoiceOf(other, otherInvoice)).status).toBe('open')
  })

  it('answers 200 and does nothing for an event without our metadata', async () => {
    const org = await createOrg()
    const invoiceId = await openInvoice(org)
    const res = await post(event('checkout.session.completed', checkout(org, invoiceId, { metadata: {} })))
    expect(await res.json()).toMatchObject({ ok: true, duplicate: false, ignored: expect.any(String) })
    const unused = await post(event('payment_intent.created', { id: 'pi_1', object: 'payment_intent' }))
    expect(await unused.json()).toMatchObject({ ok: true, ignored: expect.any(String) })
    expect((await invoiceOf(org, invoiceId)).status).toBe('open')
    expect(await receiptsOf(org)).toEqual([])
  })

  it('refuses a stale timestamp, a tampered body, a wrong secret and a missing header with 401', async () => {
    const org = await createOrg()
    const invoiceId = await openInvoice(org)
    const body = event('checkout.session.completed', checkout(org, invoiceId))
    const cases = [
      await post(body, await stripeSignature(body, SECRET, nowSeconds() - 301)),
      await post(body.replace('12500', '1'), await stripeSignature(body, SECRET)),
      await post(body, await stripeSignature(body, 'whsec_another')),
      await deliver('/webhooks/stripe', body),
    ]
    for (const res of cases) {
      expect(res.status).toBe(401)
      expect((await res.json<{ error: { code: string } }>()).error.code).toBe('unauthorized')
    }
    expect(await invoiceOf(org, invoiceId)).toMatchObject({ status: 'open', paid_cents: 0 })
    expect(await receiptsOf(org)).toEqual([])
    // Within the tolerance, and with a second v1 from a rolled secret, it is accepted.
    const rolled = `${await stripeSignature(body, SECRET, nowSeconds() - 290)},v1=${'0'.repeat(64)}`
    expect(await (await post(body, rolled)).json()).toMatchObject({ recorded: true })
  })

  it("keeps the business's plan and status from customer.subscription.* and ignores an older update", async () => {
    const org = await createOrg()
    const customer = `cus_${unique()}`
    const sub = (
      status: string,
      plan: string,
      metadata: Record<string, string> = { organization_id: org.organizationId },
    ) => ({
      id: `sub_${customer}`,
      object: 'subscription',
      customer,
      status,
      metadata,
      items: {
        object: 'list',
        data: [
          {
            id: 'si_1',
            current_period_end: 1_900_000_000,
            price: { id: `price_${plan}`, lookup_key: plan, nickname: null },
          },
        ],
      },
    })
    const stored = async () =>
      (await peopleDb(env.PEOPLE)
        .select()
        .from(subscriptions)
        .where(eq(subscriptions.organizationId, org.organizationId))
        .get()) ?? null
    const t = nowSeconds()
    expect(
      await (
        await post(event('customer.subscription.created', sub('trialing', 'starter'), undefined, t - 100, null))
      ).json(),
    ).toEqual({ ok: true, duplicate: false })
    const updated = event('customer.subscription.updated', sub('active', 'pro', {}), undefined, t - 50, null)
    expect(await (await post(updated)).json()).toEqual({ ok: true, duplicate: false })
    expect(await stored()).toMatchObject({
      stripeCustomerId: customer,
      stripeSubscriptionId: `sub_${customer}`,
      plan: 'pro',
      status: 'active',
      currentPeriodEnd: new Date(1_900_000_000_000).toISOString(),
    })

    expect(await (await post(updated)).json()).toEqual({ ok: true, duplicate: true })
    await post(event('customer.subscription.updated', sub('past_due', 'starter'), undefined, t - 80, null))
    expect(await stored()).toMatchObject({ plan: 'pro', status: 'active' })
    await post(event('customer.subscription.deleted', sub('canceled', 'pro'), undefined, t, null))
    expect(await stored()).toMatchObject({ status: 'canceled' })

    // A connected account's own subscription naming this business changes nothing of its plan.
    const foreign = event('customer.subscription.updated', sub('active', 'business'), undefined, t + 10, ACCOUNT)
    expect(await (await post(foreign)).json()).toMatchObject({ ok: true, ignored: expect.any(String) })
    expect(await stored()).toMatchObject({ plan: 'pro', status: 'canceled' })
  })
})
