// Over 300 lines on purpose: the job page's edit form and the booking form (crew, overlap warning, repeats, confirmation) share these helpers.
import { describe, expect, it } from 'vitest'
import { readNotify, readRecurrence } from '../src/routes/pages/jobs/repeat'
import { Staff } from './helpers/browserless'
import { teammate } from './helpers/team'
import { api, createClient, createOrg, type TestOrg, unique } from './helpers/factories'
import { messagesOf } from './helpers/messaging'

type Job = {
  id: string
  start_at: string
  price_cents: number
  status: string
  series_id: string | null
  assigned_to: string[]
}

const HX = { 'hx-request': 'true' }

/** A business in California with its owner signed in on the pages. */
async function signedIn() {
  const org = await createOrg({ timezone: 'America/Los_Angeles' })
  const staff = new Staff()
  await staff.post('/login', { email: org.email, password: org.password })
  return { org, staff, csrf: await staff.csrfToken() }
}

async function service(org: TestOrg, name: string, price: number, minutes?: number) {
  const res = await api(org, 'POST', '/api/v1/services', { name, price_cents: price, duration_minutes: minutes })
  return (await res.json<{ id: string }>()).id
}

/** A client with a home and a rental property. */
async function clientWithRental(org: TestOrg) {
  const client = await createClient(org, {
    first_name: 'Ann',
    email: `ann-${unique()}@example.com`,
    address: { address1: '9 Elm St', city: 'Oakland', state: 'CA', postal: '94610' },
  })
  const added = await api(org, 'POST', `/api/v1/clients/${client.org_client_id}/addresses`, {
    label: 'Rental',
    address1: '1 Bay Rd',
    city: 'Oakland',
    state: 'CA',
    postal: '94611',
  })
  return { clientId: client.org_client_id, rental: (await added.json<{ address_id: string }>()).address_id }
}

async function book(org: TestOrg, body: Record<string, unknown>) {
  const res = await api(org, 'POST', '/api/v1/jobs', { notify: false, ...body })
  expect(res.status).toBe(201)
  return (await res.json<{ job: Job }>()).job
}
const getJob = async (org: TestOrg, id: string) => (await api(org, 'GET', `/api/v1/jobs/${id}`)).json<Job>()
const jobsOf = async (org: TestOrg, clientId: string) =>
  (await (await api(org, 'GET', `/api/v1/jobs?org_client_id=${clientId}`)).json<{ items: Job[] }>()).items

