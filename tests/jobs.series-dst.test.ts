/** Recurring visits through the API around clock changes, end dates and counts, and against another business. */
import { describe, expect, it } from 'vitest'
import { api, createClient, createOrg, type TestOrg, unique } from './helpers/factories'
import { runDueAt } from './helpers/messaging'

type Job = { id: string; start_at: string; end_at: string | null; status: string; notes: string | null }
type Series = { id: string; summary: string; upcoming: number; visits: Job[] }

async function chicagoClient() {
  const org = await createOrg({ timezone: 'America/Chicago' })
  const client = await createClient(org, { first_name: 'Rae', email: `rae-${unique()}@example.com` })
  return { org, clientId: client.org_client_id }
}

async function bookSeries(org: TestOrg, clientId: string, startAt: string, recurrence: unknown) {
  const res = await api(org, 'POST', '/api/v1/jobs', {
    org_client_id: clientId,
    start_at: startAt,
    end_at: new Date(Date.parse(startAt) + 2 * 3_600_000).toISOString(),
    recurrence,
    notify: false,
  })
  expect(res.status, await res.clone().text()).toBe(201)
  return (await res.json<{ series_id: string }>()).series_id
}

const visitsOf = async (org: TestOrg, seriesId: string) =>
  (await (await api(org, 'GET', `/api/v1/jobs?series_id=${seriesId}&limit=500`)).json<{ items: Job[] }>()).items

const seriesOf = async (org: TestOrg, seriesId: string) =>
  (await api(org, 'GET', `/api/v1/series/${seriesId}`)).json<Series>()

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

describe('recurring visits across clock changes', () => {
  it('keeps 9:00 at 9:00 through the fall-back week, and a 1:30 AM visit at the first 1:30', async () => {
    const { org, clientId } = await chicagoClient()
    // Tuesday 2031-10-28 9:00 CDT; clocks go back on Sunday 2031-11-02.
    const id = await bookSeries(org, clientId, '2031-10-28T14:00:00.000Z', { freq: 'weekly', count: 3 })
    const visits = await visitsOf(org, id)
    expect(visits.map((v) => chicago(v.start_at))).toEqual(['2031-10-28 09:00', '2031-11-04 09:00', '2031-11-11 09:00'])
    expect(visits.map((v) => v.start_at.slice(11, 16))).toEqual(['14:00', '15:00', '15:00'])
    // The visit still lasts two hours on the wall clock and in fact.
    expect(visits.every((v) => Date.parse(v.end_at!) - Date.parse(v.start_at) === 2 * 3_600_000)).toBe(true)

    // Sunday 2031-10-26 1:30 CDT: the next Sunday's 1:30 happens twice and the visit is at the first.
    const early = await bookSeries(org, clientId, '2031-10-26T06:30:00.000Z', { freq: 'weekly', count: 3 })
    expect((await visitsOf(org, early)).map((v) => v.start_at)).toEqual([
      '2031-10-26T06:30:00.000Z',
      '2031-11-02T06:30:00.000Z', // 1:30 CDT, before the clocks go back
      '2031-11-09T07:30:00.000Z', // 1:30 CST
    ])
  })

  it('moves this and the following visits across the clock change by the same wall-clock change', async () => {
    const { org, clientId } = await chicagoClient()
    // Tuesdays at 9:00 from 2031-10-07, six visits: the last two fall after the clocks go back.
    const id = await bookSeries(org, clientId, '2031-10-07T14:00:00.000Z', { freq: 'weekly', count: 6 })
    const visits = await visitsOf(org, id)
    // The third visit moves to Wednesday 10:00 CDT, and every later one with it.
    const res = await api(org, 'PATCH', `/api/v1/jobs/${visits[2]!.id}`, {
      scope: 'following',
      start_at: '2031-10-22T15:00:00.000Z',
    })
    expect(res.status, await res.clone().text()).toBe(200)
    const after = await visitsOf(org, id)
    expect(after.map((v) => chicago(v.start_at))).toEqual([
      '2031-10-07 09:00',
      '2031-10-14 09:00',
      '2031-10-22 10:00',
      '2031-10-29 10:00',
      '2031-11-05 10:00',
      '2031-11-12 10:00',
    ])
    expect(after.slice(4).map((v) => v.start_at.slice(11, 16))).toEqual(['16:00', '16:00'])
    expect((await seriesOf(org, id)).summary).toBe('Every week on Wednesday at 10:00 AM, 4 visits')

    // And back earlier, from the fifth visit, after the change: 8:00 on Tuesdays.
    const back = await api(org, 'PATCH', `/api/v1/jobs/${after[4]!.id}`, {
      scope: 'following',
      start_at: '2031-11-04T14:00:00.000Z',
    })
    expect(back.status, await back.clone().text()).toBe(200)
    expect((await visitsOf(org, id)).map((v) => chicago(v.start_at)).slice(3)).toEqual([
      '2031-10-29 10:00',
      '2031-11-04 08:00',
      '2031-11-11 08:00',
    ])
    expect((await seriesOf(org, id)).summary).toBe('Every week on Tuesday at 8:00 AM, 2 visits')
  })

  it('moves the end date of a series with the following visits, so no visit falls after it', async () => {
    const { org, clientId } = await chicagoClient()
    const id = await bookSeries(org, clientId, '2031-10-07T14:00:00.000Z', { freq: 'weekly', until: '2031-11-11' })
    const visits = await visitsOf(org, id)
    expect(visits).toHaveLength(6)
    expect((await seriesOf(org, id)).summary).toBe('Every week on Tuesday at 9:00 AM, until 2031-11-11')
    const res = await api(org, 'PATCH', `/api/v1/jobs/${visits[3]!.id}`, {
      scope: 'following',
      start_at: '2031-10-29T14:00:00.000Z',
    })
    expect(res.status, await res.clone().text()).toBe(200)
    const after = await visitsOf(org, id)
    expect(after.map((v) => chicago(v.start_at).slice(0, 10))).toEqual([
      '2031-10-07',
      '2031-10-14',
      '2031-10-21',
      '2031-10-29',
      '2031-11-05',
      '2031-11-12',
    ])
    expect((await seriesOf(org, id)).summary).toBe('Every week on Wednesday at 9:00 AM, until 2031-11-12')
    // The due-work run later books nothing beyond the end date.
    await runDueAt(org, new Date(Date.parse('2031-10-07T14:00:00.000Z') + 60 * 86_400_000))
    expect(await visitsOf(org, id)).toHaveLength(6)
  })
})

