/**
 * The booking form's CRM availability follows its date field: the fragment answers for the date
 * the form sends (`start`), the form carries the htmx attributes that reload it on a change, and
 * without JavaScript a link opens the day's free times as a page. Jobber is stubbed at the fetch boundary.
 */
import { afterEach, describe, expect, it, vi } from 'vitest'
import { api, createOrg } from './helpers/factories'
import { type Call, connectJobber, JOBBER_GRAPHQL, json, signedInOwner, stubFetch } from './helpers/integrations'

afterEach(() => vi.restoreAllMocks())

const HX = { 'hx-request': 'true' }

/** A UTC instant from a Los Angeles (PST in early March 2030) wall-clock time that day. */
const at = (date: string, hhmm: string) => {
  const [h, m] = hhmm.split(':').map(Number) as [number, number]
  const [y, mo, d] = date.split('-').map(Number) as [number, number, number]
  return new Date(Date.UTC(y, mo - 1, d, h + 8, m)).toISOString()
}
const visit = (id: string, date: string, from: string, to: string) => ({
  id,
  startAt: at(date, from),
  endAt: at(date, to),
  allDay: false,
  assignedUsers: { nodes: [] },
})
/** Jobber's visits by day: 4 March has two; 6 March is busy until 16:00. */
const VISITS: Record<string, unknown[]> = {
  '2030-03-04': [visit('V1', '2030-03-04', '09:00', '10:30'), visit('V2', '2030-03-04', '13:00', '14:00')],
  '2030-03-06': [visit('V3', '2030-03-06', '08:00', '16:00')],
}
const isVisits = (call: Call) => call.url === JOBBER_GRAPHQL && call.body.includes('visits(')
/** The day a visits query asked about, in Los Angeles. */
const dayAsked = (call: Call) =>
  new Date(
    Date.parse(
      (JSON.parse(call.body) as { variables: { filter: { startAt: { after: string } } } }).variables.filter.startAt
        .after,
    ) +
      8 * 3_600_000,
  )
    .toISOString()
    .slice(0, 10)

async function jobberOwner() {
  const { org, staff, csrf } = await signedInOwner()
  const id = await connectJobber(staff, csrf, org)
  const stub = stubFetch((call) =>
    isVisits(call) ? json({ data: { visits: { nodes: VISITS[dayAsked(call)] ?? [] } } }) : undefined,
  )
  return { org, staff, id, stub }
}

const slotsIn = (html: string) => [...html.matchAll(/href="\/app\/jobs\/new\?([^"]+)"/g)].map((m) => m[1]!)

describe('GET /app/schedule/availability with the form’s start', () => {
  it('answers for the date now in the date field, not the one the form opened with', async () => {
    const { staff, stub } = await jobberOwner()
    const first = await (
      await staff.get('/app/schedule/availability?date=2030-03-04&start=2030-03-04T09:00', HX)
    ).text()
    expect(slotsIn(first)).toContain('date=2030-03-04&amp;time=08%3A00')
    expect(slotsIn(first)).toHaveLength(7)

    // The date field changed to 6 March: htmx sends it as `start` beside the `date` the form opened with.
    const res = await staff.get('/app/schedule/availability?date=2030-03-04&start=2030-03-06T09:00', HX)
    expect(res.status).toBe(200)
    const html = await res.text()
    expect(html).not.toContain('<html')
    expect(html).toContain('Free in Jobber on')
    expect(html).toContain('Free in Jobber on Mar 6, 2030')
    expect(slotsIn(html)).toEqual(['date=2030-03-06&amp;time=16%3A00', 'date=2030-03-06&amp;time=17%3A00'])
    expect(stub.calls.filter(isVisits).map(dayAsked)).toEqual(['2030-03-04', '2030-03-06'])
  })

  it('shows nothing for an emptied date field, and refuses an impossible one', async () => {
    const { staff, stub } = await jobberOwner()
    const empty = await staff.get('/app/schedule/availability?date=2030-03-04&start=', HX)
    expect(empty.status).toBe(200)
    expect((await empty.text()).trim()).toBe('')
    expect((await staff.get('/app/schedule/availability?start=2030-02-30T09:00', HX)).status).toBe(400)
    expect(stub.calls.filter(isVisits)).toHaveLength(0)
  })

  it('is a whole page without htmx: the free times, another day, and booking that day', async () => {
    const { staff } = await jobberOwner()
    const html = await (await staff.get('/app/schedule/availability?date=2030-03-06')).text()
    expect(html).toContain('<html')
    expect(html).toContain('Free times on')
    expect(slotsIn(html)).toContain('date=2030-03-06&amp;time=16%3A00')
    expect(html).toContain('action="/app/schedule/availability"')
    expect(html).toContain('href="/app/schedule/availability?date=2030-03-07"')
    expect(html).toContain('href="/app/jobs/new?date=2030-03-06"')
  })
})

describe('the booking form', () => {
  it('reloads the free times when its date field changes, and links to them without JavaScript', async () => {
    const { staff } = await jobberOwner()
    const html = await (await staff.get('/app/jobs/new?date=2030-03-04&time=09:00')).text()
    const start = html.indexOf('data-testid="availability-slot"')
    expect(start).toBeGreaterThan(-1)
    const slot = html.slice(html.lastIndexOf('<div', start), html.indexOf('</div>', start))
    expect(slot).toContain('hx-get="/app/schedule/availability?date=2030-03-04"')
    expect(slot).toMatch(/hx-trigger="load, change from:(&#39;|')#f-start(&#39;|')"/)
    expect(slot).toContain('hx-include="#f-start"')
    expect(slot).toContain('hx-sync="this:replace"')
    expect(slot).toContain('hx-swap="innerHTML"')
    expect(slot).toMatch(
      /<a href="\/app\/schedule\/availability\?date=2030-03-04"[^>]*>See free times on [^<]*2030<\/a>/,
    )
    // The field the slots listen to is the form's date field.
    expect(html).toMatch(/<input id="f-start" name="start" type="datetime-local" value="2030-03-04T09:00"/)
  })

  it('comes back with the error beside the field, not a failure, for a date that does not exist', async () => {
    const { staff } = await jobberOwner()
    const csrf = await staff.csrfToken()
    const sent = await staff.post('/app/jobs', { _csrf: csrf, start: '2030-02-30T09:00', client_q: 'Nobody' })
    expect(sent.status).toBe(422)
    const html = await sent.text()
    expect(html).toContain('data-testid="availability-slot"')
    expect(html).not.toContain('See free times on')
  })

  it('offers no link to free times when no CRM is connected', async () => {
    const { staff } = await signedInOwner()
    const html = await (await staff.get('/app/jobs/new?date=2030-03-04&time=09:00')).text()
    expect(html).toContain('data-testid="availability-slot"')
    expect(html).not.toContain('See free times')
  })
})

describe('another business', () => {
  it('gets 404 for the connection on another date, and its own form shows none of the slots', async () => {
    const { id, stub } = await jobberOwner()
    const stranger = await createOrg()
    const res = await api(stranger, 'GET', `/api/v1/integrations/${id}/availability?date=2030-03-06`)
    expect(res.status).toBe(404)
    const other = await signedInOwner()
    const html = await (await other.staff.get('/app/schedule/availability?start=2030-03-06T09:00', HX)).text()
    expect(html.trim()).toBe('')
    expect(stub.calls.filter(isVisits)).toHaveLength(0)
  })
})
