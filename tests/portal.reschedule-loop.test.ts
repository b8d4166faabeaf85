/**
 * The reschedule loop's other ends: the homeowner told by email when they cannot be texted, and a
 * request closed (and its homeowner told once) when staff move the visit to a time of their own,
 * by API, calendar or job page.
 */
import { describe, expect, it } from 'vitest'
import { Staff } from './helpers/browserless'
import { api, createOrg, type TestOrg } from './helpers/factories'
import { messagesOf, runDueAt } from './helpers/messaging'
import { bookJob, businessWithClient, Homeowner, portalPath } from './helpers/portal'

const VISIT = '2030-06-10T19:00:00Z'
const HX = { 'hx-request': 'true' }

type Task = { id: string; job_id: string; preferred_times: string[] }

const openTasks = async (org: TestOrg) =>
  (await (await api(org, 'GET', '/api/v1/tasks')).json<{ items: Task[] }>()).items
const startOf = async (org: TestOrg, jobId: string) =>
  (await (await api(org, 'GET', `/api/v1/jobs/${jobId}`)).json<{ start_at: string }>()).start_at

/** A client of the business asks, from the portal, for 9:00 on Jun 12 or 14:30 on Jun 13 (Los Angeles). */
async function requested(name: string) {
  const { org, client, email } = await businessWithClient(name, { first_name: 'Dana' })
  const jobId = await bookJob(org, client.org_client_id, VISIT, { notify: false })
  const path = await portalPath(org, client.org_client_id)
  const asked = await new Homeowner().post(`${path}/jobs/${jobId}/reschedule`, {
    first: '2030-06-12T09:00',
    second: '2030-06-13T14:30',
  })
  expect(asked.status).toBe(303)
  const [task] = await openTasks(org)
  expect(task!.job_id).toBe(jobId)
  return { org, client, email, jobId, task: task! }
}

async function signIn(org: TestOrg) {
  const staff = new Staff()
  await staff.post('/login', { email: org.email, password: org.password })
  return { staff, csrf: await staff.csrfToken() }
}

const optOut = (org: TestOrg, clientId: string, consents: Record<string, boolean>) =>
  api(org, 'POST', `/api/v1/clients/${clientId}/consents`, { ...consents, reason: 'asked by phone' })

describe('accepting a request tells a homeowner who cannot be texted', () => {
  it('by email when they opted out of texts', async () => {
    const { org, client, email, task } = await requested('Email Accept Co')
    await optOut(org, client.org_client_id, { sms_opt_in: false })
    const res = await api(org, 'POST', `/api/v1/tasks/${task.id}/accept`, { start_at: task.preferred_times[0] })
    expect(res.status).toBe(200)
    const { told } = await res.json<{ told: { message_id?: string } }>()
    const [sent] = await messagesOf(org, '?purpose=reschedule_accepted')
    expect(sent).toMatchObject({ id: told.message_id, channel: 'email', to: email })
    expect(sent!.body).toContain('your visit is now on Wed, Jun 12 at 9:00 AM')
    expect(await messagesOf(org, '?channel=sms&purpose=reschedule_accepted')).toEqual([])
  })
})

