/**
 * The Billing page (/app/billing) for the owner, an admin (read-only) and a tech (403); the Stripe
 * customer portal opened from it (only the Stripe request is stubbed); the Settings page's link;
 * and each staff sign-in noted on the account (last_sign_in_at).
 */
import { env } from 'cloudflare:test'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { clock } from '../src/clock'
import { makePlan, subscribe } from './helpers/billing'
import { Staff } from './helpers/browserless'
import { api, createOrg, type TestOrg } from './helpers/factories'
import { teammate } from './helpers/team'

afterEach(() => {
  vi.restoreAllMocks()
  clock.set(null)
})

async function signedIn(email: string, password: string) {
  const staff = new Staff()
  const res = await staff.post('/login', { email, password })
  if (res.status !== 303) throw new Error(`login: ${res.status}`)
  return staff
}

const owner = (org: TestOrg) => signedIn(org.email, org.password)

/** A team member of `role`, signed in. */
async function member(org: TestOrg, role: 'admin' | 'tech') {
  const id = await teammate(org, { role })
  const team = await (await api(org, 'GET', '/api/v1/team')).json<{ items: { user_id: string; email: string }[] }>()
  return signedIn(team.items.find((m) => m.user_id === id)!.email, 'tech password 1')
}

const lastSignIn = async (email: string) =>
  (
    await env.PEOPLE.prepare('select last_sign_in_at from accounts where email = ?')
      .bind(email)
      .first<{ last_sign_in_at: string | null }>()
  )?.last_sign_in_at ?? null

