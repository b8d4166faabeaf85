/** Texts and codes that must not go twice or to the wrong place: replayed Twilio replies, the outbox outside development. */
import { createExecutionContext, env } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import { app } from '../src/app'
import type { Env } from '../src/env'
import { codesCanGo, codeText, maskCodes, pointCodeText } from '../src/portal/deliver-code'
import { api, BASE, createClient, createOrg, type TestOrg } from './helpers/factories'
import { twilioPost } from './helpers/messaging'
import { Staff } from './helpers/browserless'
import { businessWithClient, codeFromOutbox, Homeowner, portalPath } from './helpers/portal'
import { eventsOf } from './helpers/webhooks'

const sid = () => `SM${crypto.randomUUID().replace(/-/g, '')}`
const newPhone = () => `+1720555${String(1000 + Math.floor(Math.random() * 8999))}`

/** Twilio's inbound SMS form with a fixed MessageSid, so the same request can be posted again. */
const inbound = (from: string, body: string, messageSid = sid()) => ({
  ToCountry: 'US',
  SmsMessageSid: messageSid,
  NumMedia: '0',
  SmsStatus: 'received',
  Body: body,
  To: env.TWILIO_FROM_NUMBER!,
  From: from,
  AccountSid: env.TWILIO_ACCOUNT_SID!,
  ApiVersion: '2010-04-01',
  MessageSid: messageSid,
})

const smsConsent = async (org: TestOrg, id: string) =>
  (await (await api(org, 'GET', `/api/v1/clients/${id}`)).json<{ consents: { sms_opt_in: boolean } }>()).consents
    .sms_opt_in

describe('POST /webhooks/twilio/sms sent again with a MessageSid seen before', () => {
  it('answers a replayed STOP and ignores it: the client who wrote START stays opted in, with one opt-out on the timeline', async () => {
    const phone = newPhone()
    const org = await createOrg()
    const client = await createClient(org, { first_name: 'Sam', phone })
    const stop = inbound(phone, 'STOP')
    expect((await twilioPost('/webhooks/twilio/sms', stop)).status).toBe(200)
    expect(await smsConsent(org, client.org_client_id)).toBe(false)
    await twilioPost('/webhooks/twilio/sms', inbound(phone, 'START'))
    expect(await smsConsent(org, client.org_client_id)).toBe(true)

    // The captured STOP, byte for byte: same params, same URL, so the same valid signature.
    const replay = await twilioPost('/webhooks/twilio/sms', stop)
    expect(replay.status).toBe(200)
    expect(replay.headers.get('content-type')).toContain('text/xml')
    expect(await replay.text()).toBe('<?xml version="1.0" encoding="UTF-8"?><Response></Response>')
    expect(await smsConsent(org, client.org_client_id)).toBe(true)
    const types = (await eventsOf(org, client.org_client_id)).map((e) => e.type)
    expect(types.filter((t) => t === 'sms_opt_out')).toHaveLength(1)
    expect(types.filter((t) => t === 'sms_opt_in')).toHaveLength(1)
    expect(types.filter((t) => t === 'message')).toHaveLength(2)
  })

  it('files a replayed ordinary reply once, and answers a replayed HELP without a second reply', async () => {
    const phone = newPhone()
    const org = await createOrg()
    const client = await createClient(org, { first_name: 'Ray', phone })
    const reply = inbound(phone, 'Can we do 3pm instead?')
    await twilioPost('/webhooks/twilio/sms', reply)
    expect((await twilioPost('/webhooks/twilio/sms', reply)).status).toBe(200)
    const events = await eventsOf(org, client.org_client_id)
    expect(events.filter((e) => e.type === 'message').map((e) => e.data['body'])).toEqual(['Can we do 3pm instead?'])
    expect(events.filter((e) => e.type === 'replied')).toHaveLength(1)
    const rows = await env.PEOPLE.prepare('select from_e164, to_e164 from inbound_sms where message_sid = ?')
      .bind(reply.MessageSid)
      .all()
    expect(rows.results).toEqual([{ from_e164: phone, to_e164: env.TWILIO_FROM_NUMBER }])

    const help = inbound(phone, 'HELP')
    expect(await (await twilioPost('/webhooks/twilio/sms', help)).text()).toContain('<Message>')
    expect(await (await twilioPost('/webhooks/twilio/sms', help)).text()).toBe(
      '<?xml version="1.0" encoding="UTF-8"?><Response></Response>',
    )
  })
})

