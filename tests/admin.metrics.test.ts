import { env } from 'cloudflare:test'
import { messages } from '../durable-objects/org/schema'
import { describe, expect, it } from 'vitest'
import { peopleDb } from '../src/db'
import { engagementOf } from '../src/platform/engagement'
import { platformFigures } from '../src/platform/figures'
import { computeOrgMetrics } from '../src/platform/metrics-job'
import { expectedMonths, lifetimeValueCents, totalSpentCents } from '../src/platform/revenue'
import { createClient } from './helpers/factories'
import { signInOperator } from './helpers/operator'
import { DAY_MS, inOrg, orgMetricsOf, seedBusiness, until } from './helpers/platform'
import { teammate } from './helpers/team'

const NOW = new Date('2026-06-15T12:00:00.000Z')
const daysAgo = (n: number) => new Date(NOW.getTime() - n * DAY_MS).toISOString()

describe('the engagement rule', () => {
  const worked = { jobs30d: 1, messages30d: 0 }
  const idle = { jobs30d: 0, messages30d: 0 }
  it('is active with a sign-in within 7 days and a job or a message in 30', () => {
    expect(engagementOf({ lastSignInAt: daysAgo(6.9), ...worked }, NOW)).toBe('active')
    expect(engagementOf({ lastSignInAt: daysAgo(0), jobs30d: 0, messages30d: 3 }, NOW)).toBe('active')
  })
  it('is dormant with no sign-in for 30 days (or ever) and nothing in 30 days', () => {
    expect(engagementOf({ lastSignInAt: daysAgo(30), ...idle }, NOW)).toBe('dormant')
    expect(engagementOf({ lastSignInAt: null, ...idle }, NOW)).toBe('dormant')
  })
  it('is at risk in between', () => {
    // Exactly 7 days is no longer "within 7 days".
    expect(engagementOf({ lastSignInAt: daysAgo(7), ...worked }, NOW)).toBe('at_risk')
    // A paying business working without anyone signing in for two weeks.
    expect(engagementOf({ lastSignInAt: daysAgo(14), ...worked }, NOW)).toBe('at_risk')
    // Signed in lately but doing nothing; never signed in but working (the API only).
    expect(engagementOf({ lastSignInAt: daysAgo(1), ...idle }, NOW)).toBe('at_risk')
    expect(engagementOf({ lastSignInAt: null, ...worked }, NOW)).toBe('at_risk')
    expect(engagementOf({ lastSignInAt: daysAgo(29.9), ...idle }, NOW)).toBe('at_risk')
  })
})

describe('what a business paid and is worth', () => {
  it('charges the MRR in effect every 30 days from the first paid moment', () => {
    expect(totalSpentCents([], NOW)).toBe(0)
    expect(totalSpentCents([{ mrrCents: 0, at: daysAgo(90) }], NOW)).toBe(0)
    // Paid at -65, -35, -5.
    expect(totalSpentCents([{ mrrCents: 9900, at: daysAgo(65) }], NOW)).toBe(3 * 9900)
    // A trial, then paid at -36 and -6; a renewal row on the way changes nothing.
    expect(
      totalSpentCents(
        [
          { mrrCents: 4900, at: daysAgo(6) },
          { mrrCents: 0, at: daysAgo(50) },
          { mrrCents: 4900, at: daysAgo(36) },
        ],
        NOW,
      ),
    ).toBe(2 * 4900)
    // Canceled at -10: charged at -80, -50 and -20, not at +10.
    expect(
      totalSpentCents(
        [
          { mrrCents: 4900, at: daysAgo(80) },
          { mrrCents: 0, at: daysAgo(10) },
        ],
        NOW,
      ),
    ).toBe(3 * 4900)
    // An upgrade counts from the next charge.
    expect(
      totalSpentCents(
        [
          { mrrCents: 4900, at: daysAgo(45) },
          { mrrCents: 9900, at: daysAgo(20) },
        ],
        NOW,
      ),
    ).toBe(4900 + 9900)
  })

  it('expects a paying business to stay one over the monthly churn, at most 36 months', () => {
    expect(expectedMonths(10, 0)).toBe(36)
    expect(expectedMonths(3, 1)).toBe(4)
    expect(expectedMonths(1000, 1)).toBe(36)
    expect(lifetimeValueCents(29_700, 9900, 4)).toBe(69_300)
  })
})