describe('cancelling the rest of a series', () => {
  it('cancels a counted series part-way: earlier visits untouched, and the due-work run books no more of it', async () => {
    const { org, clientId } = await chicagoClient()
    const start = new Date(Date.now() + 2 * 86_400_000)
    start.setUTCHours(15, 0, 0, 0)
    // 60 weekly visits: about 53 fall inside the first year, the rest are left for the due-work run.
    const cut = await bookSeries(org, clientId, start.toISOString(), { freq: 'weekly', count: 60 })
    const kept = await bookSeries(org, clientId, start.toISOString(), { freq: 'weekly', count: 60 })
    const visits = await visitsOf(org, cut)
    expect(visits.length).toBeGreaterThan(50)
    expect(visits.length).toBeLessThan(60)

    const res = await api(org, 'DELETE', `/api/v1/series/${cut}?from=${visits[10]!.id}`)
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ series_id: cut, cancelled: visits.length - 10 })
    const after = await visitsOf(org, cut)
    expect(after.slice(0, 10).map((v) => [v.id, v.start_at, v.status])).toEqual(
      visits.slice(0, 10).map((v) => [v.id, v.start_at, 'scheduled']),
    )
    expect(after.slice(10).every((v) => v.status === 'cancelled')).toBe(true)
    const series = await seriesOf(org, cut)
    expect(series.upcoming).toBe(10)
    expect(series.summary).toMatch(/^Every week on \w+ at \d+:00 [AP]M, until \d{4}-\d{2}-\d{2}$/)

    // A year on, the other series is extended to its count; the cancelled one gains nothing.
    await runDueAt(org, new Date(Date.now() + 120 * 86_400_000))
    await runDueAt(org, new Date(Date.now() + 400 * 86_400_000))
    expect(await visitsOf(org, kept)).toHaveLength(60)
    const later = await visitsOf(org, cut)
    expect(later).toHaveLength(visits.length)
    expect(later.filter((v) => v.status === 'scheduled')).toHaveLength(10)
  })

  it('is refused to another business: its PATCH and DELETE are 404 and nothing changes', async () => {
    const { org, clientId } = await chicagoClient()
    const id = await bookSeries(org, clientId, '2031-10-07T14:00:00.000Z', { freq: 'weekly', count: 4 })
    const visits = await visitsOf(org, id)
    const { org: stranger } = await chicagoClient()
    const tries: Array<[string, string, unknown]> = [
      ['PATCH', `/api/v1/jobs/${visits[1]!.id}`, { scope: 'following', start_at: '2031-10-15T14:00:00.000Z' }],
      ['PATCH', `/api/v1/jobs/${visits[1]!.id}`, { scope: 'following', status: 'cancelled' }],
      ['PATCH', `/api/v1/jobs/${visits[1]!.id}`, { scope: 'this', status: 'cancelled' }],
      ['DELETE', `/api/v1/series/${id}`, undefined],
      ['DELETE', `/api/v1/series/${id}?from=${visits[1]!.id}`, undefined],
    ]
    for (const [method, path, body] of tries)
      expect((await api(stranger, method, path, body)).status, `${method} ${path}`).toBe(404)
    expect((await visitsOf(org, id)).map((v) => [v.start_at, v.status])).toEqual(
      visits.map((v) => [v.start_at, 'scheduled']),
    )
    expect((await seriesOf(org, id)).summary).toBe('Every week on Tuesday at 9:00 AM, 4 visits')
  })
})
