/**
 * The plan's limits, enforced with a clear message: a text over the period's allowance is skipped
 * with `plan_limit` in the message log (email still goes; a homeowner's own sign-in code is never
 * counted or refused), and an invite past the team size is refused (409) naming the plan. The
 * object's limits follow a subscription webhook at once; another business is never held to them.
 */
import { env } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import { smsAllowance } from '../durable-objects/org/messaging/plan-limit'
import { TRIAL_DAYS } from '../src/billing/plans'
import { orgStub } from '../src/organizations'
import { makePlan, type PlanView, subscribe } from './helpers/billing'
import { Staff } from './helpers/browserless'
import { api, createOrg, type TestOrg, unique } from './helpers/factories'
import { bookJob, messagesOf, orgWithClient, runDueAt } from './helpers/messaging'
import { inOrg } from './helpers/platform'

const HOUR = 3_600_000
const DAY = 24 * HOUR

const text = (org: TestOrg, orgClientId: string, body: string) =>
  api(org, 'POST', `/api/v1/clients/${orgClientId}/messages`, { channel: 'sms', body })

const usageOf = async (org: TestOrg) =>
  (await (await api(org, 'GET', '/api/v1/organization')).json<{ plan: PlanView }>()).plan

describe('the plan’s texts per period', () => {
  it('skips a text over the allowance with plan_limit in the log, still sends email, and follows an upgrade', async () => {
    const { org, client } = await orgWithClient()
    const tiny = await makePlan({ sms: 2, team: 2 })
    const customer = await subscribe(org, tiny)

    expect((await text(org, client.org_client_id, 'First')).status).toBe(201)
    expect((await text(org, client.org_client_id, 'Second')).status).toBe(201)
    const third = await text(org, client.org_client_id, 'Third')
    expect(third.status).toBe(409)
    expect(await third.json()).toMatchObject({
      error: { code: 'not_sent', message: expect.stringContaining("over the plan's texts for this month") },
    })
    const skipped = (await messagesOf(org, '?status=skipped')).filter((m) => m.channel === 'sms')
    expect(skipped).toEqual([
      expect.objectContaining({
        body: 'Third',
        reason: 'plan_limit',
        error: "Over the plan's 2 texts this month",
        purpose: 'one_off',
      }),
    ])

    // Email is never limited by the plan.
    const email = await api(org, 'POST', `/api/v1/clients/${client.org_client_id}/messages`, {
      channel: 'email',
      subject: 'Hello',
      body: 'An email still goes.',
    })
    expect(email.status).toBe(201)

    // A reminder due now tries its text, is held back by the plan, and goes by email instead.
    await bookJob(org, client.org_client_id, new Date(Date.now() + 25 * HOUR).toISOString())
    await runDueAt(org, new Date(Date.now() + 1 * HOUR + 60_000))
    const reminder = await messagesOf(org, '?purpose=job_upcoming')
    expect(reminder.map((m) => [m.channel, m.status === 'skipped' ? m.reason : 'went']).sort()).toEqual([
      ['email', 'went'],
      ['sms', 'plan_limit'],
    ])
    expect(reminder.find((m) => m.channel === 'email')!.status).toMatch(/queued|sent/)

    expect((await usageOf(org)).usage.sms_this_period).toBe(2)

    // A bigger plan from the next webhook lifts the limit at once.
    await subscribe(org, await makePlan({ sms: 5, team: 2 }), 'active', customer)
    expect((await text(org, client.org_client_id, 'Fourth')).status).toBe(201)
    expect(await usageOf(org)).toMatchObject({ limits: { sms_per_month: 5 }, usage: { sms_this_period: 3 } })
  })

  it("never counts or refuses a homeowner's own sign-in code", async () => {
    const { org, client } = await orgWithClient()
    await subscribe(org, await makePlan({ sms: 1, team: 2 }))
    expect((await text(org, client.org_client_id, 'The one text')).status).toBe(201)
    const code = await orgStub(env, org.organizationId).sendRequestedMessage(
      client.org_client_id,
      { channel: 'sms', body: 'Your code', purpose: 'portal_code', dedupeKey: `portal_code:${unique()}` },
      false,
    )
    expect(code).toMatchObject({ id: expect.any(String), channel: 'sms' })
    expect((await usageOf(org)).usage.sms_this_period).toBe(1)
    expect((await text(org, client.org_client_id, 'One too many')).status).toBe(409)
  })

  it("holds no other business to this one's plan", async () => {
    const ours = await orgWithClient()
    const theirs = await orgWithClient()
    await subscribe(ours.org, await makePlan({ sms: 1, team: 2 }))
    expect((await text(ours.org, ours.client.org_client_id, 'Ours')).status).toBe(201)
    expect((await text(ours.org, ours.client.org_client_id, 'Ours again')).status).toBe(409)
    for (const body of ['Theirs', 'Theirs again', 'And again'])
      expect((await text(theirs.org, theirs.client.org_client_id, body)).status).toBe(201)
    expect((await messagesOf(theirs.org, '?status=skipped')).filter((m) => m.reason === 'plan_limit')).toEqual([])
  })
})

