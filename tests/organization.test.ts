/**
 * The organization settings and the due-time index: one sender number per business,
 * a D1 failure after the object committed, the organization's documented shape, the timeline's
 * message lines.
 */
import {
  createExecutionContext,
  createMessageBatch,
  createScheduledController,
  env,
  getQueueResult,
  runDurableObjectAlarm,
  runInDurableObject,
  waitOnExecutionContext,
} from 'cloudflare:test'
import { afterEach, describe, expect, it } from 'vitest'
import type { Env } from '../src/env'
import worker from '../src/index'
import { checkSenderNumber } from '../src/messaging/sender-number'
import { orgStub } from '../src/organizations'
import { peopleDb } from '../src/db'
import type { EventMessage } from '../src/queues/messages'
import { Staff } from './helpers/browserless'
import { api, createOrg, type TestOrg } from './helpers/factories'
import { json, stubFetch } from './helpers/integrations'
import { bookJob, deliver, messagesOf, orgWithClient, twilioPost } from './helpers/messaging'

const setSender = (org: TestOrg, sms_from: string | null) => api(org, 'PATCH', '/api/v1/organization', { sms_from })
const senderOf = async (org: TestOrg) =>
  (await (await api(org, 'GET', '/api/v1/organization')).json<{ sms_from: string | null }>()).sms_from
const scheduleOf = (org: TestOrg) =>
  env.PEOPLE.prepare('select next_due_at from org_schedule where organization_id = ?')
    .bind(org.organizationId)
    .first<{ next_due_at: string }>()

describe("a sender number is one business's", () => {
  it('refuses a number another business sends from (409), and the number stays with the first', async () => {
    const a = await createOrg()
    const b = await createOrg()
    expect((await setSender(a, '(303) 555-0170')).status).toBe(200)
    const taken = await setSender(b, '+13035550170')
    expect(taken.status).toBe(409)
    expect((await taken.json<{ error: { code: string } }>()).error.code).toBe('conflict')
    expect(await senderOf(b)).toBeNull()
    expect(await senderOf(a)).toBe('+13035550170')
    // A's own number again is fine; once A lets it go, B may have it.
    expect((await setSender(a, '+13035550170')).status).toBe(200)
    expect((await setSender(a, null)).status).toBe(200)
    expect((await setSender(b, '+13035550170')).status).toBe(200)
  })

  it("refuses the platform's shared number", async () => {
    const org = await createOrg()
    expect((await setSender(org, env.TWILIO_FROM_NUMBER!)).status).toBe(409)
    expect(await senderOf(org)).toBeNull()
  })

  it('keeps the sender number out of the quiet-hours setting: only the checked organization update writes it', async () => {
    const [org, other] = await Promise.all([createOrg(), createOrg()])
    expect((await setSender(other, '+13035550188')).status).toBe(200)
    const stub = orgStub(env, org.organizationId)
    // A caller slipping a number in beside the quiet hours (another business's) changes only the hours.
    const sneaky = { quiet_hours: { start: '22:00', end: '07:00' }, sms_from: '+13035550188' }
    await stub.setMessagingSettings(sneaky as Parameters<typeof stub.setMessagingSettings>[0])
    expect(await stub.settings()).toMatchObject({ quiet_hours: { start: '22:00', end: '07:00' }, sms_from: null })
    expect(await senderOf(org)).toBeNull()
  })

  it('lets exactly one of many businesses claiming one number at once have it', async () => {
    const orgs = await Promise.all(Array.from({ length: 8 }, () => createOrg()))
    const answers = await Promise.all(orgs.map((o) => setSender(o, '+13035550171')))
    expect(answers.map((r) => r.status).sort()).toEqual([200, 409, 409, 409, 409, 409, 409, 409])
    const holders = await env.PEOPLE.prepare('select count(*) as n from organizations where sms_from = ?')
      .bind('+13035550171')
      .first<{ n: number }>()
    expect(holders!.n).toBe(1)
  })

  describe('with Twilio as the SMS provider', () => {
    let restore = () => {}
    afterEach(() => restore())
    const twilioEnv = { ...env, SMS_PROVIDER: 'twilio' } as Env

    it('accepts only a number of the account (IncomingPhoneNumbers)', async () => {
      const org = await createOrg()
      const http = stubFetch((call) => {
        if (
          !call.url.startsWith(
            `https://api.twilio.com/2010-04-01/Accounts/${env.TWILIO_ACCOUNT_SID}/IncomingPhoneNumbers.json`,
          )
        )
          return undefined
        const asked = new URL(call.url).searchParams.get('PhoneNumber')
        const owned =
          asked === '+13035550172'
            ? [{ sid: 'PN0001', phone_number: '+13035550172', capabilities: { voice: true, sms: true, mms: true } }]
            : []
        return json({
          incoming_phone_numbers: owned,
          page: 0,
          page_size: 50,
          first_page_uri: '',
          next_page_uri: null,
          uri: '',
        })
      })
      restore = http.restore
      const db = peopleDb(env.PEOPLE)
      await expect(checkSenderNumber(twilioEnv, db, org.organizationId, '+13035550172')).resolves.toBeUndefined()
      await expect(checkSenderNumber(twilioEnv, db, org.organizationId, '+13035550173')).rejects.toMatchObject({
        status: 409,
      })
      const call = http.calls[0]!
      expect(call.headers.get('authorization')).toBe(
        `Basic ${btoa(`${env.TWILIO_ACCOUNT_SID}:${env.TWILIO_AUTH_TOKEN}`)}`,
      )
    })

    it('answers 503 and changes nothing when Twilio cannot be asked', async () => {
      const org = await createOrg()
      restore = stubFetch(() => new Response('{"code":20003,"message":"Authenticate"}', { status: 401 })).restore
      await expect(
        checkSenderNumber(twilioEnv, peopleDb(env.PEOPLE), org.organizationId, '+13035550174'),
      ).rejects.toMatchObject({ status: 503 })
    })
  })
})

