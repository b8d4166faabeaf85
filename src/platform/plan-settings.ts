/**
 * Plans as operators set them at /admin/plans: name, monthly price, the Stripe price a
 * subscription names, and the limits (texts per month, team size); with how many businesses are
 * on each. The default plan (Free) is what a business without a live subscription has, so it
 * stays free and is never sold through Stripe.
 */
import { and, eq, inArray, isNull, not, or, sql } from 'drizzle-orm'
import { z } from 'zod'
import { isUniqueViolation, type PeopleDb, peopleDb } from '../db'
import { organizations, plans, subscriptions } from '../people/schema'
import { syncPlanLimits } from '../billing/limits'
import { LIVE_STATUSES } from '../billing/plans'
import type { Env } from '../env'
import type { PlanLimitsMessage } from '../queues/messages'

export type PlanRow = {
  plan_id: string
  name: string
  price_monthly_cents: number
  stripe_price_id: string | null
  sms_per_month: number
  team_size: number
  is_default: boolean
  /** Businesses whose plan it is now (a live subscription on it, or none at all for the default plan). */
  businesses: number
}

/** Every plan in the order they are offered, with its businesses. */
export async function plansWithCounts(db: PeopleDb): Promise<PlanRow[]> {
  const rows = await db.all<Omit<PlanRow, 'is_default'> & { is_default: number }>(sql`
    select p.id as plan_id, p.name, p.price_monthly_cents, p.stripe_price_id, p.sms_per_month, p.team_size,
      p.is_default,
      case when p.is_default = 1 then
        (select count(*) from organizations o left join subscriptions s on s.organization_id = o.id
          where s.plan_id is null or s.status is null or s.status not in ('active', 'trialing', 'past_due')
            or s.plan_id not in (select id from plans))
      else (select count(*) from subscriptions s where s.plan_id = p.id and s.status in ('active', 'trialing', 'past_due'))
      end as businesses
    from plans p order by p.position, p.price_monthly_cents`)
  return rows.map((r) => ({ ...r, is_default: r.is_default === 1 }))
}

const wholeNumber = (what: string, min: number, max: number) =>
  z.coerce
    .number({ message: `Enter ${what} as a whole number.` })
    .int(`Enter ${what} as a whole number.`)
    .min(min, `${what[0]!.toUpperCase()}${what.slice(1)} is at least ${min}.`)
    .max(max, `${what[0]!.toUpperCase()}${what.slice(1)} is at most ${max.toLocaleString('en-US')}.`)

/** A plan's settings as the form sends them (the price in dollars), read into cents. */
export const planForm = z
  .object({
    name: z.string().trim().min(1, 'Give the plan a name.').max(40, 'Keep the name under 40 characters.'),
    price: z
      .string()
      .trim()
      .regex(/^\$?\d{1,5}(\.\d{1,2})?$/, 'Enter the monthly price in dollars, like 49 or 49.00.')
      .transform((v) => Math.round(Number(v.replace('$', '')) * 100)),
    stripe_price_id: z
      .string()
      .trim()
      .regex(/^(price_[A-Za-z0-9]{1,64})?$/, 'A Stripe price id starts with price_, like price_1Pq2Rs.')
      .transform((v) => v || null),
    sms_per_month: wholeNumber('the texts per month', 0, 1_000_000),
    team_size: wholeNumber('the team size', 1, 1000),
  })
  .transform(({ price, ...rest }) => ({ ...rest, price_monthly_cents: price }))

export type PlanSettings = z.output<typeof planForm>

/** Saves a plan's settings; field errors for a rule the form cannot know (the Free plan's, a price another plan uses). */
export async function updatePlan(
  db: PeopleDb,
  id: string,
  settings: PlanSettings,
): Promise<{ ok: true } | { ok: false; errors: Record<string, string> } | null> {
  const plan = await db.select().from(plans).where(eq(plans.id, id)).get()
  if (!plan) return null
  if (plan.isDefault && settings.price_monthly_cents !== 0)
    return {
      ok: false,
      errors: { price: 'The default plan is what businesses without a subscription have: it stays free.' },
    }
  if (plan.isDefault && settings.stripe_price_id)
    return { ok: false, errors: { stripe_price_id: 'The default plan is not sold through Stripe: leave this empty.' } }
  try {
    await db
      .update(plans)
      .set({
        name: settings.name,
        priceMonthlyCents: settings.price_monthly_cents,
        stripePriceId: settings.stripe_price_id,
        smsPerMonth: settings.sms_per_month,
        teamSize: settings.team_size,
      })
      .where(eq(plans.id, id))
      .run()
  } catch (error) {
    if (isUniqueViolation(error))
      return { ok: false, errors: { stripe_price_id: 'Another plan already uses this Stripe price.' } }
    throw error
  }
  return { ok: true }
}

/** How many objects are told at once when a plan's limits change. */
const SYNC_AT_ONCE = 25
/** Businesses per queue message: one message's objects are told within a consumer's limits. */
const BUSINESSES_PER_MESSAGE = 50
/** Queue messages per `sendBatch` (the queue's most). */
const MESSAGES_PER_BATCH = 100

/**
 * Tells every business whose limits come from this plan (its subscription names it, or, for the
 * default plan, it never subscribed or its subscription is no longer live) the plan's new limits:
 * through the events queue, 50 businesses to a message, so a plan of 10,000 businesses is not one
 * request's work. Returns how many businesses are to be told.
 */
export async function syncBusinessesOnPlan(env: Env, planId: string): Promise<number> {
  const db = peopleDb(env.PEOPLE)
  const plan = await db.select({ isDefault: plans.isDefault }).from(plans).where(eq(plans.id, planId)).get()
  if (!plan) return 0
  const live = inArray(subscriptions.status, [...LIVE_STATUSES])
  const own = and(live, eq(subscriptions.planId, planId))
  const fallenBack = or(not(live), isNull(subscriptions.status), isNull(subscriptions.planId))
  // The default plan's businesses include those that never subscribed (told Free at sign-up).
  const ids = (
    await db
      .select({ id: organizations.id })
      .from(organizations)
      .leftJoin(subscriptions, eq(subscriptions.organizationId, organizations.id))
      .where(plan.isDefault ? or(isNull(subscriptions.organizationId), own, fallenBack) : own)
      .all()
  ).map((r) => r.id)
  const messages: { body: PlanLimitsMessage }[] = []
  for (let i = 0; i < ids.length; i += BUSINESSES_PER_MESSAGE)
    messages.push({ body: { type: 'plan_limits', organization_ids: ids.slice(i, i + BUSINESSES_PER_MESSAGE) } })
  for (let i = 0; i < messages.length; i += MESSAGES_PER_BATCH)
    await env.EVENTS.sendBatch(messages.slice(i, i + MESSAGES_PER_BATCH))
  return ids.length
}

/** The events queue's `plan_limits`: each business's object told its plan's limits as D1 has them now, a few at a time. */
export async function syncPlanLimitsOf(env: Env, organizationIds: string[]): Promise<void> {
  for (let i = 0; i < organizationIds.length; i += SYNC_AT_ONCE)
    await Promise.all(organizationIds.slice(i, i + SYNC_AT_ONCE).map((id) => syncPlanLimits(env, id)))
}
