import { env } from 'cloudflare:test'
import { describe, expect, it, vi } from 'vitest'
import { signLinkToken, signPortalToken } from '../src/messaging/portal-token'
import { api } from './helpers/factories'
import { messagesOf, outboxOf, runDueAt } from './helpers/messaging'
import { funnelOrg, GOOGLE_URL, open, postForm, reviewLink, reviewRequestsOf } from './helpers/reviews'

type Timeline = { items: Array<{ type: string; data: Record<string, unknown> }> }

describe('the rating page /r/{token}', () => {
  it('shows the public review link before rating and after every rating from 1 to 5', async () => {
    const { org, client } = await funnelOrg()
    for (const rating of [1, 2, 3, 4, 5]) {
      const { path } = await reviewLink(org, client.org_client_id)
      const before = await open(path)
      expect(before.status).toBe(200)
      const page = await before.text()
      expect(page).toContain('data-testid="rating-form"')
      expect(page).toContain(`href="${path}/google"`)
      expect(page).not.toContain('private-feedback-form')

      const rated = await postForm(path, { rating: String(rating) })
      expect(rated.status).toBe(200)
      const answer = await rated.text()
      expect(answer, `rating ${rating}`).toContain(`href="${path}/google"`)
      expect(answer).toContain('Write a review on Google')
      expect(answer).toContain(`<strong>${rating} out of 5</strong>`)
      // 1–3 also offer the private form; 4–5 get the same page without it, nothing else hidden.
      expect(answer.includes('data-testid="private-feedback-form"'), `rating ${rating}`).toBe(rating <= 3)
      expect(await (await open(path)).text()).toContain(`href="${path}/google"`)
    }
  })

  it('says neutrally that there is no public review page when the business has none', async () => {
    const { org, client } = await funnelOrg({ url: null })
    const { path } = await reviewLink(org, client.org_client_id)
    const answer = await (await postForm(path, { rating: '5' })).text()
    expect(answer).toContain('Sparkle Cleaning has not added a public review page yet.')
    expect(answer).not.toContain('/google"')
    expect((await open(`${path}/google`)).status).toBe(404)
  })

  it('marks the request clicked on the first visit only, and a later rating replaces the first', async () => {
    const { org, client } = await funnelOrg()
    const { path, requestId } = await reviewLink(org, client.org_client_id)
    expect((await reviewRequestsOf(org)).find((r) => r.id === requestId)).toMatchObject({
      status: 'scheduled',
      opened_at: null,
    })
    await open(path)
    const [first] = (await reviewRequestsOf(org)).filter((r) => r.id === requestId)
    expect(first).toMatchObject({ status: 'clicked', rating: null })
    await open(path)
    expect((await reviewRequestsOf(org)).find((r) => r.id === requestId)!.opened_at).toBe(first!.opened_at)
    await postForm(path, { rating: '2' })
    await postForm(path, { rating: '5' })
    expect((await reviewRequestsOf(org)).find((r) => r.id === requestId)).toMatchObject({
      rating: 5,
      status: 'clicked',
    })
  })

  it('answers a rating outside 1–5 with 400 and records nothing', async () => {
    const { org, client } = await funnelOrg()
    const { path, requestId } = await reviewLink(org, client.org_client_id)
    for (const rating of ['0', '6', 'five', '']) {
      const res = await postForm(path, { rating })
      expect(res.status).toBe(400)
      expect(await res.text()).toContain('Choose a rating from 1 to 5 stars.')
    }
    expect((await reviewRequestsOf(org)).find((r) => r.id === requestId)!.rating).toBeNull()
  })

  it('records a rating of 4 or 5 as review_left on the client timeline and alerts nobody', async () => {
    const { org, client } = await funnelOrg()
    const { path, requestId } = await reviewLink(org, client.org_client_id)
    await postForm(path, { rating: '4' })
    const timeline = await (await api(org, 'GET', `/api/v1/clients/${client.org_client_id}/timeline`)).json<Timeline>()
    expect(timeline.items.find((i) => i.type === 'review_left')?.data).toMatchObject({
      rating: 4,
      review_request_id: requestId,
    })
    expect(await messagesOf(org, '?purpose=feedback_alert')).toEqual([])
  })
})

