// Over 300 lines on purpose: each CRM's availability, the cache, provider errors, strangers and the page fragment share one stubbed fetch boundary and its connect helpers.
/**
 * A day's availability from the connected CRM: GET /api/v1/integrations/{id}/availability and the
 * /app/schedule/availability fragment. ServiceTitan's capacity API, gaps between Jobber visits and
 * Housecall Pro jobs in business hours, the 15-minute cache (the object's clock is moved), provider
 * failures as 502, and another business's connection as 404. Provider HTTP is stubbed at the fetch boundary.
 */
import { env, runInDurableObject } from 'cloudflare:test'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { OrgObject } from '../durable-objects/org/org-object'
import { orgStub } from '../src/organizations'
import type { Staff } from './helpers/browserless'
import { api, createOrg, type TestOrg } from './helpers/factories'
import {
  type Call,
  connectJobber,
  JOBBER_GRAPHQL,
  json,
  orgSql,
  type Route,
  signedInOwner,
  stubFetch,
} from './helpers/integrations'
import { connectionsOf } from '../src/integrations/remote'

afterEach(() => vi.restoreAllMocks())

const DATE = '2030-03-04'
const HCP = 'https://api.housecallpro.com'
const ST_TOKEN = 'https://auth.servicetitan.io/connect/token'
const ST_CAPACITY = 'https://api.servicetitan.io/dispatch/v2/tenant/4455/capacity'

type Slot = { start_at: string; end_at: string; technician_id?: string; technician_name?: string }
type Answer = { slots: Slot[]; source: 'crm' | 'cache'; fetched_at: string }

/** Local (Los Angeles, PST on this date) wall-clock time as the UTC instant the API answers with. */
const at = (hhmm: string) => {
  const [h, m] = hhmm.split(':').map(Number) as [number, number]
  return new Date(Date.UTC(2030, 2, 4, h + 8, m)).toISOString()
}
const slot = (from: string, to: string) => ({ start_at: at(from), end_at: at(to) })

const availability = (org: TestOrg, id: string, query = `date=${DATE}`) =>
  api(org, 'GET', `/api/v1/integrations/${id}/availability?${query}`)

/** Moves the organization's object clock (null: back to real time). */
const moveClock = (org: TestOrg, to: Date | null) =>
  runInDurableObject(orgStub(env, org.organizationId), (instance) => {
    ;(instance as OrgObject)['host'].clock.set(to)
  })

/** Jobber visits that day: 9:00–10:30 by Dana, 13:00 (no end: an hour) by Sam. */
const visits = {
  data: {
    visits: {
      nodes: [
        {
          id: 'V1',
          startAt: at('09:00'),
          endAt: at('10:30'),
          allDay: false,
          assignedUsers: { nodes: [{ id: 'U1', name: { full: 'Dana Tech' } }] },
        },
        {
          id: 'V2',
          startAt: at('13:00'),
          endAt: null,
          allDay: false,
          assignedUsers: { nodes: [{ id: 'U2', name: { full: 'Sam Lee' } }] },
        },
      ],
    },
  },
}
const isVisits = (call: Call) => call.url === JOBBER_GRAPHQL && call.body.includes('visits(')

async function jobberOrg(answer: Route = (call) => (isVisits(call) ? json(visits) : undefined)) {
  const { org, staff, csrf } = await signedInOwner()
  const id = await connectJobber(staff, csrf, org)
  const stub = stubFetch(answer)
  return { org, staff, id, stub }
}

/** Connects Housecall Pro through OAuth; `routes` answer its API afterwards. */
async function housecallOrg(...routes: Route[]) {
  const { org, staff, csrf } = await signedInOwner()
  const stub = stubFetch(
    (call) => {
      if (call.url === `${HCP}/oauth/token`)
        return json({ access_token: 'hcp-access', refresh_token: 'hcp-refresh', expires_in: 7200 })
      if (call.url === `${HCP}/company`) return json({ id: 'co_9', name: 'Sparkle HCP' })
      return undefined
    },
    ...routes,
  )
  const authorize = new URL(
    (await staff.post('/app/integrations/housecallpro/connect', { _csrf: csrf })).headers.get('location')!,
  )
  await staff.get(`/app/integrations/oauth/callback?code=c&state=${authorize.searchParams.get('state')}`)
  const [connection] = await connectionsOf(orgStub(env, org.organizationId)).listConnections()
  return { org, staff, id: connection!.id, stub }
}

