/**
 * The `sends` consumer in bulk: a batch is claimed per organization in one object call, sent at
 * each number's pace, recorded in one call; each queue message is still acked or retried alone,
 * nothing goes twice, and another business's message id is not found.
 */
import { createExecutionContext, createMessageBatch, env, getQueueResult } from 'cloudflare:test'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { LEASE_MS, Leases, SendPace } from '../durable-objects/org/messaging/send-pace'
import type { Env } from '../src/env'
import { retryAfterSeconds } from '../src/messaging/providers/types'
import {
  backoffSeconds,
  enqueueSends,
  handleDeadSends,
  handleSendBatch,
  idsOf,
  type SendMessage,
} from '../src/queues/sends'
import { api, createClient, createOrg, type TestOrg } from './helpers/factories'
import { json, stubFetch } from './helpers/integrations'
import { bookJob, decideAt, messagesOf } from './helpers/messaging'

const TWILIO = `https://api.twilio.com/2010-04-01/Accounts/${env.TWILIO_ACCOUNT_SID}/Messages.json`
const twilio = { SMS_PROVIDER: 'twilio' }
/** Fast enough that a test of something else never waits on the pace. */
const fast = { ...twilio, SMS_SENDS_PER_SECOND: '1000' }

let numbers = 0
const phone = () => `+1720${String(2_000_000 + Math.floor(Math.random() * 7_000_000) + numbers++).slice(0, 7)}`

type Texts = { org: TestOrg; sender: string; texts: Array<{ id: string; to: string }> }

/** A business sending from its own number, with `n` clients whose 24 h reminder texts are decided and queued. */
async function businessWithTexts(n: number): Promise<Texts> {
  const org = await createOrg({ timezone: 'America/Los_Angeles' })
  const sender = phone()
  const res = await api(org, 'PATCH', '/api/v1/organization', {
    quiet_hours: { start: '00:00', end: '00:00' },
    sms_from: sender,
  })
  expect(res.status).toBe(200)
  for (let i = 0; i < n; i++) {
    const client = await createClient(org, { first_name: `C${i}`, phone: phone() })
    await bookJob(org, client.org_client_id, `2030-06-10T19:0${i}:00Z`)
  }
  await decideAt(org, new Date('2030-06-09T20:00:00Z'))
  const texts = (await messagesOf(org)).filter((m) => m.channel === 'sms' && m.status === 'queued')
  expect(texts).toHaveLength(n)
  return { org, sender, texts: texts.map((m) => ({ id: m.id, to: m.to })) }
}

type Item = { organizationId: string; messageId: string; attempts?: number }

/** Hands the consumer one batch, as the queue would; returns what it acked and retried. */
async function consume(items: Item[], overrides: Partial<Env> & { SMS_SENDS_PER_SECOND?: string } = {}) {
  const batch = createMessageBatch<SendMessage>(
    'homebase-sends',
    items.map((item, i) => ({
      id: `q-${item.messageId}-${i}-${item.attempts ?? 1}`,
      timestamp: new Date(),
      attempts: item.attempts ?? 1,
      body: { organization_id: item.organizationId, message_id: item.messageId },
    })),
  )
  // The delay each retry asked for (the queue's result names the message only).
  const delays: Record<string, number | undefined> = {}
  for (const m of batch.messages)
    vi.spyOn(m, 'retry').mockImplementation(function (this: Message, options?: QueueRetryOptions) {
      delays[m.id] = options?.delaySeconds
      return Object.getPrototypeOf(m).retry.call(m, options)
    })
  const ctx = createExecutionContext()
  await handleSendBatch(batch, { ...env, ...overrides })
  return { ...(await getQueueResult(batch, ctx)), delays }
}

const itemsOf = (b: Texts, attempts = 1): Item[] =>
  b.texts.map((t) => ({ organizationId: b.org.organizationId, messageId: t.id, attempts }))

/** Twilio answering each text with a SID; `answer` may fail a recipient instead. */
function twilioStub(answer: (to: string) => Response | undefined = () => undefined) {
  const at: number[] = []
  let n = 0
  const stub = stubFetch((call) => {
    if (call.url !== TWILIO) return undefined
    at.push(Date.now())
    const form = new URLSearchParams(call.body)
    return answer(form.get('To')!) ?? json({ sid: `SM${String(++n).padStart(32, '0')}`, status: 'queued' }, 201)
  })
  const sent = () => stub.to(TWILIO).map((c) => Object.fromEntries(new URLSearchParams(c.body)))
  return { ...stub, at, sent }
}

