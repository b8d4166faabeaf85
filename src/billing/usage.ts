/**
 * A business's plan and its use this billing period, as `GET /api/v1/organization` (`plan`) and
 * the Billing page show it: texts counted by its object, the team from the registry.
 */
import { clock } from '../clock'
import { peopleDb } from '../db'
import type { Env } from '../env'
import type { Organization } from '../organizations'
import { orgStub } from '../organizations'
import { teamPlaces } from './limits'
import { billingPeriod } from './period'
import { type BusinessPlan, businessPlan } from './plans'

/** The `plan` of `GET /api/v1/organization`. */
export type PlanUsage = {
  plan_id: string
  name: string
  price_monthly_cents: number
  /** The Stripe subscription's status; null without one. */
  status: string | null
  /** The period usage is counted in: the subscription's, else the calendar month on the business's clock. */
  current_period_start: string
  current_period_end: string
  limits: { sms_per_month: number; team_size: number }
  /** Whether the limits are held yet: from the business's first subscription or the trial's end on (plans.ts). */
  limits_apply: boolean
  /** When the free trial ends or ended; null once the business has had a subscription. */
  trial_ends_at: string | null
  /** Texts counted this period, people on the team, and open invites (each takes a place too). */
  usage: { sms_this_period: number; team: number; team_invited: number }
}

/** The plan, its row and the subscription it comes from, with this period's usage. */
export type BillingOverview = { current: BusinessPlan; usage: PlanUsage }

export async function billingOverview(env: Env, organization: Organization): Promise<BillingOverview> {
  const db = peopleDb(env.PEOPLE)
  const current = await businessPlan(db, organization.id)
  const period = billingPeriod(clock.now(), current.currentPeriodEnd, organization.timezone)
  const [counted, team] = await Promise.all([
    orgStub(env, organization.id).usage(period.start.toISOString()),
    teamPlaces(db, organization.id),
  ])
  return { current, usage: planUsage(current, period, counted.sms_this_period, team) }
}

function planUsage(
  { plan, status, limited, trialEndsAt }: BusinessPlan,
  period: { start: Date; end: Date },
  sms: number,
  team: { members: number; invited: number },
): PlanUsage {
  return {
    plan_id: plan.id,
    name: plan.name,
    price_monthly_cents: plan.priceMonthlyCents,
    status,
    current_period_start: period.start.toISOString(),
    current_period_end: period.end.toISOString(),
    limits: { sms_per_month: plan.smsPerMonth, team_size: plan.teamSize },
    limits_apply: limited,
    trial_ends_at: trialEndsAt,
    usage: { sms_this_period: sms, team: team.members, team_invited: team.invited },
  }
}