describe('the metrics job on a seeded set of businesses', () => {
  it('computes each business and the platform figures with known answers', async () => {
    const db = peopleDb(env.PEOPLE)
    const before = await platformFigures(db, NOW)
    const active = await seedBusiness(
      {
        name: 'Active Cleaning',
        signedInDaysAgo: 2,
        signedUpDaysAgo: 70,
        clients: 2,
        jobs: [
          { daysAgo: 3, status: 'scheduled' },
          { daysAgo: 10 },
          { daysAgo: 5, status: 'cancelled' },
          { daysAgo: 40 },
          { daysAgo: -2, status: 'scheduled' },
        ],
        messages: [1, 20, 35],
        subscription: { planId: 'plan_pro', status: 'active', mrrCents: 9900, periodEndDaysAhead: 25 },
        history: [{ daysAgo: 65, planId: 'plan_pro', status: 'active', mrrCents: 9900 }],
      },
      NOW,
    )
    const quiet = await seedBusiness(
      {
        name: 'Quiet Plumbing',
        signedInDaysAgo: 20,
        signedUpDaysAgo: 50,
        jobs: [{ daysAgo: 1 }],
        subscription: { planId: 'plan_starter', status: 'active', mrrCents: 4900 },
        history: [
          { daysAgo: 50, planId: 'plan_starter', status: 'trialing', mrrCents: 0 },
          { daysAgo: 36, planId: 'plan_starter', status: 'active', mrrCents: 4900 },
        ],
      },
      NOW,
    )
    // Its owner has not signed in for 20 days, but a tech did 14 days ago: the latest of the team counts.
    const tech = await teammate(quiet, { name: 'Tess Tech' })
    await env.PEOPLE.prepare('update accounts set last_sign_in_at = ? where id = ?').bind(daysAgo(14), tech).run()
    const gone = await seedBusiness(
      {
        name: 'Gone Lawns',
        signedInDaysAgo: null,
        signedUpDaysAgo: 90,
        subscription: { planId: 'plan_starter', status: 'canceled', mrrCents: 0 },
        history: [
          { daysAgo: 80, planId: 'plan_starter', status: 'active', mrrCents: 4900 },
          { daysAgo: 10, planId: 'plan_starter', status: 'canceled', mrrCents: 0 },
        ],
      },
      NOW,
    )
    const trial = await seedBusiness(
      {
        name: 'Trial HVAC',
        signedInDaysAgo: 1,
        signedUpDaysAgo: 3,
        subscription: { planId: 'plan_pro', status: 'trialing', mrrCents: 0 },
        history: [{ daysAgo: 3, planId: 'plan_pro', status: 'trialing', mrrCents: 0 }],
      },
      NOW,
    )
    const old = await seedBusiness({ name: 'Old Windows', signedInDaysAgo: 45, signedUpDaysAgo: 100 }, NOW)
    // Canceled long ago, and a second "canceled" event now: not a new cancellation.
    const again = await seedBusiness(
      {
        name: 'Again Pools',
        signedInDaysAgo: null,
        signedUpDaysAgo: 200,
        subscription: { planId: 'plan_starter', status: 'canceled', mrrCents: 0 },
        history: [
          { daysAgo: 100, planId: 'plan_starter', status: 'active', mrrCents: 4900 },
          { daysAgo: 45, planId: 'plan_starter', status: 'canceled', mrrCents: 0 },
          { daysAgo: 5, planId: 'plan_starter', status: 'canceled', mrrCents: 0 },
        ],
      },
      NOW,
    )

    // The platform: six more businesses, one signed up in 30 days, three live subscriptions (one a trial), one churned.
    const after = await platformFigures(db, NOW)
    expect({
      organizations: after.organizations - before.organizations,
      signups_30d: after.signups_30d - before.signups_30d,
      active_subscriptions: after.active_subscriptions - before.active_subscriptions,
      paying: after.paying - before.paying,
      mrr_cents: after.mrr_cents - before.mrr_cents,
      churned_30d: after.churned_30d - before.churned_30d,
    }).toEqual({
      organizations: 6,
      signups_30d: 1,
      active_subscriptions: 3,
      paying: 2,
      mrr_cents: 14_800,
      churned_30d: 1,
    })

    const ids = [active, quiet, gone, trial, old, again].map((o) => o.organizationId)
    await computeOrgMetrics(env, { type: 'metrics', organization_ids: ids, at: NOW.toISOString(), expected_months: 4 })

    const row = async (id: string) => {
      const m = (await orgMetricsOf(id))!
      return [m.clients, m.jobs_30d, m.messages_30d, m.engagement, m.mrr_cents, m.total_spent_cents, m.ltv_cents]
    }
    expect(await row(active.organizationId)).toEqual([2, 2, 2, 'active', 9900, 29_700, 29_700 + 4 * 9900])
    expect(await row(quiet.organizationId)).toEqual([1, 1, 0, 'at_risk', 4900, 9800, 9800 + 4 * 4900])
    expect(await row(gone.organizationId)).toEqual([0, 0, 0, 'dormant', 0, 14_700, 14_700])
    expect(await row(trial.organizationId)).toEqual([0, 0, 0, 'at_risk', 0, 0, 0])
    expect(await row(old.organizationId)).toEqual([0, 0, 0, 'dormant', 0, 0, 0])
    expect(await row(again.organizationId)).toEqual([0, 0, 0, 'dormant', 0, 2 * 4900, 2 * 4900])
    expect((await orgMetricsOf(quiet.organizationId))!.last_sign_in_at).toBe(daysAgo(14))
    expect((await orgMetricsOf(active.organizationId))!.computed_at).toBe(NOW.toISOString())

    // An older run's message arriving late (a retry) never overwrites these figures.
    await computeOrgMetrics(env, {
      type: 'metrics',
      organization_ids: [active.organizationId],
      at: daysAgo(40),
      expected_months: 4,
    })
    expect(await row(active.organizationId)).toEqual([2, 2, 2, 'active', 9900, 29_700, 29_700 + 4 * 9900])
  })

  it('leaves out an id that names no business, and counts only each business its own', async () => {
    const one = await seedBusiness({ name: 'One Co', signedInDaysAgo: 0, clients: 3, messages: [1] }, NOW)
    const two = await seedBusiness({ name: 'Two Co', signedInDaysAgo: 0 }, NOW)
    await computeOrgMetrics(env, {
      type: 'metrics',
      organization_ids: [two.organizationId, 'no-such-business', one.organizationId],
      at: NOW.toISOString(),
      expected_months: 36,
    })
    expect(await orgMetricsOf('no-such-business')).toBeNull()
    expect((await orgMetricsOf(one.organizationId))!.clients).toBe(3)
    expect((await orgMetricsOf(two.organizationId))!.clients).toBe(0)
    expect((await orgMetricsOf(two.organizationId))!.engagement).toBe('at_risk')
  })
})

