import { describe, expect, it } from 'vitest'
import { api, createClient, createOrg, unique } from './helpers/factories'
import { completeJob, createJourney, enrollmentsOf, raise } from './helpers/journeys'
import { bookJob, orgWithClient } from './helpers/messaging'

const sms = { type: 'sms', body: 'Hi {{first_name}}' }

describe('POST /api/v1/journeys', () => {
  it('creates a journey and reads it back with its steps, default settings and counts', async () => {
    const org = await createOrg()
    const res = await api(org, 'POST', '/api/v1/journeys', {
      name: 'After the job',
      trigger_event: 'job_completed',
      trigger_source: 'jobber',
      settings: { stop_on: ['replied', 'replied', 'review_left'], quiet_hours: { start: '20:00', end: '09:00' } },
      steps: [
        { type: 'wait', delay_minutes: 60 },
        { ...sms, purpose: 'thank_you' },
        { type: 'email', subject: 'Hello', body: 'Body' },
        { type: 'branch', condition: 'review_left', on_true: 'end', on_false: 4 },
        { type: 'review_request', channel: 'email' },
      ],
    })
    expect(res.status).toBe(201)
    const { journey_id } = await res.json<{ journey_id: string }>()
    const journey = await (await api(org, 'GET', `/api/v1/journeys/${journey_id}`)).json()
    expect(journey).toMatchObject({
      id: journey_id,
      name: 'After the job',
      trigger_event: 'job_completed',
      trigger_source: 'jobber',
      status: 'active',
      version: 1,
      settings: {
        stop_on: ['replied', 'review_left'],
        quiet_hours: { start: '20:00', end: '09:00' },
        reentry: { mode: 'after_days', days: 180 },
      },
      steps: [
        { type: 'wait', delay_minutes: 60 },
        { type: 'sms', body: 'Hi {{first_name}}', purpose: 'thank_you' },
        { type: 'email', subject: 'Hello', body: 'Body' },
        { type: 'branch', condition: 'review_left', on_true: 'end', on_false: 4 },
        { type: 'review_request', channel: 'email' },
      ],
      counts: { active: 0, completed: 0, stopped: 0 },
    })
    const list = await (await api(org, 'GET', '/api/v1/journeys')).json<{
      items: Array<{ id: string; step_count: number }>
    }>()
    expect(list.items).toEqual([expect.objectContaining({ id: journey_id, step_count: 5 })])
  })

  it.each([
    ['no name', { name: '', trigger_event: 'job_completed', steps: [sms] }, 'name'],
    ['an unknown trigger', { name: 'X', trigger_event: 'job_started', steps: [sms] }, 'trigger_event'],
    [
      'a wait without minutes',
      { name: 'X', trigger_event: 'manual', steps: [{ type: 'wait' }] },
      'steps.0.delay_minutes',
    ],
    [
      'an email without a subject',
      { name: 'X', trigger_event: 'manual', steps: [{ type: 'email', body: 'B' }] },
      'steps.0.subject',
    ],
    [
      'a branch jumping back',
      { name: 'X', trigger_event: 'manual', steps: [sms, { type: 'branch', condition: 'replied', on_true: 0 }] },
      'steps.1.on_true',
    ],
    [
      'a branch past the last step',
      { name: 'X', trigger_event: 'manual', steps: [{ type: 'branch', condition: 'replied', on_false: 3 }, sms] },
      'steps.0.on_false',
    ],
    ['an active journey without steps', { name: 'X', trigger_event: 'manual', status: 'active', steps: [] }, 'steps'],
    [
      'unknown quiet hours',
      { name: 'X', trigger_event: 'manual', steps: [sms], settings: { quiet_hours: { start: '9pm', end: '08:00' } } },
      'settings.quiet_hours.start',
    ],
  ])('refuses %s with 400 and writes nothing', async (_, body, path) => {
    const org = await createOrg()
    const res = await api(org, 'POST', '/api/v1/journeys', body)
    expect(res.status).toBe(400)
    const error = (await res.json<{ error: { code: string; issues: Array<{ path: string }> } }>()).error
    expect(error.code).toBe('invalid_input')
    expect(error.issues.map((i) => i.path)).toContain(path)
    expect((await (await api(org, 'GET', '/api/v1/journeys')).json<{ items: unknown[] }>()).items).toEqual([])
  })
})

