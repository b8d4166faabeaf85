/**
 * Marking a job complete, and undoing it within ten minutes: the job is scheduled again, journeys its
 * completion started and that have sent nothing are gone, and after ten minutes undo is refused.
 */
import { env, runInDurableObject } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import type { OrgHost } from '../durable-objects/org/host'
import type { OrgObject } from '../durable-objects/org/org-object'
import { orgStub } from '../src/organizations'
import { Staff } from './helpers/browserless'
import { api, createOrg, type TestOrg } from './helpers/factories'
import { createJourney, enrollmentsOf } from './helpers/journeys'
import { bookJob, decideAt, messagesOf, orgWithClient } from './helpers/messaging'

type Job = { id: string; status: string; completed_at: string | null; undo_until: string | null }

const MINUTE = 60_000
const HX = { 'hx-request': 'true' }
/** A visit a week from now, so its reminders are still ahead. */
const nextWeek = () => new Date(Date.now() + 7 * 24 * 60 * MINUTE).toISOString()

/** Runs `fn` with the organization's object's host (its clock), as only a test reaches it. */
function withHost<T>(org: TestOrg, fn: (host: OrgHost) => T) {
  return runInDurableObject(orgStub(env, org.organizationId), (o) => fn((o as OrgObject)['host']))
}

const complete = (org: TestOrg, id: string) => api(org, 'POST', `/api/v1/jobs/${id}/complete`)
const undo = (org: TestOrg, id: string) => api(org, 'POST', `/api/v1/jobs/${id}/undo-complete`)
const getJob = async (org: TestOrg, id: string) => (await api(org, 'GET', `/api/v1/jobs/${id}`)).json<Job>()
const pendingReminders = async (org: TestOrg) =>
  (await (await api(org, 'GET', '/api/v1/reminders?status=pending')).json<{ items: unknown[] }>()).items.length

/** A business with a review link, a review journey on job_completed, and a client with a job next week. */
async function withReviewJourney() {
  const setup = await orgWithClient()
  await api(setup.org, 'PATCH', '/api/v1/organization', { google_review_url: 'https://g.page/r/sparkle/review' })
  const journeyId = await createJourney(setup.org, { steps: [{ type: 'review_request', channel: 'sms' }] })
  const job = await bookJob(setup.org, setup.client.org_client_id, nextWeek())
  return { ...setup, journeyId, job }
}

describe('POST /api/v1/jobs/{id}/complete and /undo-complete', () => {
  it('completes (201, then 200), and undoes within ten minutes: scheduled again, no review request sent', async () => {
    const { org, client, journeyId, job } = await withReviewJourney()
    expect(await pendingReminders(org)).toBe(2)

    const done = await complete(org, job.id)
    expect(done.status).toBe(201)
    const completed = await done.json<Job>()
    expect(completed.status).toBe('completed')
    expect(Date.parse(completed.undo_until!) - Date.parse(completed.completed_at!)).toBe(10 * MINUTE)
    expect((await complete(org, job.id)).status).toBe(200)
    expect(await enrollmentsOf(org, `?journey_id=${journeyId}`)).toHaveLength(1)
    expect(await pendingReminders(org)).toBe(0)

    const undone = await undo(org, job.id)
    expect(undone.status).toBe(200)
    expect(await undone.json()).toMatchObject({ status: 'scheduled', completed_at: null, undo_until: null })
    expect(await getJob(org, job.id)).toMatchObject({ status: 'scheduled', completed_at: null })
    expect(await enrollmentsOf(org, `?journey_id=${journeyId}`)).toEqual([])
    // Its reminders are back, and the client's timeline says what happened.
    expect(await pendingReminders(org)).toBe(2)
    const timeline = await (await api(org, 'GET', `/api/v1/clients/${client.org_client_id}/timeline`)).json<{
      items: { type: string; data: Record<string, unknown> }[]
    }>()
    expect(timeline.items.find((i) => i.type === 'job_completion_undone')?.data).toMatchObject({
      job_id: job.id,
      enrollments_removed: 1,
    })

    // The due work that would have sent the review request finds nothing to send.
    await decideAt(org, new Date(Date.now() + MINUTE))
    expect((await messagesOf(org)).filter((m) => m.purpose === 'review_request')).toEqual([])

    // A second undo has nothing to undo; completing again starts the journey afresh.
    expect((await undo(org, job.id)).status).toBe(409)
    expect((await complete(org, job.id)).status).toBe(201)
    expect(await enrollmentsOf(org, `?journey_id=${journeyId}`)).toHaveLength(1)
  })

  it('stops, rather than removes, a journey that already sent its first message', async () => {
    const { org, client } = await orgWithClient()
    const journeyId = await createJourney(org, {
      steps: [
        { type: 'sms', body: 'Thanks {{first_name}}!' },
        { type: 'wait', delay_minutes: 1440 },
        { type: 'sms', body: 'How is everything?' },
      ],
    })
    const job = await bookJob(org, client.org_client_id, nextWeek())
    await complete(org, job.id)
    await decideAt(org, new Date(Date.now() + MINUTE))
    const journeyTexts = async () => (await messagesOf(org)).filter((m) => m.purpose === 'journey')
    expect((await journeyTexts()).map((m) => m.body)).toEqual(['Thanks Casey! Reply STOP to opt out.'])

    expect((await undo(org, job.id)).status).toBe(200)
    const [enrollment] = await enrollmentsOf(org, `?journey_id=${journeyId}`)
    expect(enrollment).toMatchObject({ status: 'stopped', end_reason: 'job_completion_undone' })
    await decideAt(org, new Date(Date.now() + 2 * 24 * 60 * MINUTE))
    expect(await journeyTexts()).toHaveLength(1)
  })

  it('refuses undo after ten minutes (409, saying so) and leaves the job completed', async () => {
    const { org, journeyId, job } = await withReviewJourney()
    expect((await complete(org, job.id)).status).toBe(201)
    await withHost(org, (host) => host.clock.set(new Date(Date.now() + 10 * MINUTE + 1000)))
    try {
      const late = await undo(org, job.id)
      expect(late.status).toBe(409)
      expect((await late.json<{ error: { code: string; message: string } }>()).error).toEqual({
        code: 'conflict',
        message: 'This job was completed more than 10 minutes ago, so completing it can no longer be undone.',
      })
    } finally {
      await withHost(org, (host) => host.clock.set(null))
    }
    expect((await getJob(org, job.id)).status).toBe('completed')
    expect(await enrollmentsOf(org, `?journey_id=${journeyId}`)).toHaveLength(1)
  })

  it("answers 404 for another business's job and leaves it as it was", async () => {
    const { org, job } = await withReviewJourney()
    const stranger = await createOrg()
    expect((await complete(stranger, job.id)).status).toBe(404)
    expect((await getJob(org, job.id)).status).toBe('scheduled')
    expect((await complete(org, job.id)).status).toBe(201)
    expect((await undo(stranger, job.id)).status).toBe(404)
    expect((await getJob(org, job.id)).status).toBe('completed')
  })

  it('does not complete a cancelled job (409)', async () => {
    const { org, client } = await orgWithClient()
    const job = await bookJob(org, client.org_client_id, nextWeek())
    await api(org, 'PATCH', `/api/v1/jobs/${job.id}`, { status: 'cancelled' })
    expect((await complete(org, job.id)).status).toBe(409)
  })
})

