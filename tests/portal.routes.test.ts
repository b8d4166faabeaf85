// Over 300 lines on purpose: portal links, expired links and homeowner actions share staffOf() and one booked visit.
import { env } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import { signLinkToken } from '../src/messaging/portal-token'
import { Staff } from './helpers/browserless'
import { api } from './helpers/factories'
import { messagesOf, runDueAt } from './helpers/messaging'
import { bookJob, businessWithClient, Homeowner, openInvoice, portalPath } from './helpers/portal'

const NEXT_YEAR_VISIT = '2030-06-10T19:00:00Z'
const DAY_BEFORE = new Date('2030-06-09T19:00:30Z')

async function staffOf(org: { email: string; password: string }) {
  const staff = new Staff()
  await staff.post('/login', { email: org.email, password: org.password })
  return staff
}

describe('portal links', () => {
  it('shows one provider’s visits and invoices in plain words, without anything private', async () => {
    const { org, client } = await businessWithClient('Sparkle Cleaning', { first_name: 'Robin' })
    await api(org, 'PATCH', `/api/v1/clients/${client.org_client_id}`, {
      tags: ['vip-secret-tag'],
      notes: 'Staff note: dog bites, gate code 4412',
      settings: { pricing_tier: 'gold-tier-internal', custom_fields: { lockbox: 'box-9931' } },
    })
    const service = await (
      await api(org, 'POST', '/api/v1/services', { name: 'Deep clean', duration_minutes: 120, price_cents: 19_900 })
    ).json<{ id: string }>()
    await bookJob(org, client.org_client_id, NEXT_YEAR_VISIT, {
      service_id: service.id,
      notes: 'Crew note: bring the ladder',
      price_cents: 31_337,
    })
    const invoice = await openInvoice(org, client.org_client_id, 14_500)

    const res = await new Homeowner().get(await portalPath(org, client.org_client_id))
    expect(res.status).toBe(200)
    expect(res.headers.get('cache-control')).toBe('no-store')
    const html = await res.text()
    expect(html).toContain('Hi Robin')
    expect(html).toContain('Sparkle Cleaning')
    expect(html).toContain('Deep clean')
    // 19:00 UTC is noon in Oakland (the property's zone), as the homeowner reads it.
    expect(html).toContain('Mon, Jun 10, 12:00 PM')
    expect(html).toContain('9 Elm St, Oakland, CA 94610')
    expect(html).toContain(`Invoice #${invoice.number} · $145.00`)
    expect(html).toContain('(415) 555-0199')
    for (const secret of [
      'dog bites',
      'vip-secret-tag',
      'gold-tier-internal',
      'box-9931',
      'bring the ladder',
      '313.37',
    ])
      expect(html).not.toContain(secret)
    // Small and accessible: a skip link, labelled controls, well under 50 KB with its stylesheet.
    expect(html).toContain('<a class="skip" href="#main">Skip to content</a>')
    expect(html).toMatch(/<label for="sms-[^"]+">Text messages<\/label>/)
    const css = await (await env.ASSETS.fetch('https://homebase.test/portal.css')).text()
    expect(new TextEncoder().encode(html).length + css.length).toBeLessThan(50_000)
  })

  it('answers 404 to a tampered link, a link of another purpose and a deleted client', async () => {
    const { org, client } = await businessWithClient('Tamper Co')
    const good = await portalPath(org, client.org_client_id)
    const [payload, sig] = good.slice(3).split('.')
    const forged = JSON.parse(atob(payload!.replace(/-/g, '+').replace(/_/g, '/'))) as Record<string, unknown>
    const otherPayload = btoa(JSON.stringify({ ...forged, c: 'someone-else' }))
      .replace(/\+/g, '-')
      .replace(/\//g, '_')
      .replace(/=+$/, '')
    const home = new Homeowner()
    expect((await home.get(`/p/${otherPayload}.${sig}`)).status).toBe(404)
    expect((await home.get(`${good.slice(0, -2)}xx`)).status).toBe(404)
    expect((await home.get('/p/not-a-token')).status).toBe(404)
    const review = await signLinkToken(
      env,
      { o: org.organizationId, c: client.org_client_id, p: 'review', r: crypto.randomUUID() },
      60,
    )
    expect((await home.get(`/p/${review}`)).status).toBe(404)
    const unsubscribe = await signLinkToken(
      env,
      { o: org.organizationId, c: client.org_client_id, p: 'unsubscribe' },
      60,
    )
    expect((await home.get(`/p/${unsubscribe}`)).status).toBe(404)
    expect((await home.get(await portalPath(org, crypto.randomUUID()))).status).toBe(404)
  })

  it('opens a link signed with an older key while that key is listed', async () => {
    const { org, client } = await businessWithClient('Old Key Co', { first_name: 'Kim' })
    const old = await signLinkToken(
      { PORTAL_SIGNING_KEY: 'test-old-portal-signing-key', PORTAL_SIGNING_KEY_ID: 'k1' },
      { o: org.organizationId, c: client.org_client_id },
      30,
    )
    const res = await new Homeowner().get(`/p/${old}`)
    expect(res.status).toBe(200)
    expect(await res.text()).toContain('Hi Kim')
    const unknown = await signLinkToken(
      { PORTAL_SIGNING_KEY: 'test-old-portal-signing-key', PORTAL_SIGNING_KEY_ID: 'k0' },
      { o: org.organizationId, c: client.org_client_id },
      30,
    )
    expect((await new Homeowner().get(`/p/${unknown}`)).status).toBe(404)
  })

  it('keeps a pay link to its one invoice: it cannot confirm a visit or open the portal', async () => {
    const { org, client } = await businessWithClient('Scope Co')
    const jobId = await bookJob(org, client.org_client_id, NEXT_YEAR_VISIT)
    const invoice = await openInvoice(org, client.org_client_id, 9_900)
    const other = await openInvoice(org, client.org_client_id, 5_000)
    const pay = await portalPath(org, client.org_client_id, { p: 'pay', r: invoice.id })
    const home = new Homeowner()
    const page = await (await home.get(pay)).text()
    expect(page).toContain(`Invoice #${invoice.number}`)
    expect(page).not.toContain(`Invoice #${other.number}`)
    expect(page).not.toContain('Upcoming visits')
    expect((await home.post(`${pay}/jobs/${jobId}/confirm`)).status).toBe(404)
    expect((await home.post(`${pay}/invoices/${other.id}/pay`)).status).toBe(404)
    expect((await home.post(`${pay}/preferences`, { sms: 'on' })).status).toBe(404)
    expect((await home.post(`${pay}/verify`, { channel: 'sms' })).status).toBe(404)
    expect(
      (await (await api(org, 'GET', `/api/v1/jobs/${jobId}`)).json<{ confirmed_at: string | null }>()).confirmed_at,
    ).toBeNull()
    // Its own invoice it can pay: without Stripe, the page says how.
    await api(org, 'PATCH', '/api/v1/organization', { payment_instructions: 'Zelle to pay@scope.example' })
    const offline = await home.post(`${pay}/invoices/${invoice.id}/pay`)
    expect(offline.status).toBe(200)
    expect(await offline.text()).toContain('Zelle to pay@scope.example')
  })

  it('mints portal, pay and confirm links for staff through the API', async () => {
    const { org, client } = await businessWithClient('Links Co', { first_name: 'Ari' })
    const jobId = await bookJob(org, client.org_client_id, NEXT_YEAR_VISIT)
    const invoice = await openInvoice(org, client.org_client_id)
    const portal = await (
      await api(org, 'POST', '/api/v1/portal-links', { org_client_id: client.org_client_id })
    ).json<{ url: string }>()
    expect(portal.url).toMatch(/^https:\/\/homebase\.test\/p\/[\w-]+\.[\w-]+$/)
    expect(await (await new Homeowner().get(new URL(portal.url).pathname)).text()).toContain('Hi Ari')
    const confirm = await api(org, 'POST', '/api/v1/portal-links', {
      org_client_id: client.org_client_id,
      purpose: 'confirm',
      job_id: jobId,
      days: 3,
    })
    expect(confirm.status).toBe(201)
    const path = new URL((await confirm.json<{ url: string }>()).url).pathname
    expect((await new Homeowner().post(`${path}/jobs/${jobId}/confirm`)).status).toBe(303)
    expect(
      (await api(org, 'POST', '/api/v1/portal-links', { org_client_id: client.org_client_id, purpose: 'pay' })).status,
    ).toBe(400)
    expect(
      (
        await api(org, 'POST', '/api/v1/portal-links', {
          org_client_id: client.org_client_id,
          purpose: 'pay',
          invoice_id: invoice.id,
        })
      ).status,
    ).toBe(201)
    expect((await api(org, 'POST', '/api/v1/portal-links', { org_client_id: crypto.randomUUID() })).status).toBe(404)
  })
})

describe('expired links', () => {
  it('offer a fresh link to the contact on file only, and limit how often', async () => {
    const { org, client, phone } = await businessWithClient('Fresh Co')
    const expired = await portalPath(org, client.org_client_id, { days: 1, now: Date.now() - 3 * 86_400_000 })
    const home = new Homeowner()
    const page = await home.get(expired)
    expect(page.status).toBe(410)
    const html = await page.text()
    expect(html).toContain('This link has expired')
    expect(html).toContain(`By text to the number ending in ${phone.slice(-4)}`)
    expect(html).not.toMatch(/<input[^>]+type="tel"/)
    expect(html.length).toBeLessThan(50_000)

    // A number typed into the request is ignored: the link goes to the phone on file.
    const sent = await home.post(`${expired}/fresh`, { channel: 'sms', phone: '+14155550000', to: '+14155550000' })
    expect(sent.status).toBe(200)
    expect(await sent.text()).toContain(`the number ending in ${phone.slice(-4)}`)
    const [message] = await messagesOf(org, '?purpose=portal_link')
    expect(message).toMatchObject({ to: phone, channel: 'sms', status: expect.stringMatching(/queued|sent/) })
    const fresh = message!.body.match(/https:\/\/homebase\.test(\/p\/\S+)/)![1]!
    expect((await home.get(fresh)).status).toBe(200)

    expect((await home.post(`${expired}/fresh`, { channel: 'sms' })).status).toBe(200)
    expect((await home.post(`${expired}/fresh`, { channel: 'email' })).status).toBe(200)
    const limited = await home.post(`${expired}/fresh`, { channel: 'sms' })
    expect(limited.status).toBe(429)
    expect(await limited.text()).toContain('Try again in')
    expect(await messagesOf(org, '?purpose=portal_link')).toHaveLength(3)
  })
})

describe('homeowner actions', () => {
  it('confirm a visit: the timeline says so and the “please confirm” reminder is skipped', async () => {
    const { org, client } = await businessWithClient('Confirm Co')
    const jobId = await bookJob(org, client.org_client_id, NEXT_YEAR_VISIT)
    const path = await portalPath(org, client.org_client_id)
    const home = new Homeowner()
    expect(await (await home.get(path)).text()).toContain('Confirm this visit')
    const res = await home.post(`${path}/jobs/${jobId}/confirm`)
    expect(res.status).toBe(303)
    expect(res.headers.get('location')).toBe(`${path}?done=confirmed`)
    const after = await (await home.get(`${path}?done=confirmed`)).text()
    expect(after).toContain('Your visit is confirmed')
    expect(after).not.toContain('Confirm this visit')
    expect(
      (await (await api(org, 'GET', `/api/v1/jobs/${jobId}`)).json<{ confirmed_at: string | null }>()).confirmed_at,
    ).not.toBeNull()

    const staff = await staffOf(org)
    expect(await (await staff.get(`/app/clients/${client.org_client_id}`)).text()).toMatch(
      /Job<\/a> of [^<]+ confirmed by the client/,
    )
    expect(await (await staff.get(`/app/jobs/${jobId}`)).text()).toContain('confirmed by the client')
    await runDueAt(org, DAY_BEFORE)
    const [reminder] = await messagesOf(org, '?purpose=job_upcoming')
    expect(reminder).toMatchObject({ status: 'skipped', reason: 'job_confirmed' }) // Moving the visit makes it a new appointment: the confirmation no longer holds.
    const moved = await api(org, 'PATCH', `/api/v1/jobs/${jobId}`, {
      start_at: new Date(Date.parse(NEXT_YEAR_VISIT) + 86_400_000).toISOString(),
    })
    expect((await moved.json<{ confirmed_at: string | null }>()).confirmed_at).toBeNull()
  })

  it('ask for another time: a task staff see on the dashboard and on the job page', async () => {
    const { org, client } = await businessWithClient('Move Co', { first_name: 'Dana' })
    const jobId = await bookJob(org, client.org_client_id, NEXT_YEAR_VISIT)
    const path = await portalPath(org, client.org_client_id)
    const home = new Homeowner()
    const form = await (await home.get(`${path}/jobs/${jobId}/reschedule`)).text()
    expect(form).toContain('<label for="first">First choice</label>')
    const bad = await home.post(`${path}/jobs/${jobId}/reschedule`, {
      first: '2030-06-12T09:00',
      second: '2030-06-12T09:00',
    })
    expect(bad.status).toBe(422)
    expect(await bad.text()).toContain('Pick a different second time.')
    const past = await home.post(`${path}/jobs/${jobId}/reschedule`, {
      first: '2020-06-12T09:00',
      second: '2030-06-13T14:30',
    })
    expect(past.status).toBe(422)
    const ok = await home.post(`${path}/jobs/${jobId}/reschedule`, {
      first: '2030-06-12T09:00',
      second: '2030-06-13T14:30',
      note: 'Mornings are best',
    })
    expect(ok.status).toBe(303)
    expect(await (await home.get(`${path}?done=reschedule`)).text()).toContain('New time requested')

    const staff = await staffOf(org)
    const dashboard = await (await staff.get('/app')).text()
    expect(dashboard).toContain('data-testid="open-tasks"')
    // Preferred times are shown on the business's clock (Los Angeles): 9:00 and 14:30 in Oakland.
    expect(dashboard).toMatch(/Dana<\/a><\/strong> asks for another time/)
    expect(dashboard).toContain('Prefers: Wed, Jun 12, 9:00 AM or Thu, Jun 13, 2:30 PM')
    const jobPage = await (await staff.get(`/app/jobs/${jobId}`)).text()
    expect(jobPage).toContain('The client asks')
    expect(jobPage).toContain('“Mornings are best”')
    expect(await (await staff.get(`/app/clients/${client.org_client_id}`)).text()).toContain('Reschedule requested')

    const taskId = jobPage.match(/action="\/app\/tasks\/([0-9a-f-]+)\/done"/)![1]!
    const csrf = await staff.csrfToken()
    const done = await staff.post(`/app/tasks/${taskId}/done`, { _csrf: csrf, back: `/app/jobs/${jobId}` })
    expect(done.status).toBe(303)
    expect(done.headers.get('location')).toBe(`/app/jobs/${jobId}`)
    expect(await (await staff.get('/app')).text()).not.toContain('data-testid="open-tasks"')
  })

  it('turning texts and emails off stops the next reminder (opted_out)', async () => {
    const { org, client } = await businessWithClient('Quiet Co')
    await bookJob(org, client.org_client_id, NEXT_YEAR_VISIT)
    const path = await portalPath(org, client.org_client_id)
    const home = new Homeowner()
    const res = await home.post(`${path}/preferences`, {})
    expect(res.status).toBe(303)
    const page = await (await home.get(`${path}?done=preferences`)).text()
    expect(page).toContain('Saved.')
    expect(page).not.toMatch(/id="sms-[^"]+"[^>]*checked/)
    await runDueAt(org, DAY_BEFORE)
    const reminders = await messagesOf(org, '?purpose=job_upcoming')
    expect(reminders.map((m) => [m.channel, m.status, m.reason]).sort()).toEqual([
      ['email', 'skipped', 'opted_out'],
      ['sms', 'skipped', 'opted_out'],
    ])
    const consent = await (await api(org, 'GET', `/api/v1/clients/${client.org_client_id}`)).json<{
      consents: { sms_opt_in: boolean }
    }>()
    expect(consent.consents.sms_opt_in).toBe(false)
  })

  it('rate a finished visit on the review page', async () => {
    const { org, client } = await businessWithClient('Rate Co')
    const jobId = await bookJob(org, client.org_client_id, NEXT_YEAR_VISIT)
    await api(org, 'PATCH', `/api/v1/jobs/${jobId}`, { status: 'completed' })
    const path = await portalPath(org, client.org_client_id)
    const home = new Homeowner()
    expect(await (await home.get(path)).text()).toContain('Rate this visit')
    const res = await home.post(`${path}/jobs/${jobId}/review`)
    expect(res.status).toBe(303)
    const rating = res.headers.get('location')!
    expect(rating).toMatch(/^\/r\/[\w-]+\.[\w-]+$/)
    expect((await home.get(rating)).status).toBe(200)
    // A second tap opens the same request.
    expect((await home.post(`${path}/jobs/${jobId}/review`)).headers.get('location')).toBeTruthy()
    const requests = await (await api(org, 'GET', '/api/v1/review-requests')).json<{
      items: Array<{ channel: string }>
    }>()
    expect(requests.items.filter((r) => r.channel === 'portal')).toHaveLength(1)
  })

  it('refuse a form posted from another site', async () => {
    const { org, client } = await businessWithClient('Origin Co')
    const jobId = await bookJob(org, client.org_client_id, NEXT_YEAR_VISIT)
    const path = await portalPath(org, client.org_client_id)
    const res = await new Homeowner().post(`${path}/jobs/${jobId}/confirm`, {}, { origin: 'https://evil.example' })
    expect(res.status).toBe(403)
  })
})
