import { createExecutionContext, env, runInDurableObject, SELF } from 'cloudflare:test'
import { describe, expect, it, vi } from 'vitest'
import { app } from '../src/app'
import { runCronTick } from '../src/cron'
import type { Env } from '../src/env'
import { codesCanGo, codeText, maskCodes, pointCodeText } from '../src/portal/deliver-code'
import { orgStub } from '../src/organizations'
import type { EventMessage } from '../src/queues/messages'
import { api, BASE, createClient, createOrg, type TestOrg } from './helpers/factories'
import { messagesOf, runDueAt, twilioPost } from './helpers/messaging'
import { Staff } from './helpers/browserless'
import { businessWithClient, codeFromOutbox, Homeowner, portalPath } from './helpers/portal'
import { funnelOrg, open, reviewLink, reviewRequestsOf } from './helpers/reviews'
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

/** A rating posted from the page, as a browser at `ip` sends it. */
const rate = (path: string, rating: number, ip: string) => SELF.fetch(`${BASE}${path}`, {
  method: 'POST', redirect: 'manual', body: new URLSearchParams({ rating: String(rating) }).toString(),
  headers: { origin: BASE, 'content-type': 'application/x-www-form-urlencoded', 'cf-connecting-ip': ip },
})

const newIp = () => `198.51.100.${1 + Math.floor(Math.random() * 250)}`

async function techWithQr(org: TestOrg) {
  const tech = await (await api(org, 'POST', '/api/v1/techs', { name: 'Alex Rivera' })).json<{ id: string }>()
  const qr = await (await api(org, 'POST', `/api/v1/techs/${tech.id}/qr-codes`, { label: 'Van sticker' })).json<{ code: string }>()
  return { techId: tech.id, code: qr.code }
}

const techRatings = async (org: TestOrg, id: string) =>
  (await (await api(org, 'GET', `/api/v1/techs/${id}`)).json<{ ratings: number; average: number | null }>())

const alertsOf = (org: TestOrg) => messagesOf(org, '?purpose=feedback_alert')

describe('ratings from a QR code', () => {
  it('takes at most 3 a day from one address: the rest get a friendly 429 and nothing is recorded', async () => {
    const { org } = await funnelOrg()
    const { techId, code } = await techWithQr(org)
    const ip = newIp()
    const statuses: number[] = []
    let limited: Response | undefined
    let firstPath = ''
    for (let i = 0; i < 10; i++) {
      const path = (await open(`/q/${code}`)).headers.get('location')!
      firstPath ||= path
      const res = await rate(path, 1, ip)
      statuses.push(res.status)
      if (res.status === 429) limited = res
    }
    expect(statuses).toEqual([200, 200, 200, 429, 429, 429, 429, 429, 429, 429])
    expect(Number(limited!.headers.get('retry-after'))).toBeGreaterThan(86_000)
    const page = await limited!.text()
    expect(page).toContain('data-testid="rating-limit"')
    expect(page).toContain('data-testid="public-review-link"')

    const rated = (await reviewRequestsOf(org)).filter((r) => r.rating !== null)
    expect(rated).toHaveLength(3)
    expect(await techRatings(org, techId)).toMatchObject({ ratings: 3, average: 1 })
    // The first alert went at once; the other two wait for the hour, in one email.
    expect(await alertsOf(org)).toHaveLength(1)

    // Changing a rating already counted is not a new rating; another address has its own 3.
    expect((await rate(firstPath, 4, ip)).status).toBe(200)
    expect((await rate((await open(`/q/${code}`)).headers.get('location')!, 5, newIp())).status).toBe(200)
    expect(await techRatings(org, techId)).toMatchObject({ ratings: 4, average: (4 + 1 + 1 + 5) / 4 })
  })
})

describe('POST /r/{token} a second time', () => {
  it('changes the rating of the same request instead of adding one, with one review_left on the timeline', async () => {
    const { org, client } = await funnelOrg()
    const { path, requestId } = await reviewLink(org, client.org_client_id)
    const ip = newIp()
    expect((await rate(path, 2, ip)).status).toBe(200)
    expect((await rate(path, 4, ip)).status).toBe(200)
    expect((await reviewRequestsOf(org)).filter((r) => r.rating !== null)).toEqual([expect.objectContaining({ id: requestId, rating: 4 })])
    const left = (await eventsOf(org, client.org_client_id)).filter((e) => e.type === 'review_left')
    expect(left.map((e) => e.data)).toEqual([expect.objectContaining({ rating: 4, review_request_id: requestId })])
    const summary = await orgStub(env, org.organizationId).ratingsSummary()
    expect(summary.by_tech).toEqual([expect.objectContaining({ ratings: 1, average: 4 })])
  })
})