describe('GET /app/billing', () => {
  it('shows the owner the plan, this period’s usage as bars, the plans, and how to upgrade without Stripe', async () => {
    const org = await createOrg()
    const res = await (await owner(org)).get('/app/billing')
    expect(res.status).toBe(200)
    const html = await res.text()
    expect(html).toContain('Free plan')
    expect(html).toContain('No subscription')
    expect(html).toMatch(/<meter id="usage-texts"[^>]*max="50"[^>]*value="0"/)
    expect(html).toContain('0 of 50 texts')
    expect(html).toContain('1 of 2 people')
    for (const plan of ['Starter', 'Pro', 'Business']) expect(html).toContain(`<th scope="row">${plan}`)
    expect(html).toContain('$49.00/mo')
    // No Stripe customer yet: how to upgrade, in a sentence with the support link.
    expect(html).toMatch(/data-testid="billing-upgrade"[\s\S]*href="\/app\/support"/)
    expect(html).not.toContain('Manage billing in Stripe')
  })

  it('shows a subscribed business its plan, price, status and period end, and the portal button to its owner', async () => {
    const org = await createOrg()
    const plan = await makePlan({ sms: 300, team: 4, priceCents: 2500 })
    await subscribe(org, plan, 'past_due')
    const html = await (await (await owner(org)).get('/app/billing')).text()
    expect(html).toContain(`${plan.name} plan`)
    expect(html).toContain('$25.00 a month')
    expect(html).toContain('Past due')
    expect(html).toContain('This period ends')
    expect(html).toContain('The last payment did not go through')
    expect(html).toContain('0 of 300 texts')
    expect(html).toMatch(/<tr aria-current="true" data-plan="plan_test_/)
    expect(html).toMatch(/<form method="post" action="\/app\/billing\/portal"[\s\S]*Manage billing in Stripe/)
  })

  it('is read-only for an admin, and 403 for a tech, as the other owner pages are', async () => {
    const org = await createOrg()
    await subscribe(org, await makePlan({ sms: 100, team: 9 }))
    const admin = await member(org, 'admin')
    const page = await admin.get('/app/billing')
    expect(page.status).toBe(200)
    const html = await page.text()
    expect(html).toContain('Only an owner of the business can change its plan.')
    expect(html).not.toContain('Manage billing in Stripe')
    const portal = vi.spyOn(globalThis, 'fetch')
    expect((await admin.post('/app/billing/portal', { _csrf: await admin.csrfToken() })).status).toBe(403)

    const tech = await member(org, 'tech')
    expect((await tech.get('/app/billing')).status).toBe(403)
    expect(portal).not.toHaveBeenCalled()
  })

  it('links Billing from Settings for owners only', async () => {
    const org = await createOrg()
    expect(await (await (await owner(org)).get('/app/settings')).text()).toContain('href="/app/billing"')
    expect(await (await (await member(org, 'admin')).get('/app/settings')).text()).not.toContain('href="/app/billing"')
  })
})

describe('POST /app/billing/portal', () => {
  it("opens Stripe's customer portal for the business's customer and redirects to it", async () => {
    const org = await createOrg()
    const customer = await subscribe(org, await makePlan({ sms: 100, team: 3 }))
    const staff = await owner(org)
    const url = 'https://billing.stripe.com/p/session/test_YWNjdF8x'
    const stripe = vi.spyOn(globalThis, 'fetch').mockImplementationOnce(
      async () =>
        new Response(JSON.stringify({ id: 'bps_123', object: 'billing_portal.session', customer, url }), {
          status: 200,
        }),
    )
    const res = await staff.post('/app/billing/portal', { _csrf: await staff.csrfToken() })
    expect([res.status, res.headers.get('location')]).toEqual([303, url])
    expect(stripe).toHaveBeenCalledTimes(1)
    const [target, init] = stripe.mock.calls[0]!
    expect(String(target)).toBe('https://api.stripe.com/v1/billing_portal/sessions')
    expect(init?.method).toBe('POST')
    const headers = new Headers(init?.headers)
    expect(headers.get('authorization')).toBe('Bearer sk_test_homebase')
    expect(headers.get('content-type')).toBe('application/x-www-form-urlencoded')
    expect(Object.fromEntries(new URLSearchParams(String(init?.body)))).toEqual({
      customer,
      return_url: 'https://homebase.test/app/billing',
    })
  })

  it('says so when Stripe refuses, and opens nothing for a business Stripe does not know or without the token', async () => {
    const org = await createOrg()
    await subscribe(org, await makePlan({ sms: 100, team: 3 }))
    const staff = await owner(org)
    const stripe = vi
      .spyOn(globalThis, 'fetch')
      .mockImplementationOnce(
        async () => new Response(JSON.stringify({ error: { message: 'No such customer' } }), { status: 400 }),
      )
    const refused = await staff.post('/app/billing/portal', { _csrf: await staff.csrfToken() })
    expect(refused.status).toBe(502)
    expect(await refused.text()).toContain('Stripe could not open the billing portal')
    stripe.mockClear()

    // Another business's owner only ever reaches their own business, which Stripe does not know.
    const stranger = await owner(await createOrg())
    const theirs = await stranger.post('/app/billing/portal', { _csrf: await stranger.csrfToken() })
    expect(theirs.status).toBe(409)
    // A forwarded form without this session's token is refused before anything is read.
    expect((await staff.post('/app/billing/portal', {})).status).toBe(403)
    expect(stripe).not.toHaveBeenCalled()
  })
})

describe('last sign-in', () => {
  it('is noted on the account at every staff sign-in, and not by a wrong password', async () => {
    const org = await createOrg()
    expect(await lastSignIn(org.email)).toBeNull()
    const before = Date.now()
    await owner(org)
    const first = await lastSignIn(org.email)
    expect(Date.parse(first!)).toBeGreaterThanOrEqual(before - 1000)
    await new Staff().post('/login', { email: org.email, password: 'not the password' })
    expect(await lastSignIn(org.email)).toBe(first)
    clock.set(new Date(Date.parse(first!) + 3_600_000))
    await owner(org)
    expect(await lastSignIn(org.email)).toBe(new Date(Date.parse(first!) + 3_600_000).toISOString())
  })
})
