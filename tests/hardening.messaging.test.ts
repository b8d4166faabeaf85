import { env } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import { api, createClient, createOrg, type TestOrg } from './helpers/factories'
import { twilioPost } from './helpers/messaging'
import { eventsOf } from './helpers/webhooks'

const sid = () => `SM${crypto.randomUUID().replace(/-/g, '')}`
const newPhone = () => `+1720555${String(1000 + Math.floor(Math.random() * 8999))}`

/** Twilio's inbound SMS form with a fixed MessageSid, so the same request can be posted again. */
const inbound = (from: string, body: string, messageSid = sid()) => ({
  ToCountry: 'US', SmsMessageSid: messageSid, NumMedia: '0', SmsStatus: 'received', Body: body,
  To: env.TWILIO_FROM_NUMBER!, From: from, AccountSid: env.TWILIO_ACCOUNT_SID!, ApiVersion: '2010-04-01', MessageSid: messageSid,
})

const smsConsent = async (org: TestOrg, id: string) =>
  (await (await api(org, 'GET', `/api/v1/clients/${id}`)).json<{ consents: { sms_opt_in: boolean } }>()).consents.sms_opt_in

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
    const rows = await env.PEOPLE.prepare('select from_e164, to_e164 from inbound_sms where message_sid = ?').bind(reply.MessageSid).all()
    expect(rows.results).toEqual([{ from_e164: phone, to_e164: env.TWILIO_FROM_NUMBER }])

    const help = inbound(phone, 'HELP')
    expect(await (await twilioPost('/webhooks/twilio/sms', help)).text()).toContain('<Message>')
    expect(await (await twilioPost('/webhooks/twilio/sms', help)).text()).toBe('<?xml version="1.0" encoding="UTF-8"?><Response></Response>')
  })
})