describe('owner alerts', () => {
  it('send one email at once and the next low rating of the hour in a digest the cron finds when the hour is up', async () => {
    const { org, client } = await funnelOrg()
    const first = await reviewLink(org, client.org_client_id)
    const second = await reviewLink(org, client.org_client_id)
    await rate(first.path, 1, newIp())
    await rate(second.path, 2, newIp())
    const now = await alertsOf(org)
    expect(now.map((m) => m.subject)).toEqual(['1-star rating from Casey'])

    const sentAt = await runInDurableObject(orgStub(env, org.organizationId), (_o, state) =>
      state.storage.sql.exec<{ at: string }>('select max(sent_at) as at from review_alerts').one().at)
    const due = await env.PEOPLE.prepare('select next_due_at as at from org_schedule where organization_id = ?').bind(org.organizationId).first<{ at: string }>()
    expect(due?.at).toBe(new Date(Date.parse(sentAt) + 60 * 60_000).toISOString())

    // Before the hour, due work sends nothing more; the cron tick at the due time hands this organization to the queue.
    await runDueAt(org, new Date(Date.parse(due!.at) - 60_000))
    expect(await alertsOf(org)).toHaveLength(1)
    const batches: EventMessage[] = []
    const spy = vi.spyOn(env.EVENTS, 'sendBatch').mockImplementation(async (items) => {
      for (const item of items) batches.push(item.body as EventMessage)
      return { metadata: { metrics: { backlogCount: 0, backlogBytes: 0 } } }
    })
    try {
      await runCronTick(env, new Date(due!.at))
    } finally {
      spy.mockRestore()
    }
    expect(batches).toContainEqual({ type: 'run_due', organization_id: org.organizationId, at: expect.any(String) })

    await runDueAt(org, new Date(due!.at))
    await runDueAt(org, new Date(Date.parse(due!.at) + 60_000))
    const all = await alertsOf(org)
    expect(all).toHaveLength(2)
    const digest = all.find((m) => m.id !== now[0]!.id)!
    expect(digest).toMatchObject({ to: org.email, subject: '2-star rating from Casey' })
    expect(digest.body).toContain('Casey rated Sparkle Cleaning 2 out of 5')
    expect(await env.PEOPLE.prepare('select 1 from org_schedule where organization_id = ?').bind(org.organizationId).first()).toBeNull()
  })

  it('list everything that came in during the hour in one email', async () => {
    const { org, client } = await funnelOrg()
    const links = [await reviewLink(org, client.org_client_id), await reviewLink(org, client.org_client_id), await reviewLink(org, client.org_client_id)]
    for (const [i, link] of links.entries()) await rate(link.path, i + 1, newIp())
    await SELF.fetch(`${BASE}${links[1]!.path}/feedback`, {
      method: 'POST', body: new URLSearchParams({ feedback: 'Mud on the carpet.' }).toString(),
      headers: { origin: BASE, 'content-type': 'application/x-www-form-urlencoded' },
    })
    expect(await alertsOf(org)).toHaveLength(1)
    await runDueAt(org, new Date(Date.now() + 61 * 60_000))
    const digest = (await alertsOf(org)).find((m) => m.subject !== '1-star rating from Casey')!
    expect(digest.subject).toBe('2 new low ratings and private feedback')
    expect(digest.body).toContain('1. Private feedback from Casey (2 of 5)')
    expect(digest.body).toContain('Mud on the carpet.')
    expect(digest.body).toContain('2. 3-star rating from Casey')
  })
})

/** A request to the Worker as deployed with `vars` over the test bindings (APP_ENV, providers). */
function fetchAs(vars: Partial<Env>, path: string, init: RequestInit = {}) {
  return app.fetch(new Request(`${BASE}${path}`, { redirect: 'manual', ...init }), { ...env, ...vars }, createExecutionContext())
}

const postCodeRequest = (vars: Partial<Env>, path: string, channel: 'sms' | 'email') => fetchAs(vars, `${path}/verify`, {
  method: 'POST', body: new URLSearchParams({ channel }).toString(),
  headers: { origin: BASE, 'content-type': 'application/x-www-form-urlencoded' },
})

const outboxRows = async (to: string) =>
  (await env.PEOPLE.prepare('select count(*) as n from outbox where "to" = ?').bind(to).first<{ n: number }>())!.n

describe('the outbox provider and homeowners\' codes', () => {
  it('in production: /dev/outbox hides the code from the owner, and "send me a code" refuses the outbox with 503', async () => {
    const { org, client, phone, email } = await businessWithClient(`Codes Plumbing ${crypto.randomUUID().slice(0, 6)}`)
    const path = await portalPath(org, client.org_client_id)
    // A code the outbox kept before (tests may send codes through it).
    expect((await new Homeowner().post(`${path}/verify`, { channel: 'sms' })).status).toBe(303)
    const code = await codeFromOutbox(phone)
    const owner = new Staff()
    await owner.post('/login', { email: org.email, password: org.password })

    const page = await (await fetchAs({ APP_ENV: 'production' }, '/dev/outbox', { headers: { cookie: owner.cookie } })).text()
    expect(page).toContain(phone)
    expect(page).toContain('•••••• is your HomeBase code')
    expect(page).not.toContain(code)
    expect(page).toContain('data-testid="codes-hidden"')

    const codesBefore = await env.PEOPLE.prepare('select count(*) as n from homeowner_codes where person_id = (select person_id from person_phones where phone_e164 = ?)').bind(phone).first<{ n: number }>()
    for (const [channel, to, words] of [['sms', phone, 'texting'], ['email', email, 'email']] as const) {
      const before = await outboxRows(to)
      const refused = await postCodeRequest({ APP_ENV: 'production' }, path, channel)
      expect(refused.status).toBe(503)
      expect(await refused.text()).toContain(`Sign-in codes can&#39;t be sent: this business&#39;s ${words} isn&#39;t set up yet.`)
      expect(await outboxRows(to)).toBe(before)
    }
    const codesAfter = await env.PEOPLE.prepare('select count(*) as n from homeowner_codes where person_id = (select person_id from person_phones where phone_e164 = ?)').bind(phone).first<{ n: number }>()
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