describe('POST /app/jobs/{id}/edit', () => {
  it('changes service, price, crew, property, start, length and notes in one form without JavaScript', async () => {
    const { org, staff, csrf } = await signedIn()
    const [standard, deep] = [await service(org, 'Standard', 14_000), await service(org, 'Deep clean', 26_000)]
    const dana = await teammate(org, { name: 'Dana Reyes' })
    const { clientId, rental } = await clientWithRental(org)
    const job = await book(org, {
      org_client_id: clientId,
      service_id: standard,
      start_at: '2031-05-06T16:00:00Z',
      end_at: '2031-05-06T18:00:00Z',
    })
    const page = await (await staff.get(`/app/jobs/${job.id}`)).text()
    expect(page).toContain('data-testid="job-edit-form"')
    expect(page).toContain('id="edit-start" name="start" type="datetime-local" value="2031-05-06T09:00"')
    expect(page).toMatch(/id="edit-duration"[^>]*value="120"/)

    const res = await staff.post(`/app/jobs/${job.id}/edit`, {
      _csrf: csrf,
      service_id: deep,
      price: '275.50',
      start: '2031-05-07T13:30',
      duration_minutes: '90',
      address_id: rental,
      crew_shown: '1',
      assigned_to: dana,
      notes: '  Gate code 4411  ',
    })
    expect(res.status).toBe(303)
    expect(res.headers.get('location')).toBe(`/app/jobs/${job.id}?done=saved`)
    expect(await getJob(org, job.id)).toMatchObject({
      service_id: deep,
      price_cents: 27_550,
      start_at: '2031-05-07T20:30:00.000Z',
      end_at: '2031-05-07T22:00:00.000Z',
      address_id: rental,
      assigned_to: [dana],
      notes: 'Gate code 4411',
    })
    const after = await (await staff.get(`/app/jobs/${job.id}?done=saved`)).text()
    expect(after).toContain('Changes saved.')
    expect(after).toMatch(/data-testid="job-crew"[\s\S]*Dana Reyes/)
    expect(after).toContain('1 Bay Rd, Oakland')
  })

  it('swaps the panel with htmx, sends only what changed, and clears notes and crew when emptied', async () => {
    const { org, staff, csrf } = await signedIn()
    const dana = await teammate(org, { name: 'Dana Reyes' })
    const { clientId } = await clientWithRental(org)
    const job = await book(org, {
      org_client_id: clientId,
      start_at: '2031-05-06T16:00:00Z',
      notes: 'Old note',
      assigned_to: [dana],
    })
    // The same time and length as booked: nothing moves, so no "past" question and no reminders redone.
    const res = await staff.post(
      `/app/jobs/${job.id}/edit`,
      { _csrf: csrf, start: '2031-05-06T09:00', duration_minutes: '', price: '0.00', notes: '', crew_shown: '1' },
      HX,
    )
    expect(res.status).toBe(200)
    const panel = await res.text()
    expect(panel).toMatch(/^<section id="job-panel"[\s\S]*Changes saved\./)
    expect(await getJob(org, job.id)).toMatchObject({
      start_at: '2031-05-06T16:00:00.000Z',
      notes: '',
      assigned_to: [],
    })
  })

  it('asks before moving into the past, and refuses a crew member or property that is not theirs', async () => {
    const { org, staff, csrf } = await signedIn()
    const stranger = await createOrg()
    const outsider = await teammate(stranger, { name: 'Not Ours' })
    const other = await clientWithRental(org)
    const { clientId } = await clientWithRental(org)
    const job = await book(org, { org_client_id: clientId, start_at: '2031-05-06T16:00:00Z' })

    const past = await staff.post(`/app/jobs/${job.id}/edit`, { _csrf: csrf, start: '2020-05-06T09:00' }, HX)
    expect(past.status).toBe(422)
    const asked = await past.text()
    expect(asked).toContain('That time is in the past. Tick the box below to move the visit there anyway.')
    expect(asked).toContain('name="allow_past"')
    expect(asked).toContain('value="2020-05-06T09:00"')
    expect((await getJob(org, job.id)).start_at).toBe('2031-05-06T16:00:00.000Z')
    const moved = await staff.post(
      `/app/jobs/${job.id}/edit`,
      { _csrf: csrf, start: '2020-05-06T09:00', allow_past: '1' },
      HX,
    )
    expect(moved.status).toBe(200)
    expect((await getJob(org, job.id)).start_at).toBe('2020-05-06T16:00:00.000Z')

    const crew = await staff.post(
      `/app/jobs/${job.id}/edit`,
      { _csrf: csrf, crew_shown: '1', assigned_to: outsider, notes: 'x' },
      HX,
    )
    expect(crew.status).toBe(422)
    expect(await crew.text()).toContain('Choose people who are on your team.')
    const property = await staff.post(`/app/jobs/${job.id}/edit`, { _csrf: csrf, address_id: other.rental }, HX)
    expect(property.status).toBe(422)
    expect(await property.text()).toContain('Choose one of this client&#39;s properties.')
    expect(await getJob(org, job.id)).toMatchObject({ assigned_to: [], notes: null })
  })

  it("answers 404 for another business's job and changes nothing", async () => {
    const { staff, csrf } = await signedIn()
    const theirs = await createOrg()
    const { clientId } = await clientWithRental(theirs)
    const job = await book(theirs, { org_client_id: clientId, start_at: '2031-05-06T16:00:00Z', price_cents: 100 })
    const res = await staff.post(`/app/jobs/${job.id}/edit`, { _csrf: csrf, price: '999', notes: 'mine' })
    expect(res.status).toBe(404)
    expect(await getJob(theirs, job.id)).toMatchObject({ price_cents: 100, notes: null })
  })
})