let restore = () => {}
afterEach(() => restore())

describe('a sends batch of two businesses', () => {
  it("sends each message once from its own business's number, records each SID and its route", async () => {
    const [a, b] = await Promise.all([businessWithTexts(2), businessWithTexts(2)])
    const stub = twilioStub()
    restore = stub.restore
    // Interleaved, as a queue mixes them.
    const items = [itemsOf(a)[0]!, itemsOf(b)[0]!, itemsOf(a)[1]!, itemsOf(b)[1]!]
    const result = await consume(items, fast)
    expect(result.explicitAcks).toHaveLength(4)
    expect(result.retryMessages).toHaveLength(0)

    const sent = stub.sent()
    expect(sent).toHaveLength(4)
    for (const business of [a, b])
      for (const t of business.texts)
        expect(sent.filter((s) => s.To === t.to)).toEqual([expect.objectContaining({ From: business.sender })])

    for (const business of [a, b]) {
      const log = await messagesOf(business.org)
      for (const t of business.texts) {
        const m = log.find((x) => x.id === t.id)!
        expect(m).toMatchObject({ status: 'sent', attempts: 1, provider_message_id: expect.stringMatching(/^SM/) })
        const route = await env.PEOPLE.prepare(
          'select organization_id, message_id from message_routes where provider_message_id = ?',
        )
          .bind(m.provider_message_id)
          .first()
        expect(route).toEqual({ organization_id: business.org.organizationId, message_id: t.id })
      }
    }
  })

  it('sends nothing twice: a redelivered batch, and a message twice in one batch', async () => {
    const a = await businessWithTexts(2)
    const stub = twilioStub()
    restore = stub.restore
    const first = itemsOf(a)
    // The same message twice in one batch (a redelivery beside the first delivery): one send, both acked.
    const once = await consume([...first, { ...first[0]!, attempts: 2 }], fast)
    expect(once.explicitAcks).toHaveLength(3)
    expect(stub.sent()).toHaveLength(2)

    const again = await consume(itemsOf(a, 2), fast)
    expect(again.explicitAcks).toHaveLength(2)
    expect(again.retryMessages).toHaveLength(0)
    expect(stub.sent()).toHaveLength(2)
    expect((await messagesOf(a.org)).map((m) => m.attempts)).toEqual([1, 1])
  })

  it('sends each text once when two consumers hold the same batch at once (a redelivery while the first runs)', async () => {
    const a = await businessWithTexts(3)
    const stub = twilioStub()
    restore = stub.restore
    const [first, second] = await Promise.all([consume(itemsOf(a), fast), consume(itemsOf(a, 2), fast)])
    // One consumer sends; the other finds the messages leased and hands them back for later, acked.
    expect(first.explicitAcks).toHaveLength(3)
    expect(second.explicitAcks).toHaveLength(3)
    expect(stub.sent()).toHaveLength(3)
    expect(new Set(stub.sent().map((s) => s.To))).toEqual(new Set(a.texts.map((t) => t.to)))
    expect((await messagesOf(a.org)).map((m) => [m.status, m.attempts])).toEqual(Array(3).fill(['sent', 1]))
  })

  it('writes the local outbox in bulk, once per message, and a redelivery keeps the first row', async () => {
    const [a, b] = await Promise.all([businessWithTexts(2), businessWithTexts(1)])
    const items = [...itemsOf(a), ...itemsOf(b)]
    expect((await consume(items)).explicitAcks).toHaveLength(3)
    expect((await consume(items.map((i) => ({ ...i, attempts: 2 })))).explicitAcks).toHaveLength(3)
    for (const business of [a, b])
      for (const m of await messagesOf(business.org)) {
        const rows = (
          await env.PEOPLE.prepare('select id, "from", organization_id from outbox where message_id = ?')
            .bind(m.id)
            .all()
        ).results
        expect(rows).toEqual([
          { id: m.provider_message_id, from: business.sender, organization_id: business.org.organizationId },
        ])
      }
  })
})

