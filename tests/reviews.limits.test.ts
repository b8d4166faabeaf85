/** Limits of the review funnel: ratings from a QR code, a rating posted again, owner alerts at most hourly. */
import { env, runInDurableObject, SELF } from 'cloudflare:test'
import { describe, expect, it, vi } from 'vitest'
import { runCronTick } from '../src/cron'
import { orgStub } from '../src/organizations'
import type { EventMessage } from '../src/queues/messages'
import { api, BASE, type TestOrg } from './helpers/factories'
import { messagesOf, runDueAt } from './helpers/messaging'
import { funnelOrg, open, reviewLink, reviewRequestsOf } from './helpers/reviews'
import { eventsOf } from './helpers/webhooks'
import { reviews } from '../src/reviews/remote'

/** A rating posted from the page, as a browser at `ip` sends it. */
const rate = (path: string, rating: number, ip: string) =>
  SELF.fetch(`${BASE}${path}`, {
    method: 'POST',
    redirect: 'manual',
    body: new URLSearchParams({ rating: String(rating) }).toString(),
    headers: { origin: BASE, 'content-type': 'application/x-www-form-urlencoded', 'cf-connecting-ip': ip },
  })

const newIp = () => `198.51.100.${1 + Math.floor(Math.random() * 250)}`

async function techWithQr(org: TestOrg) {
  const tech = await (await api(org, 'POST', '/api/v1/techs', { name: 'Alex Rivera' })).json<{ id: string }>()
  const qr = await (await api(org, 'POST', `/api/v1/techs/${tech.id}/qr-codes`, { label: 'Van sticker' })).json<{
    code: string
  }>()
  return { techId: tech.id, code: qr.code }
}

const techRatings = async (org: TestOrg, id: string) =>
  await (await api(org, 'GET', `/api/v1/techs/${id}`)).json<{ ratings: number; average: number | null }>()

const alertsOf = (org: TestOrg) => messagesOf(org, '?purpose=feedback_alert')

describe('ratings from a QR code', () => {
  it('takes at most 3 a day from one address: the rest get a friendly 429 and nothing is recorded', async () => {
    const { org } = await funnelOrg()
    const { techId, code } = await techWithQr(org)
    const ip = newIp()
    const statuses: number[] = []
    let limited: Response | undefined
    let firstPath = ''
    for (let i = 0; i < 10; i++) {
      const path = (await open(`/q/${code}`)).headers.get('location')!
      firstPath ||= path
      const res = await rate(path, 1, ip)
      statuses.push(res.status)
      if (res.status === 429) limited = res
    }
    expect(statuses).toEqual([200, 200, 200, 429, 429, 429, 429, 429, 429, 429])
    expect(Number(limited!.headers.get('retry-after'))).toBeGreaterThan(86_000)
    const page = await limited!.text()
    expect(page).toContain('data-testid="rating-limit"')
    expect(page).toContain('data-testid="public-review-link"')

    const rated = (await reviewRequestsOf(org)).filter((r) => r.rating !== null)
    expect(rated).toHaveLength(3)
    expect(await techRatings(org, techId)).toMatchObject({ ratings: 3, average: 1 })
    // The first alert went at once; the other two wait for the hour, in one email.
    expect(await alertsOf(org)).toHaveLength(1)

    // Changing a rating already counted is not a new rating; another address has its own 3.
    expect((await rate(firstPath, 4, ip)).status).toBe(200)
    expect((await rate((await open(`/q/${code}`)).headers.get('location')!, 5, newIp())).status).toBe(200)
    expect(await techRatings(org, techId)).toMatchObject({ ratings: 4, average: (4 + 1 + 1 + 5) / 4 })
  })
})

