// Over 300 lines on purpose: every fault switch the fault tests share (a stubbed Twilio, the hand-run queue, D1 and object faults) in one place, so each test file reads as its fault.
/**
 * Fault switches for tests/faults.*.test.ts, all on the test's side: a Twilio that answers as the
 * test says, a queue run by hand on a virtual clock, D1 bindings that fail or crawl, and an ORG
 * object given other bindings or reset. Nothing here is reachable from a request.
 */
import { createExecutionContext, createMessageBatch, env, getQueueResult, runInDurableObject } from 'cloudflare:test'
import { vi } from 'vitest'
import type { Env } from '../../src/env'
import worker from '../../src/index'
import { orgStub } from '../../src/organizations'
import { api, createClient, createOrg, type TestOrg } from './factories'
import { json } from './integrations'

const HOUR = 3_600_000

/** Prints one line of figures for the closing note: `fault: <name> {json}`. */
export function figure(name: string, figures: Record<string, unknown>): void {
  console.log(`fault: ${name} ${JSON.stringify(figures)}`)
}

export type TwilioCall = { to: string; body: string; n: number }

/**
 * Twilio's Messages API stubbed at the fetch boundary: `answer` says how each call is answered
 * (undefined: accepted with a fresh SID). Every call is recorded with the number it went to.
 */
export function twilio(
  answer: (call: TwilioCall) => Response | undefined | Promise<Response | undefined> = () => undefined,
) {
  const calls: Array<TwilioCall & { status: number }> = []
  const spy = vi.spyOn(globalThis, 'fetch').mockImplementation(async (input, init) => {
    const req = new Request(input, init)
    if (!req.url.startsWith('https://api.twilio.com/'))
      return new Response(`unstubbed ${req.method} ${req.url}`, { status: 599 })
    const form = new URLSearchParams(new TextDecoder().decode(await req.arrayBuffer()))
    const made: TwilioCall = { to: form.get('To') ?? '', body: form.get('Body') ?? '', n: calls.length + 1 }
    const res =
      (await answer(made)) ??
      json({ sid: `SM${crypto.randomUUID().replace(/-/g, '')}`, status: 'queued', to: made.to }, 201)
    calls.push({ ...made, status: res.status })
    return res
  })
  return {
    calls,
    /** Calls Twilio accepted, per number. */
    accepted: (to: string) => calls.filter((c) => c.to === to && c.status < 300).length,
    /** Calls made, per number. */
    made: (to: string) => calls.filter((c) => c.to === to).length,
    restore: () => spy.mockRestore(),
  }
}

/**
 * The env the sends consumer runs with in these tests: texts go to (the stubbed) Twilio through a
 * Messaging Service, whose pace (100 a second) keeps a test's few texts from waiting on a long code's 1 a second.
 */
export const twilioEnv = (): Env =>
  ({ ...env, SMS_PROVIDER: 'twilio', TWILIO_MESSAGING_SERVICE_SID: 'MG00000000000000000000000000000001' }) as Env

type Delivery<B> = { id: string; body: B; attempts: number; visibleAt: number }

export type QueueLogEntry = {
  id: string
  attempt: number
  at: number
  outcome: 'ack' | 'retry' | 'thrown' | 'dead'
  delaySeconds?: number
}

/**
 * A queue run by hand on a virtual clock (ms from 0): batches of what is visible go to the
 * Worker's `queue()` handler; acks end a message, retries come back after their `delaySeconds`,
 * and a handler that throws retries whatever it did not settle (as Cloudflare Queues do). After
 * `maxRetries` retries a message is dead-lettered. Tests read `log` for attempts and delays.
 */
export class QueueRun<B> {
  now = 0
  readonly log: QueueLogEntry[] = []
  readonly dead: Array<Delivery<B>> = []
  private pending: Array<Delivery<B>> = []
  private seq = 0

  constructor(
    private readonly queue: string,
    private readonly handlerEnv: () => Env,
    private readonly opts: {
      batchSize?: number
      maxRetries?: number
      /** The env binding that sends to this queue: the handler's own sends come back here. */
      producer?: keyof Env
    } = {},
  ) {}

  /** This queue as a producer binding: what the handler sends (with its delay) joins the run. */
  readonly producer = {
    send: async (body: B, options?: QueueSendOptions) => this.enqueue(body, options?.delaySeconds ?? 0),
    sendBatch: async (messages: Iterable<MessageSendRequest<B>>) => {
      for (const m of messages) this.enqueue(m.body, m.delaySeconds ?? 0)
    },
  } as unknown as Queue<B>

