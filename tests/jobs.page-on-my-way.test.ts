/** "On my way" on the job page: one tap per arrival estimate, by htmx or a plain form post, consent respected, once a visit. */
import { describe, expect, it } from 'vitest'
import { onMyWayOffered } from '../src/jobs/on-my-way'
import { Staff } from './helpers/browserless'
import { api, createOrg, type TestOrg } from './helpers/factories'
import { bookJob, messagesOf, orgWithClient } from './helpers/messaging'

const HX = { 'hx-request': 'true' }
const HOUR = 3_600_000
const inHours = (h: number) => new Date(Date.now() + h * HOUR).toISOString()

async function signIn(org: TestOrg) {
  const staff = new Staff()
  await staff.post('/login', { email: org.email, password: org.password })
  return { staff, csrf: await staff.csrfToken() }
}

/** A California business whose client Casey has a visit starting in an hour, with its owner signed in. */
async function visitSoon(opts: Parameters<typeof orgWithClient>[0] = {}) {
  const { org, client, phone } = await orgWithClient(opts)
  const job = await bookJob(org, client.org_client_id, inHours(1))
  return { org, client, phone, job, ...(await signIn(org)) }
}

describe('the job page offers "On my way"', () => {
  it('with one button per arrival estimate for a visit within 12 hours, and not a day ahead', async () => {
    const { org, client, job, staff } = await visitSoon()
    const html = await (await staff.get(`/app/jobs/${job.id}`)).text()
    expect(html).toContain('data-testid="on-my-way"')
    expect(html).toContain(`action="/app/jobs/${job.id}/on-my-way"`)
    for (const m of [10, 20, 30, 45]) expect(html).toContain(`name="eta_minutes" value="${m}"`)

    const later = await bookJob(org, client.org_client_id, inHours(26))
    expect(await (await staff.get(`/app/jobs/${later.id}`)).text()).not.toContain('data-testid="on-my-way"')
    await api(org, 'PATCH', `/api/v1/jobs/${job.id}`, { status: 'completed' })
    expect(await (await staff.get(`/app/jobs/${job.id}`)).text()).not.toContain('data-testid="on-my-way"')
  })

  it('from 12 hours before the start until the end of the visit day in the business zone', () => {
    const tz = 'America/Los_Angeles'
    // 8:00 PM on Mar 4 in Los Angeles is 04:00 UTC on Mar 5; the local day ends at 08:00 UTC.
    const visit = { status: 'scheduled' as const, start_at: '2031-03-05T04:00:00Z', end_at: null }
    expect(onMyWayOffered(visit, new Date('2031-03-04T15:59:00Z'), tz)).toBe(false)
    expect(onMyWayOffered(visit, new Date('2031-03-04T16:00:00Z'), tz)).toBe(true)
    expect(onMyWayOffered(visit, new Date('2031-03-05T07:59:00Z'), tz)).toBe(true)
    expect(onMyWayOffered(visit, new Date('2031-03-05T08:00:00Z'), tz)).toBe(false)
    // A visit ending after midnight keeps it until its end; a finished or blocked one never has it.
    const late = { ...visit, end_at: '2031-03-05T09:30:00Z' }
    expect(onMyWayOffered(late, new Date('2031-03-05T09:00:00Z'), tz)).toBe(true)
    expect(onMyWayOffered({ ...visit, status: 'in_progress' }, new Date('2031-03-05T05:00:00Z'), tz)).toBe(true)
    expect(onMyWayOffered({ ...visit, status: 'blocked' }, new Date('2031-03-05T05:00:00Z'), tz)).toBe(false)
    expect(onMyWayOffered({ ...visit, status: 'completed' }, new Date('2031-03-05T05:00:00Z'), tz)).toBe(false)
  })
})