describe('a visit of a series on the job page', () => {
  it('says which visit of the series it is, edits this and following, and cancels this and following', async () => {
    const { org, staff, csrf } = await signedIn()
    const { clientId } = await clientWithRental(org)
    const res = await api(org, 'POST', '/api/v1/jobs', {
      org_client_id: clientId,
      start_at: '2031-06-03T16:00:00Z',
      notify: false,
      recurrence: { freq: 'weekly', interval: 2, count: 5 },
    })
    const { series_id } = await res.json<{ series_id: string }>()
    const visits = (await jobsOf(org, clientId)).filter((j) => j.series_id === series_id)
    expect(visits).toHaveLength(5)
    const third = visits[2]!

    const page = await (await staff.get(`/app/jobs/${third.id}`)).text()
    expect(page).toMatch(/data-testid="job-series">Every 2 weeks[^<]* · visit 3</)
    expect(page).toContain('data-testid="edit-scope"')
    expect(page).toContain('data-testid="cancel-following"')

    const edited = await staff.post(`/app/jobs/${third.id}/edit`, { _csrf: csrf, price: '180', scope: 'following' }, HX)
    expect(edited.status).toBe(200)
    expect(await edited.text()).toContain('Changes saved to this visit and the ones after it.')
    const prices = await Promise.all(visits.map(async (v) => (await getJob(org, v.id)).price_cents))
    expect(prices).toEqual([0, 0, 18_000, 18_000, 18_000])

    const cancelled = await staff.post(`/app/jobs/${visits[3]!.id}/cancel`, { _csrf: csrf, scope: 'following' }, HX)
    expect(cancelled.status).toBe(200)
    expect(await cancelled.text()).toContain('Canceled this visit and 1 after it.')
    const statuses = await Promise.all(visits.map(async (v) => (await getJob(org, v.id)).status))
    expect(statuses).toEqual(['scheduled', 'scheduled', 'scheduled', 'cancelled', 'cancelled'])

    // "This visit" cancels only this one.
    await staff.post(`/app/jobs/${visits[0]!.id}/cancel`, { _csrf: csrf, scope: 'this' }, HX)
    expect((await getJob(org, visits[1]!.id)).status).toBe('scheduled')
    expect((await getJob(org, visits[0]!.id)).status).toBe('cancelled')
  })
})

describe('GET /app/jobs/conflicts (the booking form’s overlap warning)', () => {
  it('lists the chosen crew who already have an overlapping job, and no one else', async () => {
    const { org, staff } = await signedIn()
    const [dana, lee] = [await teammate(org, { name: 'Dana Reyes' }), await teammate(org, { name: 'Lee Park' })]
    const cleaning = await service(org, 'Cleaning', 10_000, 120)
    const { clientId } = await clientWithRental(org)
    // Dana works 9:00–11:00 local on May 6.
    const busy = await book(org, {
      org_client_id: clientId,
      start_at: '2031-05-06T16:00:00Z',
      end_at: '2031-05-06T18:00:00Z',
      assigned_to: [dana],
    })
    const ask = (q: string) => staff.get(`/app/jobs/conflicts?${q}`, HX)

    const overlap = await ask(
      `start=2031-05-06T10:30&duration_minutes=60&assigned_to=${dana}&assigned_to=${lee}&_csrf=x`,
    )
    expect(overlap.status).toBe(200)
    const html = await overlap.text()
    expect(html).toContain('data-testid="conflict-warning"')
    expect(html).toContain('Dana Reyes')
    expect(html).not.toContain('Lee Park')
    expect(html).toContain(`href="/app/jobs/${busy.id}"`)
    expect(html).toContain('Ann, 9:00 AM–11:00 AM')

    // 8:00 with the service's two hours reaches into Dana's job; 11:00 on does not; Lee alone never.
    expect(await (await ask(`start=2031-05-06T08:00&service_id=${cleaning}&assigned_to=${dana}`)).text()).toContain(
      'Dana Reyes',
    )
    expect(await (await ask(`start=2031-05-06T11:00&duration_minutes=60&assigned_to=${dana}`)).text()).toBe('')
    expect(await (await ask(`start=2031-05-06T10:00&assigned_to=${lee}`)).text()).toBe('')
    // The job being edited is not its own overlap; a cancelled job overlaps nothing.
    expect(await (await ask(`start=2031-05-06T10:00&assigned_to=${dana}&exclude=${busy.id}`)).text()).toBe('')
    await api(org, 'PATCH', `/api/v1/jobs/${busy.id}`, { status: 'cancelled' })
    expect(await (await ask(`start=2031-05-06T10:00&assigned_to=${dana}`)).text()).toBe('')
    expect(await (await ask(`start=&assigned_to=${dana}`)).text()).toBe('') // not filled in yet
  })

  it("never shows another business's jobs or people", async () => {
    const { staff } = await signedIn()
    const theirs = await createOrg()
    const theirTech = await teammate(theirs, { name: 'Their Tech' })
    const { clientId } = await clientWithRental(theirs)
    await book(theirs, { org_client_id: clientId, start_at: '2031-05-06T16:00:00Z', assigned_to: [theirTech] })
    const res = await staff.get(`/app/jobs/conflicts?start=2031-05-06T09:00&assigned_to=${theirTech}`, HX)
    expect([res.status, await res.text()]).toEqual([200, ''])
  })
})

