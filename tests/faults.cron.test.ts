/**
 * Fault: the minute cron overlapping itself: two ticks for the same minute at once, and a slow
 * tick still running when the next minute's tick comes. Every due text goes out once: each
 * reminder gets one message and each client one text at the (stubbed) provider.
 */
import { createExecutionContext, createScheduledController, env, waitOnExecutionContext } from 'cloudflare:test'
import { afterEach, describe, expect, it } from 'vitest'
import type { Env } from '../src/env'
import worker from '../src/index'
import type { EventMessage } from '../src/queues/messages'
import type { SendMessage } from '../src/queues/sends'
import type { TestOrg } from './helpers/factories'
import {
  businessWithDueTexts,
  faultyD1,
  figure,
  patchObjectEnv,
  QueueRun,
  recordingQueue,
  twilio,
  twilioEnv,
} from './helpers/faults'
import { messagesOf } from './helpers/messaging'

const MINUTE = 60_000
const BUSINESSES = 3
const TEXTS = 4

let restore = () => {}
afterEach(() => restore())

/** A cron tick at `at`, with `d1` as its D1; the events it queues are kept. */
async function tick(at: number, d1: D1Database = env.PEOPLE) {
  const events = recordingQueue<EventMessage>()
  const ctx = createExecutionContext()
  const started = Date.now()
  await (worker as ExportedHandler<Env>).scheduled!(
    createScheduledController({ scheduledTime: at, cron: '* * * * *' }),
    { ...env, PEOPLE: d1, EVENTS: events.queue } as Env,
    ctx,
  )
  await waitOnExecutionContext(ctx)
  return { events: events.sent, ms: Date.now() - started }
}

/** Businesses whose texts fall due at `dueAt`, their objects sending into `sends` (a hand-run queue). */
async function businesses(count: number, dueAt: number, sends: QueueRun<SendMessage>) {
  const made = await Promise.all(Array.from({ length: count }, () => businessWithDueTexts(TEXTS, dueAt)))
  for (const { org } of made) await patchObjectEnv(org, (current) => ({ ...current, SENDS: sends.producer }))
  return made
}

const ours = (orgs: TestOrg[], events: EventMessage[]) =>
  events.filter((e) => e.type === 'run_due' && orgs.some((o) => o.organizationId === e.organization_id))

/** Each business's reminders are one message each, all sent, and each client was texted once. */
async function expectOnce(made: Array<{ org: TestOrg; phones: string[] }>, provider: ReturnType<typeof twilio>) {
  for (const { org, phones } of made) {
    const log = await messagesOf(org, '?purpose=job_upcoming&limit=100')
    expect(log).toHaveLength(phones.length)
    expect(log.every((m) => m.status === 'sent')).toBe(true)
    for (const phone of phones) expect(provider.accepted(phone)).toBe(1)
  }
}

describe('the cron overlapping itself', { timeout: 50_000 }, () => {
  it('two ticks for the same minute at once: each due text is sent once', async () => {
    const dueAt = Math.ceil((Date.now() + 2 * 86_400_000) / MINUTE) * MINUTE
    const sends = new QueueRun<SendMessage>('homebase-sends', twilioEnv, { producer: 'SENDS' })
    const made = await businesses(BUSINESSES, dueAt, sends)
    const provider = twilio()
    restore = provider.restore

    const [a, b] = await Promise.all([tick(dueAt + 1_000), tick(dueAt + 1_000)])
    const runDue = [
      ours(
        made.map((m) => m.org),
        a.events,
      ),
      ours(
        made.map((m) => m.org),
        b.events,
      ),
    ]
    expect(runDue.map((r) => r.length)).toEqual([BUSINESSES, BUSINESSES])
    // Both ticks' run_due messages are consumed at the same time, as two consumers would.
    const runs = runDue.map((messages) => {
      const run = new QueueRun<EventMessage>('homebase-events', () => env as Env, { producer: 'EVENTS' })
      run.add(messages)
      return run
    })
    await Promise.all(runs.map((r) => r.drain()))
    expect(sends.size).toBeGreaterThan(0)
    await sends.drain()
    await expectOnce(made, provider)
    figure('cron-two-ticks-same-minute', {
      businesses: BUSINESSES,
      texts: BUSINESSES * TEXTS,
      run_due_delivered: runDue.flat().length,
      sends_queue_deliveries: sends.log.length,
      provider_calls: provider.calls.length,
    })
  })

  it("a slow tick still running when the next minute's tick comes: each due text is sent once", async () => {
    const first = Math.ceil((Date.now() + 3 * 86_400_000) / MINUTE) * MINUTE
    const sends = new QueueRun<SendMessage>('homebase-sends', twilioEnv, { producer: 'SENDS' })
    // Texts due in the first minute, and more due in the next one.
    const early = await businesses(2, first, sends)
    const late = await businesses(1, first + MINUTE, sends)
    const provider = twilio()
    restore = provider.restore

    // The first tick's D1 answers slowly (every statement 400 ms late): it is still running at the next tick.
    const slow = faultyD1(env.PEOPLE, { delayMs: 400 })
    const events = new QueueRun<EventMessage>('homebase-events', () => env as Env, { producer: 'EVENTS' })
    const slowTick = tick(first + 1_000, slow.binding)
    await new Promise((r) => setTimeout(r, 300))
    const next = await tick(first + MINUTE + 1_000)
    const orgs = [...early, ...late].map((m) => m.org)
    // The next tick's run_due messages go while the slow one is still working.
    events.add(ours(orgs, next.events))
    const consumeNext = events.drain()
    const slowDone = await slowTick
    expect(slowDone.ms).toBeGreaterThan(next.ms)
    const slowRunDue = ours(orgs, slowDone.events)
    await consumeNext
    events.add(slowRunDue)
    await events.drain()
    await sends.drain()
    await expectOnce([...early, ...late], provider)
    figure('cron-slow-tick-overlapping-next', {
      texts: 3 * TEXTS,
      slow_tick_ms: slowDone.ms,
      next_tick_ms: next.ms,
      run_due_delivered: events.log.length,
      provider_calls: provider.calls.length,
    })
  })
})
