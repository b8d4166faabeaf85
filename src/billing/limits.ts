/**
 * The plan's limits, enforced with a clear message: the ORG object counts texts against its
 * allowance (it is told the plan here, whenever the plan changes), and an invite that would take
 * the team past the plan's size is refused here (409).
 */
import { and, eq, gt, isNull, sql } from 'drizzle-orm'
import { clock } from '../clock'
import { peopleDb, type PeopleDb } from '../db'
import type { Env } from '../env'
import { AppError } from '../errors'
import { orgStub } from '../organizations'
import { accounts, invites, memberships } from '../people/schema'
import { businessPlan, type BusinessPlan } from './plans'

/** Tells the business's object its plan's limits as D1 has them now; returns the plan. */
export async function syncPlanLimits(env: Env, organizationId: string): Promise<BusinessPlan> {
  const current = await businessPlan(peopleDb(env.PEOPLE), organizationId)
  await orgStub(env, organizationId).setPlanLimits({
    plan_id: current.plan.id,
    plan_name: current.plan.name,
    sms_per_month: current.plan.smsPerMonth,
    team_size: current.plan.teamSize,
    period_end: current.currentPeriodEnd,
    // A business in its trial: held from the trial's end on, with nobody having to tell the object then.
    applies_from: current.trialEndsAt,
  })
  return current
}

/** The places on a business's team: people on it, and open invites to anyone not on it yet (each email once). */
export async function teamPlaces(
  db: PeopleDb,
  organizationId: string,
): Promise<{ members: number; invited: number; emails: Set<string> }> {
  const [people, open] = await db.batch([
    db
      .select({ email: sql<string>`lower(${accounts.email})` })
      .from(memberships)
      .innerJoin(accounts, eq(accounts.id, memberships.accountId))
      .where(eq(memberships.organizationId, organizationId)),
    db
      .selectDistinct({ email: sql<string>`lower(${invites.email})` })
      .from(invites)
      .where(
        and(
          eq(invites.organizationId, organizationId),
          isNull(invites.acceptedAt),
          gt(invites.expiresAt, clock.now().toISOString()),
        ),
      ),
  ])
  const emails = new Set(people.map((p) => p.email))
  const invited = open.filter((i) => !emails.has(i.email))
  for (const i of invited) emails.add(i.email)
  return { members: people.length, invited: invited.length, emails }
}

/**
 * 409 `plan_limit` naming the plan when inviting `email` would take the team past the plan's size;
 * someone already on the team or invited takes no new place. A business not yet held to its
 * plan's limits (plans.ts) is not refused.
 */
export async function assertRoomOnTeam(db: PeopleDb, organizationId: string, email: string): Promise<void> {
  const [{ plan, limited }, places] = await Promise.all([
    businessPlan(db, organizationId),
    teamPlaces(db, organizationId),
  ])
  if (!limited || places.emails.has(email.toLowerCase())) return
  const taken = places.members + places.invited
  if (taken < plan.teamSize) return
  const invited = places.invited > 0 ? ` and ${places.invited} invited` : ''
  throw new AppError(
    409,
    'plan_limit',
    `The ${plan.name} plan has room for ${plan.teamSize} people on the team (${places.members} on it${invited}). Upgrade on the Billing page to invite more.`,
  )
}