describe('"Completed · Undo" on the job page', () => {
  it('shows after completing, puts the job back with htmx and without, and says why when it is too late', async () => {
    const { org, client, journeyId } = await withReviewJourney()
    const staff = new Staff()
    await staff.post('/login', { email: org.email, password: org.password })
    const csrf = await staff.csrfToken()
    const job = await bookJob(org, client.org_client_id, nextWeek())

    const done = await staff.post(`/app/jobs/${job.id}/complete`, { _csrf: csrf }, HX)
    const panel = await done.text()
    expect(panel).toMatch(/^<section id="job-panel"/)
    expect(panel).toMatch(/data-testid="undo-bar"[\s\S]*Completed[\s\S]*Undo/)
    expect(panel).toContain(`action="/app/jobs/${job.id}/undo-complete"`)

    const undone = await staff.post(`/app/jobs/${job.id}/undo-complete`, { _csrf: csrf }, HX)
    expect(undone.status).toBe(200)
    const back = await undone.text()
    expect(back).toContain('Completing was undone: the job is scheduled again.')
    expect(back).toContain('data-testid="job-status">Scheduled<')
    expect(back).not.toContain('data-testid="undo-bar"')
    expect(await enrollmentsOf(org, `?journey_id=${journeyId}`)).toEqual([])

    // Without JavaScript: complete, undo, and come back to the page with the flash.
    expect((await staff.post(`/app/jobs/${job.id}/complete`, { _csrf: csrf })).status).toBe(303)
    const plain = await staff.post(`/app/jobs/${job.id}/undo-complete`, { _csrf: csrf })
    expect(plain.status).toBe(303)
    expect(plain.headers.get('location')).toBe(`/app/jobs/${job.id}?done=undone`)
    expect(await (await staff.get(plain.headers.get('location')!)).text()).toContain(
      'Completing was undone: the job is scheduled again.',
    )

    // Ten minutes later the object refuses, and the page says why.
    await staff.post(`/app/jobs/${job.id}/complete`, { _csrf: csrf })
    await withHost(org, (host) => host.clock.set(new Date(Date.now() + 11 * MINUTE)))
    try {
      const late = await staff.post(`/app/jobs/${job.id}/undo-complete`, { _csrf: csrf }, HX)
      expect(late.status).toBe(409)
      expect(await late.text()).toContain('completing it can no longer be undone')
    } finally {
      await withHost(org, (host) => host.clock.set(null))
    }
    expect((await getJob(org, job.id)).status).toBe('completed')

    const stranger = await createOrg()
    const theirs = new Staff()
    await theirs.post('/login', { email: stranger.email, password: stranger.password })
    const theirCsrf = await theirs.csrfToken()
    expect((await theirs.post(`/app/jobs/${job.id}/undo-complete`, { _csrf: theirCsrf })).status).toBe(404)
  })
})
