/** Crews on jobs: `assigned_to` on booking and editing, and `conflicts` where one person's jobs overlap. */
import { describe, expect, it } from 'vitest'
import { Staff } from './helpers/browserless'
import { teammate } from './helpers/team'
import { api, createClient, createOrg, type TestOrg, unique } from './helpers/factories'

type Job = { id: string; assigned_to: string[]; conflicts: string[]; status: string }

async function book(org: TestOrg, clientId: string, start: string, end: string | null, crew: string[]) {
  const res = await api(org, 'POST', '/api/v1/jobs', {
    org_client_id: clientId,
    start_at: start,
    ...(end ? { end_at: end } : {}),
    assigned_to: crew,
  })
  expect(res.status).toBe(201)
  return (await res.json<{ job: Job }>()).job
}

const jobsOn = async (org: TestOrg, day: string) =>
  (await (await api(org, 'GET', `/api/v1/jobs?from=${day}T00:00:00Z&to=${day}T23:59:59Z`)).json<{ items: Job[] }>())
    .items

describe('assigned_to and conflicts', () => {
  it("flags one person's overlapping jobs on both, and nothing for another person or a later job", async () => {
    const org = await createOrg()
    const client = await createClient(org, { first_name: 'Ada', email: `ada-${unique()}@example.com` })
    const [dana, lee] = await Promise.all([teammate(org), teammate(org)])

    const morning = await book(org, client.org_client_id, '2031-04-02T14:00:00Z', '2031-04-02T16:00:00Z', [dana])
    expect(morning).toMatchObject({ assigned_to: [dana], conflicts: [] })
    // Overlaps the morning job for Dana: booked with a warning, not refused.
    const overlap = await book(org, client.org_client_id, '2031-04-02T15:00:00Z', null, [dana, lee])
    expect(overlap.conflicts).toEqual([morning.id])
    expect(overlap.assigned_to).toEqual([dana, lee].sort())
    // Lee alone, after both: nothing overlaps.
    const leeOnly = await book(org, client.org_client_id, '2031-04-02T17:00:00Z', '2031-04-02T18:00:00Z', [lee])
    expect(leeOnly.conflicts).toEqual([])
    // A job without an end counts as an hour: 15:00–16:00 overlaps 15:30–15:45.
    const short = await book(org, client.org_client_id, '2031-04-02T15:30:00Z', '2031-04-02T15:45:00Z', [lee])
    expect(short.conflicts).toEqual([overlap.id])

    const listed = new Map((await jobsOn(org, '2031-04-02')).map((j) => [j.id, j]))
    expect(listed.get(morning.id)!.conflicts).toEqual([overlap.id])
    expect(listed.get(overlap.id)!.conflicts).toEqual([morning.id, short.id])
    expect(listed.get(leeOnly.id)!.conflicts).toEqual([])

    // A cancelled job overlaps nothing any more.
    expect((await api(org, 'PATCH', `/api/v1/jobs/${overlap.id}`, { status: 'canceled' })).status).toBe(200)
    const after = new Map((await jobsOn(org, '2031-04-02')).map((j) => [j.id, j]))
    expect(after.get(morning.id)!.conflicts).toEqual([])
    expect(after.get(short.id)!.conflicts).toEqual([])
  })

  it('flags overlaps the same way in a list spread over months and in a day that a long job started before', async () => {
    const org = await createOrg()
    const client = await createClient(org, { first_name: 'Ida', email: `ida-${unique()}@example.com` })
    const dana = await teammate(org)
    // A three-day job from March 2, and a one-hour job on March 3 for the same person.
    const long = await book(org, client.org_client_id, '2031-03-02T15:00:00Z', '2031-03-05T15:00:00Z', [dana])
    const inside = await book(org, client.org_client_id, '2031-03-03T17:00:00Z', null, [dana])
    const july = await book(org, client.org_client_id, '2031-07-03T17:00:00Z', null, [dana])
    expect((await jobsOn(org, '2031-03-03')).map((j) => [j.id, j.conflicts])).toEqual([[inside.id, [long.id]]])
    const all = (await (await api(org, 'GET', '/api/v1/jobs')).json<{ items: Job[] }>()).items
    expect(all.map((j) => [j.id, j.conflicts])).toEqual([
      [long.id, [inside.id]],
      [inside.id, [long.id]],
      [july.id, []],
    ])
  })

  it('lists a busy week of more than a hundred crewed jobs with every crew', async () => {
    const org = await createOrg()
    const client = await createClient(org, { first_name: 'Bo', email: `bo-${unique()}@example.com` })
    const dana = await teammate(org)
    for (let i = 0; i < 120; i++) {
      const start = new Date(Date.parse('2031-03-03T14:00:00Z') + i * 3_600_000).toISOString()
      await book(org, client.org_client_id, start, null, [dana])
    }
    const week = (
      await (
        await api(org, 'GET', '/api/v1/jobs?from=2031-03-03T00:00:00Z&to=2031-03-10T00:00:00Z')
      ).json<{
        items: Job[]
      }>()
    ).items
    expect(week).toHaveLength(120)
    expect(week.every((j) => j.assigned_to.join() === dana && j.conflicts.length === 0)).toBe(true)
  })

  it('replaces the crew on PATCH, and a job booked without one has an empty crew', async () => {
    const org = await createOrg()
    const client = await createClient(org, { first_name: 'Bo', email: `bo-${unique()}@example.com` })
    const dana = await teammate(org)
    const res = await api(org, 'POST', '/api/v1/jobs', {
      org_client_id: client.org_client_id,
      start_at: '2031-05-01T15:00:00Z',
    })
    const { job } = await res.json<{ job: Job }>()
    expect(job).toMatchObject({ assigned_to: [], conflicts: [] })
    const crewed = await api(org, 'PATCH', `/api/v1/jobs/${job.id}`, { assigned_to: [dana, org.userId] })
    expect((await crewed.json<Job>()).assigned_to).toEqual([dana, org.userId].sort())
    const fewer = await api(org, 'PATCH', `/api/v1/jobs/${job.id}`, { assigned_to: [org.userId] })
    expect((await fewer.json<Job>()).assigned_to).toEqual([org.userId])
    expect(((await (await api(org, 'GET', `/api/v1/jobs/${job.id}`)).json()) as Job).assigned_to).toEqual([org.userId])
  })
})