describe('a D1 failure after the object committed', () => {
  /** Makes every write to the due-time index fail, as a D1 outage would, until `heal()`. */
  async function breakIndex() {
    await env.PEOPLE.exec('ALTER TABLE org_schedule RENAME TO org_schedule_down')
    return { heal: () => env.PEOPLE.exec('ALTER TABLE org_schedule_down RENAME TO org_schedule') }
  }

  it('still answers 201 for the booking, books it once, and the alarm writes the index later', async () => {
    const { org, client } = await orgWithClient()
    const start = new Date(Date.now() + 3 * 86_400_000).toISOString()
    const outage = await breakIndex()
    let res: Response
    try {
      res = await api(org, 'POST', '/api/v1/jobs', { org_client_id: client.org_client_id, start_at: start })
    } finally {
      await outage.heal()
    }
    expect(res.status).toBe(201)
    const jobs = await (await api(org, 'GET', '/api/v1/jobs')).json<{ items: unknown[] }>()
    expect(jobs.items).toHaveLength(1)
    expect(await scheduleOf(org)).toBeNull()

    expect(await runDurableObjectAlarm(orgStub(env, org.organizationId))).toBe(true)
    const row = await scheduleOf(org)
    expect(row).not.toBeNull()
    expect(Date.parse(row!.next_due_at)).toBe(Date.parse(start) - 24 * 3600_000)
  })

  it("is healed by the cron's sweep when the alarm is gone too", async () => {
    const { org, client } = await orgWithClient()
    const start = new Date(Date.now() + 4 * 86_400_000).toISOString()
    const outage = await breakIndex()
    try {
      expect(
        (await api(org, 'POST', '/api/v1/jobs', { org_client_id: client.org_client_id, start_at: start })).status,
      ).toBe(201)
    } finally {
      await outage.heal()
    }
    // The alarm was lost (say the object moved): only the sweep can find the stale index.
    await runInDurableObject(orgStub(env, org.organizationId), (_o, state) => state.storage.deleteAlarm())
    await env.PEOPLE.prepare('update organizations set schedule_checked_at = ?').bind(new Date().toISOString()).run()
    await env.PEOPLE.prepare('update organizations set schedule_checked_at = null where id = ?')
      .bind(org.organizationId)
      .run()
    // The tick's messages are kept, so the test hands the check to the events consumer itself.
    const events = recordingQueue()
    const ctx = createExecutionContext()
    await (worker as ExportedHandler<Env>).scheduled!(
      createScheduledController({ scheduledTime: Date.now(), cron: '* * * * *' }),
      { ...env, EVENTS: events.queue },
      ctx,
    )
    await waitOnExecutionContext(ctx)
    const check = events.sent.find((m) => m.type === 'check_schedule' && m.organization_id === org.organizationId)
    expect(check).toBeDefined()
    expect(await scheduleOf(org)).toBeNull()

    const batch = createMessageBatch<EventMessage>('homebase-events', [
      { id: 'check-1', timestamp: new Date(), attempts: 1, body: check! },
    ])
    const consumed = createExecutionContext()
    await (worker as ExportedHandler<Env, EventMessage>).queue!(batch, env, consumed)
    expect((await getQueueResult(batch, consumed)).explicitAcks).toEqual(['check-1'])
    expect(Date.parse((await scheduleOf(org))!.next_due_at)).toBe(Date.parse(start) - 24 * 3600_000)
    const checked = await env.PEOPLE.prepare('select schedule_checked_at from organizations where id = ?')
      .bind(org.organizationId)
      .first<{ schedule_checked_at: string | null }>()
    expect(checked!.schedule_checked_at).not.toBeNull()
  })
})

