import { env } from 'cloudflare:test'
import { describe, expect, it, vi } from 'vitest'
import { makePlan, subscribe } from './helpers/billing'
import { api, type TestOrg } from './helpers/factories'
import { messagesOf, orgWithClient } from './helpers/messaging'
import { signInOperator } from './helpers/operator'
import { inOrg } from './helpers/platform'

const planRow = (id: string) =>
  env.PEOPLE.prepare(
    'select name, price_monthly_cents, stripe_price_id, sms_per_month, team_size from plans where id = ?',
  )
    .bind(id)
    .first()

const form = (token: string, fields: Record<string, string>) => ({
  _csrf: token,
  name: 'Pro',
  price: '99.00',
  stripe_price_id: '',
  sms_per_month: '2000',
  team_size: '15',
  ...fields,
})

describe('/admin/plans', () => {
  it('lists every plan as a row of fields with how many businesses are on it', async () => {
    const ops = await signInOperator()
    const html = await (await ops.get('/admin/plans')).text()
    for (const id of ['plan_free', 'plan_starter', 'plan_pro', 'plan_business'])
      expect(html).toContain(`data-plan-id="${id}"`)
    expect(html).toContain(
      'id="plan-plan_starter-price" form="plan-plan_starter" name="price" type="text" inputmode="decimal" value="49.00"',
    )
    expect(html).toContain('action="/admin/plans/plan_pro"')
    expect(html).toContain('aria-current="page">Plans</a>')
  })

  it("saves a plan's name, price, Stripe price and limits; without JavaScript it goes back to the table", async () => {
    const ops = await signInOperator()
    const token = await ops.consoleToken()
    const res = await ops.post(
      '/admin/plans/plan_starter',
      form(token, {
        name: 'Starter+',
        price: '$59.50',
        stripe_price_id: 'price_1StarterAbc',
        sms_per_month: '750',
        team_size: '6',
      }),
    )
    expect(res.status).toBe(303)
    expect(res.headers.get('location')).toBe('/admin/plans#plan-row-plan_starter')
    expect(await planRow('plan_starter')).toEqual({
      name: 'Starter+',
      price_monthly_cents: 5950,
      stripe_price_id: 'price_1StarterAbc',
      sms_per_month: 750,
      team_size: 6,
    })
    // With htmx the saved row comes back in place; an empty Stripe price is none.
    const swapped = await ops.post(
      '/admin/plans/plan_starter',
      form(token, { name: 'Starter', price: '49', sms_per_month: '500', team_size: '5' }),
      { 'hx-request': 'true' },
    )
    expect(swapped.status).toBe(200)
    const row = await swapped.text()
    expect(row.startsWith('<tr id="plan-row-plan_starter"')).toBe(true)
    expect(row).toContain('Saved')
    expect(await planRow('plan_starter')).toMatchObject({
      name: 'Starter',
      price_monthly_cents: 4900,
      stripe_price_id: null,
    })
  })

  it('refuses a wrong value with the error beside its field, and changes nothing', async () => {
    const ops = await signInOperator()
    const token = await ops.consoleToken()
    const before = await planRow('plan_business')
    const res = await ops.post(
      '/admin/plans/plan_business',
      form(token, { name: '', price: 'lots', stripe_price_id: 'prod_123', team_size: '0' }),
      { 'hx-request': 'true' },
    )
    expect(res.status).toBe(422)
    const row = await res.text()
    expect(row.startsWith('<tr id="plan-row-plan_business"')).toBe(true)
    for (const [field, words] of [
      ['name', 'Give the plan a name.'],
      ['price', 'Enter the monthly price in dollars'],
      ['stripe_price_id', 'A Stripe price id starts with price_'],
      ['team_size', 'The team size is at least 1.'],
    ])
      expect(row).toMatch(new RegExp(`id="plan-plan_business-${field}-error">${words}`))
    // What was typed stays in the fields.
    expect(row).toContain('value="lots"')
    expect(await planRow('plan_business')).toEqual(before)

    // Without JavaScript, the whole page with the row's errors.
    const page = await ops.post('/admin/plans/plan_business', form(token, { price: 'lots' }))
    expect(page.status).toBe(422)
    const html = await page.text()
    expect(html).toContain('<html')
    expect(html).toContain('id="plan-plan_business-price-error"')
  })

  it('keeps the default plan free and off Stripe, and one Stripe price on one plan', async () => {
    const ops = await signInOperator()
    const token = await ops.consoleToken()
    const free = await ops.post(
      '/admin/plans/plan_free',
      form(token, { name: 'Free', price: '5', sms_per_month: '50', team_size: '2' }),
      {
        'hx-request': 'true',
      },
    )
    expect(free.status).toBe(422)
    expect(await free.text()).toContain('it stays free')
    const sold = await ops.post(
      '/admin/plans/plan_free',
      form(token, { name: 'Free', price: '0', stripe_price_id: 'price_free1', sms_per_month: '50', team_size: '2' }),
    )
    expect(sold.status).toBe(422)
    expect(await planRow('plan_free')).toMatchObject({ price_monthly_cents: 0, stripe_price_id: null })

    expect((await ops.post('/admin/plans/plan_pro', form(token, { stripe_price_id: 'price_shared9' }))).status).toBe(
      303,
    )
    const taken = await ops.post(
      '/admin/plans/plan_business',
      form(token, {
        name: 'Business',
        price: '199',
        stripe_price_id: 'price_shared9',
        sms_per_month: '10000',
        team_size: '50',
      }),
      { 'hx-request': 'true' },
    )
    expect(taken.status).toBe(422)
    expect(await taken.text()).toContain('Another plan already uses this Stripe price.')
    expect(await planRow('plan_business')).toMatchObject({ stripe_price_id: null })
    await ops.post('/admin/plans/plan_pro', form(token, {}))
  })

  it('answers 404 for a plan that does not exist, and 403 without the CSRF token', async () => {
    const ops = await signInOperator()
    const token = await ops.consoleToken()
    expect((await ops.post('/admin/plans/plan_gold', form(token, {}))).status).toBe(404)
    expect((await ops.post('/admin/plans/plan_gold', form(token, { price: 'x' }))).status).toBe(404)
    const { _csrf: _, ...unsigned } = form(token, { name: 'Hacked' })
    expect((await ops.post('/admin/plans/plan_pro', unsigned)).status).toBe(403)
    expect(await planRow('plan_pro')).not.toMatchObject({ name: 'Hacked' })
  })
})

