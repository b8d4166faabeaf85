/** "Ask for a review": a review request sent now through the messaging engine, from the API and the client page. */
import { describe, expect, it, vi } from 'vitest'
import { Staff } from './helpers/browserless'
import { api, createOrg } from './helpers/factories'
import { messagesOf, outboxOf } from './helpers/messaging'
import { funnelOrg, open, reviewRequestsOf } from './helpers/reviews'

describe('POST /api/v1/review-requests with send', () => {
  it('sends the rating-page link by text at once and records the request', async () => {
    const { org, client } = await funnelOrg()
    const res = await api(org, 'POST', '/api/v1/review-requests', {
      org_client_id: client.org_client_id,
      channel: 'sms',
      send: true,
    })
    expect(res.status).toBe(201)
    const asked = await res.json<{ review_request_id: string; url: string; message: { id: string; status: string } }>()
    expect(asked.message.status).toBe('queued')
    expect(asked.url).toMatch(/^https:\/\/homebase\.test\/r\//)
    const [message] = await messagesOf(org, '?purpose=review_request')
    expect(message).toMatchObject({ id: asked.message.id, channel: 'sms' })
    expect(message!.body).toContain(asked.url)
    expect(message!.body).toContain('Reply STOP to opt out.')
    await vi.waitFor(async () => expect(await outboxOf(asked.message.id)).toHaveLength(1), {
      timeout: 8000,
      interval: 200,
    })
    const [request] = await reviewRequestsOf(org)
    expect(request).toMatchObject({ id: asked.review_request_id, channel: 'sms' })
    // The link opens the rating page for that request.
    expect((await open(new URL(asked.url).pathname)).status).toBe(200)
  })

  it('does not send to a client who turned texts off, and says why', async () => {
    const { org, client } = await funnelOrg()
    await api(org, 'POST', `/api/v1/clients/${client.org_client_id}/consents`, {
      sms_opt_in: false,
      reason: 'Asked on the phone',
    })
    const asked = await (
      await api(org, 'POST', '/api/v1/review-requests', {
        org_client_id: client.org_client_id,
        channel: 'sms',
        send: true,
      })
    ).json<{ message: { status: string; reason: string } }>()
    expect(asked.message).toMatchObject({ status: 'skipped', reason: 'opted_out' })
  })

  it('refuses to send by portal, and hides another organization’s client', async () => {
    const { org, client } = await funnelOrg()
    expect(
      (
        await api(org, 'POST', '/api/v1/review-requests', {
          org_client_id: client.org_client_id,
          channel: 'portal',
          send: true,
        })
      ).status,
    ).toBe(400)
    const other = await createOrg()
    expect(
      (
        await api(other, 'POST', '/api/v1/review-requests', {
          org_client_id: client.org_client_id,
          channel: 'sms',
          send: true,
        })
      ).status,
    ).toBe(404)
    expect(await messagesOf(org, '?purpose=review_request')).toHaveLength(0)
  })
})

describe('Ask for a review on the client page', () => {
  it('offers the buttons and says what happened after a click', async () => {
    const { org, client } = await funnelOrg()
    const staff = new Staff()
    await staff.post('/login', { email: org.email, password: org.password })
    const csrf = await staff.csrfToken()
    expect(await (await staff.get(`/app/clients/${client.org_client_id}`)).text()).toContain('Ask for a review by text')
    const res = await staff.post(
      '/app/reviews/ask',
      { _csrf: csrf, org_client_id: client.org_client_id, channel: 'email' },
      { 'hx-request': 'true' },
    )
    expect(res.status).toBe(200)
    expect(await res.text()).toContain('Review request sent by email.')
    const [message] = await messagesOf(org, '?purpose=review_request')
    expect(message).toMatchObject({ channel: 'email', subject: 'How did we do, Casey?' })
    expect(message!.body).toContain('Unsubscribe in one click: https://homebase.test/u/')
  })
})