describe('POST /app/jobs/{id}/on-my-way', () => {
  it('by htmx: texts the client the estimate tapped and swaps the card to say so and when it went', async () => {
    const { org, job, phone, staff, csrf } = await visitSoon()
    const res = await staff.post(`/app/jobs/${job.id}/on-my-way`, { _csrf: csrf, eta_minutes: '20' }, HX)
    expect(res.status).toBe(200)
    const card = await res.text()
    expect(card).toMatch(/^<section id="on-my-way"/)
    expect(card).toContain('Texted Casey: on the way, about 20 minutes.')
    expect(card).toMatch(/data-testid="on-my-way-sent">Sent at \d{1,2}:\d{2} [AP]M/)
    expect(card).not.toContain('name="eta_minutes"')
    const sent = await messagesOf(org, '?purpose=on_my_way')
    expect(sent).toHaveLength(1)
    expect(sent[0]).toMatchObject({ channel: 'sms', to: phone })
    expect(sent[0]!.body).toContain('about 20 minutes')

    // The page says when it went instead of offering the buttons again.
    const page = await (await staff.get(`/app/jobs/${job.id}`)).text()
    expect(page).toContain('data-testid="on-my-way-sent"')
    expect(page).not.toContain('name="eta_minutes"')
  })

  it('refuses a tap before the visit is near (a stale page) without using up its text, and a moved visit may be announced again', async () => {
    const { org, client, job, staff, csrf } = await visitSoon()
    const later = await bookJob(org, client.org_client_id, inHours(72))
    const early = await staff.post(`/app/jobs/${later.id}/on-my-way`, { _csrf: csrf, eta_minutes: '20' }, HX)
    expect(early.status).toBe(409)
    expect(await early.text()).toContain('On my way opens 12 hours before the visit.')
    expect(await messagesOf(org, '?purpose=on_my_way')).toEqual([])

    expect((await staff.post(`/app/jobs/${job.id}/on-my-way`, { _csrf: csrf, eta_minutes: '20' }, HX)).status).toBe(200)
    // The visit moves an hour later: a new time may be announced once more, and only once.
    expect((await api(org, 'PATCH', `/api/v1/jobs/${job.id}`, { start_at: inHours(2) })).status).toBe(200)
    expect(await (await staff.get(`/app/jobs/${job.id}`)).text()).toContain('name="eta_minutes"')
    expect((await staff.post(`/app/jobs/${job.id}/on-my-way`, { _csrf: csrf, eta_minutes: '10' }, HX)).status).toBe(200)
    expect((await staff.post(`/app/jobs/${job.id}/on-my-way`, { _csrf: csrf, eta_minutes: '10' }, HX)).status).toBe(409)
    expect(await messagesOf(org, '?purpose=on_my_way')).toHaveLength(2)
  })

  it('without JavaScript: redirects back to the page, which says what was sent', async () => {
    const { org, job, staff, csrf } = await visitSoon()
    const res = await staff.post(`/app/jobs/${job.id}/on-my-way`, { _csrf: csrf, eta_minutes: '45' })
    expect(res.status).toBe(303)
    const back = res.headers.get('location')!
    expect(back).toBe(`/app/jobs/${job.id}?on_my_way=sent&eta=45#on-my-way`)
    const page = await (await staff.get(back.replace(/#.*/, ''))).text()
    expect(page).toContain('Texted Casey: on the way, about 45 minutes.')
    expect(page).toContain('data-testid="on-my-way-sent"')
    expect((await messagesOf(org, '?purpose=on_my_way'))[0]!.body).toContain('about 45 minutes')
  })

  it('a replayed or second tap texts nobody again and says it already went', async () => {
    const { org, job, staff, csrf } = await visitSoon()
    const form = { _csrf: csrf, eta_minutes: '10' }
    expect((await staff.post(`/app/jobs/${job.id}/on-my-way`, form, HX)).status).toBe(200)
    const again = await staff.post(`/app/jobs/${job.id}/on-my-way`, { ...form, eta_minutes: '30' }, HX)
    expect(again.status).toBe(409)
    const card = await again.text()
    expect(card).toContain('The client was already told you are on your way to this visit.')
    expect(card).toContain('data-testid="on-my-way-sent"')
    const plain = await staff.post(`/app/jobs/${job.id}/on-my-way`, form)
    expect(plain.headers.get('location')).toContain('on_my_way=duplicate')
    const sent = await messagesOf(org, '?purpose=on_my_way')
    expect(sent).toHaveLength(1)
    expect(sent[0]!.body).toContain('about 10 minutes')
  })

  it('never texts a client who opted out, and the card says why and keeps the buttons', async () => {
    const { org, client, job, staff, csrf } = await visitSoon()
    await api(org, 'POST', `/api/v1/clients/${client.org_client_id}/consents`, {
      sms_opt_in: false,
      reason: 'asked by phone',
    })
    const res = await staff.post(`/app/jobs/${job.id}/on-my-way`, { _csrf: csrf, eta_minutes: '20' }, HX)
    expect(res.status).toBe(409)
    const card = await res.text()
    expect(card).toContain('The client has opted out of texts.')
    expect(card).toContain('name="eta_minutes"')
    const plain = await staff.post(`/app/jobs/${job.id}/on-my-way`, { _csrf: csrf, eta_minutes: '20' })
    const page = await (await staff.get(plain.headers.get('location')!.replace(/#.*/, ''))).text()
    expect(page).toContain('The client has opted out of texts.')
    expect(await messagesOf(org, '?purpose=on_my_way')).toEqual([])
  })

  it('refuses an estimate it cannot read (400) and a post without the form token (403), sending nothing', async () => {
    const { org, job, staff, csrf } = await visitSoon()
    const bad = await staff.post(`/app/jobs/${job.id}/on-my-way`, { _csrf: csrf, eta_minutes: 'soon' }, HX)
    expect(bad.status).toBe(400)
    expect(await bad.text()).toContain('Pick how many minutes away you are.')
    expect((await staff.post(`/app/jobs/${job.id}/on-my-way`, { _csrf: csrf, eta_minutes: '600' })).status).toBe(400)
    const forged = await staff.post(`/app/jobs/${job.id}/on-my-way`, { _csrf: 'not-the-token', eta_minutes: '20' })
    expect(forged.status).toBe(403)
    expect(await messagesOf(org, '?purpose=on_my_way')).toEqual([])
  })

  it('a tech on the team may tap it, as they may use the rest of the job page', async () => {
    const { org, job } = await visitSoon()
    const email = `tech-${crypto.randomUUID()}@example.com`
    const invite = await api(org, 'POST', '/api/v1/team/invites', { email, role: 'tech', name: 'Tess' })
    const { invite_url } = await invite.json<{ invite_url: string }>()
    await new Staff().post(new URL(invite_url).pathname, { password: 'tech password 1' })
    const { staff, csrf } = await signIn({ ...org, email, password: 'tech password 1' })
    const res = await staff.post(`/app/jobs/${job.id}/on-my-way`, { _csrf: csrf, eta_minutes: '30' }, HX)
    expect(res.status).toBe(200)
    expect((await messagesOf(org, '?purpose=on_my_way'))[0]!.body).toContain('about 30 minutes')
  })

  it("is not found for another business's job, and texts nobody", async () => {
    const { org, job } = await visitSoon()
    const stranger = await createOrg()
    const { staff, csrf } = await signIn(stranger)
    expect((await staff.post(`/app/jobs/${job.id}/on-my-way`, { _csrf: csrf, eta_minutes: '20' }, HX)).status).toBe(404)
    expect((await staff.post(`/app/jobs/${job.id}/on-my-way`, { _csrf: csrf, eta_minutes: '20' })).status).toBe(404)
    expect(await messagesOf(org, '?purpose=on_my_way')).toEqual([])
    expect(await messagesOf(stranger, '?purpose=on_my_way')).toEqual([])
  })
})
