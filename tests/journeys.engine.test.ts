// Over 300 lines on purpose: the engine's steps, waits, branches and stops share enrolledAt() and the clock helpers.
import { env, runInDurableObject } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import { orgStub } from '../src/organizations'
import { api, createClient } from './helpers/factories'
import { completeJob, createJourney, enrollmentsOf, patchJourney, raise, replyFrom } from './helpers/journeys'
import { bookJob, decideAt, messagesOf, orgWithClient } from './helpers/messaging'

const MINUTE = 60_000
const DAY = 86_400_000
const at = (iso: string, plusMs = 0) => new Date(Date.parse(iso) + plusMs)

const twoTexts = {
  steps: [
    { type: 'sms', body: 'Thanks {{first_name}}, from {{business_name}}' },
    { type: 'wait', delay_minutes: 1440 },
    { type: 'sms', body: 'How is everything, {{first_name}}?' },
  ],
}

/** A client enrolled in a fresh journey by a manual event at `occurredAt`. */
async function enrolledAt(
  occurredAt: string,
  journey: Record<string, unknown> = twoTexts,
  setup?: Awaited<ReturnType<typeof orgWithClient>>,
) {
  const s = setup ?? (await orgWithClient())
  const journeyId = await createJourney(s.org, { trigger_event: 'manual', ...journey })
  const { enrollments } = await raise(s.org, {
    type: 'manual',
    org_client_id: s.client.org_client_id,
    occurred_at: occurredAt,
  })
  return { ...s, journeyId, enrollment: enrollments.find((e) => e.journey_id === journeyId)! }
}

const bodies = async (org: Parameters<typeof messagesOf>[0]) => (await messagesOf(org)).map((m) => m.body).reverse()

