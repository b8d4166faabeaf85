/** Helpers for billing tests: plans of known sizes in D1, signed Stripe subscription events, a business's plan rows. */
import { env } from 'cloudflare:test'
import { peopleDb } from '../../src/db'
import { plans } from '../../src/people/schema'
import { type TestOrg, unique } from './factories'
import { deliver, nowSeconds, stripeSignature } from './webhooks'

const SECRET = 'whsec_test_secret_0123456789'

export type TestPlan = { id: string; name: string; priceId: string; priceCents: number }

/** A plan of its own for one test (a unique id, name and Stripe price), after the seeded four. */
export async function makePlan(opts: { sms: number; team: number; priceCents?: number; name?: string }) {
  const suffix = unique()
  const plan: TestPlan = {
    id: `plan_test_${suffix}`,
    name: opts.name ?? `Tiny ${suffix}`,
    priceId: `price_${suffix}`,
    priceCents: opts.priceCents ?? 1500,
  }
  await peopleDb(env.PEOPLE)
    .insert(plans)
    .values({
      id: plan.id,
      name: plan.name,
      priceMonthlyCents: plan.priceCents,
      stripePriceId: plan.priceId,
      smsPerMonth: opts.sms,
      teamSize: opts.team,
      position: 10,
    })
    .run()
  return plan
}

/** A Stripe Subscription object for the business (its metadata names it unless `metadata` says otherwise). */
export function subscriptionObject(
  org: TestOrg | null,
  s: {
    customer: string
    status: string
    price: { id: string; lookup_key?: string | null }
    periodEnd?: number
    metadata?: Record<string, string>
  },
) {
  return {
    id: `sub_${s.customer}`,
    object: 'subscription',
    customer: s.customer,
    status: s.status,
    metadata: s.metadata ?? (org ? { organization_id: org.organizationId } : {}),
    items: {
      object: 'list',
      data: [
        {
          id: `si_${s.customer}`,
          current_period_end: s.periodEnd ?? nowSeconds() + 20 * 86_400,
          price: { id: s.price.id, lookup_key: s.price.lookup_key ?? null, nickname: null },
        },
      ],
    },
  }
}

/** A signed-ready event body. */
export function stripeEvent(type: string, object: unknown, id = `evt_${unique()}`, created = nowSeconds()) {
  return JSON.stringify({
    id,
    object: 'event',
    api_version: '2026-10-28.endive',
    created,
    type,
    livemode: false,
    data: { object },
  })
}

/** Posts an event body to /webhooks/stripe, signed with the test secret. */
export async function postStripe(body: string) {
  return deliver('/webhooks/stripe', body, { 'stripe-signature': await stripeSignature(body, SECRET) })
}

/** Puts the business on `plan` through a `customer.subscription.updated` event; returns its Stripe customer id. */
export async function subscribe(org: TestOrg, plan: TestPlan, status = 'active', customer = `cus_${unique()}`) {
  const res = await postStripe(
    stripeEvent(
      'customer.subscription.updated',
      subscriptionObject(org, { customer, status, price: { id: plan.priceId } }),
    ),
  )
  if (res.status !== 200) throw new Error(`subscription event: ${res.status} ${await res.text()}`)
  return customer
}

/** The business's D1 subscription row and plan history, oldest first. */
export async function billingRows(org: TestOrg) {
  const sub = await env.PEOPLE.prepare(
    'select plan_id, status, mrr_cents, stripe_customer_id from subscriptions where organization_id = ?',
  )
    .bind(org.organizationId)
    .first<{ plan_id: string | null; status: string; mrr_cents: number; stripe_customer_id: string }>()
  const history = (
    await env.PEOPLE.prepare(
      'select plan_id, status, mrr_cents, stripe_event_id from subscription_history where organization_id = ? order by at, rowid',
    )
      .bind(org.organizationId)
      .all<{ plan_id: string | null; status: string; mrr_cents: number; stripe_event_id: string }>()
  ).results
  return { sub, history }
}

/** The `plan` of GET /api/v1/organization. */
export type PlanView = {
  plan_id: string
  name: string
  status: string | null
  current_period_end: string
  limits: { sms_per_month: number; team_size: number }
  limits_apply: boolean
  trial_ends_at: string | null
  usage: { sms_this_period: number; team: number; team_invited: number }
}
