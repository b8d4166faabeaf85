// Over 300 lines on purpose: Twilio's callbacks, calls logged by hand and their CRM notes share one business-with-a-number setup.
/**
 * Calls (seed 003): Twilio's voice status callback for the business's own number becomes one call
 * activity on the client's timeline (signed, replay-safe, only the called business), missed calls
 * included; staff log calls by hand on the page and the API; each call goes to the client's CRM
 * as one note while "sync calls" is on. CRM HTTP is stubbed at the fetch boundary.
 */
import { env, runInDurableObject } from 'cloudflare:test'
import { drizzle } from 'drizzle-orm/durable-sqlite'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { callPushes } from '../durable-objects/org/sales/calls/pushes'
import type { Activity } from '../durable-objects/org/sales/leads/activities'
import * as schema from '../durable-objects/org/schema'
import { orgStub } from '../src/organizations'
import { Staff } from './helpers/browserless'
import { api, createClient, createOrg, type TestOrg } from './helpers/factories'
import {
  connectJobber,
  JOBBER_GRAPHQL,
  json,
  orgSql,
  signedInOwner,
  stubFetch,
  syncLogOf,
  type Call,
} from './helpers/integrations'
import { twilioPost } from './helpers/messaging'

afterEach(() => vi.restoreAllMocks())

const HX = { 'hx-request': 'true' }
let numbers = 1000 + Math.floor(Math.random() * 7000)
const clientPhone = () => `+1720555${String(1000 + Math.floor(Math.random() * 8999))}`
const callSid = () => `CA${crypto.randomUUID().replace(/-/g, '')}`
const RECORDING = 'https://api.twilio.com/2010-04-01/Accounts/AC123/Recordings/RE0123456789abcdef0123456789abcdef'

/** Gives a business its own number (the business side of its calls); returns it. */
async function ownNumber(org: TestOrg): Promise<string> {
  const number = `+1303555${String(numbers++)}`
  const res = await api(org, 'PATCH', '/api/v1/organization', { sms_from: number })
  if (res.status !== 200) throw new Error(`sms_from: ${res.status} ${await res.text()}`)
  return number
}

/** A business with its own number and a client on `phone`. */
async function businessWithClient(phone = clientPhone()) {
  const org = await createOrg()
  const number = await ownNumber(org)
  const client = await createClient(org, { first_name: 'Casey', phone })
  return { org, number, client, phone }
}

/** Twilio's voice status callback form: an inbound call from `from` to `to` unless told otherwise. */
function voice(p: { sid: string; from: string; to: string } & Record<string, string>) {
  const { sid, from, to, ...rest } = p
  return {
    AccountSid: env.TWILIO_ACCOUNT_SID!,
    ApiVersion: '2010-04-01',
    CallSid: sid,
    CallStatus: 'completed',
    CallDuration: '192',
    Direction: 'inbound',
    From: from,
    To: to,
    Timestamp: 'Mon, 07 Dec 2026 15:03:12 +0000',
    CallbackSource: 'call-progress-events',
    SequenceNumber: '0',
    ...rest,
  }
}

const activitiesOf = async (org: TestOrg, id: string) =>
  (await (await api(org, 'GET', `/api/v1/clients/${id}/activities`)).json<{ items: Activity[] }>()).items

type TimelineItem = { id: string; type: string; data: Record<string, unknown> }
const timelineOf = async (org: TestOrg, id: string) =>
  (await (await api(org, 'GET', `/api/v1/clients/${id}/timeline`)).json<{ items: TimelineItem[] }>()).items

/** The sync-log rows of calls no client matched, for one CallSid. */
const unmatchedRows = (org: TestOrg, sid: string) =>
  runInDurableObject(orgStub(env, org.organizationId), (_o, state) =>
    state.storage.sql
      .exec<{ detail: string; status: string }>(
        "select detail, status from sync_log where step = 'call' and event_key = ?",
        sid,
      )
      .toArray(),
  )