/** A request to the Worker as deployed with `vars` over the test bindings (APP_ENV, providers). */
function fetchAs(vars: Partial<Env>, path: string, init: RequestInit = {}) {
  return app.fetch(
    new Request(`${BASE}${path}`, { redirect: 'manual', ...init }),
    { ...env, ...vars },
    createExecutionContext(),
  )
}

const postCodeRequest = (vars: Partial<Env>, path: string, channel: 'sms' | 'email') =>
  fetchAs(vars, `${path}/verify`, {
    method: 'POST',
    body: new URLSearchParams({ channel }).toString(),
    headers: { origin: BASE, 'content-type': 'application/x-www-form-urlencoded' },
  })

const outboxRows = async (to: string) =>
  (await env.PEOPLE.prepare('select count(*) as n from outbox where "to" = ?').bind(to).first<{ n: number }>())!.n

describe("the outbox provider and homeowners' codes", () => {
  it('in production: /dev/outbox hides the code from the owner, and "send me a code" refuses the outbox with 503', async () => {
    const { org, client, phone, email } = await businessWithClient(`Codes Plumbing ${crypto.randomUUID().slice(0, 6)}`)
    const path = await portalPath(org, client.org_client_id)
    // A code the outbox kept before (tests may send codes through it).
    expect((await new Homeowner().post(`${path}/verify`, { channel: 'sms' })).status).toBe(303)
    const code = await codeFromOutbox(phone)
    const owner = new Staff()
    await owner.post('/login', { email: org.email, password: org.password })

    const page = await (
      await fetchAs({ APP_ENV: 'production' }, '/dev/outbox', { headers: { cookie: owner.cookie } })
    ).text()
    expect(page).toContain(phone)
    expect(page).toContain('•••••• is your HomeBase code')
    expect(page).not.toContain(code)
    expect(page).toContain('data-testid="codes-hidden"')

    const codesBefore = await env.PEOPLE.prepare(
      'select count(*) as n from homeowner_codes where person_id = (select person_id from person_phones where phone_e164 = ?)',
    )
      .bind(phone)
      .first<{ n: number }>()
    for (const [channel, to, words] of [
      ['sms', phone, 'texting'],
      ['email', email, 'email'],
    ] as const) {
      const before = await outboxRows(to)
      const refused = await postCodeRequest({ APP_ENV: 'production' }, path, channel)
      expect(refused.status).toBe(503)
      expect(await refused.text()).toContain(
        `Sign-in codes can&#39;t be sent: this business&#39;s ${words} isn&#39;t set up yet.`,
      )
      expect(await outboxRows(to)).toBe(before)
    }
    const codesAfter = await env.PEOPLE.prepare(
      'select count(*) as n from homeowner_codes where person_id = (select person_id from person_phones where phone_e164 = ?)',
    )
      .bind(phone)
      .first<{ n: number }>()
    expect(codesAfter).toEqual(codesBefore)
    // A real provider takes codes in production; the outbox does only in local development and tests.
    expect(codesCanGo({ ...env, APP_ENV: 'production', SMS_PROVIDER: 'twilio' }, 'sms')).toBe(true)
    expect(codesCanGo({ ...env, APP_ENV: 'production', SMS_PROVIDER: 'twilio' }, 'email')).toBe(false)
    expect(codesCanGo({ ...env, APP_ENV: 'staging' }, 'sms')).toBe(false)
  })

  it('in development: /dev/outbox is a mail catcher showing every message whole, codes included', async () => {
    const { org, client, email } = await businessWithClient(`Catcher Cleaning ${crypto.randomUUID().slice(0, 6)}`)
    const path = await portalPath(org, client.org_client_id)
    expect((await postCodeRequest({ APP_ENV: 'development' }, path, 'email')).status).toBe(303)
    const code = await codeFromOutbox(email)
    const page = await (await fetchAs({ APP_ENV: 'development' }, '/dev/outbox')).text()
    expect(page).toContain(`Your HomeBase code is ${code}.`)
    expect(page).not.toContain('data-testid="codes-hidden"')
  })

  it('masks the code in every text a code is sent in', () => {
    for (const channel of ['sms', 'email'] as const) {
      for (const text of [codeText(channel, '493027'), pointCodeText(channel, '493027')]) {
        expect(maskCodes(text.body)).not.toContain('493027')
        expect(maskCodes(text.body)).toContain('••••••')
      }
    }
    expect(maskCodes('Your visit is at 10:00, invoice 123456.')).toBe('Your visit is at 10:00, invoice 123456.')
  })
})
