/**
 * Fault: the SMS provider answers 500 (and, separately, 429 with Retry-After) for one minute of
 * queue time, then accepts. Every text goes out exactly once, and no retry comes sooner than the
 * documented backoff (10 s, 20 s, 40 s…). Queue time is virtual: the test runs the sends queue.
 */
import { afterEach, describe, expect, it } from 'vitest'
import type { Env } from '../src/env'
import type { SendMessage } from '../src/queues/sends'
import { businessWithDueTexts, figure, QueueRun, sendBodies, twilio, twilioEnv } from './helpers/faults'
import { decideAt, messagesOf } from './helpers/messaging'

const MINUTE = 60_000
const TEXTS = 8

/** The documented backoff before retry n (1-based), capped at 10 minutes. */
const backoff = (n: number) => Math.min(600, 10 * 2 ** (n - 1))

let restore = () => {}
afterEach(() => restore())

/** Texts due now in a new business, decided and handed to a hand-run sends queue. */
async function dueTexts(count: number, sendsEnv = twilioEnv) {
  const dueAt = Math.ceil((Date.now() + 2 * 86_400_000) / MINUTE) * MINUTE
  const { org, phones } = await businessWithDueTexts(count, dueAt)
  const decided = await decideAt(org, new Date(dueAt + 30_000))
  expect(decided.queued).toHaveLength(count)
  const run = new QueueRun<SendMessage>('homebase-sends', sendsEnv, { producer: 'SENDS' })
  run.add(sendBodies(org, decided.queued))
  return { org, phones, run }
}

/** Each message's retry delays, in order of its attempts. */
function delaysByMessage(run: QueueRun<SendMessage>) {
  const delays = new Map<string, number[]>()
  for (const e of run.log.filter((l) => l.outcome === 'retry' || l.outcome === 'thrown'))
    delays.set(e.id, [...(delays.get(e.id) ?? []), e.delaySeconds ?? 0])
  return [...delays.values()]
}

async function outage(status: 500 | 429, texts = TEXTS, sendsEnv = twilioEnv) {
  const { org, phones, run } = await dueTexts(texts, sendsEnv)
  const headers: Record<string, string> = { 'content-type': 'application/json' }
  if (status === 429) headers['retry-after'] = '30'
  const failure = JSON.stringify(
    status === 429 ? { code: 20429, message: 'Too Many Requests' } : { code: 20500, message: 'Internal Server Error' },
  )
  const provider = twilio(() => (run.now < MINUTE ? new Response(failure, { status, headers }) : undefined))
  restore = provider.restore
  const started = Date.now()
  const allSentAt = await run.drain()
  provider.restore()

  // Sent once each: one accepted call per number, and the log says sent.
  for (const phone of phones) expect(provider.accepted(phone)).toBe(1)
  const log = await messagesOf(org, '?purpose=job_upcoming')
  expect(log).toHaveLength(texts)
  expect(log.every((m) => m.status === 'sent' && m.provider_message_id?.startsWith('SM'))).toBe(true)
  expect(run.dead).toEqual([])
  // Every message was refused during the minute and retried, none sooner than the backoff.
  const delays = delaysByMessage(run)
  expect(delays).toHaveLength(texts)
  for (const each of delays) {
    expect(each.length).toBeGreaterThanOrEqual(1)
    each.forEach((d, i) => {
      expect(d).toBeGreaterThanOrEqual(backoff(i + 1))
    })
  }
  const attempts = phones.map((p) => provider.made(p))
  expect(allSentAt).toBeGreaterThanOrEqual(MINUTE)
  return { attempts, delays, allSentAt, wallMs: Date.now() - started }
}

describe('the SMS provider failing for a minute', { timeout: 50_000 }, () => {
  it('500s: every text is sent once after the outage, each retry after the backoff', async () => {
    const { attempts, delays, allSentAt, wallMs } = await outage(500)
    figure('provider-500-for-a-minute', {
      texts: TEXTS,
      attempts_per_text_min: Math.min(...attempts),
      attempts_per_text_max: Math.max(...attempts),
      retry_delays_s: delays[0],
      all_sent_after_s: allSentAt / 1000,
      wall_ms: wallMs,
    })
  })

  it('429s with Retry-After: every text is sent once after the outage, each retry after the backoff', async () => {
    const { attempts, delays, allSentAt, wallMs } = await outage(429)
    figure('provider-429-for-a-minute', {
      texts: TEXTS,
      retry_after_s: 30,
      retry_after_honoured: delays.every((d) => d[0]! >= 30),
      attempts_per_text_min: Math.min(...attempts),
      attempts_per_text_max: Math.max(...attempts),
      retry_delays_s: delays[0],
      all_sent_after_s: allSentAt / 1000,
      wall_ms: wallMs,
    })
  })

  it('500s to texts from one long code (1 a second): every text is sent once, each retry after the backoff', async () => {
    const longCode = () => ({ ...twilioEnv(), TWILIO_MESSAGING_SERVICE_SID: undefined }) as Env
    const { attempts, delays, allSentAt, wallMs } = await outage(500, 3, longCode)
    figure('provider-500-for-a-minute-long-code', {
      texts: 3,
      attempts_per_text_min: Math.min(...attempts),
      attempts_per_text_max: Math.max(...attempts),
      retry_delays_s: delays[0],
      all_sent_after_s: allSentAt / 1000,
      wall_ms: wallMs,
    })
  })

  // The sends consumer waits a 429's Retry-After when it is longer than its own backoff (10 s first).
  it("waits at least the 429's Retry-After before trying again", async () => {
    const { run } = await dueTexts(2)
    const provider = twilio(() =>
      run.now < MINUTE
        ? new Response('{"code":20429,"message":"Too Many Requests"}', {
            status: 429,
            headers: { 'content-type': 'application/json', 'retry-after': '45' },
          })
        : undefined,
    )
    restore = provider.restore
    await run.drain()
    for (const each of delaysByMessage(run)) expect(each[0]).toBeGreaterThanOrEqual(45)
  })
})
