import { env } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import { api, createClient, createOrg, unique, type TestOrg } from './helpers/factories'

type Job = {
  id: string
  org_client_id: string
  address_id: string | null
  start_at: string
  end_at: string | null
  status: string
  price_cents: number
}
type Reminder = {
  id: string
  type: string
  send_at: string
  status: string
  job_id: string | null
  org_client_id: string
}

const HOUR = 3_600_000
const inHours = (h: number) => new Date(Date.now() + h * HOUR).toISOString()

async function remindersFor(org: TestOrg, jobId: string) {
  const body = await (await api(org, 'GET', '/api/v1/reminders?status=pending&limit=500')).json<{ items: Reminder[] }>()
  return body.items.filter((r) => r.job_id === jobId)
}

async function bookNew(org: TestOrg, startAt: string, extra: Record<string, unknown> = {}) {
  const res = await api(org, 'POST', '/api/v1/jobs', {
    client: {
      first_name: 'Jane',
      last_name: 'Smith',
      email: `jane-${unique()}@example.com`,
      phone: '+15559876543',
      address: { address1: '123 Main St', city: 'San Francisco', state: 'CA', postal: '94102' },
    },
    start_at: startAt,
    end_at: new Date(Date.parse(startAt) + 2 * HOUR).toISOString(),
    price_cents: 15000,
    notes: 'First time client',
    ...extra,
  })
  expect(res.status).toBe(201)
  return (await res.json<{ success: boolean; job: Job }>()).job
}

describe('POST /api/v1/jobs', () => {
  it('creates a new client with its property and the job in one call', async () => {
    const org = await createOrg()
    const job = await bookNew(org, inHours(72))
    expect(job).toMatchObject({ status: 'scheduled', price_cents: 15000, notes: 'First time client' })
    const client = await (await api(org, 'GET', `/api/v1/clients/${job.org_client_id}`)).json<{
      first_name: string
      default_address_id: string
      addresses: Array<{ id: string; address1: string }>
    }>()
    expect(client.first_name).toBe('Jane')
    expect(job.address_id).toBe(client.default_address_id)
    expect(client.addresses[0]!.address1).toBe('123 Main St')
    const link = await env.PEOPLE.prepare('select count(*) as n from person_orgs where organization_id = ?')
      .bind(org.organizationId)
      .first<{ n: number }>()
    expect(link?.n).toBe(1)
  })

  it('creates reminders 24 hours and 2 hours before the start', async () => {
    const org = await createOrg()
    const start = inHours(72)
    const job = await bookNew(org, start)
    const reminders = await remindersFor(org, job.id)
    expect(reminders.map((r) => r.send_at).sort()).toEqual([
      new Date(Date.parse(start) - 24 * HOUR).toISOString(),
      new Date(Date.parse(start) - 2 * HOUR).toISOString(),
    ])
    expect(reminders.every((r) => r.type === 'job_upcoming' && r.org_client_id === job.org_client_id)).toBe(true)
  })

  it('creates only the reminders still in the future', async () => {
    const org = await createOrg()
    const job = await bookNew(org, inHours(5))
    expect((await remindersFor(org, job.id)).map((r) => r.send_at)).toHaveLength(1)
    const soon = await bookNew(org, inHours(1))
    expect(await remindersFor(org, soon.id)).toEqual([])
  })

  it("books an existing client at the client's default address, with the service's price and duration", async () => {
    const org = await createOrg()
    const client = await createClient(org, {
      first_name: 'Al',
      email: `al-${unique()}@example.com`,
      address: { address1: '9 Elm', city: 'Austin', state: 'TX', postal: '78701' },
    })
    const service = await (
      await api(org, 'POST', '/api/v1/services', { name: 'Deep clean', duration_minutes: 180, price_cents: 24000 })
    ).json<{ service_id: string }>()
    const start = inHours(48)
    const res = await api(org, 'POST', '/api/v1/jobs', {
      org_client_id: client.org_client_id,
      service_id: service.service_id,
      start_at: start,
    })
    expect(res.status).toBe(201)
    const { job } = await res.json<{ job: Job }>()
    const detail = await (await api(org, 'GET', `/api/v1/clients/${client.org_client_id}`)).json<{
      default_address_id: string
    }>()
    expect(job).toMatchObject({
      org_client_id: client.org_client_id,
      address_id: detail.default_address_id,
      price_cents: 24000,
      end_at: new Date(Date.parse(start) + 3 * HOUR).toISOString(),
    })
  })

  it.each([
    [
      'both a client id and a new client',
      (id: string) => ({ org_client_id: id, client: { first_name: 'X' }, start_at: inHours(30) }),
      'org_client_id',
    ],
    ['neither', () => ({ start_at: inHours(30) }), 'org_client_id'],
    [
      'a start without a time zone',
      (id: string) => ({ org_client_id: id, start_at: '2026-12-01T10:00:00' }),
      'start_at',
    ],
    [
      'a negative price',
      (id: string) => ({ org_client_id: id, start_at: inHours(30), price_cents: -1 }),
      'price_cents',
    ],
    [
      'an end before the start',
      (id: string) => ({ org_client_id: id, start_at: inHours(30), end_at: inHours(29) }),
      'end_at',
    ],
    [
      "a new client's bad phone",
      () => ({ client: { first_name: 'X', phone: '12' }, start_at: inHours(30) }),
      'client.phone',
    ],
  ])('rejects %s with 400 and writes nothing', async (_why, body, path) => {
    const org = await createOrg()
    const client = await createClient(org, { first_name: 'Only', email: `only-${unique()}@example.com` })
    const res = await api(org, 'POST', '/api/v1/jobs', body(client.org_client_id))
    expect(res.status).toBe(400)
    expect(
      (await res.json<{ error: { issues: Array<{ path: string }> } }>()).error.issues.map((i) => i.path),
    ).toContain(path)
    expect((await (await api(org, 'GET', '/api/v1/jobs')).json<{ items: Job[] }>()).items).toEqual([])
    expect((await (await api(org, 'GET', '/api/v1/clients')).json<{ items: unknown[] }>()).items).toHaveLength(1)
  })

  it("is 404 for another organization's client or service", async () => {
    const [a, b] = [await createOrg(), await createOrg()]
    const theirs = await createClient(a, { first_name: 'Theirs', email: `theirs-${unique()}@example.com` })
    const service = await (await api(a, 'POST', '/api/v1/services', { name: 'Theirs' })).json<{ service_id: string }>()
    expect(
      (await api(b, 'POST', '/api/v1/jobs', { org_client_id: theirs.org_client_id, start_at: inHours(30) })).status,
    ).toBe(404)
    const mine = await createClient(b, { first_name: 'Mine', email: `mine-${unique()}@example.com` })
    expect(
      (
        await api(b, 'POST', '/api/v1/jobs', {
          org_client_id: mine.org_client_id,
          service_id: service.service_id,
          start_at: inHours(30),
        })
      ).status,
    ).toBe(404)
    expect((await (await api(b, 'GET', '/api/v1/jobs')).json<{ items: Job[] }>()).items).toEqual([])
  })
})