describe('journeys over time', () => {
  it('sends the first text when a job is completed and the second a day later, then completes', async () => {
    const { org, client } = await orgWithClient()
    const journeyId = await createJourney(org, twoTexts)
    const job = await bookJob(org, client.org_client_id, '2030-06-10T19:00:00Z')
    await completeJob(org, job.id)
    const [enrollment] = await enrollmentsOf(org, `?journey_id=${journeyId}`)
    expect(enrollment).toMatchObject({ status: 'active', current_step: 0, org_client_id: client.org_client_id })

    const first = new Date(Date.parse(enrollment!.next_step_at!) + 1000)
    expect(await decideAt(org, first)).toMatchObject({ sent: 1 })
    const [waiting] = await enrollmentsOf(org, `?journey_id=${journeyId}`)
    expect(waiting).toMatchObject({
      status: 'active',
      current_step: 2,
      next_step_at: new Date(first.getTime() + DAY).toISOString(),
    })
    expect(await decideAt(org, new Date(first.getTime() + DAY - MINUTE))).toMatchObject({ sent: 0 })
    expect(await decideAt(org, new Date(first.getTime() + DAY))).toMatchObject({ sent: 1 })
    expect(await bodies(org)).toEqual([
      'Thanks Casey, from Sparkle Cleaning Reply STOP to opt out.',
      'How is everything, Casey? Reply STOP to opt out.',
    ])
    expect((await messagesOf(org)).every((m) => m.purpose === 'journey')).toBe(true)
    expect((await enrollmentsOf(org, `?journey_id=${journeyId}`))[0]).toMatchObject({
      status: 'completed',
      next_step_at: null,
    })
  })

  it('keeps the local time of a whole-day wait across the start of daylight saving time', async () => {
    // 10:00 PST on Saturday 2030-03-09; clocks go forward that night in California.
    const { org, journeyId } = await enrolledAt('2030-03-09T18:00:00Z')
    await decideAt(org, at('2030-03-09T18:00:00Z'))
    expect((await enrollmentsOf(org, `?journey_id=${journeyId}`))[0]!.next_step_at).toBe('2030-03-10T17:00:00.000Z')
  })

  it('counts a wait in minutes exactly, from when a deferred message goes out', async () => {
    const { org, journeyId } = await enrolledAt('2030-06-10T05:00:00Z', {
      settings: { quiet_hours: { start: '21:00', end: '08:00' } },
      steps: [
        { type: 'sms', body: 'Hello' },
        { type: 'wait', delay_minutes: 90 },
        { type: 'sms', body: 'Again' },
      ],
    })
    // 22:00 PDT: quiet until 08:00 PDT (15:00 UTC) plus a spread of up to five minutes.
    expect(await decideAt(org, at('2030-06-10T05:00:00Z'))).toMatchObject({ deferred: 1 })
    const [message] = await messagesOf(org)
    expect(message!.reason).toMatch(/^quiet_hours until 2030-06-10T15:0/)
    const [enrollment] = await enrollmentsOf(org, `?journey_id=${journeyId}`)
    expect(enrollment!.next_step_at).toBe(new Date(Date.parse(message!.send_after!) + 90 * MINUTE).toISOString())
  })

  it('stops before the next step when the client replies, and drops a deferred message of theirs', async () => {
    const setup = await orgWithClient()
    const { org, journeyId } = await enrolledAt(
      new Date().toISOString(),
      {
        settings: { stop_on: ['replied'] },
        steps: [
          { type: 'sms', body: 'First' },
          { type: 'wait', delay_minutes: 60 },
          { type: 'sms', body: 'Second' },
        ],
      },
      setup,
    )
    const now = new Date(Date.now() + 1000)
    await decideAt(org, now)
    expect((await replyFrom(setup.phone!, 'Thanks, all good!')).status).toBe(200)
    expect((await enrollmentsOf(org, `?journey_id=${journeyId}`))[0]).toMatchObject({
      status: 'stopped',
      end_reason: 'replied',
      next_step_at: null,
    })
    expect(await decideAt(org, new Date(now.getTime() + 2 * 60 * MINUTE))).toMatchObject({ sent: 0, deferred: 0 })
    expect(await bodies(org)).toEqual(['First Reply STOP to opt out.'])
  })

  it('stops when a job is booked, as cancelled_crm_event when the booking came from a CRM', async () => {
    const a = await enrolledAt('2030-06-10T17:00:00Z', { settings: { stop_on: ['job_booked'] }, steps: twoTexts.steps })
    await decideAt(a.org, at('2030-06-10T17:00:00Z'))
    await bookJob(a.org, a.client.org_client_id, '2030-07-01T17:00:00Z')
    expect((await enrollmentsOf(a.org, `?journey_id=${a.journeyId}`))[0]).toMatchObject({
      status: 'stopped',
      end_reason: 'job_booked',
    })
    expect(await decideAt(a.org, at('2030-06-11T17:00:00Z'))).toMatchObject({ sent: 0 })
    expect(await messagesOf(a.org)).toHaveLength(1)

    const b = await enrolledAt('2030-06-10T17:00:00Z', { settings: { stop_on: ['job_booked'] }, steps: twoTexts.steps })
    await raise(b.org, { type: 'job_booked', org_client_id: b.client.org_client_id, source: 'jobber' })
    expect((await enrollmentsOf(b.org, `?journey_id=${b.journeyId}`))[0]).toMatchObject({
      status: 'cancelled_crm_event',
      end_reason: 'job_booked',
    })
    expect(await decideAt(b.org, at('2030-06-10T17:00:00Z'))).toMatchObject({ sent: 0 })
  })

  it('drops a message deferred by quiet hours when the enrollment stops meanwhile', async () => {
    const { org, client, journeyId } = await enrolledAt('2030-06-10T05:00:00Z', {
      settings: { stop_on: ['invoice_paid'], quiet_hours: { start: '21:00', end: '08:00' } },
      steps: twoTexts.steps,
    })
    await decideAt(org, at('2030-06-10T05:00:00Z'))
    await raise(org, { type: 'invoice_paid', org_client_id: client.org_client_id })
    expect((await enrollmentsOf(org, `?journey_id=${journeyId}`))[0]).toMatchObject({
      status: 'stopped',
      end_reason: 'invoice_paid',
    })
    await decideAt(org, at('2030-06-10T16:00:00Z'))
    expect((await messagesOf(org))[0]).toMatchObject({ status: 'skipped', reason: 'enrollment_stopped: invoice_paid' })
  })

  it('drops the waiting last message of a completed enrollment when a stop condition arrives', async () => {
    const { org, client, journeyId } = await enrolledAt('2030-06-10T05:00:00Z', {
      settings: { stop_on: ['replied'], quiet_hours: { start: '21:00', end: '08:00' } },
      steps: [{ type: 'sms', body: 'Thanks {{first_name}}' }],
    })
    await decideAt(org, at('2030-06-10T05:00:00Z'))
    expect((await enrollmentsOf(org, `?journey_id=${journeyId}`))[0]).toMatchObject({ status: 'completed' })
    expect((await messagesOf(org))[0]).toMatchObject({ status: 'deferred' })
    await raise(org, { type: 'replied', org_client_id: client.org_client_id })
    await decideAt(org, at('2030-06-10T16:00:00Z'))
    expect((await messagesOf(org))[0]).toMatchObject({ status: 'skipped', reason: 'journey stopped: replied' })
  })

  it('ends the enrollment when a text is skipped as opted out and the journey stops on opt-outs; goes on otherwise', async () => {
    const setup = await orgWithClient()
    await api(setup.org, 'POST', `/api/v1/clients/${setup.client.org_client_id}/consents`, {
      sms_opt_in: false,
      reason: 'Asked us',
    })
    const steps = [
      { type: 'sms', body: 'Hi' },
      { type: 'email', subject: 'Hello', body: 'An email' },
    ]
    const stops = await enrolledAt('2030-06-10T17:00:00Z', { settings: { stop_on: ['opted_out'] }, steps }, setup)
    const goesOn = await enrolledAt('2030-06-10T17:00:00Z', { steps }, setup)
    await decideAt(setup.org, at('2030-06-10T17:00:00Z'))
    expect((await enrollmentsOf(setup.org, `?journey_id=${stops.journeyId}`))[0]).toMatchObject({
      status: 'stopped',
      end_reason: 'opted_out',
    })
    expect((await enrollmentsOf(setup.org, `?journey_id=${goesOn.journeyId}`))[0]).toMatchObject({
      status: 'completed',
    })
    const log = await messagesOf(setup.org)
    expect(log.filter((m) => m.channel === 'sms').map((m) => m.reason)).toEqual(['opted_out', 'opted_out'])
    expect(log.filter((m) => m.channel === 'email')).toHaveLength(1)
  })

  it('holds steps while the journey is paused and runs the overdue one on resume', async () => {
    const { org, journeyId } = await enrolledAt('2030-06-10T17:00:00Z')
    await patchJourney(org, journeyId, { status: 'paused' })
    expect(await decideAt(org, at('2030-06-10T18:00:00Z'))).toMatchObject({ sent: 0 })
    const held = await env.PEOPLE.prepare('select next_due_at from org_schedule where organization_id = ?')
      .bind(org.organizationId)
      .first()
    expect(held).toBeNull()
    await patchJourney(org, journeyId, { status: 'active' })
    const due = await env.PEOPLE.prepare('select next_due_at from org_schedule where organization_id = ?')
      .bind(org.organizationId)
      .first<{ next_due_at: string }>()
    expect(due?.next_due_at).toBe('2030-06-10T17:00:00.000Z')
    expect(await decideAt(org, at('2030-06-12T09:00:00Z'))).toMatchObject({ sent: 1 })
    expect((await enrollmentsOf(org, `?journey_id=${journeyId}`))[0]!.next_step_at).toBe('2030-06-13T09:00:00.000Z')
  })

  it('enrolls a client again only as re-entry allows: never while active, after 180 days by default, never, or after N days', async () => {
    const { org, client } = await orgWithClient()
    const once = [{ type: 'sms', body: 'Hi' }]
    const byDefault = await createJourney(org, { trigger_event: 'manual', steps: once })
    const never = await createJourney(org, {
      trigger_event: 'manual',
      steps: once,
      settings: { reentry: { mode: 'never' } },
    })
    const weekly = await createJourney(org, {
      trigger_event: 'manual',
      steps: once,
      settings: { reentry: { mode: 'after_days', days: 7 } },
    })
    const send = async (iso: string) => {
      const ids = (
        await raise(org, { type: 'manual', org_client_id: client.org_client_id, occurred_at: iso })
      ).enrollments
        .map((e) => e.journey_id)
        .sort()
      await decideAt(org, at(iso, MINUTE))
      return ids
    }
    expect(await send('2030-01-01T17:00:00Z')).toEqual([byDefault, never, weekly].sort())
    expect(await send('2030-01-05T17:00:00Z')).toEqual([])
    expect(await send('2030-01-09T17:00:00Z')).toEqual([weekly])
    expect(await send('2030-06-29T17:00:00Z')).toEqual([weekly])
    expect(await send('2030-07-01T17:00:00Z')).toEqual([byDefault])
  })

  it('never enrolls a client twice in a journey while the first enrollment is active', async () => {
    const { org, client } = await orgWithClient()
    const journeyId = await createJourney(org, {
      trigger_event: 'manual',
      steps: twoTexts.steps,
      settings: { reentry: { mode: 'after_days', days: 0 } },
    })
    await raise(org, { type: 'manual', org_client_id: client.org_client_id, occurred_at: '2030-01-01T17:00:00Z' })
    expect(
      (await raise(org, { type: 'manual', org_client_id: client.org_client_id, occurred_at: '2030-01-03T17:00:00Z' }))
        .enrollments,
    ).toEqual([])
    expect(await enrollmentsOf(org, `?journey_id=${journeyId}`)).toHaveLength(1)
  })

  it('defers the second journey message of the day with the per-client cap', async () => {
    const { org, client } = await orgWithClient()
    await createJourney(org, { name: 'Thanks', steps: [{ type: 'sms', body: 'Thanks!' }] })
    await createJourney(org, { name: 'Tips', steps: [{ type: 'sms', body: 'Care tips' }] })
    await completeJob(org, (await bookJob(org, client.org_client_id, '2030-06-10T19:00:00Z')).id)
    expect(await decideAt(org, new Date(Date.now() + 1000))).toMatchObject({ sent: 1, deferred: 1 })
    const deferred = (await messagesOf(org)).find((m) => m.status === 'deferred')
    expect(deferred!.reason).toMatch(/^cap until /)
  })

  it('finishes running enrollments on their version when the steps are edited', async () => {
    const setup = await orgWithClient()
    const { org, journeyId } = await enrolledAt(
      '2030-06-10T17:00:00Z',
      {
        steps: [
          { type: 'sms', body: 'One v1' },
          { type: 'wait', delay_minutes: 1440 },
          { type: 'sms', body: 'Two v1' },
        ],
      },
      setup,
    )
    await decideAt(org, at('2030-06-10T17:00:00Z'))
    const edited = await patchJourney(org, journeyId, {
      steps: [
        { type: 'sms', body: 'One v2' },
        { type: 'wait', delay_minutes: 1440 },
        { type: 'sms', body: 'Two v2' },
      ],
    })
    expect(edited.version).toBe(2)
    await decideAt(org, at('2030-06-11T17:00:00Z'))
    const other = await createClient(org, {
      first_name: 'Dana',
      phone: `+1415555${String(1000 + Math.floor(Math.random() * 8999))}`,
    })
    const { enrollments } = await raise(org, {
      type: 'manual',
      org_client_id: other.org_client_id,
      occurred_at: '2030-06-12T17:00:00Z',
    })
    expect(enrollments[0]!.version).toBe(2)
    await decideAt(org, at('2030-06-12T17:00:00Z'))
    expect(await bodies(org)).toEqual([
      'One v1 Reply STOP to opt out.',
      'Two v1 Reply STOP to opt out.',
      'One v2 Reply STOP to opt out.',
    ])
  })

  it('sends a review request step with the rating-page link and records the request', async () => {
    const { org, client, journeyId } = await enrolledAt('2030-06-10T17:00:00Z', {
      steps: [{ type: 'review_request', channel: 'sms' }],
    })
    // Review requests go out only once the business has a public review link.
    await api(org, 'PATCH', '/api/v1/organization', { google_review_url: 'https://g.page/r/sparkle/review' })
    await decideAt(org, at('2030-06-10T17:00:00Z'))
    const [message] = await messagesOf(org)
    expect(message).toMatchObject({ purpose: 'review_request', status: 'queued' })
    expect(message!.body).toMatch(
      /^Hi Casey, thanks for choosing Sparkle Cleaning! How did we do\? https:\/\/homebase\.test\/r\/\S+ Reply STOP to opt out\.$/,
    )
    const [enrollment] = await enrollmentsOf(org, `?journey_id=${journeyId}`)
    const rows = await runInDurableObject(orgStub(env, org.organizationId), (_, state) =>
      state.storage.sql.exec('select org_client_id, enrollment_id, message_id, channel from review_requests').toArray(),
    )
    expect(rows).toEqual([
      { org_client_id: client.org_client_id, enrollment_id: enrollment!.id, message_id: message!.id, channel: 'sms' },
    ])
  })

  it('branches on a reply: ends for those who replied, goes on for the others', async () => {
    const steps = [
      { type: 'sms', body: 'First' },
      { type: 'wait', delay_minutes: 60 },
      { type: 'branch', condition: 'replied', on_true: 'end' },
      { type: 'sms', body: 'Last' },
    ]
    const replied = await enrolledAt(new Date().toISOString(), { steps })
    const silent = await enrolledAt(new Date().toISOString(), { steps })
    const now = Date.now() + 1000
    for (const s of [replied, silent]) await decideAt(s.org, new Date(now))
    await replyFrom(replied.phone!, 'Got it')
    for (const s of [replied, silent]) await decideAt(s.org, new Date(now + 61 * MINUTE))
    expect(await bodies(replied.org)).toEqual(['First Reply STOP to opt out.'])
    expect((await enrollmentsOf(replied.org))[0]).toMatchObject({
      status: 'completed',
      end_reason: 'branch: replied yes',
    })
    expect(await bodies(silent.org)).toEqual(['First Reply STOP to opt out.', 'Last Reply STOP to opt out.'])
  })

  it('archives enrollments 90 days after they ended and leaves them out of the lists', async () => {
    const { org, journeyId } = await enrolledAt('2030-01-01T17:00:00Z', { steps: [{ type: 'sms', body: 'Once' }] })
    await decideAt(org, at('2030-01-01T17:00:00Z'))
    const due = await env.PEOPLE.prepare('select next_due_at from org_schedule where organization_id = ?')
      .bind(org.organizationId)
      .first<{ next_due_at: string }>()
    expect(due?.next_due_at).toBe('2030-04-01T17:00:00.000Z')
    await decideAt(org, at('2030-03-30T17:00:00Z'))
    expect(await enrollmentsOf(org, `?journey_id=${journeyId}`)).toHaveLength(1)
    await decideAt(org, at('2030-04-01T17:00:00Z'))
    expect(await enrollmentsOf(org, `?journey_id=${journeyId}`)).toHaveLength(0)
    const journey = await (await api(org, 'GET', `/api/v1/journeys/${journeyId}`)).json<{
      counts: { completed: number }
    }>()
    expect(journey.counts.completed).toBe(0)
  })
})
