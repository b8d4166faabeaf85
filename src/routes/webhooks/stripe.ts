/** Stripe's webhook: `Stripe-Signature` verified on the raw body (300 s tolerance) before the event is read. */
import { Hono } from 'hono'
import type { AppEnv } from '../../env'
import { AppError, invalidInput } from '../../errors'
import { verifyStripe } from '../../integrations/signatures'
import { handleStripeEvent, parseStripeEvent } from '../../integrations/stripe'

export const stripeWebhooks = new Hono<AppEnv>().post('/', async (c) => {
  const raw = new Uint8Array(await c.req.arrayBuffer())
  const secret = c.env.STRIPE_WEBHOOK_SECRET
  if (!secret) throw new AppError(401, 'unauthorized', 'Stripe webhooks are not configured.')
  const verdict = await verifyStripe(raw, c.req.header('stripe-signature') ?? null, secret, Date.now() / 1000)
  if (!verdict.ok) throw new AppError(401, 'unauthorized', `Invalid Stripe-Signature (${verdict.reason}).`)
  const text = new TextDecoder().decode(raw)
  const event = parseStripeEvent(text)
  if (!event) throw invalidInput([{ path: 'body', message: 'is not a Stripe event' }])
  return c.json(await handleStripeEvent(c.env, event, text))
})