describe('the organization, as documented', () => {
  it('GET and PATCH answer every field in snake_case under the name it is set by', async () => {
    const org = await createOrg()
    const patched = await api(org, 'PATCH', '/api/v1/organization', {
      google_review_url: 'https://g.page/r/shape/review',
      phone: '(303) 555-0175',
      quiet_hours: { start: '20:00', end: '07:30' },
      payment_instructions: 'Zelle to pay@shape.example',
      marketing_cap_per_day: 2,
      campaign_batch_size: 50,
    })
    expect(patched.status).toBe(200)
    const body = await patched.json<Record<string, unknown>>()
    const got = await (await api(org, 'GET', '/api/v1/organization')).json<Record<string, unknown>>()
    for (const shown of [body, got]) {
      expect(shown).toMatchObject({
        id: org.organizationId,
        organization_id: org.organizationId,
        google_review_url: 'https://g.page/r/shape/review',
        phone: '+13035550175',
        quiet_hours: { start: '20:00', end: '07:30' },
        payment_instructions: 'Zelle to pay@shape.example',
        stripe_account_id: null,
        marketing_cap_per_day: 2,
        campaign_batch_size: 50,
        sms_from: null,
        country: 'US',
      })
      expect(typeof shown['timezone']).toBe('string')
      expect(typeof shown['created_at']).toBe('string')
      expect(Object.keys(shown).filter((k) => /[A-Z]/.test(k))).toEqual([])
    }
  })

  it("PATCH /clients/{id} answers with the client's consents, like GET", async () => {
    const { org, client } = await orgWithClient()
    const res = await api(org, 'PATCH', `/api/v1/clients/${client.org_client_id}`, { notes: 'Gate code 1234' })
    expect(res.status).toBe(200)
    const patched = await res.json<{ consents: unknown }>()
    const got = await (await api(org, 'GET', `/api/v1/clients/${client.org_client_id}`)).json<{ consents: unknown }>()
    expect(patched.consents).toEqual(got.consents)
    expect(patched.consents).toMatchObject({ sms_opt_in: true, email_opt_in: true })
  })
})

describe('the client timeline says what each message was', () => {
  it('names channel and purpose of what we sent and quotes what the client answered', async () => {
    const { org, client, phone } = await orgWithClient()
    await api(org, 'PATCH', '/api/v1/organization', { sms_from: '+13035550176' })
    const start = new Date(Date.now() + 2 * 3600_000 + 60_000)
    await bookJob(org, client.org_client_id, start.toISOString())
    await orgStub(env, org.organizationId).decideDueWork(new Date(Date.now() + 2 * 60_000))
    const [reminder] = await messagesOf(org, '?channel=sms')
    await deliver(org, [reminder!.id])
    const reply = await twilioPost('/webhooks/twilio/sms', {
      MessageSid: 'SMtimeline000000000000000000000001',
      From: phone!,
      To: '+13035550176',
      Body: 'Can you come at 3 instead?',
    })
    expect(reply.status).toBe(200)

    const staff = new Staff()
    await staff.post('/login', { email: org.email, password: org.password })
    const html = await (await staff.get(`/app/clients/${client.org_client_id}`)).text()
    const timeline = html.slice(html.indexOf('id="timeline"'))
    expect(timeline).toContain('Text sent (appointment reminder)')
    expect(timeline).toContain(reminder!.body.slice(0, 20))
    expect(timeline).toContain('Text received')
    expect(timeline).toContain('Can you come at 3 instead?')
    expect(timeline).not.toMatch(/>\s*Message\s*</)
  })
})

/** An events queue that keeps what is sent to it instead of delivering it. */
function recordingQueue() {
  const sent: EventMessage[] = []
  const queue = {
    send: async (body: EventMessage) => {
      sent.push(body)
    },
    sendBatch: async (messages: Iterable<MessageSendRequest<EventMessage>>) => {
      for (const m of messages) sent.push(m.body)
    },
  } as unknown as Env['EVENTS']
  return { sent, queue }
}
