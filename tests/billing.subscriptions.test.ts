/**
 * A business's plan from Stripe's `customer.subscription.*` webhooks: each status gives the right
 * plan, MRR and history row; a replay adds nothing; another business's or an unknown customer's
 * subscription changes nothing of this one.
 */
import { describe, expect, it } from 'vitest'
import { api, createOrg, type TestOrg, unique } from './helpers/factories'
import {
  billingRows,
  makePlan,
  type PlanView,
  postStripe,
  stripeEvent,
  subscribe,
  subscriptionObject,
} from './helpers/billing'
import { nowSeconds } from './helpers/webhooks'

const planOf = async (org: TestOrg) =>
  (await (await api(org, 'GET', '/api/v1/organization')).json<{ plan: PlanView }>()).plan

describe('customer.subscription.* events', () => {
  it('give each status its plan, MRR and a history row, in order', async () => {
    const org = await createOrg()
    const plan = await makePlan({ sms: 300, team: 4, priceCents: 2500 })
    const customer = `cus_${unique()}`
    const t = nowSeconds()
    const send = async (type: string, status: string, at: number) => {
      const object = subscriptionObject(org, { customer, status, price: { id: plan.priceId } })
      expect(await (await postStripe(stripeEvent(type, object, undefined, at))).json()).toEqual({
        ok: true,
        duplicate: false,
      })
      return { ...(await billingRows(org)), shown: await planOf(org) }
    }

    const trialing = await send('customer.subscription.created', 'trialing', t - 500)
    expect(trialing.sub).toMatchObject({ plan_id: plan.id, status: 'trialing', mrr_cents: 0 })
    expect(trialing.shown).toMatchObject({ plan_id: plan.id, status: 'trialing', limits: { sms_per_month: 300 } })

    const active = await send('customer.subscription.updated', 'active', t - 400)
    expect(active.sub).toMatchObject({ plan_id: plan.id, status: 'active', mrr_cents: 2500 })
    expect(active.shown).toMatchObject({ plan_id: plan.id, name: plan.name, status: 'active' })

    const pastDue = await send('customer.subscription.updated', 'past_due', t - 300)
    expect(pastDue.sub).toMatchObject({ plan_id: plan.id, status: 'past_due', mrr_cents: 0 })
    expect(pastDue.shown).toMatchObject({ plan_id: plan.id, status: 'past_due' })

    const unpaid = await send('customer.subscription.updated', 'unpaid', t - 200)
    expect(unpaid.sub).toMatchObject({ status: 'unpaid', mrr_cents: 0 })
    expect(unpaid.shown).toMatchObject({ plan_id: 'plan_free', name: 'Free', status: 'unpaid' })

    // Stripe's deleted event still says the last status; the subscription is over either way.
    const canceled = await send('customer.subscription.deleted', 'active', t - 100)
    expect(canceled.sub).toMatchObject({ status: 'canceled', mrr_cents: 0 })
    expect(canceled.shown).toMatchObject({
      plan_id: 'plan_free',
      status: 'canceled',
      limits: { sms_per_month: 50, team_size: 2 },
    })

    expect(canceled.history.map((h) => [h.plan_id, h.status, h.mrr_cents])).toEqual([
      [plan.id, 'trialing', 0],
      [plan.id, 'active', 2500],
      [plan.id, 'past_due', 0],
      [plan.id, 'unpaid', 0],
      [plan.id, 'canceled', 0],
    ])
  })

  it("names the plan by the price's lookup_key (a plan id or its name) when no plan has the price id", async () => {
    const org = await createOrg()
    const customer = `cus_${unique()}`
    const send = (price: { id: string; lookup_key: string | null }) =>
      postStripe(
        stripeEvent('customer.subscription.updated', subscriptionObject(org, { customer, status: 'active', price })),
      )
    await send({ id: `price_${unique()}`, lookup_key: 'Pro' })
    expect((await billingRows(org)).sub).toMatchObject({ plan_id: 'plan_pro', mrr_cents: 9900 })
    await send({ id: `price_${unique()}`, lookup_key: 'plan_business' })
    expect((await billingRows(org)).sub).toMatchObject({ plan_id: 'plan_business', mrr_cents: 19900 })
    // A price no plan names leaves the business on the default plan, with no MRR.
    await send({ id: `price_${unique()}`, lookup_key: 'enterprise' })
    expect((await billingRows(org)).sub).toMatchObject({ plan_id: null, status: 'active', mrr_cents: 0 })
    expect(await planOf(org)).toMatchObject({ plan_id: 'plan_free', status: 'active' })
  })

  it('adds nothing for a replayed event, and an older event does not undo a newer one', async () => {
    const org = await createOrg()
    const [small, big] = [await makePlan({ sms: 10, team: 2 }), await makePlan({ sms: 900, team: 9, priceCents: 7000 })]
    const customer = `cus_${unique()}`
    const t = nowSeconds()
    const body = stripeEvent(
      'customer.subscription.updated',
      subscriptionObject(org, { customer, status: 'active', price: { id: big.priceId } }),
      undefined,
      t - 10,
    )
    await postStripe(body)
    expect(await (await postStripe(body)).json()).toEqual({ ok: true, duplicate: true })
    expect((await billingRows(org)).history).toHaveLength(1)

    const older = subscriptionObject(org, { customer, status: 'active', price: { id: small.priceId } })
    await postStripe(stripeEvent('customer.subscription.updated', older, undefined, t - 60))
    const after = await billingRows(org)
    expect(after.sub).toMatchObject({ plan_id: big.id, mrr_cents: 7000 })
    // The older event is history (it happened), placed before the newer one.
    expect(after.history.map((h) => h.plan_id)).toEqual([small.id, big.id])
    expect(await planOf(org)).toMatchObject({ plan_id: big.id, limits: { sms_per_month: 900, team_size: 9 } })
  })

  it("changes nothing of this business for another business's subscription or an unknown customer", async () => {
    const [ours, theirs] = [await createOrg(), await createOrg()]
    const plan = await makePlan({ sms: 100, team: 3, priceCents: 3000 })
    const other = await makePlan({ sms: 5, team: 1, priceCents: 100 })
    const customer = await subscribe(ours, plan)
    const before = await billingRows(ours)

    // Their subscription, even on our Stripe customer id, is theirs.
    const named = subscriptionObject(theirs, { customer, status: 'active', price: { id: other.priceId } })
    expect((await postStripe(stripeEvent('customer.subscription.updated', named))).status).toBe(200)
    // A customer HomeBase does not know, without metadata, is nobody's.
    const stranger = subscriptionObject(null, {
      customer: `cus_${unique()}`,
      status: 'canceled',
      price: { id: other.priceId },
    })
    expect(await (await postStripe(stripeEvent('customer.subscription.deleted', stranger))).json()).toMatchObject({
      ok: true,
      ignored: expect.any(String),
    })

    expect(await billingRows(ours)).toEqual(before)
    expect(await planOf(ours)).toMatchObject({ plan_id: plan.id, limits: { sms_per_month: 100 } })
    expect((await billingRows(theirs)).sub).toMatchObject({ plan_id: other.id })
  })
})