describe('a failure in a batch', () => {
  it('retries only the text the provider failed, with its backoff; the others are acked and sent', async () => {
    const a = await businessWithTexts(3)
    const down = a.texts[1]!
    const stub = twilioStub((to) =>
      to === down.to ? json({ code: 20500, message: 'Internal Server Error' }, 500) : undefined,
    )
    restore = stub.restore
    const items = itemsOf(a, 2)
    const result = await consume(items, fast)
    expect(result.retryMessages).toEqual([{ msgId: `q-${down.id}-1-2` }])
    expect(result.delays).toEqual({ [`q-${down.id}-1-2`]: backoffSeconds(2) })
    expect(result.explicitAcks.sort()).toEqual([`q-${a.texts[0]!.id}-0-2`, `q-${a.texts[2]!.id}-2-2`].sort())
    const log = await messagesOf(a.org)
    expect(log.find((m) => m.id === down.id)).toMatchObject({ status: 'queued', attempts: 1 })
    expect(
      log
        .filter((m) => m.status === 'sent')
        .map((m) => m.id)
        .sort(),
    ).toEqual([a.texts[0]!.id, a.texts[2]!.id].sort())
  })

  it("waits a 429's Retry-After when it is longer than the backoff", async () => {
    const a = await businessWithTexts(2)
    const [slow, busy] = a.texts
    const stub = twilioStub((to) => {
      const body = { code: 20429, message: 'Too Many Requests' }
      if (to === slow!.to) return json(body, 429, { 'retry-after': '45' })
      if (to === busy!.to) return json(body, 429, { 'retry-after': '3' })
      return undefined
    })
    restore = stub.restore
    const result = await consume(itemsOf(a), fast)
    expect(result.retryMessages).toHaveLength(2)
    // Asked for 45 s: 45 s. Asked for 3 s: the backoff's 10 s still applies.
    expect(result.delays).toEqual({ [`q-${slow!.id}-0-1`]: 45, [`q-${busy!.id}-1-1`]: backoffSeconds(1) })
  })

  it('reads Retry-After as seconds or as an HTTP date', () => {
    const at = Date.parse('2030-01-01T00:00:00Z')
    const res = (value: string) => new Response(null, { status: 429, headers: { 'retry-after': value } })
    expect(retryAfterSeconds(res('120'), at)).toBe(120)
    expect(retryAfterSeconds(res('Tue, 01 Jan 2030 00:01:30 GMT'), at)).toBe(90)
    expect(retryAfterSeconds(res('soon'), at)).toBeUndefined()
    expect(retryAfterSeconds(new Response(null, { status: 429 }), at)).toBeUndefined()
  })

  it('fails only the text with a permanent error, without a retry', async () => {
    const a = await businessWithTexts(2)
    const bad = a.texts[0]!
    const stub = twilioStub((to) =>
      to === bad.to ? json({ code: 21610, message: 'Attempt to send to unsubscribed recipient' }, 400) : undefined,
    )
    restore = stub.restore
    const result = await consume(itemsOf(a), fast)
    expect(result.explicitAcks).toHaveLength(2)
    expect(result.retryMessages).toHaveLength(0)
    const log = await messagesOf(a.org)
    expect(log.find((m) => m.id === bad.id)).toMatchObject({
      status: 'failed',
      reason: expect.stringContaining('21610'),
    })
    expect(log.find((m) => m.id === a.texts[1]!.id)).toMatchObject({ status: 'sent' })
  })

  it('marks dead-lettered messages failed, one call per business', async () => {
    const [a, b] = await Promise.all([businessWithTexts(1), businessWithTexts(1)])
    const batch = createMessageBatch<SendMessage>(
      'homebase-sends-dlq',
      [...itemsOf(a, 6), ...itemsOf(b, 6)].map((item, i) => ({
        id: `dead-${i}`,
        timestamp: new Date(),
        attempts: 1,
        body: { organization_id: item.organizationId, message_id: item.messageId },
      })),
    )
    const ctx = createExecutionContext()
    await handleDeadSends(batch, env)
    expect((await getQueueResult(batch, ctx)).explicitAcks).toHaveLength(2)
    for (const business of [a, b])
      expect(await messagesOf(business.org)).toEqual([
        expect.objectContaining({ status: 'failed', reason: 'dead-lettered after retries' }),
      ])
  })
})