describe('moving a visit by hand answers the open request', () => {
  it('by API: closes the request and texts the homeowner the new time, once', async () => {
    const { org, client, jobId } = await requested('Patch Move Co')
    const res = await api(org, 'PATCH', `/api/v1/jobs/${jobId}`, { start_at: '2030-06-14T17:00:00Z' })
    expect(res.status).toBe(200)
    expect(await openTasks(org)).toEqual([])
    const told = await messagesOf(org, '?purpose=reschedule_moved')
    expect(told).toHaveLength(1)
    expect(told[0]).toMatchObject({ channel: 'sms' })
    expect(told[0]!.body).toContain('your visit is now on Fri, Jun 14 at 10:00 AM')

    // A later move has no request to answer: the homeowner is not told again by this loop.
    expect((await api(org, 'PATCH', `/api/v1/jobs/${jobId}`, { start_at: '2030-06-15T17:00:00Z' })).status).toBe(200)
    expect(await messagesOf(org, '?purpose=reschedule_moved')).toHaveLength(1)
    // Nor is any other message about it beyond that one (the client has no other).
    expect((await messagesOf(org, `?org_client_id=${client.org_client_id}`)).map((m) => m.purpose)).toEqual([
      'reschedule_moved',
    ])
  })

  it('by API: emails a homeowner who opted out of texts, and tells nobody who opted out of both', async () => {
    const first = await requested('Email Move Co')
    await optOut(first.org, first.client.org_client_id, { sms_opt_in: false })
    await api(first.org, 'PATCH', `/api/v1/jobs/${first.jobId}`, { start_at: '2030-06-14T17:00:00Z' })
    expect(await messagesOf(first.org, '?purpose=reschedule_moved')).toMatchObject([
      { channel: 'email', to: first.email },
    ])

    const second = await requested('Silent Move Co')
    await optOut(second.org, second.client.org_client_id, { sms_opt_in: false, email_opt_in: false })
    await api(second.org, 'PATCH', `/api/v1/jobs/${second.jobId}`, { start_at: '2030-06-14T17:00:00Z' })
    expect(await openTasks(second.org)).toEqual([])
    expect(await messagesOf(second.org, '?purpose=reschedule_moved')).toEqual([])
  })

  it('a notice held for quiet hours says the time the visit has when it goes, after another move', async () => {
    const { org, jobId } = await requested('Night Move Co')
    await api(org, 'PATCH', '/api/v1/organization', { quiet_hours: { start: '00:00', end: '23:59' } })
    await api(org, 'PATCH', `/api/v1/jobs/${jobId}`, { start_at: '2030-06-14T17:00:00Z' })
    const [held] = await messagesOf(org, '?purpose=reschedule_moved')
    expect(held).toMatchObject({ status: 'deferred' })
    expect(held!.body).toContain('your visit is now on Fri, Jun 14 at 10:00 AM')

    // Moved again before the notice went: it says the new time, and it is still the one notice.
    await api(org, 'PATCH', `/api/v1/jobs/${jobId}`, { start_at: '2030-06-15T17:00:00Z' })
    const told = await messagesOf(org, '?purpose=reschedule_moved')
    expect(told).toHaveLength(1)
    expect(told[0]).toMatchObject({ id: held!.id, status: 'deferred' })
    expect(told[0]!.body).toContain('your visit is now on Sat, Jun 15 at 10:00 AM')
    expect(told[0]!.body).not.toContain('Jun 14')

    // Another business moving its own visit does not touch this business's notice.
    const other = await requested('Other Night Co')
    await api(other.org, 'PATCH', `/api/v1/jobs/${other.jobId}`, { start_at: '2030-06-16T17:00:00Z' })
    expect((await messagesOf(org, '?purpose=reschedule_moved'))[0]!.body).toContain('Sat, Jun 15')
    // Nor can it move this one.
    expect((await api(other.org, 'PATCH', `/api/v1/jobs/${jobId}`, { start_at: '2030-06-17T17:00:00Z' })).status).toBe(
      404,
    )
    expect((await messagesOf(org, '?purpose=reschedule_moved'))[0]!.body).toContain('Sat, Jun 15')
  })

  it('a notice held for quiet hours is not sent for a visit cancelled meanwhile, and is sent for one still on', async () => {
    const cancelled = await requested('Night Cancel Co')
    const kept = await requested('Night Keep Co')
    for (const { org, jobId } of [cancelled, kept]) {
      await api(org, 'PATCH', '/api/v1/organization', { quiet_hours: { start: '00:00', end: '23:59' } })
      await api(org, 'PATCH', `/api/v1/jobs/${jobId}`, { start_at: '2030-06-14T17:00:00Z' })
      expect(await messagesOf(org, '?purpose=reschedule_moved')).toMatchObject([{ status: 'deferred' }])
    }
    await api(cancelled.org, 'PATCH', `/api/v1/jobs/${cancelled.jobId}`, { status: 'cancelled' })
    for (const { org } of [cancelled, kept]) {
      // Morning: quiet hours over, the held notices' time comes.
      await api(org, 'PATCH', '/api/v1/organization', { quiet_hours: { start: '00:00', end: '00:00' } })
      const [held] = await messagesOf(org, '?purpose=reschedule_moved')
      await runDueAt(org, new Date(Date.parse(held!.send_after!) + 60_000))
    }
    expect(await messagesOf(cancelled.org, '?purpose=reschedule_moved')).toMatchObject([
      { status: 'skipped', reason: 'job_cancelled' },
    ])
    expect((await messagesOf(kept.org, '?purpose=reschedule_moved'))[0]!.status).not.toBe('skipped')
  })

  it('a held "as you asked" notice of an accepted request no longer says so once staff move the visit again', async () => {
    const { org, task, jobId } = await requested('Night Accept Co')
    await api(org, 'PATCH', '/api/v1/organization', { quiet_hours: { start: '00:00', end: '23:59' } })
    expect(
      (await api(org, 'POST', `/api/v1/tasks/${task.id}/accept`, { start_at: task.preferred_times[0] })).status,
    ).toBe(200)
    const [held] = await messagesOf(org, '?purpose=reschedule_accepted')
    expect(held).toMatchObject({ status: 'deferred' })
    expect(held!.body).toContain('your visit is now on Wed, Jun 12 at 9:00 AM, as you asked')

    await api(org, 'PATCH', `/api/v1/jobs/${jobId}`, { start_at: '2030-06-15T17:00:00Z' })
    const [told] = await messagesOf(org, '?purpose=reschedule_accepted')
    expect(told!.id).toBe(held!.id)
    expect(told!.body).toContain('your visit is now on Sat, Jun 15 at 10:00 AM.')
    expect(told!.body).not.toContain('as you asked')
  })

  it('an edit that leaves the time as it was keeps the request open and tells nobody', async () => {
    const { org, jobId } = await requested('Notes Only Co')
    await api(org, 'PATCH', `/api/v1/jobs/${jobId}`, { notes: 'Gate code 4411' })
    await api(org, 'PATCH', `/api/v1/jobs/${jobId}`, { start_at: VISIT, price_cents: 9000 })
    expect(await openTasks(org)).toHaveLength(1)
    expect(await messagesOf(org, '?purpose=reschedule_moved')).toEqual([])
  })

  it('from the calendar: a dragged visit closes the request and tells the homeowner', async () => {
    const { org, jobId } = await requested('Drag Move Co')
    const { staff, csrf } = await signIn(org)
    const res = await staff.post(
      '/app/schedule/move',
      {
        _csrf: csrf,
        job_id: jobId,
        start_at: '2030-06-11T08:30',
        person: '',
        view: 'week',
        date: '2030-06-10',
        filter: '',
      },
      HX,
    )
    expect(res.status).toBe(200)
    expect(await startOf(org, jobId)).toBe('2030-06-11T15:30:00.000Z')
    expect(await openTasks(org)).toEqual([])
    const [told] = await messagesOf(org, '?purpose=reschedule_moved')
    expect(told!.body).toContain('your visit is now on Tue, Jun 11 at 8:30 AM')
  })

  it('moving this and the following visits answers a request for a later visit of the series', async () => {
    const { org, client } = await businessWithClient('Series Move Co', { first_name: 'Dana' })
    const booked = await api(org, 'POST', '/api/v1/jobs', {
      org_client_id: client.org_client_id,
      start_at: VISIT,
      recurrence: { freq: 'weekly', count: 3 },
      notify: false,
    })
    const { series_id } = await booked.json<{ series_id: string }>()
    const visits = (
      await (await api(org, 'GET', `/api/v1/jobs?series_id=${series_id}`)).json<{ items: { id: string }[] }>()
    ).items
    const path = await portalPath(org, client.org_client_id)
    await new Homeowner().post(`${path}/jobs/${visits[1]!.id}/reschedule`, {
      first: '2030-06-19T09:00',
      second: '2030-06-20T09:00',
    })
    expect(await openTasks(org)).toHaveLength(1)
    // The first visit and the following ones move a day later, at the same time of day.
    const res = await api(org, 'PATCH', `/api/v1/jobs/${visits[0]!.id}`, {
      start_at: '2030-06-11T19:00:00Z',
      scope: 'following',
    })
    expect(res.status).toBe(200)
    expect(await startOf(org, visits[1]!.id)).toBe('2030-06-18T19:00:00.000Z')
    expect(await openTasks(org)).toEqual([])
    const told = await messagesOf(org, '?purpose=reschedule_moved')
    expect(told).toHaveLength(1)
    expect(told[0]!.body).toContain('your visit is now on Tue, Jun 18 at 12:00 PM')
  })

  it('another business cannot move the visit, and the request stays open with nobody told', async () => {
    const { org, jobId } = await requested('Guarded Move Co')
    const stranger = await createOrg()
    expect((await api(stranger, 'PATCH', `/api/v1/jobs/${jobId}`, { start_at: '2030-06-14T17:00:00Z' })).status).toBe(
      404,
    )
    expect(await startOf(org, jobId)).toBe(new Date(VISIT).toISOString())
    expect(await openTasks(org)).toHaveLength(1)
    expect(await messagesOf(org, '?purpose=reschedule_moved')).toEqual([])
  })
})