describe('private feedback and the owner alert', () => {
  it('alerts the owner by email for a rating of 1–3, stores the private feedback and alerts with its text when the hour is up', async () => {
    const { org, client } = await funnelOrg()
    const { path, requestId } = await reviewLink(org, client.org_client_id)
    await postForm(path, { rating: '2' })
    await vi.waitFor(
      async () => {
        const [alert] = await messagesOf(org, '?purpose=feedback_alert')
        expect(alert).toMatchObject({
          channel: 'email',
          to: org.email,
          status: 'sent',
          subject: '2-star rating from Casey',
        })
        expect(alert!.body).toContain('Casey rated Sparkle Cleaning 2 out of 5')
        expect(await outboxOf(alert!.id)).toHaveLength(1)
      },
      { timeout: 8000, interval: 200 },
    )
    // A second low rating for the same request changes it and does not alert again.
    await postForm(path, { rating: '1' })

    const sent = await postForm(`${path}/feedback`, { feedback: 'The crew left mud on the carpet.', callback: 'yes' })
    expect(sent.status).toBe(200)
    const page = await sent.text()
    expect(page).toContain('has your private message')
    expect(page).toContain(`href="${path}/google"`)
    // Within the hour of the first alert the text waits; the due-work run after the hour sends it.
    expect(await messagesOf(org, '?purpose=feedback_alert')).toHaveLength(1)
    await runDueAt(org, new Date(Date.now() + 61 * 60_000))
    await vi.waitFor(
      async () => {
        const alerts = await messagesOf(org, '?purpose=feedback_alert')
        expect(alerts).toHaveLength(2)
        const withText = alerts.find((m) => m.subject?.startsWith('Private feedback'))!
        expect(withText).toMatchObject({
          to: org.email,
          status: 'sent',
          subject: 'Private feedback from Casey (1 of 5)',
        })
        expect(withText.body).toContain('The crew left mud on the carpet.')
        expect(withText.body).toContain('They asked for a call back')
        expect(await outboxOf(withText.id)).toHaveLength(1)
      },
      { timeout: 8000, interval: 200 },
    )

    const feedback = await (await api(org, 'GET', '/api/v1/feedback')).json<{
      items: Array<Record<string, unknown>>
      unread: number
    }>()
    expect(feedback.unread).toBe(1)
    expect(feedback.items[0]).toMatchObject({
      review_request_id: requestId,
      org_client_id: client.org_client_id,
      rating: 1,
      feedback: 'The crew left mud on the carpet.',
      callback_requested: true,
      source: 'sms',
      name: 'Casey',
      read_at: null,
    })
    const timeline = await (await api(org, 'GET', `/api/v1/clients/${client.org_client_id}/timeline`)).json<Timeline>()
    expect(timeline.items.find((i) => i.type === 'feedback')?.data).toMatchObject({
      rating: 1,
      feedback: 'The crew left mud on the carpet.',
      callback_requested: true,
    })
    expect(timeline.items.filter((i) => i.type === 'review_left').map((i) => i.data['rating'])).toEqual([1])
  })

  it('asks for what went wrong or a call back, and refuses feedback before a rating', async () => {
    const { org, client } = await funnelOrg()
    const { path } = await reviewLink(org, client.org_client_id)
    const early = await postForm(`${path}/feedback`, { feedback: 'Hello' })
    expect(early.status).toBe(400)
    expect(await early.text()).toContain('Choose a rating first.')
    await postForm(path, { rating: '3' })
    const empty = await postForm(`${path}/feedback`, { feedback: '  ' })
    expect(empty.status).toBe(400)
    expect(await empty.text()).toContain('Write what went wrong, or ask for a call back.')
    expect((await (await api(org, 'GET', '/api/v1/feedback')).json<{ items: unknown[] }>()).items).toEqual([])
  })
})