describe("a number's pace", () => {
  it('starts texts from one long code a second apart (Twilio: 1 a second)', async () => {
    const a = await businessWithTexts(3)
    const stub = twilioStub()
    restore = stub.restore
    const started = Date.now()
    expect((await consume(itemsOf(a), twilio)).explicitAcks).toHaveLength(3)
    expect(stub.at).toHaveLength(3)
    const gaps = stub.at.slice(1).map((t, i) => t - stub.at[i]!)
    for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(900)
    expect(Date.now() - started).toBeGreaterThanOrEqual(1800)
  })

  it('sends through a Messaging Service at its own rate (100 a second): no wait for a few texts', async () => {
    const a = await businessWithTexts(3)
    const stub = twilioStub()
    restore = stub.restore
    const result = await consume(itemsOf(a), {
      ...twilio,
      TWILIO_MESSAGING_SERVICE_SID: 'MG00000000000000000000000000000001',
    })
    expect(result.explicitAcks).toHaveLength(3)
    expect(stub.sent().map((s) => s.MessagingServiceSid)).toEqual(Array(3).fill('MG00000000000000000000000000000001'))
    expect(Math.max(...stub.at) - Math.min(...stub.at)).toBeLessThan(500)
  })

  it('hands a text whose slot is far off back to the queue, without counting an attempt', async () => {
    const a = await businessWithTexts(3)
    const stub = twilioStub()
    restore = stub.restore
    // One text every 10 s: the first goes now, the others' slots are past the 5 s a batch holds one.
    const result = await consume(itemsOf(a), { ...twilio, SMS_SENDS_PER_SECOND: '0.1' })
    expect(result.explicitAcks).toHaveLength(3)
    expect(result.retryMessages).toHaveLength(0)
    expect(stub.sent()).toHaveLength(1)
    const log = await messagesOf(a.org)
    expect(log.filter((m) => m.status === 'sent')).toHaveLength(1)
    expect(log.filter((m) => m.status === 'queued').map((m) => m.attempts)).toEqual([0, 0])
  })
})

describe("another business's message", () => {
  it("is not found: its id inside this business's queue message sends nothing and leaves it queued", async () => {
    const [mine, theirs] = await Promise.all([businessWithTexts(1), businessWithTexts(1)])
    const stub = twilioStub()
    restore = stub.restore
    const forged = { organizationId: mine.org.organizationId, messageId: theirs.texts[0]!.id }
    const result = await consume([forged, ...itemsOf(mine)], fast)
    expect(result.explicitAcks).toHaveLength(2)
    expect(stub.sent()).toEqual([expect.objectContaining({ To: mine.texts[0]!.to, From: mine.sender })])
    expect(await messagesOf(theirs.org)).toEqual([expect.objectContaining({ status: 'queued', attempts: 0 })])
    const res = await api(mine.org, 'GET', `/api/v1/messages/${theirs.texts[0]!.id}`)
    expect(res.status).toBe(404)
  })
})

describe('slots and leases, on their own clock', () => {
  it('gives one number a slot a second, another number its own, and a Messaging Service one line for all', () => {
    const pace = new SendPace()
    const longCode = { perSecond: 1, by: 'number' as const }
    expect(pace.slot(longCode, 'a', '+1', 0)).toEqual({ delayMs: 0 })
    expect(pace.slot(longCode, 'b', '+1', 0)).toEqual({ delayMs: 1000 })
    expect(pace.slot(longCode, 'c', '+2', 0)).toEqual({ delayMs: 0 })
    // Past the 5 s a batch holds a text: back to the queue, its slot kept for when it returns.
    for (const id of ['d', 'e', 'f', 'g']) pace.slot(longCode, id, '+1', 0)
    expect(pace.slot(longCode, 'h', '+1', 0)).toEqual({ laterSeconds: 6 })
    expect(pace.slot(longCode, 'h', '+1', 500)).toEqual({ laterSeconds: 6 })
    expect(pace.slot(longCode, 'h', '+1', 2_000)).toEqual({ delayMs: 4_000 })
    // The slot kept for h is not given to anyone else.
    expect(pace.slot(longCode, 'i', '+1', 2_000)).toEqual({ delayMs: 5_000 })
    const service = { perSecond: 100, by: 'service' as const }
    const other = new SendPace()
    expect(other.slot(service, 'x', '+1', 0)).toEqual({ delayMs: 0 })
    expect(other.slot(service, 'y', '+2', 0)).toEqual({ delayMs: 10 })
  })

  it('holds a claimed message for its lease, and frees it when recorded or when the lease ends', () => {
    const leases = new Leases()
    leases.take(['m1', 'm2'], 0)
    expect(leases.heldFor('m1', 1_000)).toBe(Math.ceil((LEASE_MS - 1_000) / 1000))
    expect(leases.heldFor('m3', 1_000)).toBe(0)
    leases.release(['m1'])
    expect(leases.heldFor('m1', 1_000)).toBe(0)
    expect(leases.heldFor('m2', LEASE_MS)).toBe(0)
  })
})