/** Connects ServiceTitan with the tenant's client credentials; `capacity` answers the capacity API. */
async function serviceTitanOrg(capacity: Route) {
  const { org, staff, csrf } = await signedInOwner()
  const stub = stubFetch(
    (call) => (call.url === ST_TOKEN ? json({ access_token: 'st-access', expires_in: 3600 }) : undefined),
    capacity,
  )
  await staff.post('/app/integrations/servicetitan/connect', { _csrf: csrf, tenant_id: '4455' })
  const [connection] = await connectionsOf(orgStub(env, org.organizationId)).listConnections()
  return { org, staff, id: connection!.id, stub }
}

describe('GET /api/v1/integrations/{id}/availability', () => {
  it('Jobber: the gaps between that day’s visits in business hours, an hour each, on the half hour', async () => {
    const { org, id, stub } = await jobberOrg()
    const res = await availability(org, id)
    expect(res.status).toBe(200)
    const body = await res.json<Answer>()
    expect(body).toMatchObject({ source: 'crm', fetched_at: expect.any(String) })
    expect(body.slots).toEqual([
      slot('08:00', '09:00'),
      slot('10:30', '11:30'),
      slot('11:30', '12:30'),
      slot('14:00', '15:00'),
      slot('15:00', '16:00'),
      slot('16:00', '17:00'),
      slot('17:00', '18:00'),
    ])
    const [call] = stub.calls.filter(isVisits)
    expect(call!.headers.get('authorization')).toBe('Bearer jobber-access-1')
    expect(JSON.parse(call!.body).variables).toEqual({
      filter: { startAt: { after: '2030-03-04T08:00:00.000Z', before: '2030-03-05T08:00:00.000Z' } },
    })
  })

  it('Jobber: for one technician, only their visits take time, and the slots name them', async () => {
    const { org, id } = await jobberOrg()
    const body = await (await availability(org, id, `date=${DATE}&technician_id=U1`)).json<Answer>()
    expect(body.slots[0]).toEqual({ ...slot('08:00', '09:00'), technician_id: 'U1', technician_name: 'Dana Tech' })
    // Sam's 13:00 visit does not hold Dana.
    expect(body.slots.map((s) => s.start_at)).toContain(at('12:30'))
    expect(body.slots.map((s) => s.start_at)).not.toContain(at('09:00'))
  })

  it('caches each day and filter for 15 minutes: the second call asks nobody, a call after 15 minutes asks again', async () => {
    const { org, id, stub } = await jobberOrg()
    const first = await (await availability(org, id)).json<Answer>()
    expect(stub.calls.filter(isVisits)).toHaveLength(1)

    const second = await (await availability(org, id)).json<Answer>()
    expect(second).toEqual({ ...first, source: 'cache' })
    expect(stub.calls.filter(isVisits)).toHaveLength(1)

    // Another technician or another day is another question.
    await availability(org, id, `date=${DATE}&technician_id=U2`)
    await availability(org, id, 'date=2030-03-05')
    expect(stub.calls.filter(isVisits)).toHaveLength(3)

    await moveClock(org, new Date(Date.now() + 14 * 60_000))
    expect((await (await availability(org, id)).json<Answer>()).source).toBe('cache')
    expect(stub.calls.filter(isVisits)).toHaveLength(3)

    await moveClock(org, new Date(Date.now() + 16 * 60_000))
    try {
      const later = await (await availability(org, id)).json<Answer>()
      expect(later.source).toBe('crm')
      expect(later.slots).toEqual(first.slots)
      expect(stub.calls.filter(isVisits)).toHaveLength(4)
    } finally {
      await moveClock(org, null)
    }
  })

  it('Housecall Pro: the gaps between jobs by scheduled start, cancelled jobs left out, as long as the mapped service', async () => {
    const { org, id, stub } = await housecallOrg((call) =>
      call.url.startsWith(`${HCP}/jobs?`)
        ? json({
            jobs: [
              {
                id: 'job_1',
                work_status: 'scheduled',
                schedule: { scheduled_start: at('08:00'), scheduled_end: at('12:00') },
                assigned_employees: [{ id: 'pro_1', first_name: 'Dana', last_name: 'Tech' }],
              },
              {
                id: 'job_2',
                work_status: 'pro canceled',
                schedule: { scheduled_start: at('13:00'), scheduled_end: at('17:00') },
                assigned_employees: [],
              },
            ],
            page: 1,
            total_pages: 1,
          })
        : undefined,
    )
    const service = await (
      await api(org, 'POST', '/api/v1/services', { name: 'Deep clean', duration_minutes: 150 })
    ).json<{
      service_id: string
    }>()
    await orgSql(
      org,
      'update connections set settings = ? where id = ?',
      JSON.stringify({ service_map: { jt_deep: service.service_id } }),
      id,
    )
    const body = await (await availability(org, id, `date=${DATE}&job_type_id=jt_deep`)).json<Answer>()
    expect(body.slots).toEqual([slot('12:00', '14:30'), slot('14:30', '17:00')])
    const call = stub.to(`${HCP}/jobs?`)[0]!
    expect(call.headers.get('authorization')).toBe('Bearer hcp-access')
    expect(Object.fromEntries(new URL(call.url).searchParams)).toEqual({
      scheduled_start_min: '2030-03-04T08:00:00.000Z',
      scheduled_start_max: '2030-03-05T08:00:00.000Z',
      page_size: '100',
    })
    // Without a job type a slot is an hour.
    expect((await (await availability(org, id)).json<Answer>()).slots[0]).toEqual(slot('12:00', '13:00'))
  })

  it('ServiceTitan: the open time frames of its capacity API for the job type, and a technician’s own', async () => {
    const frames = {
      startsOnOrAfter: '2030-03-04T08:00:00Z',
      endsOnOrBefore: '2030-03-05T08:00:00Z',
      availabilities: [
        {
          start: '2030-03-04T08:00:00',
          end: '2030-03-04T10:00:00',
          startUtc: at('08:00'),
          endUtc: at('10:00'),
          businessUnitIds: [21],
          totalAvailability: 2,
          openAvailability: 1,
          technicians: [{ id: 31, name: 'Dana Tech', status: 'Available', hasRequiredSkills: true }],
          isExceedingIdealBookingPercentage: false,
        },
        {
          start: '2030-03-04T10:00:00',
          end: '2030-03-04T12:00:00',
          businessUnitIds: [21],
          totalAvailability: 2,
          openAvailability: 0,
          technicians: [],
          isExceedingIdealBookingPercentage: true,
        },
        {
          start: '2030-03-04T13:00:00',
          end: '2030-03-04T15:00:00',
          businessUnitIds: [21],
          totalAvailability: 2,
          openAvailability: 1.5,
          technicians: [
            { id: 31, name: 'Dana Tech', status: 'Unavailable', hasRequiredSkills: true },
            { id: 32, name: 'Sam Lee', status: 'Available', hasRequiredSkills: true },
          ],
          isExceedingIdealBookingPercentage: false,
        },
      ],
    }
    const { org, id, stub } = await serviceTitanOrg((call) =>
      call.url === ST_CAPACITY && call.method === 'POST' ? json(frames) : undefined,
    )
    const all = await (await availability(org, id, `date=${DATE}&job_type_id=11`)).json<Answer>()
    expect(all.slots).toEqual([slot('08:00', '10:00'), slot('13:00', '15:00')])
    const call = stub.to(ST_CAPACITY)[0]!
    expect(call.headers.get('st-app-key')).toBe('st-app-key')
    expect(call.headers.get('authorization')).toBe('Bearer st-access')
    expect(JSON.parse(call.body)).toEqual({
      startsOnOrAfter: '2030-03-04T08:00:00.000Z',
      endsOnOrBefore: '2030-03-05T08:00:00.000Z',
      skillBasedAvailability: false,
      jobTypeId: 11,
    })
    const dana = await (await availability(org, id, `date=${DATE}&job_type_id=11&technician_id=31`)).json<Answer>()
    expect(dana.slots).toEqual([{ ...slot('08:00', '10:00'), technician_id: '31', technician_name: 'Dana Tech' }])
    expect((await availability(org, id, `date=${DATE}&job_type_id=AC`)).status).toBe(400)
  })
})