describe('POST /r/{token} a second time', () => {
  it('changes the rating of the same request instead of adding one, with one review_left on the timeline', async () => {
    const { org, client } = await funnelOrg()
    const { path, requestId } = await reviewLink(org, client.org_client_id)
    const ip = newIp()
    expect((await rate(path, 2, ip)).status).toBe(200)
    expect((await rate(path, 4, ip)).status).toBe(200)
    expect((await reviewRequestsOf(org)).filter((r) => r.rating !== null)).toEqual([
      expect.objectContaining({ id: requestId, rating: 4 }),
    ])
    const left = (await eventsOf(org, client.org_client_id)).filter((e) => e.type === 'review_left')
    expect(left.map((e) => e.data)).toEqual([expect.objectContaining({ rating: 4, review_request_id: requestId })])
    const summary = await reviews(orgStub(env, org.organizationId)).ratingsSummary()
    expect(summary.by_tech).toEqual([expect.objectContaining({ ratings: 1, average: 4 })])
  })
})

describe('owner alerts', () => {
  it('send one email at once and the next low rating of the hour in a digest the cron finds when the hour is up', async () => {
    const { org, client } = await funnelOrg()
    const first = await reviewLink(org, client.org_client_id)
    const second = await reviewLink(org, client.org_client_id)
    await rate(first.path, 1, newIp())
    await rate(second.path, 2, newIp())
    const now = await alertsOf(org)
    expect(now.map((m) => m.subject)).toEqual(['1-star rating from Casey'])

    const sentAt = await runInDurableObject(
      orgStub(env, org.organizationId),
      (_o, state) => state.storage.sql.exec<{ at: string }>('select max(sent_at) as at from review_alerts').one().at,
    )
    const due = await env.PEOPLE.prepare('select next_due_at as at from org_schedule where organization_id = ?')
      .bind(org.organizationId)
      .first<{ at: string }>()
    expect(due?.at).toBe(new Date(Date.parse(sentAt) + 60 * 60_000).toISOString())

    // Before the hour, due work sends nothing more; the cron tick at the due time hands this organization to the queue.
    await runDueAt(org, new Date(Date.parse(due!.at) - 60_000))
    expect(await alertsOf(org)).toHaveLength(1)
    const batches: EventMessage[] = []
    const spy = vi.spyOn(env.EVENTS, 'sendBatch').mockImplementation(async (items) => {
      for (const item of items) batches.push(item.body as EventMessage)
      return { metadata: { metrics: { backlogCount: 0, backlogBytes: 0 } } }
    })
    try {
      await runCronTick(env, new Date(due!.at))
    } finally {
      spy.mockRestore()
    }
    expect(batches).toContainEqual({ type: 'run_due', organization_id: org.organizationId, at: expect.any(String) })

    await runDueAt(org, new Date(due!.at))
    await runDueAt(org, new Date(Date.parse(due!.at) + 60_000))
    const all = await alertsOf(org)
    expect(all).toHaveLength(2)
    const digest = all.find((m) => m.id !== now[0]!.id)!
    expect(digest).toMatchObject({ to: org.email, subject: '2-star rating from Casey' })
    expect(digest.body).toContain('Casey rated Sparkle Cleaning 2 out of 5')
    expect(
      await env.PEOPLE.prepare('select 1 from org_schedule where organization_id = ?').bind(org.organizationId).first(),
    ).toBeNull()
  })

  it('list everything that came in during the hour in one email', async () => {
    const { org, client } = await funnelOrg()
    const links = [
      await reviewLink(org, client.org_client_id),
      await reviewLink(org, client.org_client_id),
      await reviewLink(org, client.org_client_id),
    ]
    for (const [i, link] of links.entries()) await rate(link.path, i + 1, newIp())
    await SELF.fetch(`${BASE}${links[1]!.path}/feedback`, {
      method: 'POST',
      body: new URLSearchParams({ feedback: 'Mud on the carpet.' }).toString(),
      headers: { origin: BASE, 'content-type': 'application/x-www-form-urlencoded' },
    })
    expect(await alertsOf(org)).toHaveLength(1)
    await runDueAt(org, new Date(Date.now() + 61 * 60_000))
    const digest = (await alertsOf(org)).find((m) => m.subject !== '1-star rating from Casey')!
    expect(digest.subject).toBe('2 new low ratings and private feedback')
    expect(digest.body).toContain('1. Private feedback from Casey (2 of 5)')
    expect(digest.body).toContain('Mud on the carpet.')
    expect(digest.body).toContain('2. 3-star rating from Casey')
  })
})
