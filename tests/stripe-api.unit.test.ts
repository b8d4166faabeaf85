import { describe, expect, it } from 'vitest'
import { openBillingPortal } from '../src/billing/portal'
import { STRIPE_API_BASE, stripeApiBase } from '../src/integrations/stripe-api'
import { createCheckoutSession } from '../src/portal/stripe-checkout'

describe("Stripe's API base", () => {
  it('is api.stripe.com unless the environment names another, without a trailing slash', () => {
    expect(stripeApiBase({})).toBe('https://api.stripe.com')
    expect(stripeApiBase({ STRIPE_API_BASE: '  ' })).toBe(STRIPE_API_BASE)
    expect(stripeApiBase({ STRIPE_API_BASE: 'http://127.0.0.1:4242/' })).toBe('http://127.0.0.1:4242')
  })

  it('is where Checkout sessions and billing portal sessions are created', async () => {
    const calls: string[] = []
    const fetcher = (async (url: string | URL | Request) => {
      calls.push(String(url))
      return Response.json({ id: 'cs_test_1', url: 'https://stripe.test/c/pay/cs_test_1' })
    }) as typeof fetch
    const apiBase = stripeApiBase({ STRIPE_API_BASE: 'http://127.0.0.1:4242' })
    await createCheckoutSession(
      {
        apiBase,
        secretKey: 'sk_test_1',
        accountId: 'acct_1',
        organizationId: 'org-1',
        invoice: { id: 'inv-1', number: 1001, balance_cents: 5_000 },
        businessName: 'Pipe Pros',
        successUrl: 'https://x/p/t?done=paid',
        cancelUrl: 'https://x/p/t',
      },
      fetcher,
    )
    await openBillingPortal(
      { apiBase, secretKey: 'sk_test_1', customer: 'cus_1', returnUrl: 'https://x/app/billing' },
      fetcher,
    )
    expect(calls).toEqual([
      'http://127.0.0.1:4242/v1/checkout/sessions',
      'http://127.0.0.1:4242/v1/billing_portal/sessions',
    ])
  })
})
