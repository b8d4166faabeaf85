/**
 * No review request goes out while the business has no public review link: "Ask for a review" is
 * a 409, a journey's review step and a campaign asking for a review are skipped with the reason,
 * a deferred one is dropped if the link is removed meanwhile; all go once the link is set.
 */
import { describe, expect, it } from 'vitest'
import { Staff } from './helpers/browserless'
import { addClient, campaignOrg, newCampaign, send, sendsOf } from './helpers/campaigns'
import { api, createOrg, type TestOrg } from './helpers/factories'
import { createJourney, enrollmentsOf, raise } from './helpers/journeys'
import { decideAt, messagesOf, orgWithClient } from './helpers/messaging'
import { GOOGLE_URL, open, reviewRequestsOf } from './helpers/reviews'

const setLink = (org: TestOrg, url: string | null) =>
  api(org, 'PATCH', '/api/v1/organization', { google_review_url: url })
const ask = (org: TestOrg, orgClientId: string, body: Record<string, unknown> = { channel: 'sms', send: true }) =>
  api(org, 'POST', '/api/v1/review-requests', { org_client_id: orgClientId, ...body })
const reviewMessages = (org: TestOrg) => messagesOf(org, '?purpose=review_request')

describe('POST /api/v1/review-requests with send, without a public review link', () => {
  it('answers 409 no_public_review_link and writes nothing; once the link is set it sends', async () => {
    const { org, client } = await orgWithClient()
    const refused = await ask(org, client.org_client_id)
    expect(refused.status).toBe(409)
    const { error } = await refused.json<{ error: { code: string; message: string } }>()
    expect(error.code).toBe('no_public_review_link')
    expect(error.message).toContain('public review link')
    expect(await reviewMessages(org)).toEqual([])
    expect(await reviewRequestsOf(org)).toEqual([])

    await setLink(org, GOOGLE_URL)
    const sent = await ask(org, client.org_client_id)
    expect(sent.status).toBe(201)
    expect(await sent.json()).toMatchObject({ message: { status: 'queued' } })
    expect(await reviewMessages(org)).toHaveLength(1)
  })

  it('still makes a link to share by hand (no message goes out)', async () => {
    const { org, client } = await orgWithClient()
    const res = await ask(org, client.org_client_id, { channel: 'portal' })
    expect(res.status).toBe(201)
    expect(await reviewMessages(org)).toEqual([])
  })

  it("answers 404 for another business's client, whether or not either has a link", async () => {
    const { client } = await orgWithClient()
    const stranger = await createOrg()
    expect((await ask(stranger, client.org_client_id)).status).toBe(404)
    await setLink(stranger, GOOGLE_URL)
    expect((await ask(stranger, client.org_client_id)).status).toBe(404)
  })

  it('refuses the client page button too, saying why', async () => {
    const { org, client } = await orgWithClient()
    const staff = new Staff()
    await staff.post('/login', { email: org.email, password: org.password })
    const res = await staff.post(
      '/app/reviews/ask',
      { _csrf: await staff.csrfToken(), org_client_id: client.org_client_id, channel: 'sms' },
      { 'hx-request': 'true' },
    )
    expect(res.status).toBe(409)
    expect(await res.text()).toContain('Add your public review link')
    expect(await reviewMessages(org)).toEqual([])
  })
})