describe('another business', () => {
  it("cannot put a business's people on its jobs: 400 naming the field, and nothing booked", async () => {
    const [org, stranger] = await Promise.all([createOrg(), createOrg()])
    const dana = await teammate(org)
    const client = await createClient(stranger, { first_name: 'Cy', email: `cy-${unique()}@example.com` })
    const res = await api(stranger, 'POST', '/api/v1/jobs', {
      org_client_id: client.org_client_id,
      start_at: '2031-06-01T15:00:00Z',
      assigned_to: [stranger.userId, dana],
    })
    expect(res.status).toBe(400)
    expect(JSON.stringify(await res.json())).toContain('assigned_to.1')
    expect(await jobsOn(stranger, '2031-06-01')).toEqual([])

    const own = await book(stranger, client.org_client_id, '2031-06-01T15:00:00Z', null, [stranger.userId])
    expect((await api(stranger, 'PATCH', `/api/v1/jobs/${own.id}`, { assigned_to: [dana] })).status).toBe(400)
    expect((await jobsOn(stranger, '2031-06-01'))[0]!.assigned_to).toEqual([stranger.userId])
  })
})

describe('moving a visit into the past', () => {
  it('is refused with 400 naming start_at unless allow_past says it is meant', async () => {
    const org = await createOrg()
    const client = await createClient(org, { first_name: 'Di', email: `di-${unique()}@example.com` })
    const job = await book(org, client.org_client_id, '2031-07-01T15:00:00Z', null, [])
    const refused = await api(org, 'PATCH', `/api/v1/jobs/${job.id}`, { start_at: '2020-07-01T15:00:00Z' })
    expect(refused.status).toBe(400)
    expect(JSON.stringify(await refused.json())).toContain('start_at')
    expect(((await (await api(org, 'GET', `/api/v1/jobs/${job.id}`)).json()) as { start_at: string }).start_at).toBe(
      '2031-07-01T15:00:00.000Z',
    )
    const meant = await api(org, 'PATCH', `/api/v1/jobs/${job.id}`, {
      start_at: '2020-07-01T15:00:00Z',
      allow_past: true,
    })
    expect(meant.status).toBe(200)
    expect((await meant.json<{ start_at: string }>()).start_at).toBe('2020-07-01T15:00:00.000Z')
  })

  it('asks on the job page, with a box to tick, and moves it once ticked', async () => {
    const org = await createOrg({ timezone: 'America/Los_Angeles' })
    const staff = new Staff()
    await staff.post('/login', { email: org.email, password: org.password })
    const csrf = await staff.csrfToken()
    const client = await createClient(org, { first_name: 'Ed', email: `ed-${unique()}@example.com` })
    const job = await book(org, client.org_client_id, '2031-07-01T15:00:00Z', null, [])
    const asked = await staff.post(`/app/jobs/${job.id}/reschedule`, { _csrf: csrf, start: '2020-07-01T08:00' })
    expect(asked.status).toBe(422)
    const html = await asked.text()
    expect(html).toContain('That time is in the past.')
    expect(html).toContain('name="allow_past"')
    expect(html).toContain('value="2020-07-01T08:00"')
    const moved = await staff.post(`/app/jobs/${job.id}/reschedule`, {
      _csrf: csrf,
      start: '2020-07-01T08:00',
      allow_past: 'on',
    })
    expect(moved.status).toBe(303)
    expect(((await (await api(org, 'GET', `/api/v1/jobs/${job.id}`)).json()) as { start_at: string }).start_at).toBe(
      '2020-07-01T15:00:00.000Z',
    )
  })
})