describe('POST /webhooks/twilio/voice', () => {
  it('makes one call activity of a completed call, and a replay or a later callback only adds the recording', async () => {
    const { org, number, client, phone } = await businessWithClient()
    const sid = callSid()
    const res = await twilioPost('/webhooks/twilio/voice', voice({ sid, from: phone, to: number }))
    expect(res.status).toBe(200)
    // Empty TwiML, so the same URL can be a <Dial> action without Twilio reporting an error to the caller.
    expect(res.headers.get('content-type')).toContain('text/xml')
    expect(await res.text()).toBe('<?xml version="1.0" encoding="UTF-8"?><Response></Response>')
    const [call, ...rest] = await activitiesOf(org, client.org_client_id)
    expect(rest).toEqual([])
    expect(call).toMatchObject({
      type: 'call',
      direction: 'inbound',
      duration_seconds: 192,
      url: null,
      external_id: sid,
      source: 'twilio',
      occurred_at: '2026-12-07T15:00:00.000Z',
      summary: `Call from ${phone} (3 min 12 s)`,
    })

    await twilioPost('/webhooks/twilio/voice', voice({ sid, from: phone, to: number }))
    await twilioPost(
      '/webhooks/twilio/voice',
      voice({ sid, from: phone, to: number, RecordingUrl: RECORDING, RecordingSid: 'RE1', RecordingDuration: '180' }),
    )
    const after = await activitiesOf(org, client.org_client_id)
    expect(after).toHaveLength(1)
    expect(after[0]).toMatchObject({ id: call!.id, url: RECORDING, duration_seconds: 192 })

    const onTimeline = (await timelineOf(org, client.org_client_id)).filter((i) => i.type === 'activity')
    expect(onTimeline).toHaveLength(1)
    expect(onTimeline[0]!.data).toMatchObject({
      activity_type: 'call',
      direction: 'inbound',
      duration_seconds: 192,
      url: RECORDING,
      outcome: 'answered',
    })
  })

  it('files an outbound call (From is the business) on the client called, with the transcript', async () => {
    const { org, number, client, phone } = await businessWithClient()
    await twilioPost(
      '/webhooks/twilio/voice',
      voice({
        sid: callSid(),
        from: number,
        to: phone,
        Direction: 'outbound-api',
        CallDuration: '45',
        TranscriptionText: 'Hi, this is about Thursday.',
      }),
    )
    const [call] = await activitiesOf(org, client.org_client_id)
    expect(call).toMatchObject({ direction: 'outbound', duration_seconds: 45 })
    expect(call!.summary).toBe(`Call to ${phone} (45 s)\nTranscript: Hi, this is about Thursday.`)
  })

  it('refuses a bad or missing signature with 401 and stores nothing', async () => {
    const { org, number, client, phone } = await businessWithClient()
    const sid = callSid()
    for (const signature of ['bm90IGEgc2lnbmF0dXJl', '']) {
      const res = await twilioPost('/webhooks/twilio/voice', voice({ sid, from: phone, to: number }), signature)
      expect(res.status).toBe(401)
    }
    expect(await activitiesOf(org, client.org_client_id)).toEqual([])
    expect(await unmatchedRows(org, sid)).toEqual([])
  })

  it("keeps a call off our timeline when the caller is only another business's client", async () => {
    const ours = await createOrg()
    const ourNumber = await ownNumber(ours)
    const ourClient = await createClient(ours, { first_name: 'Ours', phone: clientPhone() })
    const { org: theirs, client: theirClient, phone } = await businessWithClient()
    const sid = callSid()
    await twilioPost('/webhooks/twilio/voice', voice({ sid, from: phone, to: ourNumber }))
    expect(await activitiesOf(ours, ourClient.org_client_id)).toEqual([])
    expect((await timelineOf(ours, ourClient.org_client_id)).filter((i) => i.type === 'activity')).toEqual([])
    expect(await activitiesOf(theirs, theirClient.org_client_id)).toEqual([])
    // Logged once in the called business's own log, not as an activity; a replay adds nothing.
    await twilioPost('/webhooks/twilio/voice', voice({ sid, from: phone, to: ourNumber }))
    const rows = await unmatchedRows(ours, sid)
    expect(rows).toHaveLength(1)
    expect(rows[0]).toMatchObject({ status: 'skipped', detail: expect.stringContaining('no client of this business') })
    expect(await unmatchedRows(theirs, sid)).toEqual([])
  })

  it('gives a call only to the business whose number was called when two hold the same phone', async () => {
    const phone = clientPhone()
    const a = await businessWithClient(phone)
    const b = await businessWithClient(phone)
    await twilioPost('/webhooks/twilio/voice', voice({ sid: callSid(), from: phone, to: b.number }))
    expect(await activitiesOf(a.org, a.client.org_client_id)).toEqual([])
    expect(await activitiesOf(b.org, b.client.org_client_id)).toHaveLength(1)
  })

  it("files nothing for a call on HomeBase's shared number: it is no one business's", async () => {
    const org = await createOrg()
    const phone = clientPhone()
    const client = await createClient(org, { first_name: 'Shared', phone })
    const sid = callSid()
    const res = await twilioPost('/webhooks/twilio/voice', voice({ sid, from: phone, to: env.TWILIO_FROM_NUMBER! }))
    expect(res.status).toBe(200)
    expect(await activitiesOf(org, client.org_client_id)).toEqual([])
    expect(await unmatchedRows(org, sid)).toEqual([])
  })

  it('records an unanswered inbound call as a missed call, a recorded one as a voicemail, and ignores ringing', async () => {
    const { org, number, client, phone } = await businessWithClient()
    await twilioPost(
      '/webhooks/twilio/voice',
      voice({ sid: callSid(), from: phone, to: number, CallStatus: 'ringing', CallDuration: '' }),
    )
    expect(await activitiesOf(org, client.org_client_id)).toEqual([])

    await twilioPost(
      '/webhooks/twilio/voice',
      voice({ sid: callSid(), from: phone, to: number, CallStatus: 'no-answer', CallDuration: '0' }),
    )
    await twilioPost(
      '/webhooks/twilio/voice',
      voice({
        sid: callSid(),
        from: phone,
        to: number,
        CallStatus: 'completed',
        DialCallStatus: 'busy',
        CallDuration: '31',
        RecordingUrl: RECORDING,
      }),
    )
    const calls = await activitiesOf(org, client.org_client_id)
    const missed = calls.find((c) => c.duration_seconds === 0)
    const voicemail = calls.find((c) => c.url)
    expect(calls).toHaveLength(2)
    expect(missed).toMatchObject({ type: 'call', direction: 'inbound', duration_seconds: 0 })
    expect(missed!.summary).toBe(`Missed call from ${phone}`)
    expect(voicemail).toMatchObject({ duration_seconds: 31, url: RECORDING })
    expect(voicemail!.summary).toMatch(/^Voicemail from /)
    const outcomes = (await timelineOf(org, client.org_client_id))
      .filter((i) => i.type === 'activity')
      .map((i) => i.data['outcome'])
      .sort()
    expect(outcomes).toEqual(['missed', 'voicemail'])

    const { staff } = await signIn(org)
    const page = await (await staff.get(`/app/clients/${client.org_client_id}`)).text()
    expect(page).toContain('data-outcome="missed"')
    expect(page).toContain(`href="${RECORDING}"`)
  })
})