describe('when the provider fails', () => {
  it('answers 502 with what went wrong, caches nothing, and asks again next time', async () => {
    let fail = true
    const { org, id, stub } = await jobberOrg((call) =>
      isVisits(call) ? (fail ? new Response('upstream down', { status: 500 }) : json(visits)) : undefined,
    )
    const res = await availability(org, id)
    expect(res.status).toBe(502)
    expect(await res.json()).toEqual({
      error: { code: 'provider_error', message: 'Jobber answered HTTP 500 when asked for the schedule.' },
    })
    fail = false
    expect((await (await availability(org, id)).json<Answer>()).source).toBe('crm')
    expect(stub.calls.filter(isVisits)).toHaveLength(2)
  })

  it('says so for GraphQL errors, a refused token and an unreachable provider', async () => {
    let mode: 'graphql' | 'unreachable' = 'graphql'
    const { org, id } = await jobberOrg((call) => {
      if (!isVisits(call)) return undefined
      if (mode === 'unreachable') throw new TypeError('fetch failed')
      return json({ errors: [{ message: 'Throttled', extensions: { code: 'THROTTLED' } }] })
    })
    const graphql = await availability(org, id)
    expect(graphql.status).toBe(502)
    expect((await graphql.json<{ error: { message: string } }>()).error.message).toBe(
      'Jobber did not answer with visits: Throttled',
    )
    mode = 'unreachable'
    const down = await availability(org, id)
    expect(down.status).toBe(502)
    expect((await down.json<{ error: { message: string } }>()).error.message).toBe(
      'Could not reach Jobber to read the schedule.',
    )

    const st = await serviceTitanOrg((call) => (call.url === ST_CAPACITY ? json({ message: 'no' }, 401) : undefined))
    const refused = await availability(st.org, st.id)
    expect(refused.status).toBe(502)
    expect((await refused.json<{ error: { message: string } }>()).error.message).toContain(
      "ServiceTitan refused the connection's token (HTTP 401)",
    )
  })
})

