import { describe, expect, it, vi } from 'vitest'
import { Staff } from './helpers/browserless'
import { api, createOrg, type TestOrg } from './helpers/factories'
import { messagesOf, runDueAt } from './helpers/messaging'
import { funnelOrg, GOOGLE_URL, open, postForm, reviewLink, reviewRequestsOf } from './helpers/reviews'

type Tech = {
  id: string
  name: string
  active: boolean
  qr_codes: Array<{ id: string; code: string; label: string; scan_count: number; last_scanned_at: string | null }>
}

async function techWithQr(org: TestOrg, name = 'Alex Rivera') {
  const tech = await (await api(org, 'POST', '/api/v1/techs', { name, email: 'alex@example.com' })).json<Tech>()
  const res = await api(org, 'POST', `/api/v1/techs/${tech.id}/qr-codes`, { label: 'Van sticker' })
  expect(res.status).toBe(201)
  const qr = await res.json<{ id: string; code: string; url: string }>()
  return { tech, qr }
}

const techOf = async (org: TestOrg, id: string) => (await api(org, 'GET', `/api/v1/techs/${id}`)).json<Tech>()

async function signedIn(org: TestOrg) {
  const staff = new Staff()
  await staff.post('/login', { email: org.email, password: org.password })
  return { staff, csrf: await staff.csrfToken() }
}

describe('QR codes /q/{code}', () => {
  it('counts each scan once and opens the rating page for the tech; reloading the rating page adds nothing', async () => {
    const { org } = await funnelOrg()
    const { tech, qr } = await techWithQr(org)
    expect(qr.code).toMatch(/^[0-9A-HJKMNP-TV-Z]{8}$/)
    expect(qr.url).toBe(`https://homebase.test/q/${qr.code}`)

    const first = await open(`/q/${qr.code}`)
    expect(first.status).toBe(302)
    const location = first.headers.get('location')!
    expect(location).toMatch(/^\/r\/[\w-]+\.[\w-]+$/)
    expect((await open(`/q/${qr.code.toLowerCase()}`)).status).toBe(302)
    expect((await techOf(org, tech.id)).qr_codes[0]).toMatchObject({ scan_count: 2 })

    const page = await (await open(location)).text()
    expect(page).toContain(`href="${location}/google"`)
    await open(location)
    expect((await techOf(org, tech.id)).qr_codes[0]!.scan_count).toBe(2)
    const requests = (await reviewRequestsOf(org)).filter((r) => r.channel === 'qr')
    expect(requests).toHaveLength(2)
    expect(requests.every((r) => r.tech_id === tech.id)).toBe(true)
  })

  it('answers 404 for a code nobody has', async () => {
    expect((await open('/q/ZZZZZZZZ')).status).toBe(404)
    expect((await open('/q/not-a-code')).status).toBe(404)
  })

  it('asks a walk-up rater how to reach them and files the feedback under the tech', async () => {
    const { org } = await funnelOrg()
    const { qr } = await techWithQr(org, 'Jo Park')
    const location = (await open(`/q/${qr.code}`)).headers.get('location')!
    const rated = await (await postForm(location, { rating: '1' })).text()
    expect(rated).toContain(`href="${location}/google"`)
    expect(rated).toContain('name="name"')
    expect(rated).toContain('name="phone"')
    expect(
      (await postForm(`${location}/feedback`, { feedback: 'Late', name: 'Pat Doe', email: 'not-an-email' })).status,
    ).toBe(400)
    expect(
      (
        await postForm(`${location}/feedback`, {
          feedback: 'Late by two hours',
          name: 'Pat Doe',
          phone: '(415) 555-0199',
        })
      ).status,
    ).toBe(200)
    const { items } = await (await api(org, 'GET', '/api/v1/feedback')).json<{
      items: Array<Record<string, unknown>>
    }>()
    expect(items[0]).toMatchObject({
      name: 'Pat Doe',
      customer_phone: '(415) 555-0199',
      source: 'qr',
      tech_name: 'Jo Park',
      org_client_id: null,
      rating: 1,
    })
    expect((await messagesOf(org, '?purpose=feedback_alert')).map((m) => m.subject)).toEqual([
      '1-star rating from A customer',
    ])
    await runDueAt(org, new Date(Date.now() + 61 * 60_000))
    await vi.waitFor(
      async () => {
        const alerts = await messagesOf(org, '?purpose=feedback_alert')
        expect(alerts).toHaveLength(2)
        expect(alerts.find((m) => m.subject === 'Private feedback from Pat Doe (1 of 5)')!.body).toContain(
          'from a QR code (Jo Park)',
        )
      },
      { timeout: 8000, interval: 200 },
    )
  })
})

