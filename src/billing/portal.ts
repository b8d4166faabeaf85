/**
 * "Manage billing in Stripe": a Stripe Billing Portal session for the business's own Stripe
 * customer (HomeBase's account, not the business's connected one), where the owner changes plan,
 * card or cancels; Stripe sends them back to the Billing page.
 */
import { AppError } from '../errors'

/** Creates the portal session and returns its one-time `url`; Stripe refusing it is a 502 saying so. */
export async function openBillingPortal(
  input: { apiBase: string; secretKey: string; customer: string; returnUrl: string },
  fetcher: typeof fetch = fetch,
): Promise<string> {
  const res = await fetcher(`${input.apiBase}/v1/billing_portal/sessions`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${input.secretKey}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams({ customer: input.customer, return_url: input.returnUrl }).toString(),
  })
  const body = (await res.json().catch(() => null)) as { url?: unknown; error?: { message?: unknown } } | null
  if (!res.ok || typeof body?.url !== 'string' || !body.url.startsWith('https://')) {
    const message = typeof body?.error?.message === 'string' ? body.error.message : `HTTP ${res.status}`
    console.error('billing: Stripe refused the billing portal session', message)
    throw new AppError(502, 'stripe_unavailable', 'Stripe could not open the billing portal just now. Try again.')
  }
  return body.url
}