describe('who may ask', () => {
  it('another business gets 404 for a connection and nothing is fetched; a bad date is 400; no token is 409', async () => {
    const { org, id, stub } = await jobberOrg()
    const stranger = await createOrg()
    const res = await availability(stranger, id)
    expect(res.status).toBe(404)
    expect((await res.json<{ error: { code: string } }>()).error.code).toBe('not_found')
    expect(stub.calls.filter(isVisits)).toHaveLength(0)

    expect((await availability(org, id, 'date=2030-02-30')).status).toBe(400)
    expect((await availability(org, id, '')).status).toBe(400)
    expect((await availability(org, 'no-such-connection')).status).toBe(404)

    const { connection_id: webhookOnly } = await (
      await api(org, 'POST', '/api/v1/integrations', { provider: 'housecallpro', webhook_secret: 'hcp-signing-secret' })
    ).json<{ connection_id: string }>()
    const notConnected = await availability(org, webhookOnly)
    expect(notConnected.status).toBe(409)
    expect((await notConnected.json<{ error: { code: string } }>()).error.code).toBe('not_connected')
  })
})

describe('GET /app/schedule/availability', () => {
  const fragmentOf = async (staff: Staff, date = DATE) => {
    const res = await staff.get(`/app/schedule/availability?date=${date}`, { 'hx-request': 'true' })
    expect(res.status).toBe(200)
    return res.text()
  }

  it('shows the free slots of the day as links that open the booking form at that date and time', async () => {
    const { staff } = await jobberOrg()
    const html = await fragmentOf(staff)
    expect(html).not.toContain('<html')
    expect(html).toContain('Free in Jobber')
    expect(html.match(/data-testid="free-slot"/g)).toHaveLength(7)
    expect(html).toContain('href="/app/jobs/new?date=2030-03-04&amp;time=08%3A00"')
    expect(html).toContain('href="/app/jobs/new?date=2030-03-04&amp;time=10%3A30"')
    expect(html).toContain('10:30 AM')
  })

  it('shows nothing when no CRM is connected, and says so when the CRM fails', async () => {
    const { staff } = await signedInOwner()
    expect((await fragmentOf(staff)).trim()).toBe('')

    const failing = await jobberOrg((call) => (isVisits(call) ? new Response('down', { status: 503 }) : undefined))
    const html = await fragmentOf(failing.staff)
    expect(html).toContain('Jobber answered HTTP 503 when asked for the schedule.')
    expect(html).not.toContain('data-testid="free-slot"')
  })

  it('refuses an impossible date', async () => {
    const { staff } = await signedInOwner()
    expect((await staff.get('/app/schedule/availability?date=2030-13-01')).status).toBe(400)
  })
})