describe('GET and PATCH /api/v1/journeys/{id}', () => {
  it('answers 404 for another organization’s journey', async () => {
    const [mine, theirs] = [await createOrg(), await createOrg()]
    const id = await createJourney(theirs, { steps: [sms] })
    expect((await api(mine, 'GET', `/api/v1/journeys/${id}`)).status).toBe(404)
    expect((await api(mine, 'PATCH', `/api/v1/journeys/${id}`, { status: 'paused' })).status).toBe(404)
    expect((await api(theirs, 'GET', `/api/v1/journeys/${id}`)).status).toBe(200)
  })

  it('makes a new version when the steps change, keeps it when only the settings do, and clears quiet hours with null', async () => {
    const org = await createOrg()
    const id = await createJourney(org, {
      steps: [sms],
      settings: { quiet_hours: { start: '20:00', end: '08:00' }, stop_on: ['replied'] },
    })
    const renamed = await (
      await api(org, 'PATCH', `/api/v1/journeys/${id}`, { name: 'Renamed', settings: { quiet_hours: null } })
    ).json()
    expect(renamed).toMatchObject({ name: 'Renamed', version: 1, settings: { stop_on: ['replied'] } })
    expect((renamed as { settings: object }).settings).not.toHaveProperty('quiet_hours')
    const edited = await (
      await api(org, 'PATCH', `/api/v1/journeys/${id}`, { steps: [sms, { type: 'wait', delay_minutes: 5 }, sms] })
    ).json()
    expect(edited).toMatchObject({ version: 2, step_count: 3 })
    const bad = await api(org, 'PATCH', `/api/v1/journeys/${id}`, { steps: [] })
    expect(bad.status).toBe(400)
    expect((await (await api(org, 'GET', `/api/v1/journeys/${id}`)).json<{ version: number }>()).version).toBe(2)
  })
})

describe('triggers', () => {
  it('enrolls on the matching trigger only, in active journeys only, filtered by source', async () => {
    const { org, client } = await orgWithClient()
    const any = await createJourney(org, { name: 'Any', steps: [sms] })
    const jobber = await createJourney(org, { name: 'Jobber only', trigger_source: 'jobber', steps: [sms] })
    const manualOnly = await createJourney(org, { name: 'HomeBase only', trigger_source: 'manual', steps: [sms] })
    await createJourney(org, { name: 'Draft', status: 'draft', steps: [sms] })
    await createJourney(org, { name: 'Paid', trigger_event: 'invoice_paid', steps: [sms] })
    const booked = await createJourney(org, { name: 'Booked', trigger_event: 'job_booked', steps: [sms] })

    const job = await bookJob(org, client.org_client_id, '2030-06-10T19:00:00Z')
    await completeJob(org, job.id)
    const mine = (await enrollmentsOf(org, `?org_client_id=${client.org_client_id}`)).map((e) => e.journey_id).sort()
    expect(mine).toEqual([any, manualOnly, booked].sort())

    const other = await createClient(org, { first_name: 'Jo', email: `jo-${unique()}@example.com` })
    const { enrollments } = await raise(org, {
      type: 'job_completed',
      org_client_id: other.org_client_id,
      source: 'jobber',
    })
    expect(enrollments.map((e) => e.journey_id).sort()).toEqual([any, jobber].sort())
    expect(enrollments[0]).toMatchObject({ status: 'active', current_step: 0, org_client_id: other.org_client_id })
  })

  it('takes an invoice’s source from its job', async () => {
    const { org, client } = await orgWithClient()
    const homebase = await createJourney(org, { trigger_event: 'invoice_paid', trigger_source: 'manual', steps: [sms] })
    const job = await bookJob(org, client.org_client_id, '2030-06-10T19:00:00Z')
    const { invoice } = await (
      await api(org, 'POST', '/api/v1/invoices', {
        org_client_id: client.org_client_id,
        job_id: job.id,
        total_cents: 5000,
        due_date: '2030-07-01',
      })
    ).json<{ invoice: { id: string } }>()
    await api(org, 'POST', `/api/v1/invoices/${invoice.id}/payments`, { amount_cents: 5000 })
    const [enrollment] = await enrollmentsOf(org, `?journey_id=${homebase}`)
    expect(enrollment).toMatchObject({ org_client_id: client.org_client_id, status: 'active' })
    expect(enrollment).toMatchObject({ invoice_id: invoice.id, job_id: job.id, source: 'manual' })
  })
})

