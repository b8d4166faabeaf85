/** The schedule's day, week and month views: jobs on their day and hour in the business's zone, per person, flagged. */
import { describe, expect, it } from 'vitest'
import { addDays, localDate, zonedTimeToUtc } from '../src/time'
import { Staff } from './helpers/browserless'
import { teammate } from './helpers/team'
import { api, createClient, createOrg, type TestOrg, unique } from './helpers/factories'
import { bookJob, Homeowner, portalPath } from './helpers/portal'

const HX = { 'hx-request': 'true' }

/** A new business in `timezone` with its owner signed in on the pages. */
async function signedIn(timezone: string) {
  const org = await createOrg({ timezone })
  const staff = new Staff()
  await staff.post('/login', { email: org.email, password: org.password })
  return { org, staff }
}

/** A client named `name` with a job at `start` (UTC), optionally ending at `end`, worked by `crew`. */
async function book(org: TestOrg, name: string, start: string, opts: { end?: string; crew?: string[] } = {}) {
  const [first_name, last_name] = name.split(' ')
  const client = await createClient(org, { first_name, last_name, email: `c-${unique()}@example.com` })
  const res = await api(org, 'POST', '/api/v1/jobs', {
    org_client_id: client.org_client_id,
    start_at: start,
    ...(opts.end ? { end_at: opts.end } : {}),
    ...(opts.crew ? { assigned_to: opts.crew } : {}),
  })
  expect(res.status).toBe(201)
  return (await res.json<{ job: { id: string } }>()).job.id
}

/** The HTML of the column or day (a <section>) whose `attr` is `value`. */
function part(html: string, attr: string, value: string): string {
  const start = html.indexOf(`${attr}="${value}"`)
  expect(start, `${attr}="${value}"`).toBeGreaterThan(-1)
  return html.slice(start, html.indexOf('</section>', start))
}

/** The HTML of one job's card, from the first element naming it to the end of its card. */
function card(html: string, jobId: string): string {
  const at = html.indexOf(`data-job="${jobId}"`)
  expect(at, `job ${jobId}`).toBeGreaterThan(-1)
  const start = html.lastIndexOf('<', at)
  return html.slice(start, html.indexOf('</article>', at) === -1 ? undefined : html.indexOf('</article>', at))
}

const count = (html: string, text: string) => html.split(text).length - 1

/** What a piece of HTML reads as, tags left out. */
const text = (html: string) => html.replace(/<[^>]+>/g, '')

describe('the week view', () => {
  it('puts a job at 23:30 on its local day, places jobs by start and end, and keeps 9:00 at 9:00 across a clock change', async () => {
    const { org, staff } = await signedIn('America/New_York')
    // Clocks go forward on Sunday, March 9, 2031: 9:00 is 14:00 UTC on Saturday and 13:00 UTC on Sunday.
    const before = await book(org, 'Sam Before', '2031-03-08T14:00:00Z', { end: '2031-03-08T15:30:00Z' })
    const after = await book(org, 'Sue After', '2031-03-09T13:00:00Z')
    // 23:30 on Sunday in New York is Monday in UTC.
    const late = await book(org, 'Nat Late', '2031-03-10T03:30:00Z')

    const html = await (await staff.get('/app/schedule?week=2031-03-05')).text()
    expect(html).toContain('Mar 3, 2031 – Mar 9, 2031')
    expect(html).toContain('href="/calendar.css"')
    expect(html).toContain('src="/calendar.js"')
    const saturday = part(html, 'data-date', '2031-03-08')
    const sunday = part(html, 'data-date', '2031-03-09')
    expect(card(saturday, before)).toMatch(/9:00 AM[\s\S]*Sam Before/)
    // Six in the morning is the top of the grid: 9:00 is 180 minutes down, 90 minutes long.
    expect(card(saturday, before)).toContain('--t:180;--l:90;')
    expect(card(sunday, after)).toMatch(/9:00 AM[\s\S]*Sue After/)
    expect(card(sunday, after)).toContain('--t:180;--l:60;')
    expect(card(sunday, late)).toMatch(/11:30 PM[\s\S]*Nat Late/)
    // After the grid's last hour: drawn at its bottom edge, marked as later.
    expect(card(sunday, late)).toContain('is-late')
    expect(count(html, `data-job="${late}"`)).toBe(1)
    expect(part(html, 'data-date', '2031-03-07')).not.toContain('Sam Before')

    // The same week by its newer address.
    const same = await (await staff.get('/app/schedule?view=week&date=2031-03-03')).text()
    expect(card(part(same, 'data-date', '2031-03-09'), late)).toContain('Nat Late')
  })

  it('sets overlapping jobs side by side, flags a crew overlap with "Overlaps" and strikes through a cancelled job', async () => {
    const { org, staff } = await signedIn('America/Chicago')
    const dana = await teammate(org, { name: 'Dana Lee', color: '#aa3300' })
    const long = await book(org, 'Al Long', '2031-04-02T15:00:00Z', { end: '2031-04-02T17:00:00Z', crew: [dana] })
    const short = await book(org, 'Bo Short', '2031-04-02T16:00:00Z', { crew: [dana] })
    const alone = await book(org, 'Cy Alone', '2031-04-02T19:00:00Z')
    const off = await book(org, 'Di Off', '2031-04-03T15:00:00Z')
    expect((await api(org, 'PATCH', `/api/v1/jobs/${off}`, { status: 'cancelled' })).status).toBe(200)

    const html = await (await staff.get('/app/schedule?week=2031-04-02')).text()
    expect(card(html, long)).toContain(';--lane:0;--lanes:2')
    expect(card(html, short)).toContain(';--lane:1;--lanes:2')
    expect(card(html, alone)).not.toContain('--lanes')
    expect(text(card(html, long))).toContain('Overlaps another job of the crew')
    expect(card(html, short)).toContain('data-testid="overlap"')
    expect(card(html, alone)).not.toContain('Overlaps')
    expect(count(html, 'data-testid="overlap"')).toBe(2)
    expect(card(html, long)).toContain('title="Dana Lee"')
    expect(card(html, long)).toContain('--c:#aa3300')
    expect(card(html, off)).toContain('job-cancelled')
    // A cancelled job cannot be moved, and is not counted.
    expect(card(html, off)).not.toContain('data-move')
    expect(card(html, off)).not.toContain('draggable="true"')
    expect(html).toMatch(/3 jobs · America\/Chicago/)
  })

  it('answers htmx with the calendar alone, and 400 for a date that does not exist', async () => {
    const { staff } = await signedIn('America/Chicago')
    const res = await staff.get('/app/schedule?view=day&date=2031-04-02', HX)
    expect(res.headers.get('vary')).toContain('HX-Request')
    const html = await res.text()
    expect(html.startsWith('<div id="calendar"')).toBe(true)
    expect(html).not.toContain('<html')
    expect(html).toContain('data-view="day"')
    expect((await staff.get('/app/schedule?view=day&date=2031-02-30')).status).toBe(400)
  })
})