describe('the job page shows the request with "Move to …"', () => {
  it('one click moves the visit to that time, closes the request and tells the homeowner', async () => {
    const { org, jobId, task } = await requested('Job Page Move Co')
    const { staff } = await signIn(org)
    const page = await (await staff.get(`/app/jobs/${jobId}`)).text()
    expect(page).toContain('Move to Wed, Jun 12, 9:00 AM')
    // The button's own form, as the page renders it.
    const forms = [...page.matchAll(/<form method="post" action="(\/app\/tasks\/[^"]+\/accept)">([\s\S]*?)<\/form>/g)]
    const form = forms.find((f) => f[2]!.includes('Move to Thu, Jun 13, 2:30 PM'))!
    const field = (name: string) => form[2]!.match(new RegExp(`name="${name}" value="([^"]*)"`))![1]!
    expect(field('back')).toBe(`/app/jobs/${jobId}`)
    const res = await staff.post(form[1]!, { _csrf: field('_csrf'), back: field('back'), time: field('time') })
    expect(res.status).toBe(303)
    expect(res.headers.get('location')).toContain(`/app/jobs/${jobId}`)

    expect(await startOf(org, jobId)).toBe(new Date(task.preferred_times[1]!).toISOString())
    expect(await openTasks(org)).toEqual([])
    const told = await messagesOf(org, '?purpose=reschedule_accepted')
    expect(told).toHaveLength(1)
    expect(told[0]!.body).toContain('your visit is now on Thu, Jun 13 at 2:30 PM, as you asked')
    // Closed by accepting, not by the move under it: one message, not two.
    expect(await messagesOf(org, '?purpose=reschedule_moved')).toEqual([])
    const after = await (await staff.get(`/app/jobs/${jobId}`)).text()
    expect(after).not.toContain('data-testid="open-tasks"')
  })
})
