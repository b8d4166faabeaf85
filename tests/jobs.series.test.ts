/** Recurring visits: a series booked with `recurrence`, its visits as jobs, changing one or the following, cancelling the rest. */
import { describe, expect, it } from 'vitest'
import { api, createClient, createOrg, type TestOrg, unique } from './helpers/factories'
import { runDueAt } from './helpers/messaging'
import { teammate } from './helpers/team'

type Job = {
  id: string
  start_at: string
  end_at: string | null
  status: string
  series_id: string | null
  price_cents: number
  notes: string | null
  assigned_to: string[]
}
type Series = { id: string; summary: string; upcoming: number; cancelled_at: string | null; visits: Job[] }

async function chicagoClient() {
  const org = await createOrg({ timezone: 'America/Chicago' })
  const client = await createClient(org, { first_name: 'Rae', email: `rae-${unique()}@example.com` })
  return { org, clientId: client.org_client_id }
}

async function bookSeries(org: TestOrg, clientId: string, startAt: string, recurrence: unknown, extra = {}) {
  const res = await api(org, 'POST', '/api/v1/jobs', {
    org_client_id: clientId,
    start_at: startAt,
    end_at: new Date(Date.parse(startAt) + 2 * 3_600_000).toISOString(),
    recurrence,
    notify: false,
    ...extra,
  })
  expect(res.status, await res.clone().text()).toBe(201)
  return res.json<{ job: Job; series_id: string }>()
}

const visitsOf = async (org: TestOrg, seriesId: string) =>
  (await (await api(org, 'GET', `/api/v1/jobs?series_id=${seriesId}`)).json<{ items: Job[] }>()).items

/** Local wall-clock "YYYY-MM-DD HH:MM" of an instant in Chicago. */
const chicago = (iso: string) =>
  new Intl.DateTimeFormat('sv-SE', {
    timeZone: 'America/Chicago',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
  }).format(new Date(iso))

