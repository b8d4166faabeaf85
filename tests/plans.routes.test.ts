/**
 * GET /api/v1/plans (the plans in order, with their limits, to any API key) and the `plan` of
 * GET /api/v1/organization for a business without a subscription; billing periods.
 */
import { describe, expect, it } from 'vitest'
import { addMonths, billingPeriod } from '../src/billing/period'
import { makePlan, type PlanView } from './helpers/billing'
import { api, createOrg, type TestOrg } from './helpers/factories'

const planOf = async (org: TestOrg) =>
  (await (await api(org, 'GET', '/api/v1/organization')).json<{ plan: PlanView }>()).plan

describe('GET /api/v1/plans', () => {
  it('lists the plans in order with their limits, to any API key', async () => {
    const org = await createOrg()
    const res = await api(org, 'GET', '/api/v1/plans')
    expect(res.status).toBe(200)
    const { items } = await res.json<{ items: Array<Record<string, unknown>> }>()
    expect(items.slice(0, 4)).toEqual([
      { plan_id: 'plan_free', name: 'Free', price_monthly_cents: 0, limits: { sms_per_month: 50, team_size: 2 } },
      {
        plan_id: 'plan_starter',
        name: 'Starter',
        price_monthly_cents: 4900,
        limits: { sms_per_month: 500, team_size: 5 },
      },
      { plan_id: 'plan_pro', name: 'Pro', price_monthly_cents: 9900, limits: { sms_per_month: 2000, team_size: 15 } },
      {
        plan_id: 'plan_business',
        name: 'Business',
        price_monthly_cents: 19900,
        limits: { sms_per_month: 10000, team_size: 50 },
      },
    ])
    const mine = await makePlan({ sms: 7, team: 2 })
    const again = await (await api(org, 'GET', '/api/v1/plans')).json<{ items: Array<Record<string, unknown>> }>()
    expect(again.items.find((p) => p['plan_id'] === mine.id)).toMatchObject({ stripe_price_id: mine.priceId })
    expect((await api(null, 'GET', '/api/v1/plans')).status).toBe(401)
  })

  it('shows a business without a subscription on Free, its period the calendar month, limits not held in its trial', async () => {
    const org = await createOrg({ timezone: 'America/Chicago' })
    const plan = await planOf(org)
    expect(plan).toMatchObject({
      plan_id: 'plan_free',
      status: null,
      limits: { sms_per_month: 50, team_size: 2 },
      limits_apply: false,
      trial_ends_at: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
      usage: { sms_this_period: 0, team: 1, team_invited: 0 },
    })
    // Midnight on the first of next month in Chicago (05:00 or 06:00 UTC).
    expect(plan.current_period_end).toMatch(/^\d{4}-\d{2}-01T0[56]:00:00\.000Z$/)
  })
})

describe('billingPeriod', () => {
  const at = (s: string) => new Date(s)
  it("is the subscription's month ending at its period end, moved on by months when a renewal was not heard of", () => {
    const end = '2030-03-15T10:00:00.000Z'
    expect(billingPeriod(at('2030-03-01T00:00:00Z'), end, 'UTC')).toEqual({
      start: at('2030-02-15T10:00:00Z'),
      end: at(end),
    })
    expect(billingPeriod(at('2030-05-20T00:00:00Z'), end, 'UTC')).toEqual({
      start: at('2030-05-15T10:00:00Z'),
      end: at('2030-06-15T10:00:00Z'),
    })
    // An end far ahead (a yearly price): the month that holds now.
    expect(billingPeriod(at('2030-01-20T00:00:00Z'), end, 'UTC').start).toEqual(at('2030-01-15T10:00:00Z'))
  })

  it("is the calendar month on the business's clock without a subscription", () => {
    // 03:00 UTC on March 1 is still February in Los Angeles.
    expect(billingPeriod(at('2030-03-01T03:00:00Z'), null, 'America/Los_Angeles')).toEqual({
      start: at('2030-02-01T08:00:00Z'),
      end: at('2030-03-01T08:00:00Z'),
    })
  })

  it('keeps the day of the month, or the last day of a shorter month', () => {
    expect(addMonths(at('2030-03-31T12:00:00Z'), -1)).toEqual(at('2030-02-28T12:00:00Z'))
    expect(addMonths(at('2030-01-31T12:00:00Z'), 13)).toEqual(at('2031-02-28T12:00:00Z'))
    expect(addMonths(at('2030-12-15T00:00:00Z'), 1)).toEqual(at('2031-01-15T00:00:00Z'))
  })
})