describe('the booking form: crew, repeats and confirmation', () => {
  it('books a repeating visit with a crew, and without a confirmation when the box is unticked', async () => {
    const { org, staff, csrf } = await signedIn()
    const dana = await teammate(org, { name: 'Dana Reyes' })
    const client = await createClient(org, { first_name: 'Bo', phone: '(415) 555-0133' })
    const form = await (await staff.get('/app/jobs/new?date=2031-05-13')).text()
    expect(form).toMatch(new RegExp(`name="assigned_to" value="${dana}"[^>]*/?>[\\s\\S]*Dana Reyes`))
    expect(form).toContain('hx-get="/app/jobs/conflicts"')
    for (const text of ['Monthly on the same weekday (the 2nd Tuesday)', 'Monthly on the same date (day 13)'])
      expect(form).toContain(text)
    expect(form).toMatch(/name="notify" value="1" checked/)
    const res = await staff.post('/app/jobs', {
      _csrf: csrf,
      client_mode: 'existing',
      org_client_id: client.org_client_id,
      start: '2031-05-13T09:00',
      duration_minutes: '60',
      assigned_to: dana,
      crew_shown: '1',
      repeats: 'monthly_weekday',
      ends: 'after',
      ends_count: '3',
      notify_shown: '1',
    })
    expect(res.status).toBe(303)
    const jobs = await jobsOf(org, client.org_client_id)
    // The second Tuesday of May, June and July, 9:00 local.
    expect(jobs.map((j) => j.start_at)).toEqual([
      '2031-05-13T16:00:00.000Z',
      '2031-06-10T16:00:00.000Z',
      '2031-07-08T16:00:00.000Z',
    ])
    expect(jobs.every((j) => j.series_id !== null && j.assigned_to.includes(dana))).toBe(true)
    expect((await messagesOf(org)).filter((m) => m.purpose === 'confirmation')).toEqual([])

    // Ticked (the default), the client is told.
    const told = await staff.post('/app/jobs', {
      _csrf: csrf,
      client_mode: 'existing',
      org_client_id: client.org_client_id,
      start: '2031-08-01T09:00',
      notify_shown: '1',
      notify: '1',
    })
    expect(told.status).toBe(303)
    expect((await messagesOf(org)).filter((m) => m.purpose === 'confirmation')).toHaveLength(1)
  })

  it('opens at a free slot picked elsewhere (date and time), and loads the CRM availability of that day', async () => {
    const { staff } = await signedIn()
    const html = await (await staff.get('/app/jobs/new?date=2031-03-04&time=14:30')).text()
    expect(html).toContain('value="2031-03-04T14:30"')
    expect(html).toContain('hx-get="/app/schedule/availability?date=2031-03-04"')
    // A time that is not a time falls back to 9:00.
    expect(await (await staff.get('/app/jobs/new?date=2031-03-04&time=25:99')).text()).toContain(
      'value="2031-03-04T09:00"',
    )
  })

  it('comes back 422 with the repeat error beside its field, and books nothing', async () => {
    const { org, staff, csrf } = await signedIn()
    const client = await createClient(org, { first_name: 'Cy', email: `cy-${unique()}@example.com` })
    const res = await staff.post(
      '/app/jobs',
      {
        _csrf: csrf,
        client_mode: 'existing',
        org_client_id: client.org_client_id,
        start: '2031-05-13T09:00',
        repeats: 'every_n_weeks',
        every_weeks: '13',
        ends: 'on',
        ends_on: '2031-06-01',
      },
      HX,
    )
    expect(res.status).toBe(422)
    const html = await res.text()
    expect(html).toMatch(/id="f-every_weeks-error">Enter a number of weeks from 1 to 12\./)
    expect(html).toContain('<option value="every_n_weeks" selected')
    expect((await (await api(org, 'GET', '/api/v1/jobs')).json<{ items: Job[] }>()).items).toEqual([])
  })
})