describe('recurring visits', () => {
  it('books every visit of a biweekly series as a job with its reminders, 9:00 on the wall clock across DST', async () => {
    const { org, clientId } = await chicagoClient()
    // Tuesday 2031-03-04 9:00 CST; daylight saving starts 2031-03-09.
    const made = await bookSeries(org, clientId, '2031-03-04T15:00:00.000Z', {
      freq: 'weekly',
      interval: 2,
      count: 4,
    })
    expect(made.series_id).toEqual(expect.any(String))
    expect(made.job.series_id).toBe(made.series_id)
    const visits = await visitsOf(org, made.series_id)
    expect(visits.map((v) => chicago(v.start_at))).toEqual([
      '2031-03-04 09:00',
      '2031-03-18 09:00',
      '2031-04-01 09:00',
      '2031-04-15 09:00',
    ])
    // CST is UTC−6, CDT UTC−5: the instant moves, the wall clock does not.
    expect(visits.map((v) => v.start_at.slice(11, 16))).toEqual(['15:00', '14:00', '14:00', '14:00'])
    expect(visits.every((v) => Date.parse(v.end_at!) - Date.parse(v.start_at) === 2 * 3_600_000)).toBe(true)
    const reminders = (
      await (
        await api(org, 'GET', '/api/v1/reminders?status=pending&limit=500')
      ).json<{
        items: Array<{ job_id: string; offset: string }>
      }>()
    ).items
    for (const v of visits)
      expect(
        reminders
          .filter((r) => r.job_id === v.id)
          .map((r) => r.offset)
          .sort(),
      ).toEqual(['24h', '2h'])
    const series = await (await api(org, 'GET', `/api/v1/series/${made.series_id}`)).json<Series>()
    expect(series.summary).toBe('Every 2 weeks on Tuesday at 9:00 AM, 4 visits')
    expect(series.visits).toHaveLength(4)
  })

  it('books a series without an end for the next 12 months, and the due-work run extends it', async () => {
    const { org, clientId } = await chicagoClient()
    const start = new Date(Date.now() + 2 * 86_400_000)
    start.setUTCHours(15, 0, 0, 0)
    const made = await bookSeries(org, clientId, start.toISOString(), { freq: 'weekly' })
    const visits = await visitsOf(org, made.series_id)
    expect(visits.length).toBeGreaterThanOrEqual(52)
    expect(visits.length).toBeLessThanOrEqual(54)
    const last = Date.parse(visits[visits.length - 1]!.start_at)
    expect(last).toBeGreaterThan(Date.now() + 358 * 86_400_000)
    expect(last).toBeLessThan(Date.now() + 367 * 86_400_000)

    await runDueAt(org, new Date(Date.now() + 30 * 86_400_000))
    const extended = await visitsOf(org, made.series_id)
    expect(extended.length).toBeGreaterThan(visits.length + 3)
    expect(new Set(extended.map((v) => v.start_at)).size).toBe(extended.length)
    // Running again at the same time books nothing twice.
    await runDueAt(org, new Date(Date.now() + 30 * 86_400_000))
    expect(await visitsOf(org, made.series_id)).toHaveLength(extended.length)
  })

  it('keeps a monthly visit on the 31st at the end of shorter months, and reads "the 2nd Tuesday"', async () => {
    const { org, clientId } = await chicagoClient()
    const byDate = await bookSeries(org, clientId, '2031-01-31T16:00:00.000Z', { freq: 'monthly', count: 4 })
    expect((await visitsOf(org, byDate.series_id)).map((v) => chicago(v.start_at).slice(0, 10))).toEqual([
      '2031-01-31',
      '2031-02-28',
      '2031-03-31',
      '2031-04-30',
    ])
    // 2031-01-14 is the second Tuesday of January.
    const byDay = await bookSeries(org, clientId, '2031-01-14T16:00:00.000Z', {
      freq: 'monthly',
      by_weekday: ['2TU'],
      until: '2031-04-30',
    })
    expect((await visitsOf(org, byDay.series_id)).map((v) => chicago(v.start_at).slice(0, 10))).toEqual([
      '2031-01-14',
      '2031-02-11',
      '2031-03-11',
      '2031-04-08',
    ])
    const s = await (await api(org, 'GET', `/api/v1/series/${byDay.series_id}`)).json<Series>()
    expect(s.summary).toBe('Every month on the 2nd Tuesday at 10:00 AM, until 2031-04-30')
  })

  it('books weekly visits on several days', async () => {
    const { org, clientId } = await chicagoClient()
    // Monday 2031-03-03 8:00 CST.
    const made = await bookSeries(org, clientId, '2031-03-03T14:00:00.000Z', {
      freq: 'weekly',
      by_weekday: ['MO', 'TH'],
      count: 4,
    })
    expect((await visitsOf(org, made.series_id)).map((v) => chicago(v.start_at))).toEqual([
      '2031-03-03 08:00',
      '2031-03-06 08:00',
      '2031-03-10 08:00',
      '2031-03-13 08:00',
    ])
  })

  it('changes one visit alone, or this and every later visit by the same change of day and time', async () => {
    const { org, clientId } = await chicagoClient()
    const made = await bookSeries(org, clientId, '2031-03-04T15:00:00.000Z', { freq: 'weekly', count: 5 })
    const visits = await visitsOf(org, made.series_id)

    const one = await api(org, 'PATCH', `/api/v1/jobs/${visits[1]!.id}`, { price_cents: 9900, scope: 'this' })
    expect(one.status).toBe(200)
    // Visit 3 moves from Tuesday 9:00 to Wednesday 10:30, and every later one with it.
    const res = await api(org, 'PATCH', `/api/v1/jobs/${visits[2]!.id}`, {
      scope: 'following',
      start_at: '2031-03-19T15:30:00.000Z',
      notes: 'Gate code 1234',
    })
    expect(res.status, await res.clone().text()).toBe(200)
    const after = await visitsOf(org, made.series_id)
    expect(after.map((v) => chicago(v.start_at))).toEqual([
      '2031-03-04 09:00',
      '2031-03-11 09:00',
      '2031-03-19 10:30',
      '2031-03-26 10:30',
      '2031-04-02 10:30',
    ])
    expect(after.map((v) => v.price_cents)).toEqual([0, 9900, 0, 0, 0])
    expect(after.map((v) => v.notes)).toEqual([null, null, 'Gate code 1234', 'Gate code 1234', 'Gate code 1234'])
    // The two hours each visit lasts are kept.
    expect(after.every((v) => Date.parse(v.end_at!) - Date.parse(v.start_at) === 2 * 3_600_000)).toBe(true)
    const series = await (await api(org, 'GET', `/api/v1/series/${made.series_id}`)).json<Series>()
    expect(series.summary).toBe('Every week on Wednesday at 10:30 AM, 3 visits')
  })

  it('cancels a visit and the later ones, which stay listed as cancelled without reminders', async () => {
    const { org, clientId } = await chicagoClient()
    const made = await bookSeries(org, clientId, '2031-03-04T15:00:00.000Z', { freq: 'weekly', interval: 2 })
    const visits = await visitsOf(org, made.series_id)
    const res = await api(org, 'DELETE', `/api/v1/series/${made.series_id}?from=${visits[2]!.id}`)
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ series_id: made.series_id, cancelled: visits.length - 2 })
    const after = await visitsOf(org, made.series_id)
    expect(after.map((v) => v.status)).toEqual([
      'scheduled',
      'scheduled',
      ...Array.from({ length: visits.length - 2 }, () => 'cancelled'),
    ])
    const reminders = (
      await (
        await api(org, 'GET', '/api/v1/reminders?status=pending&limit=500')
      ).json<{
        items: Array<{ job_id: string }>
      }>()
    ).items
    expect(new Set(reminders.map((r) => r.job_id))).toEqual(new Set([visits[0]!.id, visits[1]!.id]))
    // Nothing more is booked later.
    await runDueAt(org, new Date(Date.parse('2031-03-04T15:00:00.000Z') + 60 * 86_400_000))
    expect(await visitsOf(org, made.series_id)).toHaveLength(visits.length)
    const series = await (await api(org, 'GET', `/api/v1/series/${made.series_id}`)).json<Series>()
    expect(series.summary).toBe('Every 2 weeks on Tuesday at 9:00 AM, until 2031-03-31')
    // PATCH with status cancelled and scope following does the same from a visit.
    const cut = await api(org, 'PATCH', `/api/v1/jobs/${visits[1]!.id}`, { status: 'cancelled', scope: 'following' })
    expect((await cut.json<Job>()).status).toBe('cancelled')
    expect((await visitsOf(org, made.series_id)).map((v) => v.status).slice(0, 2)).toEqual(['scheduled', 'cancelled'])
  })

  it('refuses a rule that does not fit the first visit, and books nothing', async () => {
    const { org, clientId } = await chicagoClient()
    const cases: Array<[unknown, string]> = [
      [{ freq: 'weekly', by_weekday: ['WE'] }, 'recurrence.by_weekday'],
      [{ freq: 'weekly', count: 3, until: '2031-06-01' }, 'recurrence.count'],
      [{ freq: 'weekly', interval: 13 }, 'recurrence.interval'],
      [{ freq: 'daily' }, 'recurrence.freq'],
      [{ freq: 'monthly', by_weekday: ['3TU'] }, 'recurrence.by_weekday'],
      [{ freq: 'weekly', until: '2031-02-01' }, 'recurrence.until'],
    ]
    for (const [recurrence, path] of cases) {
      const res = await api(org, 'POST', '/api/v1/jobs', {
        org_client_id: clientId,
        start_at: '2031-03-04T15:00:00.000Z',
        recurrence,
      })
      expect(res.status, JSON.stringify(recurrence)).toBe(400)
      const body = await res.json<{ error: { details?: Array<{ path: string }> } }>()
      expect(JSON.stringify(body), JSON.stringify(recurrence)).toContain(path)
    }
    expect((await (await api(org, 'GET', '/api/v1/jobs')).json<{ items: Job[] }>()).items).toEqual([])
  })

  it("is another business's to see and change only", async () => {
    const { org, clientId } = await chicagoClient()
    const made = await bookSeries(org, clientId, '2031-03-04T15:00:00.000Z', { freq: 'weekly', count: 3 })
    const visits = await visitsOf(org, made.series_id)
    const { org: stranger, clientId: theirs } = await chicagoClient()
    expect((await api(stranger, 'GET', `/api/v1/series/${made.series_id}`)).status).toBe(404)
    expect((await api(stranger, 'DELETE', `/api/v1/series/${made.series_id}`)).status).toBe(404)
    expect(
      (await api(stranger, 'PATCH', `/api/v1/jobs/${visits[1]!.id}`, { scope: 'following', notes: 'x' })).status,
    ).toBe(404)
    expect(await visitsOf(stranger, made.series_id)).toEqual([])
    // Their own series cannot be cancelled from a visit of ours.
    const own = await bookSeries(stranger, theirs, '2031-03-04T15:00:00.000Z', { freq: 'weekly', count: 3 })
    expect((await api(stranger, 'DELETE', `/api/v1/series/${own.series_id}?from=${visits[1]!.id}`)).status).toBe(400)
    expect((await visitsOf(org, made.series_id)).map((v) => [v.status, v.notes])).toEqual([
      ['scheduled', null],
      ['scheduled', null],
      ['scheduled', null],
    ])
  })

  it('books each visit with the crew, and someone who leaves the team is off the visits still to come', async () => {
    const { org, clientId } = await chicagoClient()
    const tech = await teammate(org)
    const made = await bookSeries(
      org,
      clientId,
      '2031-03-04T15:00:00.000Z',
      { freq: 'weekly' },
      { assigned_to: [tech] },
    )
    const visits = await visitsOf(org, made.series_id)
    expect(visits.every((v) => v.assigned_to.join() === tech)).toBe(true)
    expect((await api(org, 'DELETE', `/api/v1/team/${tech}`)).status).toBe(200)
    expect((await visitsOf(org, made.series_id)).every((v) => v.assigned_to.length === 0)).toBe(true)
    const series = await (await api(org, 'GET', `/api/v1/series/${made.series_id}`)).json<{ assigned_to: string[] }>()
    expect(series.assigned_to).toEqual([])
  })

  it('lists the series of a client', async () => {
    const { org, clientId } = await chicagoClient()
    const made = await bookSeries(org, clientId, '2031-03-04T15:00:00.000Z', { freq: 'weekly', count: 3 })
    const other = await createClient(org, { first_name: 'Sam', email: `sam-${unique()}@example.com` })
    const list = await (await api(org, 'GET', `/api/v1/series?org_client_id=${clientId}`)).json<{ items: Series[] }>()
    expect(list.items.map((s) => [s.id, s.upcoming])).toEqual([[made.series_id, 3]])
    const none = await (await api(org, 'GET', `/api/v1/series?org_client_id=${other.org_client_id}`)).json<{
      items: Series[]
    }>()
    expect(none.items).toEqual([])
  })
})