/** The owner of `org` signed in on the pages, with the session's CSRF token. */
async function signIn(org: TestOrg) {
  const staff = new Staff()
  await staff.post('/login', { email: org.email, password: org.password })
  return { staff, csrf: await staff.csrfToken() }
}

describe('calls logged by hand', () => {
  it('logs a call through the API with its length, outcome and link; another business gets 404', async () => {
    const { org, client } = await businessWithClient()
    const res = await api(org, 'POST', `/api/v1/clients/${client.org_client_id}/activities`, {
      type: 'call',
      direction: 'outbound',
      summary: 'Confirmed Thursday.',
      duration_seconds: 300,
      url: RECORDING,
    })
    expect(res.status).toBe(201)
    expect((await res.json<{ activity: Activity }>()).activity).toMatchObject({
      type: 'call',
      direction: 'outbound',
      summary: 'Confirmed Thursday.',
      duration_seconds: 300,
      url: RECORDING,
      source: 'staff',
      author_id: null,
    })
    const missed = await api(org, 'POST', `/api/v1/clients/${client.org_client_id}/activities`, {
      type: 'call',
      direction: 'inbound',
      summary: 'Left no message',
      duration_seconds: 60,
      outcome: 'missed',
    })
    expect((await missed.json<{ activity: Activity }>()).activity).toMatchObject({
      duration_seconds: 0,
      summary: 'Missed call: Left no message',
    })
    const bad = await api(org, 'POST', `/api/v1/clients/${client.org_client_id}/activities`, {
      type: 'call',
      summary: 'x',
      url: 'javascript:alert(1)',
    })
    expect(bad.status).toBe(400)

    const stranger = await createOrg()
    const refused = await api(stranger, 'POST', `/api/v1/clients/${client.org_client_id}/activities`, {
      type: 'call',
      direction: 'inbound',
      summary: 'Was here',
    })
    expect(refused.status).toBe(404)
    expect(await activitiesOf(org, client.org_client_id)).toHaveLength(2)
  })

  it('logs a call from the client page, with htmx and without, and refuses a stranger or a missing CSRF token', async () => {
    const { org, client } = await businessWithClient()
    const { staff, csrf } = await signIn(org)
    const path = `/app/clients/${client.org_client_id}/calls`
    const page = await (await staff.get(`/app/clients/${client.org_client_id}`)).text()
    expect(page).toContain(`action="${path}"`)

    const plain = await staff.post(path, {
      _csrf: csrf,
      direction: 'outbound',
      outcome: 'answered',
      duration_minutes: '4.5',
      notes: 'Quoted the gutters.',
    })
    expect(plain.status).toBe(303)
    expect(plain.headers.get('location')).toBe(`/app/clients/${client.org_client_id}#activities`)
    const [logged] = await activitiesOf(org, client.org_client_id)
    expect(logged).toMatchObject({
      type: 'call',
      direction: 'outbound',
      duration_seconds: 270,
      summary: 'Quoted the gutters.',
      author_id: org.userId,
    })

    const hx = await staff.post(path, { _csrf: csrf, direction: 'inbound', outcome: 'missed', notes: '' }, HX)
    expect(hx.status).toBe(200)
    const html = await hx.text()
    expect(html).toContain('Call logged.')
    expect(html).toContain('data-outcome="missed"')
    expect(html).toContain('hx-target="#timeline"')

    const invalid = await staff.post(
      path,
      { _csrf: csrf, direction: 'inbound', outcome: 'answered', duration_minutes: 'lots' },
      HX,
    )
    expect(invalid.status).toBe(422)
    expect(await invalid.text()).toContain('Enter the minutes the call lasted')

    expect((await staff.post(path, { direction: 'inbound', outcome: 'answered' }, HX)).status).toBe(403)
    const other = await businessWithClient()
    const foreign = await staff.post(
      `/app/clients/${other.client.org_client_id}/calls`,
      { _csrf: csrf, direction: 'inbound', outcome: 'answered' },
      HX,
    )
    expect(foreign.status).toBe(404)
    expect(await activitiesOf(other.org, other.client.org_client_id)).toEqual([])
    expect(await activitiesOf(org, client.org_client_id)).toHaveLength(2)
  })
})

