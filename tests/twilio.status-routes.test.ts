/**
 * Status callbacks find their organization by the message's sid: a hit is remembered in the
 * isolate (a sid names one message forever), a miss never is, and one business's callbacks never
 * move another's messages.
 */
import { env, SELF } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import { messageSenders } from '../src/messaging/message-routes'
import { twilioSignature } from '../src/messaging/twilio-signature'
import { BASE } from './helpers/factories'
import { messagesOf, twilioPost, deliveredSms } from './helpers/messaging'

const callback = (sid: string, to: string, status: string) => ({
  AccountSid: env.TWILIO_ACCOUNT_SID!,
  From: env.TWILIO_FROM_NUMBER!,
  MessageSid: sid,
  MessageStatus: status,
  To: to,
})

const routeOf = (sid: string) =>
  env.PEOPLE.prepare('select organization_id, message_id from message_routes where provider_message_id = ?')
    .bind(sid)
    .first<{ organization_id: string; message_id: string }>()

const dropRoute = (sid: string) =>
  env.PEOPLE.prepare('delete from message_routes where provider_message_id = ?').bind(sid).run()

describe('POST /webhooks/twilio/status', () => {
  it('remembers the organization of a sid it found, so the next callback needs no route read', async () => {
    const { org, to, sid } = await deliveredSms()
    expect((await twilioPost('/webhooks/twilio/status', callback(sid, to, 'sent'))).status).toBe(204)
    expect(messageSenders.get(sid)).toBe(org.organizationId)
    // The route row gone from D1: only the remembered organization still finds the message.
    await dropRoute(sid)
    expect((await twilioPost('/webhooks/twilio/status', callback(sid, to, 'delivered'))).status).toBe(204)
    expect((await messagesOf(org))[0]).toMatchObject({ status: 'delivered' })
  })

  it('never remembers a sid it did not find: a callback before the route was written, then one after', async () => {
    const { org, to, sid } = await deliveredSms()
    const route = (await routeOf(sid))!
    await dropRoute(sid)
    messageSenders.delete(sid)
    expect((await twilioPost('/webhooks/twilio/status', callback(sid, to, 'delivered'))).status).toBe(204)
    expect(messageSenders.get(sid)).toBeUndefined()
    expect((await messagesOf(org))[0]!.status).not.toBe('delivered')
    await env.PEOPLE.prepare(
      'insert into message_routes (provider_message_id, organization_id, message_id) values (?, ?, ?)',
    )
      .bind(sid, route.organization_id, route.message_id)
      .run()
    expect((await twilioPost('/webhooks/twilio/status', callback(sid, to, 'delivered'))).status).toBe(204)
    expect((await messagesOf(org))[0]).toMatchObject({ status: 'delivered' })
  })

  it("moves only the sending business's message, and a forged callback changes nothing", async () => {
    const a = await deliveredSms()
    const b = await deliveredSms()
    expect((await twilioPost('/webhooks/twilio/status', callback(a.sid, a.to, 'delivered'))).status).toBe(204)
    expect((await messagesOf(a.org))[0]).toMatchObject({ status: 'delivered' })
    expect((await messagesOf(b.org))[0]!.status).not.toBe('delivered')
    const forged = await twilioPost('/webhooks/twilio/status', callback(b.sid, b.to, 'failed'), 'AAAA')
    expect(forged.status).toBe(401)
    expect((await messagesOf(b.org))[0]!.status).not.toBe('failed')
    expect(messageSenders.get(b.sid)).toBeUndefined()
  })
})

describe('X-Twilio-Signature on a callback', () => {
  /** A status callback posted to the Worker's own URL, signed as Twilio would for `signedUrl`. */
  async function postSignedFor(signedUrl: string, params: Record<string, string>) {
    const sig = await twilioSignature(env.TWILIO_AUTH_TOKEN!, signedUrl, Object.entries(params))
    return SELF.fetch(`${BASE}/webhooks/twilio/status`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': sig },
      body: new URLSearchParams(params).toString(),
    })
  }

  it('accepts one signed for the public URL or the URL received, and refuses one signed for another host', async () => {
    const { org, to, sid } = await deliveredSms()
    const publicUrl = `${env.PUBLIC_BASE_URL!.replace(/\/$/, '')}/webhooks/twilio/status`
    expect((await postSignedFor(publicUrl, callback(sid, to, 'sent'))).status).toBe(204)
    expect((await postSignedFor(`${BASE}/webhooks/twilio/status`, callback(sid, to, 'sent'))).status).toBe(204)
    const elsewhere = await postSignedFor(
      'https://attacker.example/webhooks/twilio/status',
      callback(sid, to, 'failed'),
    )
    expect(elsewhere.status).toBe(401)
    expect((await messagesOf(org))[0]!.status).not.toBe('failed')
  })
})