describe('signed links', () => {
  it('answers 404 for a tampered, foreign or wrong-purpose token', async () => {
    const { org, client } = await funnelOrg()
    const { path, token, requestId } = await reviewLink(org, client.org_client_id)
    const [payload, sig] = token.split('.')
    const flipped = `${payload}.${sig!.slice(0, -2)}${sig!.endsWith('AA') ? 'BB' : 'AA'}`
    expect((await open(`/r/${flipped}`)).status).toBe(404)
    expect((await postForm(`/r/${flipped}`, { rating: '1' })).status).toBe(404)
    // A review token does not open the portal, and a portal token does not open the rating page.
    expect((await open(`/p/${token}`)).status).toBe(404)
    const portal = await signPortalToken(env.PORTAL_SIGNING_KEY!, org.organizationId, client.org_client_id)
    expect((await open(`/r/${portal}`)).status).toBe(404)
    // Signed for another client than the request's: 404 too.
    const other = await signLinkToken(
      env.PORTAL_SIGNING_KEY!,
      { o: org.organizationId, c: 'someone-else', p: 'review', r: requestId },
      60,
    )
    expect((await open(`/r/${other}`)).status).toBe(404)
    const expiredToken = await signLinkToken(
      env.PORTAL_SIGNING_KEY!,
      { o: org.organizationId, c: client.org_client_id, p: 'review', r: requestId },
      1,
      Date.now() - 2 * 86_400_000,
    )
    expect((await open(`/r/${expiredToken}`)).status).toBe(404)
    expect((await reviewRequestsOf(org))[0]!.opened_at).toBeNull()
    expect((await open(path)).status).toBe(200)
  })

  it('records the public-link click once and redirects to the business’s review page', async () => {
    const { org, client } = await funnelOrg()
    const { path, requestId } = await reviewLink(org, client.org_client_id)
    const res = await open(`${path}/google`)
    expect(res.status).toBe(302)
    expect(res.headers.get('location')).toBe(GOOGLE_URL)
    expect(res.headers.get('referrer-policy')).toBe('no-referrer')
    const clicked = (await reviewRequestsOf(org)).find((r) => r.id === requestId)!.public_clicked_at
    expect(clicked).not.toBeNull()
    await open(`${path}/google`)
    expect((await reviewRequestsOf(org)).find((r) => r.id === requestId)!.public_clicked_at).toBe(clicked)
  })
})

describe('JSON API', () => {
  it('opens a review request for a client with a working rating link, and lists requests, feedback and techs', async () => {
    const { org, client } = await funnelOrg()
    const res = await api(org, 'POST', '/api/v1/review-requests', {
      org_client_id: client.org_client_id,
      channel: 'email',
    })
    expect(res.status).toBe(201)
    const { review_request_id, url } = await res.json<{ review_request_id: string; url: string }>()
    expect(url).toMatch(/^https:\/\/homebase\.test\/r\/[\w-]+\.[\w-]+$/)
    await postForm(new URL(url).pathname, { rating: '4' })
    expect(await reviewRequestsOf(org, '?status=clicked')).toMatchObject([
      { id: review_request_id, rating: 4, channel: 'email' },
    ])
    expect(await reviewRequestsOf(org, '?status=scheduled')).toEqual([])

    expect((await api(org, 'POST', '/api/v1/review-requests', { org_client_id: 'nobody' })).status).toBe(404)
    const bad = await api(org, 'POST', '/api/v1/review-requests', {
      org_client_id: client.org_client_id,
      channel: 'fax',
    })
    expect(bad.status).toBe(400)
    expect((await bad.json<{ error: { code: string } }>()).error.code).toBe('invalid_input')
    expect((await api(org, 'GET', '/api/v1/review-requests?status=opened')).status).toBe(400)
    expect((await api(org, 'POST', '/api/v1/techs', { name: '' })).status).toBe(400)
    expect((await api(org, 'POST', '/api/v1/techs', { name: 'Ana', email: 'nope' })).status).toBe(400)
    expect((await api(org, 'GET', '/api/v1/techs')).status).toBe(200)
    expect(await (await api(org, 'GET', '/api/v1/feedback?unread=true')).json()).toEqual({ items: [], unread: 0 })
  })
})