describe('calls logged on a lead', () => {
  it("logs a call from the lead's page, moving its last contact, and not on another business's lead", async () => {
    const { org } = await businessWithClient()
    const { staff, csrf } = await signIn(org)
    const created = await api(org, 'POST', '/api/v1/leads', { first_name: 'Lena', phone: clientPhone() })
    const { lead_id } = await created.json<{ lead_id: string }>()
    const page = await (await staff.get(`/app/leads/${lead_id}`)).text()
    expect(page).toContain(`action="/app/leads/${lead_id}/calls"`)
    const res = await staff.post(
      `/app/leads/${lead_id}/calls`,
      {
        _csrf: csrf,
        direction: 'outbound',
        outcome: 'voicemail',
        duration_minutes: '1',
        notes: 'Asked her to call back.',
      },
      HX,
    )
    expect(res.status).toBe(200)
    expect(await res.text()).toContain('data-outcome="voicemail"')
    const lead = await (await api(org, 'GET', `/api/v1/leads/${lead_id}`)).json<{ last_contact_at: string | null }>()
    const activities = (
      await (await api(org, 'GET', `/api/v1/leads/${lead_id}/activities`)).json<{ items: Activity[] }>()
    ).items
    expect(activities.filter((a) => a.type === 'call')).toMatchObject([
      { direction: 'outbound', duration_seconds: 60, summary: 'Voicemail: Asked her to call back.' },
    ])
    expect(lead.last_contact_at).toEqual(activities[0]!.occurred_at)

    const stranger = await createOrg()
    const { staff: other, csrf: otherCsrf } = await signIn(stranger)
    const refused = await other.post(
      `/app/leads/${lead_id}/calls`,
      { _csrf: otherCsrf, direction: 'inbound', outcome: 'answered' },
      HX,
    )
    expect(refused.status).toBe(404)
  })
})

const JOBBER_CLIENT = 'Z2lkOi8vSm9iYmVyL0NsaWVudC80Mg=='
const noteOk = () => json({ data: { clientCreateNote: { clientNote: { id: 'note-1' }, userErrors: [] } } })
const isNote = (call: Call) => call.url === JOBBER_GRAPHQL && call.body.includes('clientCreateNote')
const noteMessages = (calls: Call[]) =>
  calls
    .filter(isNote)
    .map((c) => (JSON.parse(c.body) as { variables: { clientId: string; input: { message: string } } }).variables)