/** Hands the consumer one queue message carrying `ids` (the shape `enqueueSends` writes). */
async function consumeCarrier(organizationId: string, ids: string[], attempts = 1, overrides: Partial<Env> = {}) {
  const batch = createMessageBatch<SendMessage>('homebase-sends', [
    {
      id: `carrier-${ids[0]}-${attempts}`,
      timestamp: new Date(),
      attempts,
      body: { organization_id: organizationId, message_ids: ids },
    },
  ])
  const ctx = createExecutionContext()
  await handleSendBatch(batch, { ...env, ...overrides })
  return getQueueResult(batch, ctx)
}

describe('a queue message carrying many sends', () => {
  it('is what a run enqueues: 100 sends to a queue message', async () => {
    const sent: SendMessage[] = []
    const queue = {
      ...env.SENDS,
      sendBatch: async (batch: Iterable<MessageSendRequest<SendMessage>>) =>
        void sent.push(...[...batch].map((m) => m.body)),
    }
    const ids = Array.from({ length: 250 }, (_, i) => `m${i}`)
    await enqueueSends({ ...env, SENDS: queue as unknown as Queue }, 'org-1', ids)
    expect(sent.map((b) => idsOf(b).length).sort()).toEqual([100, 100, 50])
    expect(sent.flatMap(idsOf).sort()).toEqual([...ids].sort())
  })

  it('sends each once; one transient failure retries the whole message, and its redelivery sends only that one', async () => {
    const b = await businessWithTexts(3)
    const failing = b.texts[1]!.to
    let fail = true
    const stub = twilioStub((to) => (to === failing && fail ? json({ code: 20500, message: 'busy' }, 500) : undefined))
    restore = stub.restore
    const ids = b.texts.map((t) => t.id)
    const first = await consumeCarrier(b.org.organizationId, ids, 1, fast)
    expect(first.retryMessages).toHaveLength(1)
    expect(first.explicitAcks).toHaveLength(0)
    expect(stub.sent()).toHaveLength(3)

    fail = false
    const again = await consumeCarrier(b.org.organizationId, ids, 2, fast)
    expect(again.explicitAcks).toHaveLength(1)
    // Three texts, one of them tried twice: four calls, and every text sent once.
    const sent = stub.sent()
    expect(sent).toHaveLength(4)
    for (const t of b.texts) expect(sent.filter((s) => s.To === t.to).length).toBe(t.to === failing ? 2 : 1)
    const log = await messagesOf(b.org)
    for (const t of b.texts) expect(log.find((m) => m.id === t.id)).toMatchObject({ status: 'sent' })
  })

  it('fails every send it carries on the last attempt and in the dead-letter queue, and reads the one-send shape', async () => {
    const b = await businessWithTexts(2)
    const stub = twilioStub(() => json({ code: 20500, message: 'down' }, 500))
    restore = stub.restore
    const ids = b.texts.map((t) => t.id)
    const last = await consumeCarrier(b.org.organizationId, ids, 6, fast)
    expect(last.retryMessages).toHaveLength(1)
    const log = await messagesOf(b.org)
    for (const id of ids) expect(log.find((m) => m.id === id)).toMatchObject({ status: 'failed' })

    const c = await businessWithTexts(2)
    const dead = createMessageBatch<SendMessage>('homebase-sends-dlq', [
      {
        id: 'dead-1',
        timestamp: new Date(),
        attempts: 1,
        body: { organization_id: c.org.organizationId, message_ids: [c.texts[0]!.id] },
      },
      {
        id: 'dead-2',
        timestamp: new Date(),
        attempts: 1,
        body: { organization_id: c.org.organizationId, message_id: c.texts[1]!.id },
      },
    ])
    const ctx = createExecutionContext()
    await handleDeadSends(dead, env)
    expect((await getQueueResult(dead, ctx)).explicitAcks).toHaveLength(2)
    const dlog = await messagesOf(c.org)
    for (const t of c.texts)
      expect(dlog.find((m) => m.id === t.id)).toMatchObject({ status: 'failed', error: 'dead-lettered after retries' })
  })
})