describe("a business's texts this period", () => {
  it('counts as the plan does: texts that went out this billing period, not sign-in codes or email', async () => {
    const biz = await seedBusiness({ name: 'Texting Co', signedInDaysAgo: 1 }, NOW)
    const text = (at: string, purpose = 'job_upcoming', channel: 'sms' | 'email' = 'sms') => ({
      id: crypto.randomUUID(),
      dedupeKey: crypto.randomUUID(),
      channel,
      body: 'See you tomorrow',
      status: 'sent' as const,
      purpose,
      createdAt: at,
      updatedAt: at,
      sentAt: at,
    })
    await inOrg(biz, (host) =>
      host.db
        .insert(messages)
        .values([
          text('2026-06-10T15:00:00.000Z'),
          text('2026-06-02T15:00:00.000Z'),
          // Before June 1 on the business's clock (New York), a sign-in code, an email.
          text('2026-05-31T23:00:00.000Z'),
          text('2026-06-11T15:00:00.000Z', 'portal_code'),
          text('2026-06-12T15:00:00.000Z', 'job_upcoming', 'email'),
        ])
        .run(),
    )
    await computeOrgMetrics(env, {
      type: 'metrics',
      organization_ids: [biz.organizationId],
      at: NOW.toISOString(),
      expected_months: 36,
    })
    expect((await orgMetricsOf(biz.organizationId))!.sms_this_period).toBe(2)
  })
})

describe('POST /admin/api/metrics/refresh', () => {
  it('recomputes every business through the queue, and again after a change', async () => {
    const ops = await signInOperator()
    const now = new Date()
    const biz = await seedBusiness({ name: 'Refresh Co', signedInDaysAgo: 1, clients: 2, messages: [2] }, now)
    const res = await ops.api('POST', '/admin/api/metrics/refresh')
    expect(res.status).toBe(202)
    const first = await res.json<{ started_at: string; organizations: number; already_running: boolean }>()
    expect(first.already_running).toBe(false)
    expect(first.organizations).toBeGreaterThanOrEqual(2)
    await until(async () => (await orgMetricsOf(biz.organizationId))?.computed_at === first.started_at)
    expect((await orgMetricsOf(biz.organizationId))!).toMatchObject({
      clients: 2,
      messages_30d: 1,
      engagement: 'active',
    })

    // Today's platform row is written with the run.
    const day = await env.PEOPLE.prepare('select * from platform_metrics where day = ?')
      .bind(first.started_at.slice(0, 10))
      .first<{ computed_at: string; organizations: number }>()
    expect(day).toMatchObject({ computed_at: first.started_at, organizations: first.organizations })
    const metrics = await (await ops.get('/admin/api/metrics')).json<{ organizations: number; history: unknown[] }>()
    expect(metrics.organizations).toBe(first.organizations)
    expect(metrics.history).toContainEqual(expect.objectContaining({ day: first.started_at.slice(0, 10) }))

    await createClient(biz, { first_name: 'Third', email: 'third@example.com' })
    // The first run has finished, so this starts another.
    await until(async () => {
      const again = await ops.api('POST', '/admin/api/metrics/refresh')
      return !(await again.json<{ already_running: boolean }>()).already_running
    })
    await until(async () => (await orgMetricsOf(biz.organizationId))?.clients === 3)
  })

  it('answers a refresh sent again while its run is going with that run, not a second one', async () => {
    const ops = await signInOperator()
    const first = await (await ops.api('POST', '/admin/api/metrics/refresh')).json<{ started_at: string }>()
    const replay = await (await ops.api('POST', '/admin/api/metrics/refresh')).json<{
      started_at: string
      already_running: boolean
    }>()
    // Either the run is still going (same run answered) or it finished in between (a new one started).
    if (replay.already_running) expect(replay.started_at).toBe(first.started_at)
    else expect(replay.started_at > first.started_at).toBe(true)
  })
})
