/**
 * A business's HomeBase subscription as Stripe's `customer.subscription.*` events tell it: the
 * plan its first item's price names, the MRR it brings (the plan's monthly price while `active`;
 * trialing and every other status count 0), and its history, one row per Stripe event.
 */
import type { PeopleDb } from '../db'
import { arr, obj, str, type Json } from '../integrations/inbound/canonical'
import { subscriptionHistory } from '../people/schema'
import { planForPrice } from './plans'

/** The plan and MRR of a subscription object in `status`; no plan named: null (the default plan) and 0. */
export async function subscriptionPlan(
  db: PeopleDb,
  sub: Json,
  status: string | null,
): Promise<{ planId: string | null; mrrCents: number }> {
  const price = obj(obj(arr(obj(sub['items'])['data'])[0])['price'])
  const plan = await planForPrice(db, { id: str(price['id']), lookupKey: str(price['lookup_key']) })
  return { planId: plan?.id ?? null, mrrCents: plan && status === 'active' ? plan.priceMonthlyCents : 0 }
}

/** Appends one change to the business's plan history; a Stripe event already recorded adds nothing. */
export async function recordPlanChange(
  db: PeopleDb,
  change: {
    organizationId: string
    planId: string | null
    status: string | null
    mrrCents: number
    eventId: string
    at: string
  },
): Promise<void> {
  await db
    .insert(subscriptionHistory)
    .values({
      id: crypto.randomUUID(),
      organizationId: change.organizationId,
      planId: change.planId,
      status: change.status,
      mrrCents: change.mrrCents,
      stripeEventId: change.eventId,
      at: change.at,
    })
    .onConflictDoNothing({ target: subscriptionHistory.stripeEventId })
    .run()
}