describe('the day view', () => {
  it('has a column per team member and one for jobs nobody works; a crew of two shows in both columns', async () => {
    const { org, staff } = await signedIn('America/Chicago')
    const dana = await teammate(org, { name: 'Dana Lee', color: '#aa3300' })
    const lee = await teammate(org, { name: 'Lee Park' })
    const pair = await book(org, 'Ana Pair', '2031-04-02T14:00:00Z', { end: '2031-04-02T15:30:00Z', crew: [dana, lee] })
    const solo = await book(org, 'Bo Solo', '2031-04-02T18:00:00Z', { crew: [dana] })
    const nobody = await book(org, 'Cy Nobody', '2031-04-02T20:00:00Z')
    await book(org, 'Di Tomorrow', '2031-04-03T14:00:00Z', { crew: [dana] })

    const html = await (await staff.get('/app/schedule?view=day&date=2031-04-02')).text()
    expect(html).toContain('Wed, Apr 2, 2031')
    const danas = part(html, 'data-person', dana)
    const lees = part(html, 'data-person', lee)
    const unassigned = part(html, 'data-person', 'unassigned')
    const owners = part(html, 'data-person', org.userId)
    expect(danas).toContain('Dana Lee')
    expect(danas).toContain('background:#aa3300')
    expect(danas).toContain(`data-job="${pair}"`)
    expect(danas).toContain(`data-job="${solo}"`)
    expect(danas).not.toContain('Cy Nobody')
    expect(lees).toContain(`data-job="${pair}"`)
    expect(lees).not.toContain('Bo Solo')
    expect(unassigned).toContain(`data-job="${nobody}"`)
    expect(unassigned).not.toContain('Ana Pair')
    expect(owners).not.toContain('data-job=')
    // A drop on a column names its person.
    expect(danas).toContain(`data-drop-person="${dana}"`)
    expect(card(danas, pair)).toContain('--t:180;--l:90;')
    expect(html).not.toContain('Di Tomorrow')

    // The agenda phones show lists each job once, in time order: time, client, service, crew.
    const agenda = html.slice(html.indexOf('data-testid="agenda"'))
    expect(count(agenda, 'data-job=')).toBe(3)
    expect(agenda).toMatch(/9:00 AM – 10:30 AM[\s\S]*Ana Pair[\s\S]*1:00 PM – 2:00 PM[\s\S]*Bo Solo[\s\S]*Cy Nobody/)
  })

  it("filters any view to one person's jobs with &person=, and a stranger's person is not found", async () => {
    const { org, staff } = await signedIn('America/Chicago')
    const dana = await teammate(org, { name: 'Dana Lee' })
    const lee = await teammate(org, { name: 'Lee Park' })
    await book(org, 'Ana Pair', '2031-04-02T14:00:00Z', { crew: [dana, lee] })
    await book(org, 'Bo Solo', '2031-04-02T18:00:00Z', { crew: [dana] })
    await book(org, 'Cy Nobody', '2031-04-02T20:00:00Z')
    await book(org, 'Di Later', '2031-04-04T14:00:00Z', { crew: [dana] })

    const day = await (await staff.get(`/app/schedule?view=day&date=2031-04-02&person=${lee}`)).text()
    expect(day).toContain(`data-person="${lee}"`)
    expect(day).not.toContain(`data-person="${dana}"`)
    expect(day).not.toContain('data-person="unassigned"')
    expect(day).toContain('Ana Pair')
    expect(day).not.toContain('Bo Solo')
    // Links keep the filter.
    expect(day).toContain(`href="/app/schedule?week=2031-04-02&amp;person=${lee}"`)

    const week = await (await staff.get(`/app/schedule?week=2031-04-02&person=${dana}`)).text()
    for (const name of ['Ana Pair', 'Bo Solo', 'Di Later']) expect(week).toContain(name)
    expect(week).not.toContain('Cy Nobody')
    const unassigned = await (await staff.get('/app/schedule?week=2031-04-02&person=unassigned')).text()
    expect(unassigned).toContain('Cy Nobody')
    expect(unassigned).not.toContain('Ana Pair')

    const stranger = await createOrg()
    expect((await staff.get(`/app/schedule?view=day&date=2031-04-02&person=${stranger.userId}`)).status).toBe(404)
  })
})

