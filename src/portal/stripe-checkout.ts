/**
 * Paying an invoice from the portal: a Stripe Checkout Session created server-side on the
 * business's connected account. The invoice id rides in the metadata; the Stripe webhook
 * (`checkout.session.completed`) marks our invoice paid.
 */

export type CheckoutInput = {
  /** Stripe's API origin (`stripeApiBase(env)`: the real one unless the environment names a fake). */
  apiBase: string
  secretKey: string
  /** The business's connected account (`acct_…`), sent as `Stripe-Account`. */
  accountId: string
  organizationId: string
  invoice: { id: string; number: number; balance_cents: number }
  businessName: string
  customerEmail?: string | null
  successUrl: string
  cancelUrl: string
}

export type CheckoutSession = { id: string; url: string }

export class StripeCheckoutError extends Error {}

/** The form fields of the Checkout Session request, in Stripe's bracket notation. */
export function checkoutForm(input: Omit<CheckoutInput, 'apiBase'>): URLSearchParams {
  const form = new URLSearchParams({
    mode: 'payment',
    'line_items[0][quantity]': '1',
    'line_items[0][price_data][currency]': 'usd',
    'line_items[0][price_data][unit_amount]': String(input.invoice.balance_cents),
    'line_items[0][price_data][product_data][name]': `Invoice #${input.invoice.number} from ${input.businessName}`,
    'metadata[organization_id]': input.organizationId,
    'metadata[invoice_id]': input.invoice.id,
    'payment_intent_data[metadata][organization_id]': input.organizationId,
    'payment_intent_data[metadata][invoice_id]': input.invoice.id,
    client_reference_id: input.invoice.id,
    success_url: input.successUrl,
    cancel_url: input.cancelUrl,
  })
  if (input.customerEmail) form.set('customer_email', input.customerEmail)
  return form
}

/** Creates the session; throws StripeCheckoutError with Stripe's message when it is refused. */
export async function createCheckoutSession(
  input: CheckoutInput,
  fetcher: typeof fetch = fetch,
): Promise<CheckoutSession> {
  const res = await fetcher(`${input.apiBase}/v1/checkout/sessions`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${input.secretKey}`,
      'content-type': 'application/x-www-form-urlencoded',
      'stripe-account': input.accountId,
    },
    body: checkoutForm(input).toString(),
  })
  const body = (await res.json().catch(() => null)) as {
    id?: unknown
    url?: unknown
    error?: { message?: unknown }
  } | null
  if (!res.ok || typeof body?.id !== 'string' || typeof body.url !== 'string') {
    const message = typeof body?.error?.message === 'string' ? body.error.message : `HTTP ${res.status}`
    throw new StripeCheckoutError(`Stripe refused the checkout session: ${message}`)
  }
  return { id: body.id, url: body.url }
}