describe('changing a plan’s limits', () => {
  it('holds the businesses on it to the new limits at once, and leaves a business on another plan alone', async () => {
    const { org, client } = await orgWithClient()
    const { org: other, client: otherClient } = await orgWithClient()
    const plan = await makePlan({ sms: 5, team: 5 })
    const roomy = await makePlan({ sms: 5, team: 5 })
    await subscribe(org, plan)
    await subscribe(other, roomy)
    const text = (o: TestOrg, id: string) =>
      api(o, 'POST', `/api/v1/clients/${id}/messages`, { channel: 'sms', body: 'Hi' })
    expect((await text(org, client.org_client_id)).status).toBe(201)

    const ops = await signInOperator()
    const token = await ops.consoleToken()
    const saved = await ops.post(
      `/admin/plans/${plan.id}`,
      form(token, { name: plan.name, price: '10', sms_per_month: '1', team_size: '5' }),
    )
    expect(saved.status).toBe(303)
    // The objects are told through the events queue; once this one is, the next text is over the new allowance.
    await vi.waitFor(async () => expect((await inOrg(org, (host) => host.planLimits()))?.sms_per_month).toBe(1), {
      timeout: 10_000,
      interval: 100,
    })
    const over = await text(org, client.org_client_id)
    expect(over.status).toBe(409)
    expect((await messagesOf(org, '?status=skipped'))[0]).toMatchObject({ reason: 'plan_limit' })
    expect((await text(other, otherClient.org_client_id)).status).toBe(201)
    expect((await text(other, otherClient.org_client_id)).status).toBe(201)
  })

  it('reaches the businesses that never subscribed when Free changes, through the events queue', async () => {
    const { org } = await orgWithClient()
    expect((await inOrg(org, (host) => host.planLimits()))?.sms_per_month).toBe(50)
    const ops = await signInOperator()
    const token = await ops.consoleToken()
    const free = (values: Record<string, string>) => ops.post('/admin/plans/plan_free', form(token, values))
    expect((await free({ name: 'Free', price: '0', sms_per_month: '7', team_size: '2' })).status).toBe(303)
    try {
      await vi.waitFor(async () => expect((await inOrg(org, (host) => host.planLimits()))?.sms_per_month).toBe(7), {
        timeout: 10_000,
        interval: 100,
      })
      // Still in its trial: told the new allowance, held to it from the trial's end.
      expect((await inOrg(org, (host) => host.planLimits()))?.applies_from).toEqual(expect.any(String))
    } finally {
      expect((await free({ name: 'Free', price: '0', sms_per_month: '50', team_size: '2' })).status).toBe(303)
    }
  })
})
