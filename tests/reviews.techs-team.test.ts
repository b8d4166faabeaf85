// Over 300 lines on purpose: the techs-as-team-members story (listing, inviting, linking, leaving, crediting a crew's tech, strangers) shares one set of helpers.
/**
 * The review funnel's techs are team members: /api/v1/techs and /app/reviews/techs list everyone
 * with role `tech` named by the team, adding a tech invites them (or links someone on the team),
 * an old tech is linked by hand, leaving the team deactivates the tech, a job's review request is
 * credited to its crew's one tech, and another business's people and techs are never touched.
 */
import { env, runInDurableObject } from 'cloudflare:test'
import { drizzle } from 'drizzle-orm/durable-sqlite'
import { describe, expect, it } from 'vitest'
import { createReviewRequest } from '../durable-objects/org/reviews/requests'
import * as schema from '../durable-objects/org/schema'
import { orgStub } from '../src/organizations'
import { Staff } from './helpers/browserless'
import { api, createOrg, type TestOrg, unique } from './helpers/factories'
import { bookJob, runDueAt } from './helpers/messaging'
import { funnelOrg, open, reviewRequestsOf } from './helpers/reviews'

type Tech = {
  id: string
  name: string
  email: string | null
  user_id: string | null
  active: boolean
  team_status: 'team' | 'invited' | 'left' | 'none'
  role: string | null
  color: string | null
  qr_codes: Array<{ id: string; code: string }>
  ratings: number
  invite_url?: string
}

const techs = async (org: TestOrg) => (await (await api(org, 'GET', '/api/v1/techs')).json<{ items: Tech[] }>()).items
const techOf = async (org: TestOrg, id: string) => api(org, 'GET', `/api/v1/techs/${id}`)

/** Accepts an invite link as a new account; returns the new member's user id. */
async function accept(org: TestOrg, inviteUrl: string, email: string): Promise<string> {
  const res = await new Staff().post(new URL(inviteUrl).pathname, { password: 'crew password 1' })
  expect(res.status).toBe(303)
  const team = await (await api(org, 'GET', '/api/v1/team')).json<{
    items: Array<{ user_id: string; email: string }>
  }>()
  return team.items.find((m) => m.email === email)!.user_id
}

/** Invites someone to the team with a role and accepts; returns their user id. */
async function join(org: TestOrg, role: 'member' | 'tech', name: string): Promise<string> {
  const email = `crew-${unique()}@example.com`
  const res = await api(org, 'POST', '/api/v1/team/invites', { email, role, name })
  expect(res.status).toBe(201)
  return accept(org, (await res.json<{ invite_url: string }>()).invite_url, email)
}

async function addQr(org: TestOrg, techId: string, label = 'Van sticker') {
  const res = await api(org, 'POST', `/api/v1/techs/${techId}/qr-codes`, { label })
  expect(res.status).toBe(201)
  return res.json<{ id: string; code: string }>()
}

async function signedIn(org: TestOrg) {
  const staff = new Staff()
  await staff.post('/login', { email: org.email, password: org.password })
  return { staff, csrf: await staff.csrfToken() }
}