/** A business with its own number, connected to Jobber, with a client that came from Jobber. */
async function linkedClient() {
  const { org, staff, csrf } = await signedInOwner()
  const connectionId = await connectJobber(staff, csrf, org)
  const number = await ownNumber(org)
  const phone = clientPhone()
  const client = await createClient(org, { first_name: 'Casey', phone, source: 'jobber', external_id: JOBBER_CLIENT })
  return { org, connectionId, client, phone, number }
}

const callPushRows = async (org: TestOrg, connectionId: string) =>
  (await syncLogOf(org, connectionId)).filter((r) => r.step === 'push' && r.topic?.startsWith('call_')).reverse()

describe('calls pushed to the CRM', () => {
  it('pushes a call once as a Jobber note with its duration, direction and recording, and not again on a replay', async () => {
    const { org, connectionId, client, phone, number } = await linkedClient()
    const stub = stubFetch((call) => (isNote(call) ? noteOk() : undefined))
    const sid = callSid()
    const callback = voice({ sid, from: phone, to: number, RecordingUrl: RECORDING })
    await twilioPost('/webhooks/twilio/voice', callback)
    await twilioPost('/webhooks/twilio/voice', callback)
    await vi.waitFor(async () => expect(await callPushRows(org, connectionId)).toHaveLength(1), {
      timeout: 8000,
      interval: 200,
    })
    // A later call proves the queue moved on past the replay: two notes in all, never three.
    await api(org, 'POST', `/api/v1/clients/${client.org_client_id}/activities`, {
      type: 'call',
      direction: 'outbound',
      summary: 'Called back about the quote.',
      duration_seconds: 60,
    })
    await vi.waitFor(async () => expect(await callPushRows(org, connectionId)).toHaveLength(2), {
      timeout: 8000,
      interval: 200,
    })
    const notes = noteMessages(stub.calls)
    expect(notes).toHaveLength(2)
    expect(notes.every((n) => n.clientId === JOBBER_CLIENT)).toBe(true)
    const first = notes.find((n) => n.input.message.startsWith('Call from'))!
    expect(first.input.message).toMatch(/^Call from the client, logged in HomeBase \(2026-12-07T15:00:00\.000Z\)/)
    expect(first.input.message).toContain('Duration: 3 min 12 s')
    expect(first.input.message).toContain(`Recording: ${RECORDING}`)
    expect(notes.map((n) => n.input.message.split(',')[0]).sort()).toEqual([
      'Call from the client',
      'Call to the client',
    ])
    const rows = await callPushRows(org, connectionId)
    expect(rows.map((r) => [r.status, r.topic, r.orgClientId])).toEqual(
      expect.arrayContaining([
        ['ok', 'call_inbound', client.org_client_id],
        ['ok', 'call_outbound', client.org_client_id],
      ]),
    )
  })

  it('pushes nothing while "sync calls" is off', async () => {
    const { org, connectionId, client, phone, number } = await linkedClient()
    await orgSql(
      org,
      `update connections set settings = json_set(settings, '$.sync_calls', json('false')) where id = ?`,
      connectionId,
    )
    const stub = stubFetch((call) => (isNote(call) ? noteOk() : undefined))
    const sid = callSid()
    await twilioPost('/webhooks/twilio/voice', voice({ sid, from: phone, to: number }))
    const [off] = await activitiesOf(org, client.org_client_id)
    expect(off).toMatchObject({ external_id: sid })
    // What the call would hand to the events queue with the setting off: nothing.
    const queued = await runInDurableObject(orgStub(env, org.organizationId), (_o, state) =>
      callPushes(drizzle(state.storage, { schema }), off!),
    )
    expect(queued).toEqual([])

    await orgSql(
      org,
      `update connections set settings = json_set(settings, '$.sync_calls', json('true')) where id = ?`,
      connectionId,
    )
    await twilioPost('/webhooks/twilio/voice', voice({ sid: callSid(), from: phone, to: number, CallDuration: '61' }))
    await vi.waitFor(async () => expect(await callPushRows(org, connectionId)).toHaveLength(1), {
      timeout: 8000,
      interval: 200,
    })
    const notes = noteMessages(stub.calls)
    expect(notes).toHaveLength(1)
    expect(notes[0]!.input.message).toContain('Duration: 1 min 1 s')
  })
})
