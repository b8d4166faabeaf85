// The load benchmark's webhooks: signed as each provider signs them (../shared/PROVIDERS.md), sent at a
// fixed rate whatever the answers' pace (open loop), a share of them sent again as a provider's retry or a
// captured request replayed (bench/README.md, "Load").
import { createHmac, randomBytes } from 'node:crypto'
import { timed } from './load-staff.mjs'
import { person, pick, random } from './load-seed.mjs'

/** Which provider's delivery, how often. Twilio status callbacks need a sent message's SID; until one exists an inbound text goes instead. */
const MIX = [
  ['housecallpro', 35],
  ['jobber', 25],
  ['sms', 20],
  ['status', 20],
]
const REPLIES = [
  'Is tomorrow still on?',
  'Running 10 minutes late',
  'Thanks!',
  'Can we move to Friday?',
  'Gate is open',
]
/** At most this many webhooks waiting for their answer; more would only measure the generator's queue. */
const MAX_IN_FLIGHT = 2000

const sleep = (ms) => new Promise((r) => setTimeout(r, ms))
const sid = () => `SM${randomBytes(16).toString('hex')}`

/** Twilio's X-Twilio-Signature: base64 HMAC-SHA1 over the URL and every param, sorted by name. */
export function twilioSignature(token, url, params) {
  const data = Object.keys(params)
    .sort()
    .reduce((s, k) => s + k + params[k], url)
  return createHmac('sha1', token).update(data).digest('base64')
}

/** Makes each provider's next delivery for a random business. `publicBase` is the URL Twilio was told (PUBLIC_BASE_URL). */
export function deliveries({ base, publicBase, businesses, twilio, sids, seed = 1 }) {
  const rnd = random(seed)
  let n = 0
  const form = (path, params) => ({
    url: `${base}${path}`,
    init: {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-twilio-signature': twilioSignature(twilio.TWILIO_AUTH_TOKEN, `${publicBase}${path}`, params),
      },
      body: new URLSearchParams(params).toString(),
    },
  })
  const make = {
    housecallpro(b) {
      const i = n++
      const c = person(b.b, 700_000 + (i % 500))
      const body = JSON.stringify({
        id: `evt_${b.b}_${i}`,
        event: pick(rnd, ['customer.updated', 'customer.created']),
        customer: {
          id: `cus_${b.b}_${i % 500}`,
          first_name: c.first,
          last_name: c.last,
          email: c.email,
          mobile_number: c.phone,
        },
      })
      const ts = String(Math.floor(Date.now() / 1000))
      const signature = createHmac('sha256', b.housecallpro.secret).update(`${ts}.${body}`).digest('hex')
      return {
        url: `${base}/webhooks/housecallpro/${b.housecallpro.id}`,
        init: {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'api-timestamp': ts, 'api-signature': signature },
          body,
        },
        expected: [200],
      }
    },
    jobber(b) {
      const i = n++
      const body = JSON.stringify({
        data: {
          webHookEvent: {
            topic: pick(rnd, ['CLIENT_UPDATE', 'JOB_UPDATE', 'VISIT_COMPLETE']),
            appId: 'load-app',
            accountId: Buffer.from(`gid://Jobber/Account/${b.b}`).toString('base64'),
            itemId: Buffer.from(`gid://Jobber/Item/${i}`).toString('base64'),
            occurredAt: new Date().toISOString(),
          },
        },
      })
      const signature = createHmac('sha256', b.jobber.secret).update(body).digest('base64')
      return {
        url: `${base}/webhooks/jobber/${b.jobber.id}`,
        init: {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-jobber-hmac-sha256': signature },
          body,
        },
        expected: [200],
      }
    },
    sms(b) {
      const c = person(b.b, Math.floor(rnd() * b.imported.total))
      const id = sid()
      const params = {
        MessageSid: id,
        SmsSid: id,
        SmsMessageSid: id,
        AccountSid: twilio.TWILIO_ACCOUNT_SID,
        From: c.e164,
        To: twilio.TWILIO_FROM_NUMBER,
        Body: pick(rnd, REPLIES),
        NumMedia: '0',
        NumSegments: '1',
        SmsStatus: 'received',
        ApiVersion: '2010-04-01',
      }
      return { ...form('/webhooks/twilio/sms', params), expected: [200] }
    },
    status(b) {
      if (sids.length === 0) return make.sms(b)
      const roll = rnd()
      const status = roll < 0.9 ? 'delivered' : roll < 0.95 ? 'sent' : 'undelivered'
      const id = pick(rnd, sids)
      const params = {
        MessageSid: id,
        SmsSid: id,
        MessageStatus: status,
        SmsStatus: status,
        AccountSid: twilio.TWILIO_ACCOUNT_SID,
        From: twilio.TWILIO_FROM_NUMBER,
        To: '+14155550100',
        ApiVersion: '2010-04-01',
        ...(status === 'undelivered' ? { ErrorCode: '30003' } : {}),
      }
      return { ...form('/webhooks/twilio/status', params), expected: [204] }
    },
  }
  const total = MIX.reduce((s, [, w]) => s + w, 0)
  return () => {
    let roll = rnd() * total
    const [kind] = MIX.find(([, w]) => (roll -= w) < 0) ?? MIX[0]
    const actual = kind === 'status' && sids.length === 0 ? 'sms' : kind
    return { kind: actual, ...make[actual](pick(rnd, businesses)) }
  }
}

/**
 * Sends `rate` webhooks a second until `deadline` without waiting for answers; a `replayShare` of
 * them are an earlier request sent again byte for byte. Returns what was sent and how far behind it fell.
 */
export async function webhookStream({ next, rate, replayShare, deadline, recorder, seed = 2 }) {
  const rnd = random(seed)
  const recent = []
  const inFlight = new Set()
  const started = performance.now()
  let sent = 0
  let skipped = 0
  const fire = (request, group) => {
    const p = timed(recorder, group, request.url, request.init, request.expected).finally(() => inFlight.delete(p))
    inFlight.add(p)
  }
  while (performance.now() < deadline) {
    const due = Math.floor(((performance.now() - started) / 1000) * rate)
    for (; sent < due; sent++) {
      if (inFlight.size >= MAX_IN_FLIGHT) {
        skipped++
        continue
      }
      if (recent.length > 50 && rnd() < replayShare) {
        const old = pick(rnd, recent)
        fire(old, `webhook: ${old.kind} (replay)`)
      } else {
        const request = next()
        fire(request, `webhook: ${request.kind}`)
        recent.push(request)
        if (recent.length > 500) recent.shift()
      }
    }
    await sleep(5)
  }
  await Promise.all(inFlight)
  return { sent, skipped, seconds: (performance.now() - started) / 1000 }
}

/** Collects the campaign's sent messages' provider ids, as Twilio would know them, every few seconds until `deadline`. */
export async function sidPoller({ base, key, sids, deadline, recorder }) {
  const seen = new Set()
  while (performance.now() < deadline) {
    const { body, ok } = await timed(
      recorder,
      'api: messages sent (for status callbacks)',
      `${base}/api/v1/messages?channel=sms&status=sent&limit=200`,
      { headers: { authorization: `Bearer ${key}` } },
      [200],
    )
    if (ok) {
      for (const m of JSON.parse(body).items) {
        if (m.provider_message_id && !seen.has(m.provider_message_id)) {
          seen.add(m.provider_message_id)
          sids.push(m.provider_message_id)
        }
      }
    }
    await sleep(3000)
  }
}