describe('readRecurrence and readNotify (the repeat and confirmation fields)', () => {
  const start = '2031-05-13T09:00' // the second Tuesday of May
  it('maps each choice to the API’s recurrence', () => {
    const read = (v: Record<string, string>) => readRecurrence({ start, ...v })
    expect(read({})).toEqual({ errors: {} })
    expect(read({ repeats: 'never', ends: 'after', ends_count: '4' })).toEqual({ errors: {} })
    expect(read({ repeats: 'weekly' })).toEqual({ recurrence: { freq: 'weekly' }, errors: {} })
    expect(read({ repeats: 'every_2_weeks' }).recurrence).toEqual({ freq: 'weekly', interval: 2 })
    expect(read({ repeats: 'every_n_weeks', every_weeks: '3' }).recurrence).toEqual({ freq: 'weekly', interval: 3 })
    expect(read({ repeats: 'monthly_day' }).recurrence).toEqual({ freq: 'monthly' })
    expect(read({ repeats: 'monthly_weekday' }).recurrence).toEqual({ freq: 'monthly', by_weekday: ['2TU'] })
    expect(readRecurrence({ start: '2031-05-30T09:00', repeats: 'monthly_weekday' }).recurrence).toEqual({
      freq: 'monthly',
      by_weekday: ['-1FR'],
    })
    const ending = [
      read({ repeats: 'weekly', ends: 'after', ends_count: '10' }),
      read({ repeats: 'monthly_day', ends: 'on', ends_on: '2031-12-31' }),
    ]
    expect(ending.map((r) => r.recurrence)).toEqual([
      { freq: 'weekly', count: 10 },
      { freq: 'monthly', until: '2031-12-31' },
    ])
    expect(read({ repeats: 'weekly', ends: 'never', ends_count: '5' }).recurrence).toEqual({ freq: 'weekly' })
  })

  it('says what is wrong, by field, and reads an unticked confirmation box as notify:false', () => {
    const read = (v: Record<string, string>) => readRecurrence({ start, ...v }).errors
    expect(read({ repeats: 'every_n_weeks', every_weeks: '0' })).toEqual({
      every_weeks: 'Enter a number of weeks from 1 to 12.',
    })
    expect(read({ repeats: 'every_n_weeks', every_weeks: '2.5' })).toHaveProperty('every_weeks')
    expect(read({ repeats: 'weekly', ends: 'after', ends_count: '201' })).toEqual({
      ends_count: 'Enter a number of visits from 1 to 200.',
    })
    expect(read({ repeats: 'weekly', ends: 'on', ends_on: '2031-02-30' })).toEqual({
      ends_on: 'Pick the date of the last visit.',
    })
    expect(read({ repeats: 'weekly', ends: 'on', ends_on: '2031-05-01' })).toEqual({
      ends_on: 'Pick a date on or after the first visit.',
    })
    expect(read({ repeats: 'yearly' })).toEqual({ repeats: 'Choose how often the visit repeats.' })
    expect(read({ repeats: 'weekly', ends: 'sometime' })).toEqual({ ends: 'Choose when the visits stop.' })
    // Shown and unticked: false; ticked, or a form without the box: the API's default (send).
    expect(readNotify({ notify_shown: '1' })).toBe(false)
    expect(readNotify({ notify_shown: '1', notify: '1' })).toBeUndefined()
    expect(readNotify({})).toBeUndefined()
  })
})
