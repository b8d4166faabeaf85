/**
 * The plans HomeBase sells (seed 004's membership tiers) and the plan of one business: its Stripe
 * subscription's plan while the subscription is live (active, trialing, past_due), else the
 * default plan (Free), as with no subscription or a canceled, unpaid or expired one.
 *
 * A new business starts with a free trial of TRIAL_DAYS: it is on Free but nothing is held back.
 * It is held to its plan's limits from its first subscription event on (whatever the subscription
 * became since), or once the trial is over (then Free's limits, until it subscribes).
 */
import { asc, eq, or, sql } from 'drizzle-orm'
import { clock } from '../clock'
import type { PeopleDb } from '../db'
import { organizations, plans, subscriptions } from '../people/schema'

/** Days a new business may use HomeBase before its plan's limits are held (as Jobber's and Housecall Pro's trials). */
export const TRIAL_DAYS = 14

/** When the free trial of a business that signed up at `createdAt` ends. */
export const trialEnd = (createdAt: string) => new Date(Date.parse(createdAt) + TRIAL_DAYS * 86_400_000).toISOString()

export type Plan = typeof plans.$inferSelect

/** A plan as `GET /api/v1/plans` shows it. */
export type PlanJson = {
  plan_id: string
  name: string
  price_monthly_cents: number
  stripe_price_id?: string
  limits: { sms_per_month: number; team_size: number }
}

/** The subscription statuses under which a business keeps its subscription's plan. */
export const LIVE_STATUSES = ['active', 'trialing', 'past_due'] as const

export function planJson(p: Plan): PlanJson {
  return {
    plan_id: p.id,
    name: p.name,
    price_monthly_cents: p.priceMonthlyCents,
    ...(p.stripePriceId ? { stripe_price_id: p.stripePriceId } : {}),
    limits: { sms_per_month: p.smsPerMonth, team_size: p.teamSize },
  }
}

/** Every plan, in the order they are offered. */
export function listPlans(db: PeopleDb): Promise<Plan[]> {
  return db.select().from(plans).orderBy(asc(plans.position), asc(plans.priceMonthlyCents)).all()
}

/** The plan of a business with no live subscription (the migration seeds one: Free). */
export async function defaultPlan(db: PeopleDb): Promise<Plan> {
  const row = await db.select().from(plans).where(eq(plans.isDefault, true)).get()
  if (!row) throw new Error('no default plan: people migration 0012 seeds one')
  return row
}

/**
 * The plan a Stripe price names: the plan whose `stripe_price_id` is the price's id, else the one
 * whose id or lower-cased name is the price's `lookup_key`; null when none does.
 */
export async function planForPrice(
  db: PeopleDb,
  price: { id: string | null; lookupKey: string | null },
): Promise<Plan | null> {
  if (price.id) {
    const byId = await db.select().from(plans).where(eq(plans.stripePriceId, price.id)).get()
    if (byId) return byId
  }
  const key = price.lookupKey?.trim().toLowerCase()
  if (!key) return null
  return (
    (await db
      .select()
      .from(plans)
      .where(or(eq(plans.id, key), eq(sql`lower(${plans.name})`, key)))
      .orderBy(asc(plans.position))
      .get()) ?? null
  )
}

/** A business's plan, with the subscription it comes from (if any). */
export type BusinessPlan = {
  plan: Plan
  /** The subscription's Stripe status, null without one. */
  status: string | null
  /** The end of the subscription's period while the plan comes from it, else null. */
  currentPeriodEnd: string | null
  stripeCustomerId: string | null
  /** True when the plan comes from a live subscription. */
  subscribed: boolean
  /** True once the business has had a subscription or its trial is over: its plan's limits are held. */
  limited: boolean
  /** When the free trial ends (or ended); null once the business has had a subscription. */
  trialEndsAt: string | null
}

/** The plan a business is on now: its live subscription's, else the default. */
export async function businessPlan(db: PeopleDb, organizationId: string, now = clock.now()): Promise<BusinessPlan> {
  const [[sub], [org]] = await db.batch([
    db.select().from(subscriptions).where(eq(subscriptions.organizationId, organizationId)).limit(1),
    db
      .select({ createdAt: organizations.createdAt })
      .from(organizations)
      .where(eq(organizations.id, organizationId))
      .limit(1),
  ])
  const live = !!sub?.status && (LIVE_STATUSES as readonly string[]).includes(sub.status)
  const own = live && sub?.planId ? await db.select().from(plans).where(eq(plans.id, sub.planId)).get() : undefined
  return {
    plan: own ?? (await defaultPlan(db)),
    status: sub?.status ?? null,
    currentPeriodEnd: own ? (sub?.currentPeriodEnd ?? null) : null,
    stripeCustomerId: sub?.stripeCustomerId ?? null,
    subscribed: !!own,
    ...trial(sub ? null : (org?.createdAt ?? null), now),
  }
}

/** Whether the limits are held: always after a subscription (no trial), else once the trial is over. */
function trial(createdAt: string | null, now: Date): Pick<BusinessPlan, 'limited' | 'trialEndsAt'> {
  if (!createdAt) return { limited: true, trialEndsAt: null }
  const ends = trialEnd(createdAt)
  return { limited: now.getTime() >= Date.parse(ends), trialEndsAt: ends }
}