describe('someone leaving the team', () => {
  it('comes off the crews of visits still to come, and stays on the ones already done', async () => {
    const org = await createOrg()
    const client = await createClient(org, { first_name: 'Fay', email: `fay-${unique()}@example.com` })
    const dana = await teammate(org)
    const past = await book(org, client.org_client_id, '2021-03-01T15:00:00Z', null, [dana, org.userId])
    const coming = await book(org, client.org_client_id, '2031-03-01T15:00:00Z', null, [dana, org.userId])
    expect((await api(org, 'DELETE', `/api/v1/team/${dana}`)).status).toBe(200)
    const crewOf = async (id: string) =>
      ((await (await api(org, 'GET', `/api/v1/jobs/${id}`)).json()) as Job).assigned_to
    expect(await crewOf(coming.id)).toEqual([org.userId])
    expect(await crewOf(past.id)).toEqual([dana, org.userId].sort())
  })
})

describe('the schedule page', () => {
  it("shows each job's crew in their colours and warns on jobs that overlap for someone", async () => {
    const org = await createOrg()
    const client = await createClient(org, { first_name: 'Gus', email: `gus-${unique()}@example.com` })
    const dana = await teammate(org)
    await api(org, 'PATCH', `/api/v1/team/${dana}`, { name: 'Dana Lee', color: '#aa3300' })
    await book(org, client.org_client_id, '2031-04-02T14:00:00Z', '2031-04-02T16:00:00Z', [dana])
    await book(org, client.org_client_id, '2031-04-02T15:00:00Z', null, [dana])
    await book(org, client.org_client_id, '2031-04-03T15:00:00Z', null, [])
    const staff = new Staff()
    await staff.post('/login', { email: org.email, password: org.password })
    const html = await (await staff.get('/app/schedule?week=2031-03-31')).text()
    expect(html.match(/data-testid="overlap"/g)).toHaveLength(2)
    expect(html.match(/title="Dana Lee"/g)).toHaveLength(2)
    expect(html).toContain('background:#aa3300')
    expect(html).toContain('>DL<')
  })
})
