/**
 * Where Stripe's API is: `https://api.stripe.com`, or `STRIPE_API_BASE` when set, so tests and local
 * development can point Checkout and the billing portal at a fake Stripe. Only the Worker's
 * environment sets it; no request can.
 */
import type { Env } from '../env'

export const STRIPE_API_BASE = 'https://api.stripe.com'

/** The origin (and any path prefix) Stripe's `/v1/...` endpoints hang off, without a trailing slash. */
export function stripeApiBase(env: Pick<Env, 'STRIPE_API_BASE'>): string {
  return (env.STRIPE_API_BASE?.trim() || STRIPE_API_BASE).replace(/\/+$/, '')
}