const invite = (org: TestOrg, email = `crew-${unique()}@example.com`) =>
  api(org, 'POST', '/api/v1/team/invites', { email, role: 'tech' })

describe('the plan’s team size', () => {
  it('refuses an invite past the team size with 409 naming the plan, by API and on the settings page', async () => {
    const org = await createOrg()
    const plan = await makePlan({ sms: 10, team: 2, name: `Crew of two ${unique()}` })
    await subscribe(org, plan)
    const first = `first-${unique()}@example.com`
    expect((await invite(org, first)).status).toBe(201)

    const refused = await invite(org)
    expect(refused.status).toBe(409)
    const { error } = await refused.json<{ error: { code: string; message: string } }>()
    expect(error.code).toBe('plan_limit')
    expect(error.message).toContain(`The ${plan.name} plan has room for 2 people on the team (1 on it and 1 invited)`)
    // Inviting the same person again takes no new place.
    expect((await invite(org, first.toUpperCase())).status).toBe(201)

    const owner = new Staff()
    await owner.post('/login', { email: org.email, password: org.password })
    const page = await owner.post('/app/settings/invites', {
      email: `page-${unique()}@example.com`,
      role: 'tech',
      _csrf: await owner.csrfToken(),
    })
    expect(page.status).toBe(409)
    expect(await page.text()).toContain(`The ${plan.name} plan has room for 2 people`)
    expect((await (await api(org, 'GET', '/api/v1/organization')).json<{ plan: PlanView }>()).plan.usage).toEqual({
      sms_this_period: 0,
      team: 1,
      team_invited: 1,
    })
  })

  it('holds a business to Free once its subscription ended, and not during its trial', async () => {
    const never = await createOrg()
    for (let i = 0; i < 3; i++) expect((await invite(never)).status).toBe(201)

    const ended = await createOrg()
    const customer = await subscribe(ended, await makePlan({ sms: 10, team: 9 }))
    expect((await invite(ended)).status).toBe(201)
    await subscribe(ended, await makePlan({ sms: 10, team: 9 }), 'canceled', customer)
    const refused = await invite(ended)
    expect(refused.status).toBe(409)
    expect((await refused.json<{ error: { message: string } }>()).error.message).toContain(
      'The Free plan has room for 2',
    )
  })

  it('holds a business that never subscribed to Free once its trial is over: its team and, without being told again, its texts', async () => {
    const { org, client } = await orgWithClient()
    const usage = await usageOf(org)
    expect(usage).toMatchObject({ plan_id: 'plan_free', limits_apply: false, trial_ends_at: expect.any(String) })
    const ends = Date.parse(usage.trial_ends_at!)
    expect(ends - Date.now()).toBeGreaterThan((TRIAL_DAYS - 1) * DAY)
    expect(ends - Date.now()).toBeLessThanOrEqual(TRIAL_DAYS * DAY)
    // In the trial nothing is held back: a third person joins a team Free sizes at two.
    for (let i = 0; i < 2; i++) expect((await invite(org)).status).toBe(201)

    // The object was told at sign-up when the trial ends: past it, Free's 50 texts are held.
    await inOrg(org, (host) => host.clock.set(new Date(ends + HOUR)))
    try {
      for (let i = 0; i < 50; i++) expect((await text(org, client.org_client_id, `Text ${i}`)).status).toBe(201)
      expect((await text(org, client.org_client_id, 'Number 51')).status).toBe(409)
      const skipped = (await messagesOf(org, '?status=skipped')).filter((m) => m.reason === 'plan_limit')
      expect(skipped.map((m) => m.body)).toEqual(['Number 51'])
    } finally {
      await inOrg(org, (host) => host.clock.set(null))
    }

    // Signed up more than 14 days ago, per the registry: the team is held to Free too.
    await env.PEOPLE.prepare('update organizations set created_at = ? where id = ?')
      .bind(new Date(Date.now() - (TRIAL_DAYS + 1) * DAY).toISOString(), org.organizationId)
      .run()
    expect(await usageOf(org)).toMatchObject({ limits_apply: true, usage: { team: 1, team_invited: 2 } })
    const refused = await invite(org)
    expect(refused.status).toBe(409)
    expect((await refused.json<{ error: { message: string } }>()).error.message).toContain(
      'The Free plan has room for 2 people on the team (1 on it and 2 invited)',
    )
  })
})

describe('smsAllowance', () => {
  const limits = { plan_id: 'plan_free', plan_name: 'Free', sms_per_month: 50, team_size: 2, period_end: null }
  it('holds nothing before the limits apply (a trial), and the limit from then on', () => {
    const now = new Date('2030-05-10T12:00:00Z')
    expect(smsAllowance({ ...limits, applies_from: '2030-05-10T12:00:01Z' }, now, 'UTC')).toBeNull()
    expect(smsAllowance({ ...limits, applies_from: '2030-05-10T12:00:00Z' }, now, 'UTC')).toMatchObject({ limit: 50 })
    expect(smsAllowance({ ...limits, applies_from: null }, now, 'UTC')).toMatchObject({
      limit: 50,
      periodStart: '2030-05-01T00:00:00.000Z',
    })
    expect(smsAllowance(null, now, 'UTC')).toBeNull()
  })
})