  private enqueue(body: B, delaySeconds: number): void {
    this.pending.push({ id: `m${++this.seq}`, body, attempts: 1, visibleAt: this.now + delaySeconds * 1000 })
  }

  add(bodies: B[]): void {
    for (const body of bodies) this.enqueue(body, 0)
  }

  get size(): number {
    return this.pending.length
  }

  /** Delivers one batch of what is visible now; returns how many went. */
  async step(): Promise<number> {
    const visible = this.pending.filter((d) => d.visibleAt <= this.now).slice(0, this.opts.batchSize ?? 100)
    if (visible.length === 0) return 0
    this.pending = this.pending.filter((d) => !visible.includes(d))
    await this.handle(visible)
    return visible.length
  }

  /** Hands the same deliveries to the handler `times` times at once, as a queue that lost its acks would. */
  async duplicate(times: number): Promise<void> {
    const visible = this.pending.filter((d) => d.visibleAt <= this.now)
    this.pending = this.pending.filter((d) => !visible.includes(d))
    await Promise.all(Array.from({ length: times }, () => this.handle(visible.map((d) => ({ ...d })))))
  }

  /** Runs until nothing is left, moving the virtual clock to the next visible message; returns the clock. */
  async drain(limitMs = 3_600_000): Promise<number> {
    while (this.pending.length > 0) {
      if ((await this.step()) > 0) continue
      const next = Math.min(...this.pending.map((d) => d.visibleAt))
      if (next > limitMs) throw new Error(`queue still busy at ${next} ms`)
      this.now = next
    }
    return this.now
  }

  private async handle(deliveries: Array<Delivery<B>>): Promise<void> {
    const batch = createMessageBatch<B>(
      this.queue,
      deliveries.map((d) => ({ id: d.id, timestamp: new Date(), attempts: d.attempts, body: d.body })),
    )
    // This pool's queue result drops `delaySeconds`: each message's retry is watched for it here.
    const delays = new Map<string, number>()
    let batchDelay = 0
    for (const message of batch.messages) {
      const retry = message.retry.bind(message)
      Object.defineProperty(message, 'retry', {
        value: (options?: QueueRetryOptions) => {
          delays.set(message.id, options?.delaySeconds ?? 0)
          retry(options)
        },
      })
    }
    const retryAll = batch.retryAll.bind(batch)
    Object.defineProperty(batch, 'retryAll', {
      value: (options?: QueueRetryOptions) => {
        batchDelay = options?.delaySeconds ?? 0
        retryAll(options)
      },
    })
    const ctx = createExecutionContext()
    let thrown = false
    const handlerEnv = this.opts.producer
      ? { ...this.handlerEnv(), [this.opts.producer]: this.producer }
      : this.handlerEnv()
    try {
      await (worker as ExportedHandler<Env, B>).queue!(batch, handlerEnv as Env, ctx)
    } catch {
      thrown = true
    }
    const result = await getQueueResult(batch, ctx)
    const acked = new Set<string>(result.explicitAcks)
    const retried = new Map<string, number>(
      result.retryMessages.map((r: { msgId: string }) => [r.msgId, delays.get(r.msgId) ?? 0]),
    )
    for (const d of deliveries) {
      const entry = { id: d.id, attempt: d.attempts, at: this.now }
      if (acked.has(d.id) || (result.ackAll && !retried.has(d.id) && !thrown)) {
        this.log.push({ ...entry, outcome: 'ack' })
        continue
      }
      const delaySeconds = retried.get(d.id) ?? batchDelay
      const outcome = retried.has(d.id) || result.retryBatch.retry ? 'retry' : thrown ? 'thrown' : 'ack'
      if (outcome === 'ack') {
        this.log.push({ ...entry, outcome })
        continue
      }
      if (d.attempts > (this.opts.maxRetries ?? 5)) {
        this.log.push({ ...entry, outcome: 'dead', delaySeconds })
        this.dead.push(d)
        continue
      }
      this.log.push({ ...entry, outcome, delaySeconds })
      this.pending.push({ ...d, attempts: d.attempts + 1, visibleAt: this.now + delaySeconds * 1000 })
    }
  }
}

/** A US mobile number no other call of this file made. */
let line = 1000 + Math.floor(Math.random() * 4000)
export const nextPhone = () => `+1415555${String(line++).padStart(4, '0')}`

/**
 * A business (no quiet hours) with `count` clients, each with a visit whose 24-hour reminder is
 * due at `dueAt` (the 2-hour one comes later). Bookings send no confirmation.
 */
