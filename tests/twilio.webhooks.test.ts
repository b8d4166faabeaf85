import { env } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import { api, createClient, createOrg, unique } from './helpers/factories'
import { messagesOf, twilioPost, deliveredSms } from './helpers/messaging'

const inbound = (from: string, body: string, to = env.TWILIO_FROM_NUMBER!) => ({
  ToCountry: 'US',
  SmsMessageSid: `SM${crypto.randomUUID().replace(/-/g, '')}`,
  NumMedia: '0',
  SmsStatus: 'received',
  Body: body,
  To: to,
  From: from,
  AccountSid: env.TWILIO_ACCOUNT_SID!,
  ApiVersion: '2010-04-01',
  MessageSid: `SM${crypto.randomUUID().replace(/-/g, '')}`,
})

const consentOf = async (org: Awaited<ReturnType<typeof createOrg>>, id: string) =>
  (await (await api(org, 'GET', `/api/v1/clients/${id}`)).json<{ consents: { sms_opt_in: boolean } }>()).consents

describe('POST /webhooks/twilio/sms', () => {
  it('opts the sender out of SMS from every organization texting from that number, and back in with START', async () => {
    const phone = `+1720555${String(1000 + Math.floor(Math.random() * 8999))}`
    const [a, b] = [await createOrg(), await createOrg()]
    const inA = await createClient(a, { first_name: 'Sam', phone })
    const inB = await createClient(b, { first_name: 'Sam', phone })
    const res = await twilioPost('/webhooks/twilio/sms', inbound(phone, 'stop'))
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toContain('text/xml')
    expect(await consentOf(a, inA.org_client_id)).toMatchObject({ sms_opt_in: false })
    expect(await consentOf(b, inB.org_client_id)).toMatchObject({ sms_opt_in: false })
    const reason = await env.PEOPLE.prepare('select reason from point_consents where point = ? and organization_id = ?')
      .bind(phone, a.organizationId)
      .first<{ reason: string }>()
    expect(reason?.reason).toBe(`Replied "stop" to ${env.TWILIO_FROM_NUMBER}`)

    await twilioPost('/webhooks/twilio/sms', inbound(phone, 'START'))
    expect(await consentOf(a, inA.org_client_id)).toMatchObject({ sms_opt_in: true })
  })

  it('leaves organizations that text from another number alone', async () => {
    const phone = `+1720555${String(1000 + Math.floor(Math.random() * 8999))}`
    const own = await createOrg()
    await api(own, 'PATCH', '/api/v1/organization', { sms_from: '+13035550111' })
    const client = await createClient(own, { first_name: 'Lee', phone })
    await twilioPost('/webhooks/twilio/sms', inbound(phone, 'STOP'))
    expect(await consentOf(own, client.org_client_id)).toMatchObject({ sms_opt_in: true })
    await twilioPost('/webhooks/twilio/sms', inbound(phone, 'STOP', '+13035550111'))
    expect(await consentOf(own, client.org_client_id)).toMatchObject({ sms_opt_in: false })
  })

  it('rejects a bad signature with 401 and changes nothing', async () => {
    const phone = `+1720555${String(1000 + Math.floor(Math.random() * 8999))}`
    const org = await createOrg()
    const client = await createClient(org, { first_name: 'Kim', phone })
    for (const sig of ['bm90IGEgc2lnbmF0dXJl', '']) {
      const res = await twilioPost('/webhooks/twilio/sms', inbound(phone, 'STOP'), sig)
      expect(res.status).toBe(401)
    }
    expect(await consentOf(org, client.org_client_id)).toMatchObject({ sms_opt_in: true })
  })

  it('answers HELP with the business name, how to get help and how to stop', async () => {
    const phone = `+1720555${String(1000 + Math.floor(Math.random() * 8999))}`
    const org = await createOrg({ organization_name: `Helpful Plumbing ${unique()}` })
    await api(org, 'PATCH', '/api/v1/organization', { phone: '(303) 555-0142' })
    await createClient(org, { first_name: 'Pat', phone })
    const xml = await (await twilioPost('/webhooks/twilio/sms', inbound(phone, 'HELP'))).text()
    expect(xml).toMatch(
      /^<\?xml version="1.0" encoding="UTF-8"\?><Response><Message>Helpful Plumbing .+: appointment and billing messages\. For help, call \+13035550142\. Reply STOP to opt out\. Msg &#38; data rates may apply\.<\/Message><\/Response>$/,
    )
  })

  it('stores any other reply on the client timeline as a reply', async () => {
    const phone = `+1720555${String(1000 + Math.floor(Math.random() * 8999))}`
    const org = await createOrg()
    const client = await createClient(org, { first_name: 'Ray', phone })
    const xml = await (await twilioPost('/webhooks/twilio/sms', inbound(phone, 'Can we do 3pm instead?'))).text()
    expect(xml).toContain('<Response></Response>')
    const timeline = await (await api(org, 'GET', `/api/v1/clients/${client.org_client_id}/timeline`)).json<{
      items: Array<{ type: string; data: { body?: string } }>
    }>()
    expect(timeline.items.find((i) => i.type === 'message')?.data.body).toBe('Can we do 3pm instead?')
    expect(timeline.items.map((i) => i.type)).toContain('replied')
  })
})

describe('POST /webhooks/twilio/status', () => {
  it('moves a message forward only: a late "sent" never overwrites "delivered"', async () => {
    const { org, to, sid } = await deliveredSms()
    const callback = (status: string) => ({
      AccountSid: env.TWILIO_ACCOUNT_SID!,
      ApiVersion: '2010-04-01',
      From: env.TWILIO_FROM_NUMBER!,
      MessageSid: sid,
      MessageStatus: status,
      SmsSid: sid,
      SmsStatus: status,
      To: to,
    })
    expect((await twilioPost('/webhooks/twilio/status', callback('delivered'))).status).toBe(204)
    expect((await twilioPost('/webhooks/twilio/status', callback('sent'))).status).toBe(204)
    expect((await messagesOf(org))[0]).toMatchObject({ status: 'delivered' })
    expect((await twilioPost('/webhooks/twilio/status', callback('failed'), 'AAAA')).status).toBe(401)
    expect((await messagesOf(org))[0]).toMatchObject({ status: 'delivered' })
  })

  it('records an undelivered message as failed with the error code', async () => {
    const { org, to, sid } = await deliveredSms()
    await twilioPost('/webhooks/twilio/status', {
      MessageSid: sid,
      MessageStatus: 'undelivered',
      ErrorCode: '30003',
      To: to,
      From: env.TWILIO_FROM_NUMBER!,
      AccountSid: env.TWILIO_ACCOUNT_SID!,
    })
    expect((await messagesOf(org))[0]).toMatchObject({ status: 'failed', reason: 'provider undelivered (error 30003)' })
  })
})