describe('PATCH /api/v1/jobs/{id}', () => {
  it('moves unsent reminders with the job, and its end by the same amount', async () => {
    const org = await createOrg()
    const job = await bookNew(org, inHours(72))
    const newStart = inHours(96)
    const res = await api(org, 'PATCH', `/api/v1/jobs/${job.id}`, { start_at: newStart })
    expect(res.status).toBe(200)
    const moved = await res.json<Job>()
    expect(moved.end_at).toBe(new Date(Date.parse(newStart) + 2 * HOUR).toISOString())
    expect((await remindersFor(org, job.id)).map((r) => r.send_at).sort()).toEqual([
      new Date(Date.parse(newStart) - 24 * HOUR).toISOString(),
      new Date(Date.parse(newStart) - 2 * HOUR).toISOString(),
    ])
  })

  it('removes the reminders of a cancelled job', async () => {
    const org = await createOrg()
    const job = await bookNew(org, inHours(72))
    const res = await api(org, 'PATCH', `/api/v1/jobs/${job.id}`, { status: 'canceled' })
    expect((await res.json<Job>()).status).toBe('cancelled')
    expect(await remindersFor(org, job.id)).toEqual([])
    expect((await api(org, 'PATCH', `/api/v1/jobs/${job.id}`, { status: 'completed' })).status).toBe(409)
  })

  it('raises job_completed when a job is completed', async () => {
    const org = await createOrg()
    const job = await bookNew(org, inHours(3))
    const done = await (await api(org, 'PATCH', `/api/v1/jobs/${job.id}`, { status: 'completed' })).json<
      Job & { completed_at: string }
    >()
    expect(done.completed_at).toBeTruthy()
    expect(await remindersFor(org, job.id)).toEqual([])
    const timeline = await (await api(org, 'GET', `/api/v1/clients/${job.org_client_id}/timeline`)).json<{
      items: Array<{ type: string; data: { job_id?: string } }>
    }>()
    expect(timeline.items.find((i) => i.type === 'job_completed')?.data.job_id).toBe(job.id)
  })

  it('lists jobs in a window and by status', async () => {
    const org = await createOrg()
    const early = await bookNew(org, inHours(30))
    const late = await bookNew(org, inHours(200))
    const window = await (
      await api(
        org,
        'GET',
        `/api/v1/jobs?from=${encodeURIComponent(inHours(0))}&to=${encodeURIComponent(inHours(100))}`,
      )
    ).json<{ items: Job[] }>()
    expect(window.items.map((j) => j.id)).toEqual([early.id])
    await api(org, 'PATCH', `/api/v1/jobs/${late.id}`, { status: 'canceled' })
    const canceled = await (await api(org, 'GET', '/api/v1/jobs?status=canceled')).json<{ items: Job[] }>()
    expect(canceled.items.map((j) => j.id)).toEqual([late.id])
  })

  it("is 404 for another organization's job", async () => {
    const [a, b] = [await createOrg(), await createOrg()]
    const job = await bookNew(a, inHours(40))
    expect((await api(b, 'PATCH', `/api/v1/jobs/${job.id}`, { status: 'canceled' })).status).toBe(404)
    expect((await api(b, 'GET', `/api/v1/jobs/${job.id}`)).status).toBe(404)
    expect((await (await api(a, 'GET', `/api/v1/jobs/${job.id}`)).json<Job>()).status).toBe('scheduled')
  })
})

describe('the seed name /functions/v1/create-job-with-client', () => {
  it('checks organization_id against the key', async () => {
    const [a, b] = [await createOrg(), await createOrg()]
    const body = { client: { first_name: 'Seed', email: `seed-${unique()}@example.com` }, start_at: inHours(30) }
    expect(
      (await api(a, 'POST', '/functions/v1/create-job-with-client', { ...body, organization_id: b.organizationId }))
        .status,
    ).toBe(404)
    const ok = await api(
      a,
      'POST',
      '/functions/v1/create-job-with-client',
      { ...body, organization_id: a.organizationId },
      { apikey: a.apiKey },
    )
    expect(ok.status).toBe(201)
    expect(await ok.json()).toMatchObject({ success: true, job: { status: 'scheduled' } })
  })
})
