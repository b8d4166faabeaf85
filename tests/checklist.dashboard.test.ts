/** The first-run checklist on the dashboard: steps tick as the business sets up, and it goes away when done or hidden. */
import { env } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import { orgStub } from '../src/organizations'
import { Staff } from './helpers/browserless'
import { api, createClient, createOrg, type TestOrg, unique } from './helpers/factories'

async function signedIn(org: TestOrg) {
  const staff = new Staff()
  await staff.post('/login', { email: org.email, password: org.password })
  return { staff, csrf: await staff.csrfToken() }
}

const dashboard = async (staff: Staff) => (await staff.get('/app')).text()

/** Each step on the page and whether it is ticked. */
function steps(html: string): Record<string, boolean> {
  return Object.fromEntries(
    [...html.matchAll(/data-step="(\w+)" data-done="(true|false)"/g)].map((m) => [m[1]!, m[2] === 'true']),
  )
}

describe('the setup checklist', () => {
  it('lists every step undone for a new business, each linking to where it is done', async () => {
    const org = await createOrg()
    const { staff } = await signedIn(org)
    const html = await dashboard(staff)
    expect(html).toContain('data-testid="setup-checklist"')
    expect(html).toContain('0 of 6 done')
    expect(steps(html)).toEqual({
      services: false,
      payments: false,
      review_link: false,
      phone: false,
      clients: false,
      first_job: false,
    })
    for (const href of [
      '/app/services',
      '/app/settings#payments',
      '/app/settings#reviews',
      '/app/settings#business',
      '/app/clients/import',
      '/app/jobs/new',
    ])
      expect(html).toContain(`href="${href}"`)
  })

  it('ticks each step as it is done and disappears once all are', async () => {
    const org = await createOrg()
    const { staff } = await signedIn(org)
    const service = await (await api(org, 'POST', '/api/v1/services', { name: 'Deep clean' })).json<{ id: string }>()
    expect(steps(await dashboard(staff))).toMatchObject({ services: true, payments: false })

    await api(org, 'PATCH', '/api/v1/organization', {
      phone: '(415) 555-0123',
      payment_instructions: 'Zelle to pay@example.com',
      google_review_url: 'https://g.page/r/example/review',
    })
    const client = await createClient(org, { first_name: 'Ada', email: `ada-${unique()}@example.com` })
    const midway = await dashboard(staff)
    expect(midway).toContain('5 of 6 done')
    expect(steps(midway)).toMatchObject({
      payments: true,
      review_link: true,
      phone: true,
      clients: true,
      first_job: false,
    })

    // A step that comes undone shows again while the list is still up: archiving the only service.
    await api(org, 'PATCH', `/api/v1/services/${service.id}`, { active: false })
    expect(steps(await dashboard(staff))['services']).toBe(false)
    await api(org, 'PATCH', `/api/v1/services/${service.id}`, { active: true })

    const job = await api(org, 'POST', '/api/v1/jobs', {
      org_client_id: client.org_client_id,
      start_at: new Date(Date.now() + 86_400_000).toISOString(),
      notify: false,
    })
    expect(job.status).toBe(201)
    const done = await dashboard(staff)
    expect(done).not.toContain('data-testid="setup-checklist"')
    expect(done).toContain('data-testid="tile-clients"')
    expect(await orgStub(env, org.organizationId).setupChecklist()).toMatchObject({ done: 6, dismissed_at: null })
  })

  it('counts a Stripe account as payment setup', async () => {
    const org = await createOrg()
    await api(org, 'PATCH', '/api/v1/organization', { stripe_account_id: 'acct_1Checklist' })
    expect((await orgStub(env, org.organizationId).setupChecklist()).steps.payments).toBe(true)
  })

  it('stays hidden once the owner hides it (htmx answers with a note in its place)', async () => {
    const org = await createOrg()
    const { staff, csrf } = await signedIn(org)
    const res = await staff.post('/app/checklist/dismiss', { _csrf: csrf }, { 'hx-request': 'true' })
    expect(res.status).toBe(200)
    expect(await res.text()).toMatch(
      /^<p class="muted small" id="setup-checklist" role="status">Setup checklist hidden/,
    )
    expect(await dashboard(staff)).not.toContain('data-testid="setup-checklist"')
    // Remembered for the business: another session of the owner does not see it either.
    const again = await signedIn(org)
    expect(await dashboard(again.staff)).not.toContain('data-testid="setup-checklist"')
    const { dismissed_at } = await orgStub(env, org.organizationId).setupChecklist()
    expect(dismissed_at).toMatch(/^\d{4}-\d\d-\d\dT/)
  })

  it('goes back to the dashboard without JavaScript', async () => {
    const org = await createOrg()
    const { staff, csrf } = await signedIn(org)
    const res = await staff.post('/app/checklist/dismiss', { _csrf: csrf })
    expect(res.status).toBe(303)
    expect(res.headers.get('location')).toBe('/app')
  })

  it("is the owner's to hide: a member cannot, and hiding one business's list leaves another's", async () => {
    const org = await createOrg()
    const other = await createOrg()
    const email = `member-${unique()}@example.com`
    const { invite_url } = await (await api(org, 'POST', '/api/v1/team/invites', { email, role: 'member' })).json<{
      invite_url: string
    }>()
    await new Staff().post(new URL(invite_url).pathname, { password: 'member password 1' })
    const staff = new Staff()
    await staff.post('/login', { email, password: 'member password 1' })
    const html = await dashboard(staff)
    expect(html).toContain('data-testid="setup-checklist"')
    expect(html).not.toContain('action="/app/checklist/dismiss"')
    expect((await staff.post('/app/checklist/dismiss', { _csrf: await staff.csrfToken() })).status).toBe(403)
    expect((await orgStub(env, org.organizationId).setupChecklist()).dismissed_at).toBeNull()

    const owner = await signedIn(org)
    await owner.staff.post('/app/checklist/dismiss', { _csrf: owner.csrf })
    const theirs = await signedIn(other)
    expect(await dashboard(theirs.staff)).toContain('data-testid="setup-checklist"')
  })
})