describe('the month view', () => {
  it('shows each day with its job count and first jobs, "+N more" opening that day', async () => {
    const { org, staff } = await signedIn('America/Denver')
    // May 14, 2031, 8:00–12:00 in Denver (UTC-6): five jobs.
    for (let h = 14; h <= 18; h++) await book(org, `Busy Client${h}`, `2031-05-14T${h}:00:00Z`)
    await book(org, 'One Job', '2031-05-02T16:00:00Z')
    const off = await book(org, 'Off Job', '2031-05-02T18:00:00Z')
    await api(org, 'PATCH', `/api/v1/jobs/${off}`, { status: 'cancelled' })
    // 23:30 on May 31 in Denver is June 1 in UTC: still May.
    await book(org, 'Last Night', '2031-06-01T05:30:00Z')

    const html = await (await staff.get('/app/schedule?view=month&date=2031-05-20')).text()
    expect(html).toContain('May 2031')
    // May 1, 2031 is a Thursday: three blank days before it.
    const grid = html.slice(html.indexOf('class="month-grid"'))
    expect(grid.indexOf('data-date="2031-05-01"')).toBeGreaterThan(-1)
    expect(count(grid.slice(0, grid.indexOf('data-date="2031-05-01"')), 'is-blank')).toBe(3)
    const busy = part(html, 'data-date', '2031-05-14')
    expect(busy).toContain('5 jobs')
    expect(count(busy, 'data-job=')).toBe(3)
    expect(busy).toMatch(/8:00 AM[\s\S]*9:00 AM[\s\S]*10:00 AM/)
    expect(busy).toContain('href="/app/schedule?view=day&amp;date=2031-05-14">+2 more</a>')
    const second = part(html, 'data-date', '2031-05-02')
    expect(second).toContain('1 job<')
    expect(second).toContain('job-cancelled')
    expect(part(html, 'data-date', '2031-05-31')).toContain('Last Night')
    expect(html).not.toContain('data-date="2031-06-01"')
  })
})

describe('the unscheduled panel', () => {
  it("lists the business's open reschedule requests and blocked jobs, each linking to its job page", async () => {
    const { org, staff } = await signedIn('America/Los_Angeles')
    const tz = 'America/Los_Angeles'
    const today = localDate(new Date(), tz)
    const blocked = await book(org, 'Gil Blocked', zonedTimeToUtc(addDays(today, 3), '10:00', tz).toISOString())
    expect((await api(org, 'PATCH', `/api/v1/jobs/${blocked}`, { status: 'blocked' })).status).toBe(200)
    const client = await createClient(org, { first_name: 'Hana', phone: '(415) 555-0142' })
    const visit = await bookJob(
      org,
      client.org_client_id,
      zonedTimeToUtc(addDays(today, 10), '09:00', tz).toISOString(),
    )
    const asked = await new Homeowner().post(
      `${await portalPath(org, client.org_client_id)}/jobs/${visit}/reschedule`,
      {
        first: `${addDays(today, 12)}T09:00`,
        second: `${addDays(today, 13)}T14:30`,
      },
    )
    expect(asked.status).toBe(303)

    const html = await (await staff.get('/app/schedule')).text()
    const start = html.indexOf('data-testid="unscheduled"')
    const panel = html.slice(start, html.indexOf('</details>', start))
    expect(panel).toMatch(/Unscheduled <span class="badge">2<\/span>/)
    expect(panel).toMatch(/Hana<\/strong> asks for another time[\s\S]*href="\/app\/jobs\/[^"]+"/)
    expect(panel).toContain(`href="/app/jobs/${visit}"`)
    expect(panel).toContain('Gil Blocked')
    expect(panel).toContain(`href="/app/jobs/${blocked}"`)

    // Another business sees none of it.
    const other = await signedIn('America/Los_Angeles')
    expect(await (await other.staff.get('/app/schedule')).text()).not.toContain('data-testid="unscheduled"')
  })
})