export async function businessWithDueTexts(count: number, dueAt: number) {
  const org = await createOrg({ timezone: 'America/Los_Angeles' })
  await api(org, 'PATCH', '/api/v1/organization', { quiet_hours: { start: '00:00', end: '00:00' } })
  const phones: string[] = []
  for (let i = 0; i < count; i++) {
    const phone = nextPhone()
    const client = await createClient(org, { first_name: `Casey${i}`, phone })
    const res = await api(org, 'POST', '/api/v1/jobs', {
      org_client_id: client.org_client_id,
      start_at: new Date(dueAt + 24 * HOUR).toISOString(),
      notify: false,
    })
    if (res.status !== 201) throw new Error(`job: ${res.status} ${await res.text()}`)
    phones.push(phone)
  }
  return { org, phones }
}

/** The sends queue's message for each id. */
export const sendBodies = (org: TestOrg, ids: string[]) =>
  ids.map((message_id) => ({ organization_id: org.organizationId, message_id }))

type D1Statement = D1PreparedStatement

/**
 * Wraps a D1 binding: statements whose SQL matches `fails` (while `on()`) reject as an outage
 * would, and `delayMs` slows every statement. Calls are counted in `failures`.
 */
export function faultyD1(
  d1: D1Database,
  opts: { fails?: (sql: string) => boolean; on?: () => boolean; delayMs?: number } = {},
) {
  const state = { failures: 0 }
  const down = (sql: string) => (opts.on?.() ?? true) && (opts.fails?.(sql) ?? false)
  const pause = () => (opts.delayMs ? new Promise((r) => setTimeout(r, opts.delayMs)) : Promise.resolve())
  const outage = () => {
    state.failures++
    return Promise.reject(new Error('D1_ERROR: Network connection lost (injected)'))
  }
  const wrapStatement = (statement: D1Statement, sql: string): D1Statement =>
    new Proxy(statement, {
      get(target, prop) {
        if (prop === 'bind') return (...values: unknown[]) => wrapStatement(target.bind(...values), sql)
        if (prop === 'run' || prop === 'all' || prop === 'first' || prop === 'raw')
          return async (...args: unknown[]) => {
            await pause()
            if (down(sql)) return outage()
            return (target[prop] as (...a: unknown[]) => unknown).apply(target, args)
          }
        const value = Reflect.get(target, prop, target)
        return typeof value === 'function' ? value.bind(target) : value
      },
    })
  const sqlOf = new WeakMap<object, string>()
  const binding = new Proxy(d1, {
    get(target, prop) {
      if (prop === 'prepare')
        return (sql: string) => {
          const wrapped = wrapStatement(target.prepare(sql), sql)
          sqlOf.set(wrapped, sql)
          return wrapped
        }
      if (prop === 'batch')
        return async (statements: D1Statement[]) => {
          await pause()
          if (statements.some((s) => down(sqlOf.get(s) ?? ''))) return outage()
          return target.batch(statements)
        }
      if (prop === 'exec')
        return async (sql: string) => {
          await pause()
          if (down(sql)) return outage()
          return target.exec(sql)
        }
      const value = Reflect.get(target, prop, target)
      return typeof value === 'function' ? value.bind(target) : value
    },
  })
  return { binding, state }
}

/**
 * Gives the organization's running object other bindings (its host's env) until the object is
 * reset; `patch` gets the env it has and returns the one it should use.
 */
export async function patchObjectEnv(org: TestOrg, patch: (current: Env, state: DurableObjectState) => Env) {
  await runInDurableObject(orgStub(env, org.organizationId), (instance, state) => {
    const host = (instance as unknown as { host: { env: Env } }).host
    ;(host as { env: Env }).env = patch(host.env, state)
  })
}

/** Resets the organization's object as a restart would: the next call gets a fresh instance. */
export async function restartObject(org: TestOrg): Promise<void> {
  await runInDurableObject(orgStub(env, org.organizationId), (_instance, state) => {
    state.abort('restart (injected)')
  }).catch(() => undefined)
}

/** A queue binding that keeps what is sent, for a test to deliver by hand. */
export function recordingQueue<B>() {
  const sent: B[] = []
  const queue = {
    send: async (body: B) => {
      sent.push(body)
    },
    sendBatch: async (messages: Iterable<MessageSendRequest<B>>) => {
      for (const m of messages) sent.push(m.body)
    },
  } as unknown as Queue<B>
  return { sent, queue }
}