describe("a journey's review step", () => {
  const steps = [
    { type: 'review_request', channel: 'sms' },
    { type: 'sms', body: 'Thanks again!' },
  ]

  it('is skipped with the reason while there is no link, the journey going on; sent once the link is set', async () => {
    const { org, client } = await orgWithClient()
    const journeyId = await createJourney(org, { trigger_event: 'manual', steps })
    await raise(org, { type: 'manual', org_client_id: client.org_client_id, occurred_at: '2030-06-10T17:00:00Z' })
    await decideAt(org, new Date('2030-06-10T17:00:00Z'))
    const [review] = await reviewMessages(org)
    expect(review).toMatchObject({ status: 'skipped', reason: 'no_public_review_link' })
    expect((await messagesOf(org, '?purpose=journey')).map((m) => m.status)).toEqual(['queued'])
    expect((await enrollmentsOf(org, `?journey_id=${journeyId}`))[0]).toMatchObject({ status: 'completed' })
    expect((await reviewRequestsOf(org))[0]).toMatchObject({ status: 'failed' })

    // The same journey for another client, after the owner added the link: it goes.
    await setLink(org, GOOGLE_URL)
    const other = await api(org, 'POST', '/api/v1/clients', {
      first_name: 'Jo',
      email: `jo-${crypto.randomUUID()}@example.com`,
      phone: `+1415556${String(1000 + Math.floor(Math.random() * 8999))}`,
    })
    const { org_client_id } = await other.json<{ org_client_id: string }>()
    await raise(org, { type: 'manual', org_client_id, occurred_at: '2030-06-11T17:00:00Z' })
    await decideAt(org, new Date('2030-06-11T17:00:00Z'))
    const sent = (await reviewMessages(org)).find((m) => m.status === 'queued')
    expect(sent?.body).toMatch(/https:\/\/homebase\.test\/r\/\S+/)
  })

  it('drops a review message that waited for quiet hours if the link was removed meanwhile', async () => {
    const { org, client } = await orgWithClient({ quiet: { start: '21:00', end: '08:00' } })
    await setLink(org, GOOGLE_URL)
    await createJourney(org, { trigger_event: 'manual', steps: [{ type: 'review_request', channel: 'sms' }] })
    // 23:00 in California: quiet hours.
    await raise(org, { type: 'manual', org_client_id: client.org_client_id, occurred_at: '2030-06-11T06:00:00Z' })
    await decideAt(org, new Date('2030-06-11T06:00:00Z'))
    expect((await reviewMessages(org))[0]).toMatchObject({ status: 'deferred' })

    await setLink(org, null)
    await decideAt(org, new Date('2030-06-11T18:00:00Z'))
    expect((await reviewMessages(org))[0]).toMatchObject({ status: 'skipped', reason: 'no_public_review_link' })
  })

  it('shows the owner why on the journey page, until the link is set', async () => {
    const { org } = await orgWithClient()
    const withReview = await createJourney(org, { trigger_event: 'manual', steps })
    const without = await createJourney(org, { trigger_event: 'manual', steps: [{ type: 'sms', body: 'Hi' }] })
    const staff = new Staff()
    await staff.post('/login', { email: org.email, password: org.password })
    const page = await (await staff.get(`/app/journeys/${withReview}`)).text()
    expect(page).toContain('data-testid="review-link-missing"')
    expect(page).toContain('href="/app/settings#reviews"')
    expect(await (await staff.get(`/app/journeys/${without}`)).text()).not.toContain('review-link-missing')
    await setLink(org, GOOGLE_URL)
    expect(await (await staff.get(`/app/journeys/${withReview}`)).text()).not.toContain('review-link-missing')
  })
})

describe('a campaign asking for a review', () => {
  const body = 'Hi {{first_name}}, how did {{business_name}} do? {{review_link}}'

  it('is skipped for everyone with the reason while there is no link, and goes once it is set', async () => {
    const org = await campaignOrg()
    await addClient(org, { first_name: 'Ana' })
    await addClient(org, { first_name: 'Ben' })
    const held = await newCampaign(org, { body })
    await send(org, held.id)
    const sends = await sendsOf(org, held.id)
    expect(sends.map((s) => [s.status, s.reason])).toEqual([
      ['skipped', 'no_public_review_link'],
      ['skipped', 'no_public_review_link'],
    ])
    expect((await messagesOf(org, '?purpose=campaign')).every((m) => m.status === 'skipped')).toBe(true)

    await setLink(org, GOOGLE_URL)
    const later = await newCampaign(org, { body, name: 'Reviews, again' })
    await send(org, later.id)
    expect((await sendsOf(org, later.id)).map((s) => s.status)).toEqual(['queued', 'queued'])
    const queued = (await messagesOf(org, '?purpose=campaign')).filter((m) => m.status === 'queued')
    expect(queued).toHaveLength(2)
    const link = queued[0]!.body.match(/https:\/\/homebase\.test(\/r\/\S+)/)![1]!
    // Each one names a review request its rating page opens.
    expect((await open(link)).status).toBe(200)
    // The first campaign's two requests failed with their messages; the opened one of these is clicked.
    expect((await reviewRequestsOf(org)).map((r) => r.status).sort()).toEqual([
      'clicked',
      'failed',
      'failed',
      'scheduled',
    ])
  })

  it('leaves campaigns that do not ask for a review alone', async () => {
    const org = await campaignOrg()
    await addClient(org)
    const plain = await newCampaign(org)
    await send(org, plain.id)
    expect((await sendsOf(org, plain.id)).map((s) => s.status)).toEqual(['queued'])
    expect(await reviewRequestsOf(org)).toEqual([])
  })
})