describe('another organization’s techs, QR codes and feedback', () => {
  it('are 404 through the API and the pages', async () => {
    const { org: theirs, client } = await funnelOrg()
    const { tech, qr } = await techWithQr(theirs)
    const { path } = await reviewLink(theirs, client.org_client_id)
    await postForm(path, { rating: '2' })
    await postForm(`${path}/feedback`, { feedback: 'Meh' })
    const feedbackId = (await (await api(theirs, 'GET', '/api/v1/feedback')).json<{ items: Array<{ id: string }> }>())
      .items[0]!.id

    const ours = await createOrg()
    expect((await api(ours, 'GET', `/api/v1/techs/${tech.id}`)).status).toBe(404)
    expect((await api(ours, 'PATCH', `/api/v1/techs/${tech.id}`, { active: false })).status).toBe(404)
    expect((await api(ours, 'POST', `/api/v1/techs/${tech.id}/qr-codes`, { label: 'Mine now' })).status).toBe(404)
    const { staff, csrf } = await signedIn(ours)
    expect((await staff.get(`/app/reviews/qr/${qr.id}/card`)).status).toBe(404)
    expect((await staff.get(`/app/reviews/qr/${qr.id}/image.svg`)).status).toBe(404)
    expect((await staff.get(`/app/reviews/feedback/${feedbackId}`)).status).toBe(404)
    expect((await staff.post(`/app/reviews/techs/${tech.id}/active`, { active: 'false', _csrf: csrf })).status).toBe(
      404,
    )
    expect((await staff.post(`/app/reviews/techs/${tech.id}/qr-codes`, { label: 'Mine', _csrf: csrf })).status).toBe(
      404,
    )
    expect(await techOf(theirs, tech.id)).toMatchObject({ active: true })
    expect((await techOf(theirs, tech.id)).qr_codes).toHaveLength(1)
  })
})

