/** POST /app/schedule/move: a job dropped on another day, time or person's column, moved in the business's zone. */
import { describe, expect, it } from 'vitest'
import { Staff } from './helpers/browserless'
import { teammate } from './helpers/team'
import { api, createClient, createOrg, type TestOrg, unique } from './helpers/factories'

const HX = { 'hx-request': 'true' }

type Job = { id: string; start_at: string; end_at: string | null; assigned_to: string[]; status: string }

/** A business in Chicago with its owner signed in, and the session's CSRF token. */
async function signedIn() {
  const org = await createOrg({ timezone: 'America/Chicago' })
  const staff = new Staff()
  await staff.post('/login', { email: org.email, password: org.password })
  return { org, staff, csrf: await staff.csrfToken() }
}

/** Ivy Moss's job at 9:00–10:30 on Wednesday, April 2, 2031 in Chicago, worked by `crew`. */
async function booked(org: TestOrg, crew: string[] = []) {
  const client = await createClient(org, { first_name: 'Ivy', last_name: 'Moss', email: `ivy-${unique()}@example.com` })
  const res = await api(org, 'POST', '/api/v1/jobs', {
    org_client_id: client.org_client_id,
    start_at: '2031-04-02T14:00:00Z',
    end_at: '2031-04-02T15:30:00Z',
    assigned_to: crew,
  })
  expect(res.status).toBe(201)
  return (await res.json<{ job: Job }>()).job
}

const jobOf = async (org: TestOrg, id: string) => (await api(org, 'GET', `/api/v1/jobs/${id}`)).json<Job>()

/** The move form as calendar.js sends it from the week of April 2. */
const move = (csrf: string, jobId: string, startAt: string, more: Record<string, string> = {}) => ({
  _csrf: csrf,
  job_id: jobId,
  start_at: startAt,
  person: '',
  view: 'week',
  date: '2031-04-02',
  filter: '',
  ...more,
})