describe('GET /api/v1/techs', () => {
  it('lists each member with role tech, named by the team, with their QR codes; the owner is not a tech', async () => {
    const org = await createOrg()
    const userId = await join(org, 'tech', 'Dana Tech')
    await join(org, 'member', 'Max Office')
    const [tech, ...others] = await techs(org)
    expect(others).toEqual([])
    expect(tech).toMatchObject({
      user_id: userId,
      name: 'Dana Tech',
      team_status: 'team',
      role: 'tech',
      active: true,
      color: expect.stringMatching(/^#[0-9a-f]{6}$/),
    })
    const qr = await addQr(org, tech!.id)

    // The name comes from the team: renaming the member renames the tech.
    expect((await api(org, 'PATCH', `/api/v1/team/${userId}`, { name: 'Dana Field' })).status).toBe(200)
    const renamed = await (await techOf(org, tech!.id)).json<Tech>()
    expect(renamed).toMatchObject({ name: 'Dana Field', qr_codes: [expect.objectContaining({ code: qr.code })] })
    expect(await techs(org)).toHaveLength(1)

    const { staff } = await signedIn(org)
    const page = await (await staff.get('/app/reviews/techs')).text()
    expect(page).toContain('Dana Field')
    expect(page).toContain('on the team (tech)')
  })
})

describe('adding a tech', () => {
  it('invites someone new to the team as a tech; once they join, the tech and its QR code are theirs', async () => {
    const org = await createOrg()
    const email = `sam-${unique()}@example.com`
    const res = await api(org, 'POST', '/api/v1/techs', { name: 'Sam Lee', email })
    expect(res.status).toBe(201)
    const added = await res.json<Tech>()
    expect(added).toMatchObject({ name: 'Sam Lee', user_id: null, team_status: 'invited', active: true })
    expect(added.invite_url).toMatch(/^https:\/\/homebase\.test\/invite\/\S+$/)
    const qr = await addQr(org, added.id)

    const userId = await accept(org, added.invite_url!, email)
    const team = await (await api(org, 'GET', '/api/v1/team')).json<{
      items: Array<{ user_id: string; role: string }>
    }>()
    expect(team.items.find((m) => m.user_id === userId)).toMatchObject({ role: 'tech' })
    expect(await techs(org)).toEqual([
      expect.objectContaining({
        id: added.id,
        user_id: userId,
        name: 'Sam Lee',
        team_status: 'team',
        qr_codes: [expect.objectContaining({ code: qr.code })],
      }),
    ])
  })

  it('links someone already on the team, once, and an email already on the team is that member', async () => {
    const org = await createOrg()
    const res = await api(org, 'POST', '/api/v1/techs', { user_id: org.userId })
    expect(res.status).toBe(201)
    const owner = await res.json<Tech>()
    expect(owner).toMatchObject({ user_id: org.userId, team_status: 'team', role: 'owner', email: org.email })
    expect(owner.invite_url).toBeUndefined()
    const again = await (await api(org, 'POST', '/api/v1/techs', { name: 'Boss', email: org.email })).json<Tech>()
    expect(again).toMatchObject({ id: owner.id, user_id: org.userId })
    expect(again.invite_url).toBeUndefined()
    expect(await techs(org)).toHaveLength(1)
  })

  it('from the Reviews page: shows the invite link, or picks someone on the team', async () => {
    const org = await createOrg()
    const { staff, csrf } = await signedIn(org)
    const htmx = { 'hx-request': 'true' }
    const email = `jo-${unique()}@example.com`
    const added = await staff.post('/app/reviews/techs', { name: 'Jo Park', email, user_id: '', _csrf: csrf }, htmx)
    expect(added.status).toBe(201)
    const html = await added.text()
    expect(html).toContain('Added Jo Park.')
    const link = html.match(/data-testid="invite-link">([^<]+)</)![1]!
    expect(html).toContain('invited to the team')
    const joId = await accept(org, link, email)
    expect((await techs(org)).find((t) => t.user_id === joId)).toMatchObject({ name: 'Jo Park', team_status: 'team' })

    const memberId = await join(org, 'member', 'Max Office')
    const picked = await staff.post('/app/reviews/techs', { name: '', email: '', user_id: memberId, _csrf: csrf }, htmx)
    expect(picked.status).toBe(201)
    expect(await picked.text()).toContain('Added Max Office.')
    expect((await techs(org)).map((t) => t.name).sort()).toEqual(['Jo Park', 'Max Office'])

    // Without htmx the page answers with the link itself (it is shown once).
    const plain = await staff.post('/app/reviews/techs', {
      name: 'Lee Moss',
      email: `lee-${unique()}@example.com`,
      _csrf: csrf,
    })
    expect(plain.status).toBe(200)
    expect(await plain.text()).toContain('data-testid="invite-link"')
  })
})

describe('a tech not on the team yet', () => {
  it('is shown as such and linked to a member, taking over the QR codes and ratings of their own row', async () => {
    const { org } = await funnelOrg()
    const old = await (await api(org, 'POST', '/api/v1/techs', { name: 'Old Timer' })).json<Tech>()
    expect(old).toMatchObject({ team_status: 'none', user_id: null })
    const oldQr = await addQr(org, old.id, 'Old sticker')
    const patId = await join(org, 'tech', 'Pat Field')
    const own = (await techs(org)).find((t) => t.user_id === patId)!
    const ownQr = await addQr(org, own.id, 'New sticker')
    expect((await open(`/q/${ownQr.code}`)).status).toBe(302)

    const { staff, csrf } = await signedIn(org)
    const card = await (await staff.get('/app/reviews/techs')).text()
    expect(card).toContain('not on the team yet')
    expect(card).toContain(`action="/app/reviews/techs/${old.id}/link"`)

    const linked = await staff.post(
      `/app/reviews/techs/${old.id}/link`,
      { user_id: patId, _csrf: csrf },
      { 'hx-request': 'true' },
    )
    expect(linked.status).toBe(200)
    expect(await linked.text()).toContain('on the team (tech)')
    const merged = await (await techOf(org, old.id)).json<Tech>()
    expect(merged).toMatchObject({ user_id: patId, name: 'Pat Field', team_status: 'team' })
    expect(merged.qr_codes.map((q) => q.code).sort()).toEqual([oldQr.code, ownQr.code].sort())
    expect((await techOf(org, own.id)).status).toBe(404)
    expect(await techs(org)).toHaveLength(1)
    // The scan made under the member's own row is credited to the linked tech now.
    expect((await reviewRequestsOf(org)).filter((r) => r.channel === 'qr').map((r) => r.tech_id)).toEqual([old.id])
  })

  it('is linked through the API with PATCH {user_id}', async () => {
    const org = await createOrg()
    const old = await (await api(org, 'POST', '/api/v1/techs', { name: 'Old Timer' })).json<Tech>()
    const res = await api(org, 'PATCH', `/api/v1/techs/${old.id}`, { user_id: org.userId })
    expect(res.status).toBe(200)
    expect(await res.json()).toMatchObject({ id: old.id, user_id: org.userId, team_status: 'team', role: 'owner' })
    expect((await api(org, 'PATCH', `/api/v1/techs/${old.id}`, {})).status).toBe(400)
  })
})

describe('leaving the team', () => {
  it("deactivates the member's tech; their QR code still opens the rating page and credits them", async () => {
    const { org } = await funnelOrg()
    const userId = await join(org, 'tech', 'Dana Tech')
    const [tech] = await techs(org)
    const qr = await addQr(org, tech!.id)
    expect((await api(org, 'DELETE', `/api/v1/team/${userId}`)).status).toBe(200)
    expect(await (await techOf(org, tech!.id)).json()).toMatchObject({ active: false, team_status: 'left' })
    expect((await open(`/q/${qr.code}`)).status).toBe(302)
    expect((await reviewRequestsOf(org)).map((r) => r.tech_id)).toEqual([tech!.id])
  })
})

describe("a completed job's review request", () => {
  /** A business whose job_completed journey asks for a review, with one job done by `crew`. */
  async function reviewAfterJob(crew: (org: TestOrg) => Promise<string[]>) {
    const { org, client } = await funnelOrg()
    const assigned = await crew(org)
    await techs(org)
    const journey = await api(org, 'POST', '/api/v1/journeys', {
      name: 'Review',
      trigger_event: 'job_completed',
      status: 'active',
      steps: [{ type: 'review_request', channel: 'sms' }],
    })
    expect(journey.status).toBe(201)
    const job = await bookJob(org, client.org_client_id, new Date(Date.now() - 3_600_000).toISOString())
    expect((await api(org, 'PATCH', `/api/v1/jobs/${job.id}`, { assigned_to: assigned })).status).toBe(200)
    expect((await api(org, 'PATCH', `/api/v1/jobs/${job.id}`, { status: 'completed' })).status).toBe(200)
    await runDueAt(org, new Date(Date.now() + 60_000))
    const requests = await reviewRequestsOf(org)
    expect(requests).toHaveLength(1)
    return { org, request: requests[0]! }
  }

  it("is credited to the crew's one tech", async () => {
    let techUser = ''
    const { org, request } = await reviewAfterJob(async (org) => {
      techUser = await join(org, 'tech', 'Dana Tech')
      return [org.userId, techUser]
    })
    const tech = (await techs(org)).find((t) => t.user_id === techUser)!
    expect(request.tech_id).toBe(tech.id)
  })

  it('is credited to someone who just became a tech, before anyone opened the techs list', async () => {
    const { org, client } = await funnelOrg()
    const journey = await api(org, 'POST', '/api/v1/journeys', {
      name: 'Review',
      trigger_event: 'job_completed',
      status: 'active',
      steps: [{ type: 'review_request', channel: 'sms' }],
    })
    expect(journey.status).toBe(201)
    // Joined as a member, then made a tech: both without reading /api/v1/techs.
    const member = await join(org, 'member', 'Rae Member')
    expect((await api(org, 'PATCH', `/api/v1/team/${member}`, { role: 'tech' })).status).toBe(200)
    const job = await bookJob(org, client.org_client_id, new Date(Date.now() - 3_600_000).toISOString())
    expect((await api(org, 'PATCH', `/api/v1/jobs/${job.id}`, { assigned_to: [member] })).status).toBe(200)
    expect((await api(org, 'PATCH', `/api/v1/jobs/${job.id}`, { status: 'completed' })).status).toBe(200)
    await runDueAt(org, new Date(Date.now() + 60_000))
    const [request] = await reviewRequestsOf(org)
    const tech = (await techs(org)).find((t) => t.user_id === member)!
    expect(request!.tech_id).toBe(tech.id)
  })

  it('is credited to nobody when two of the crew are techs', async () => {
    const { request } = await reviewAfterJob(async (org) => [
      await join(org, 'tech', 'Dana Tech'),
      await join(org, 'tech', 'Pat Field'),
    ])
    expect(request.tech_id).toBeNull()
  })

  it('keeps a tech the request already names', async () => {
    const org = await createOrg()
    const userId = await join(org, 'tech', 'Dana Tech')
    const [tech] = await techs(org)
    const named = await runInDurableObject(orgStub(env, org.organizationId), (_o, state) => {
      const db = drizzle(state.storage, { schema })
      db.insert(schema.jobs)
        .values({ id: 'job-1', orgClientId: 'c-1', startAt: '2030-01-01T10:00:00.000Z', status: 'completed' })
        .run()
      db.insert(schema.jobAssignees).values({ jobId: 'job-1', userId }).run()
      createReviewRequest(db, { id: 'rr-crew', orgClientId: null, channel: 'sms', jobId: 'job-1' })
      createReviewRequest(db, { id: 'rr-named', orgClientId: null, channel: 'sms', jobId: 'job-1', techId: 'other' })
      return db.select().from(schema.reviewRequests).all()
    })
    expect(Object.fromEntries(named.map((r) => [r.id, r.techId]))).toEqual({ 'rr-crew': tech!.id, 'rr-named': 'other' })
  })
})

describe("another business's people and techs", () => {
  it('are never linked or made techs here, and their techs are not found; nothing is written', async () => {
    const ours = await createOrg()
    const theirs = await createOrg()
    const theirMember = await join(theirs, 'tech', 'Their Tech')
    const [theirTech] = await techs(theirs)

    const made = await api(ours, 'POST', '/api/v1/techs', { user_id: theirs.userId })
    expect(made.status).toBe(400)
    expect(await made.json()).toMatchObject({ error: { issues: [{ path: 'user_id' }] } })
    expect((await api(ours, 'POST', '/api/v1/techs', { user_id: theirMember })).status).toBe(400)
    expect(await techs(ours)).toEqual([])

    const old = await (await api(ours, 'POST', '/api/v1/techs', { name: 'Old Timer' })).json<Tech>()
    expect((await api(ours, 'PATCH', `/api/v1/techs/${old.id}`, { user_id: theirMember, active: false })).status).toBe(
      400,
    )
    expect(await (await techOf(ours, old.id)).json()).toMatchObject({ user_id: null, active: true })

    expect((await techOf(ours, theirTech!.id)).status).toBe(404)
    expect((await api(ours, 'PATCH', `/api/v1/techs/${theirTech!.id}`, { user_id: ours.userId })).status).toBe(404)
    expect((await api(ours, 'PATCH', `/api/v1/techs/${theirTech!.id}`, { active: false })).status).toBe(404)

    const { staff, csrf } = await signedIn(ours)
    const htmx = { 'hx-request': 'true' }
    const viaPage = await staff.post('/app/reviews/techs', { user_id: theirMember, _csrf: csrf }, htmx)
    expect(viaPage.status).toBe(422)
    expect(await viaPage.text()).toContain('Pick someone on the team.')
    const linkPage = await staff.post(`/app/reviews/techs/${old.id}/link`, { user_id: theirMember, _csrf: csrf }, htmx)
    expect(linkPage.status).toBe(422)
    expect(
      (await staff.post(`/app/reviews/techs/${theirTech!.id}/link`, { user_id: ours.userId, _csrf: csrf }, htmx))
        .status,
    ).toBe(404)
    // Removing their member from our team is not found, and their tech stays active.
    expect((await api(ours, 'DELETE', `/api/v1/team/${theirMember}`)).status).toBe(404)

    expect(await techs(ours)).toEqual([expect.objectContaining({ id: old.id, user_id: null, active: true })])
    expect(await techs(theirs)).toEqual([
      expect.objectContaining({ id: theirTech!.id, user_id: theirMember, active: true, team_status: 'team' }),
    ])
  })
})