describe('POST /api/v1/events', () => {
  it('makes a new person a client and enrolls them once for a lead_created event', async () => {
    const org = await createOrg()
    const journeyId = await createJourney(org, { trigger_event: 'lead_created', steps: [sms] })
    const email = `lead-${unique()}@example.com`
    const res = await api(org, 'POST', '/api/v1/events', {
      type: 'lead_created',
      person: { email, first_name: 'Lee' },
      source: 'jobber',
      external_id: 'J-1',
    })
    expect(res.status).toBe(202)
    const body = await res.json<{
      event_id: string
      org_client_id: string
      enrollments: Array<{ journey_id: string; source: string }>
    }>()
    expect(body.enrollments).toEqual([expect.objectContaining({ journey_id: journeyId, source: 'jobber' })])
    const client = await (await api(org, 'GET', `/api/v1/clients/${body.org_client_id}`)).json<{
      status: string
      primary_email: string
    }>()
    expect(client).toMatchObject({ status: 'lead', primary_email: email })
    const again = await (await api(org, 'POST', '/api/v1/events', { type: 'manual', person: { email } })).json<{
      org_client_id: string
    }>()
    expect(again.org_client_id).toBe(body.org_client_id)
    expect(await enrollmentsOf(org, `?journey_id=${journeyId}`)).toHaveLength(1)
  })

  it('stops enrollments on opted_out', async () => {
    const { org, client } = await orgWithClient()
    const id = await createJourney(org, { trigger_event: 'manual', settings: { stop_on: ['opted_out'] }, steps: [sms] })
    await raise(org, { type: 'manual', org_client_id: client.org_client_id })
    await raise(org, { type: 'opted_out', org_client_id: client.org_client_id })
    expect((await enrollmentsOf(org, `?journey_id=${id}`))[0]).toMatchObject({
      status: 'stopped',
      end_reason: 'opted_out',
    })
  })

  it('answers 404 for another organization’s client and 400 for a bad event', async () => {
    const [mine, theirs] = [await createOrg(), await createOrg()]
    const client = await createClient(theirs, { first_name: 'Al', email: `al-${unique()}@example.com` })
    expect(
      (await api(mine, 'POST', '/api/v1/events', { type: 'manual', org_client_id: client.org_client_id })).status,
    ).toBe(404)
    expect(
      (await api(mine, 'POST', '/api/v1/events', { type: 'job_started', org_client_id: client.org_client_id })).status,
    ).toBe(400)
    expect((await api(mine, 'POST', '/api/v1/events', { type: 'manual' })).status).toBe(400)
    expect(
      (await api(mine, 'POST', '/api/v1/events', { type: 'manual', person: { first_name: 'No contact' } })).status,
    ).toBe(400)
    expect(
      (
        await api(mine, 'POST', '/api/v1/events', {
          type: 'manual',
          org_client_id: client.org_client_id,
          occurred_at: 'yesterday',
        })
      ).status,
    ).toBe(400)
  })
})

describe('GET /api/v1/enrollments', () => {
  it('filters by journey and status and never shows another organization’s', async () => {
    const { org, client } = await orgWithClient()
    const a = await createJourney(org, { trigger_event: 'manual', steps: [sms] })
    const b = await createJourney(org, { trigger_event: 'manual', settings: { stop_on: ['replied'] }, steps: [sms] })
    await raise(org, { type: 'manual', org_client_id: client.org_client_id })
    await raise(org, { type: 'replied', org_client_id: client.org_client_id })
    expect((await enrollmentsOf(org, `?journey_id=${a}`)).map((e) => e.status)).toEqual(['active'])
    expect((await enrollmentsOf(org, '?status=stopped')).map((e) => e.journey_id)).toEqual([b])
    expect(await enrollmentsOf(await createOrg(), `?journey_id=${a}`)).toEqual([])
    expect((await api(org, 'GET', '/api/v1/enrollments?status=paused')).status).toBe(400)
  })
})