describe('POST /app/schedule/move', () => {
  it('moves a job to another day and time on the business’s clock, its end with it, and shows it there', async () => {
    const { org, staff, csrf } = await signedIn()
    const job = await booked(org)
    const res = await staff.post('/app/schedule/move', move(csrf, job.id, '2031-04-03T13:15'))
    expect(res.status).toBe(303)
    expect(res.headers.get('location')).toBe(`/app/schedule?week=2031-04-03&moved=${job.id}`)
    expect(await jobOf(org, job.id)).toMatchObject({
      start_at: '2031-04-03T18:15:00.000Z',
      end_at: '2031-04-03T19:45:00.000Z',
    })
    const html = await (await staff.get(res.headers.get('location')!)).text()
    expect(html).toContain('Moved Ivy Moss to Thu, Apr 3, 1:15 PM.')
    const thursday = html.slice(html.indexOf('data-date="2031-04-03"'), html.indexOf('data-date="2031-04-04"'))
    expect(thursday).toMatch(/is-new" data-job="[^"]+" data-local="2031-04-03T13:15"/)
  })

  it('answers htmx with the calendar it was moved on, the job in its new place, or where it went', async () => {
    const { org, staff, csrf } = await signedIn()
    const job = await booked(org)
    const res = await staff.post('/app/schedule/move', move(csrf, job.id, '2031-04-04T08:00'), HX)
    expect(res.status).toBe(200)
    const html = await res.text()
    expect(html.startsWith('<div id="calendar"')).toBe(true)
    expect(html).toContain('Moved Ivy Moss to Fri, Apr 4, 8:00 AM.')
    const friday = html.slice(html.indexOf('data-date="2031-04-04"'), html.indexOf('data-date="2031-04-05"'))
    expect(friday).toContain(`data-job="${job.id}"`)
    expect(html.slice(0, html.indexOf('data-date="2031-04-04"'))).not.toContain(`data-job="${job.id}"`)

    // Into the next week: off this calendar, so the notice says where and links there.
    const away = await (await staff.post('/app/schedule/move', move(csrf, job.id, '2031-04-08T08:00'), HX)).text()
    expect(away).toContain('Moved to Tue, Apr 8, 8:00 AM.')
    expect(away).toContain('href="/app/schedule?week=2031-04-08"')
    expect(away).not.toContain(`data-job="${job.id}"`)
  })

  it("makes the job that person's when dropped in their column; unassigned empties the crew; no person keeps it", async () => {
    const { org, staff, csrf } = await signedIn()
    const [dana, lee] = [await teammate(org, { name: 'Dana Lee' }), await teammate(org, { name: 'Lee Park' })]
    const job = await booked(org, [dana, lee])
    const day = { view: 'day', date: '2031-04-02' }
    // Made on Dana's own day view, the move takes the job off it: the notice says where it went.
    const fromDanas = await staff.post(
      '/app/schedule/move',
      move(csrf, job.id, '2031-04-02T11:00', { ...day, filter: dana, person: lee }),
      HX,
    )
    expect(fromDanas.status).toBe(200)
    const danas = await fromDanas.text()
    expect(danas).toContain('Moved to Wed, Apr 2, 11:00 AM.')
    expect(danas).not.toContain(`data-job="${job.id}"`)
    expect(await jobOf(org, job.id)).toMatchObject({ assigned_to: [lee], start_at: '2031-04-02T16:00:00.000Z' })
    expect((await staff.post('/app/schedule/move', move(csrf, job.id, '2031-04-02T12:00', day))).status).toBe(303)
    expect((await jobOf(org, job.id)).assigned_to).toEqual([lee])
    const html = await (
      await staff.post(
        '/app/schedule/move',
        move(csrf, job.id, '2031-04-02T12:00', { ...day, person: 'unassigned' }),
        HX,
      )
    ).text()
    expect((await jobOf(org, job.id)).assigned_to).toEqual([])
    const unassigned = html.slice(html.indexOf('data-person="unassigned"'))
    expect(unassigned.slice(0, unassigned.indexOf('</section>'))).toContain(`data-job="${job.id}"`)
  })

  it('refuses a move into the past unless it is confirmed, keeping what was asked', async () => {
    const { org, staff, csrf } = await signedIn()
    const job = await booked(org)
    const res = await staff.post('/app/schedule/move', move(csrf, job.id, '2020-07-01T10:00'), HX)
    expect(res.status).toBe(422)
    const html = await res.text()
    expect(html).toContain('That time is in the past. Tick the box to move the visit there anyway.')
    expect(html).toMatch(/<dialog id="move-dialog" class="move-dialog" open=""/)
    expect(html).toContain('name="allow_past"')
    expect(html).toContain('value="2020-07-01T10:00"')
    expect(html).toContain(`name="job_id" value="${job.id}"`)
    expect((await jobOf(org, job.id)).start_at).toBe('2031-04-02T14:00:00.000Z')

    const confirmed = await staff.post(
      '/app/schedule/move',
      move(csrf, job.id, '2020-07-01T10:00', { allow_past: 'on' }),
    )
    expect(confirmed.status).toBe(303)
    expect((await jobOf(org, job.id)).start_at).toBe('2020-07-01T15:00:00.000Z')
  })

  it('refuses to move a finished job (409) and asks for a time when none is given (422)', async () => {
    const { org, staff, csrf } = await signedIn()
    const job = await booked(org)
    await api(org, 'PATCH', `/api/v1/jobs/${job.id}`, { status: 'completed' })
    const done = await staff.post('/app/schedule/move', move(csrf, job.id, '2031-04-03T09:00'), HX)
    expect(done.status).toBe(409)
    expect(await done.text()).toContain('A completed job cannot be moved.')
    const blank = await staff.post('/app/schedule/move', move(csrf, job.id, ''), HX)
    expect(blank.status).toBe(422)
    expect(await blank.text()).toContain('Pick a date and a time.')
    expect((await jobOf(org, job.id)).start_at).toBe('2031-04-02T14:00:00.000Z')
  })

  it("finds no job of another business (404) and gives no job to another business's people; nothing changes", async () => {
    const { org, staff, csrf } = await signedIn()
    const stranger = await signedIn()
    const theirs = await booked(stranger.org)
    const res = await staff.post('/app/schedule/move', move(csrf, theirs.id, '2031-04-03T09:00'))
    expect(res.status).toBe(404)
    expect((await staff.post('/app/schedule/move', move(csrf, theirs.id, '2031-04-03T09:00'), HX)).status).toBe(404)
    expect((await jobOf(stranger.org, theirs.id)).start_at).toBe('2031-04-02T14:00:00.000Z')

    const mine = await booked(org)
    const given = await staff.post(
      '/app/schedule/move',
      move(csrf, mine.id, '2031-04-03T09:00', { person: stranger.org.userId }),
      HX,
    )
    expect(given.status).toBe(422)
    expect(await given.text()).toContain('Pick someone on your team.')
    expect(await jobOf(org, mine.id)).toMatchObject({ start_at: '2031-04-02T14:00:00.000Z', assigned_to: [] })
  })

  it('is refused without the session’s CSRF token, replayed from another session or another site', async () => {
    const { org, staff, csrf } = await signedIn()
    const job = await booked(org)
    const { _csrf: _, ...fields } = move(csrf, job.id, '2031-04-03T09:00')
    expect((await staff.post('/app/schedule/move', fields)).status).toBe(403)
    // Another session's token does not do either.
    const other = await signedIn()
    expect((await staff.post('/app/schedule/move', move(other.csrf, job.id, '2031-04-03T09:00'))).status).toBe(403)
    // Nor a form posted from another site.
    const foreign = await staff.post('/app/schedule/move', move(csrf, job.id, '2031-04-03T09:00'), {
      origin: 'https://evil.example',
    })
    expect(foreign.status).toBe(403)
    expect((await jobOf(org, job.id)).start_at).toBe('2031-04-02T14:00:00.000Z')
  })
})