describe('review pages for signed-in staff', () => {
  it('show the inbox with its unread badge, and opening a piece of feedback marks it read', async () => {
    const { org, client } = await funnelOrg()
    const { staff } = await signedIn(org)
    expect(await (await staff.get('/app')).text()).toContain('hx-get="/app/reviews/badge"')
    expect(await (await staff.get('/app/reviews/badge')).text()).not.toContain('reviews-badge')
    const { path } = await reviewLink(org, client.org_client_id)
    await postForm(path, { rating: '3' })
    await postForm(`${path}/feedback`, { feedback: 'Missed the back porch.', callback: 'yes' })

    expect(await (await staff.get('/app/reviews/badge')).text()).toMatch(/data-testid="reviews-badge"[^>]*>1</)
    const inbox = await (await staff.get('/app/reviews')).text()
    expect(inbox).toContain('data-testid="unread-marker"')
    expect(inbox).toContain('Missed the back porch.')
    expect(inbox).toContain('call back')
    expect(inbox).toContain('data-testid="month-chart"')
    expect(inbox).toMatch(/No tech<\/td><td data-label="Ratings" class="num">1</)
    const id = inbox.match(/href="\/app\/reviews\/feedback\/([0-9a-f-]+)"/)![1]
    const item = await staff.get(`/app/reviews/feedback/${id}`)
    expect(item.status).toBe(200)
    expect(await item.text()).toContain('Missed the back porch.')
    expect(await (await staff.get('/app/reviews/badge')).text()).not.toContain('reviews-badge')
    expect(await (await staff.get('/app/reviews')).text()).not.toContain('data-testid="unread-marker"')
  })

  it('list review requests with their status, rating and public-link click, filtered by status', async () => {
    const { org, client } = await funnelOrg()
    const { staff } = await signedIn(org)
    const opened = await reviewLink(org, client.org_client_id)
    await open(`${opened.path}/google`)
    await postForm(opened.path, { rating: '5' })
    const waiting = await reviewLink(org, client.org_client_id, 'email')
    const all = await (await staff.get('/app/reviews/requests')).text()
    expect(all).toContain(`id="rr-${opened.requestId}"`)
    expect(all).toContain(`id="rr-${waiting.requestId}"`)
    const row = all.slice(all.indexOf(`id="rr-${opened.requestId}"`)).split('</tr>')[0]!
    expect(row).toContain('>clicked</span>')
    expect(row).toContain('5<span class="muted">/5</span>')
    expect(row).toContain('badge badge-active">clicked')
    const scheduled = await (await staff.get('/app/reviews/requests?status=scheduled')).text()
    expect(scheduled).toContain(`id="rr-${waiting.requestId}"`)
    expect(scheduled).not.toContain(`id="rr-${opened.requestId}"`)
  })

  it('add a tech and a QR code, deactivate the tech, and show the QR image and its printable card', async () => {
    const { org } = await funnelOrg()
    const { staff, csrf } = await signedIn(org)
    const htmx = { 'hx-request': 'true' }
    const invalid = await staff.post('/app/reviews/techs', { name: '', _csrf: csrf }, htmx)
    expect(invalid.status).toBe(422)
    expect(await invalid.text()).toContain('Enter the tech’s name.')
    const added = await staff.post(
      '/app/reviews/techs',
      { name: 'Sam Lee', email: 'sam@example.com', _csrf: csrf },
      htmx,
    )
    expect(added.status).toBe(201)
    expect(await added.text()).toContain('Added Sam Lee.')
    const tech = (await (await api(org, 'GET', '/api/v1/techs')).json<{ items: Tech[] }>()).items.find(
      (t) => t.name === 'Sam Lee',
    )!

    const withQr = await staff.post(
      `/app/reviews/techs/${tech.id}/qr-codes`,
      { label: 'Door hanger', _csrf: csrf },
      htmx,
    )
    expect(withQr.status).toBe(200)
    const code = (await techOf(org, tech.id)).qr_codes[0]!
    expect(await withQr.text()).toContain(`https://homebase.test/q/${code.code}`)

    const svg = await staff.get(`/app/reviews/qr/${code.id}/image.svg`)
    expect(svg.headers.get('content-type')).toContain('image/svg+xml')
    expect(await svg.text()).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg" viewBox="0 0 \d+ \d+"><rect/)
    const card = await (await staff.get(`/app/reviews/qr/${code.id}/card`)).text()
    for (const part of [
      'Sparkle Cleaning',
      'How did we do?',
      'Sam Lee',
      `https://homebase.test/q/${code.code}`,
      `/app/reviews/qr/${code.id}/image.svg`,
      '@media print',
    ]) {
      expect(card).toContain(part)
    }

    const off = await staff.post(`/app/reviews/techs/${tech.id}/active`, { active: 'false', _csrf: csrf }, htmx)
    expect(await off.text()).toContain('Reactivate')
    expect((await techOf(org, tech.id)).active).toBe(false)
    // A deactivated tech's printed code still opens the rating page.
    expect((await open(`/q/${code.code}`)).status).toBe(302)
    expect(await (await staff.get('/app/reviews/techs')).text()).toContain('1 scan')
  })

  it('edit the public review link in the review funnel settings, which say why there is no gating', async () => {
    const { org, client } = await funnelOrg()
    const { staff, csrf } = await signedIn(org)
    expect(await (await staff.get('/app/settings')).text()).toContain('Why HomeBase does not offer review gating.')
    const fragment = await (await staff.get('/app/reviews/settings', { 'hx-request': 'true' })).text()
    expect(fragment).toContain(`data-testid="google-review-url" rel="noreferrer" target="_blank">${GOOGLE_URL}<`)
    expect(fragment).not.toContain('<html')

    const bad = await staff.post('/app/reviews/settings', { google_review_url: 'javascript:alert(1)', _csrf: csrf })
    expect(bad.status).toBe(422)
    expect(await bad.text()).toContain('Enter a web address starting with https://')
    const url = 'https://search.google.com/local/writereview?placeid=abc123'
    expect((await staff.post('/app/reviews/settings', { google_review_url: url, _csrf: csrf })).status).toBe(303)
    const { path } = await reviewLink(org, client.org_client_id)
    expect((await open(`${path}/google`)).headers.get('location')).toBe(url)
    expect((await staff.post('/app/reviews/settings', { google_review_url: '', _csrf: csrf })).status).toBe(303)
    expect(await (await open(path)).text()).toContain('has not added a public review page yet')
  })
})

describe('the client timeline', () => {
  it('says in words what the client rated and what they told the business privately', async () => {
    const { org, client } = await funnelOrg()
    const { path } = await reviewLink(org, client.org_client_id)
    await postForm(path, { rating: '2' })
    await postForm(`${path}/feedback`, { feedback: 'The crew was late.', callback: 'yes' })
    const { staff } = await signedIn(org)
    const html = await (await staff.get(`/app/clients/${client.org_client_id}`)).text()
    expect(html).toContain('Rated us 2 out of 5')
    expect(html).toMatch(
      /Private feedback \(2 out of 5\), asked for a call back: <span class="pre">The crew was late\.<\/span>/,
    )
  })
})
