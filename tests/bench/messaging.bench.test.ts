/**
 * Messaging at scale: 10,000 reminders (100 organizations × 100) falling due at the same moment,
 * from one cron tick to every message in the outbox, through the real `events` and `sends` queues.
 * Measures the total time, each message's lateness against its due time and the throughput, and
 * checks that nothing went out twice. Run with `npm run bench`; `npm test` skips this file.
 */
import {
  createExecutionContext,
  createScheduledController,
  env,
  runInDurableObject,
  waitOnExecutionContext,
} from 'cloudflare:test'
import { drizzle } from 'drizzle-orm/durable-sqlite'
import { beforeAll, describe, expect, it } from 'vitest'
import * as clients from '../../durable-objects/org/crm/clients'
import * as jobs from '../../durable-objects/org/crm/jobs'
import * as schema from '../../durable-objects/org/schema'
import type { Env } from '../../src/env'
import worker from '../../src/index'
import { orgStub } from '../../src/organizations'
import { createOrg } from '../helpers/factories'
import type { MessagingBench } from './measure'
import { random, syntheticPerson } from './synthetic'

const ORGS = Number(env.BENCH_MSG_ORGS ?? 100)
const PER_ORG = Number(env.BENCH_MSG_PER_ORG ?? 100)
const TOTAL = ORGS * PER_ORG
const HOUR = 3_600_000
/** The goal: every message in the outbox within this long of its due time. */
const TARGET_S = 60
/** Polling the outbox gives up after this long. */
const LIMIT_MS = 5 * 60_000
const POLL_MS = 250
/** One run of the object's due work claims at most this many reminders (dispatch.runDueWork's limit). */
const CLAIMS_PER_RUN = 500

type Stub = ReturnType<typeof orgStub>
type Seeded = { id: string; stub: Stub }

const log = (line: string) => console.log(line)
const count = (n: number) => n.toLocaleString('en-US')
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/** A phone number no other client of the run has: +1 NPA NXX XXXX from the client's global index. */
function uniquePhone(index: number): string {
  const area = 201 + Math.floor(index / 8_000_000)
  const exchange = 200 + (Math.floor(index / 10_000) % 800)
  return `+1${area}${exchange}${String(index % 10_000).padStart(4, '0')}`
}

/** Nearest-rank percentile of sorted values. */
const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]!

describe.skipIf(env.BENCH !== 'on')(`${count(TOTAL)} reminders due at once across ${count(ORGS)} organizations`, () => {
  const orgs: Seeded[] = []
  let dueAt = 0
  let seedSeconds = 0

  beforeAll(async () => {
    expect(
      PER_ORG,
      `one run of due work claims at most ${CLAIMS_PER_RUN} reminders and the bench runs one tick`,
    ).toBeLessThanOrEqual(CLAIMS_PER_RUN)
    const started = Date.now()
    log(`signing up ${count(ORGS)} organizations (quiet hours off)`)
    for (let i = 0; i < ORGS; i += 10) {
      const made = await Promise.all(
        Array.from({ length: Math.min(10, ORGS - i) }, (_, k) =>
          createOrg({ organization_name: `Bench Messaging ${i + k}` }),
        ),
      )
      for (const org of made) {
        const stub = orgStub(env, org.organizationId)
        await stub.setMessagingSettings({ quiet_hours: { start: '00:00', end: '00:00' } })
        orgs.push({ id: org.organizationId, stub })
      }
    }

    log(`writing ${count(PER_ORG)} clients with a phone into each ORG object (${seconds(Date.now() - started)})`)
    const clientsStarted = Date.now()
    const clientIds: string[][] = []
    for (const [o, org] of orgs.entries()) {
      clientIds.push(
        await runInDurableObject(org.stub, (_instance, state) => {
          const db = drizzle(state.storage, { schema })
          const rnd = random(1_000 + o)
          return state.storage.transactionSync(() =>
            Array.from({ length: PER_ORG }, (_, n) => {
              const index = o * PER_ORG + n
              const phone = uniquePhone(index)
              const person = { ...syntheticPerson(rnd, index), phones: [phone] }
              return clients.createClient(db, { person, status: 'active', source: 'import' }).org_client_id
            }),
          )
        }),
      )
    }
    const clientsMs = Date.now() - clientsStarted

    // Booking one job per client does about the work writing the client did: give it that long
    // (at least 10 s), so every 24 h reminder is still in the future when it is written.
    dueAt = Date.now() + Math.max(10_000, 1.5 * clientsMs)
    const startAt = new Date(dueAt + 24 * HOUR).toISOString()
    log(
      `booking one job per client starting at ${startAt}: its 24 h reminder falls due in ${seconds(dueAt - Date.now())}`,
    )
    for (const [o, org] of orgs.entries()) {
      const ids = clientIds[o]!
      await runInDurableObject(org.stub, (_instance, state) => {
        const db = drizzle(state.storage, { schema })
        state.storage.transactionSync(() => {
          for (const id of ids)
            jobs.createJob(db, { org_client_id: id, start_at: startAt, price_cents: 15_000, source: 'import' })
        })
      })
      await org.stub.syncSchedule()
    }
    seedSeconds = (Date.now() - started) / 1000
    expect(Date.now(), 'seeding ran past the due time; the 24 h reminders were not written').toBeLessThan(dueAt)

    // Every organization's next due time in org_schedule, and its pending 24 h reminders, as the cron will see them.
    const due = new Date(dueAt).toISOString()
    const scheduled = await env.PEOPLE.prepare('select organization_id, next_due_at from org_schedule').all<{
      organization_id: string
      next_due_at: string
    }>()
    const next = new Map(scheduled.results.map((r) => [r.organization_id, r.next_due_at]))
    expect(orgs.filter((o) => next.get(o.id) !== due)).toEqual([])
    const pending = await Promise.all(
      orgs.map((o) =>
        runInDurableObject(
          o.stub,
          (_instance, state) =>
            state.storage.sql
              .exec<{ n: number }>(`select count(*) as n from reminders where status = 'pending' and send_at = ?`, due)
              .one().n,
        ),
      ),
    )
    expect(pending.reduce((s, n) => s + n, 0)).toBe(TOTAL)
    log(`seeded in ${seedSeconds.toFixed(0)} s: ${count(TOTAL)} reminders due at ${due}`)
  })

  it('sends every due reminder once, from one cron tick to the outbox', async ({ task }) => {
    const benchOrgs = new Set(orgs.map((o) => o.id))
    while (Date.now() <= dueAt + 50) await sleep(Math.min(500, dueAt + 51 - Date.now()))

    // One tick of the minute Cron Trigger; the events queue hands each organization its run_due,
    // and the sends queue's consumer writes each message to the outbox (D1).
    const tickAt = Date.now()
    const ctx = createExecutionContext()
    await (worker as ExportedHandler<Env>).scheduled!(
      createScheduledController({ scheduledTime: tickAt, cron: '* * * * *' }),
      env,
      ctx,
    )
    await waitOnExecutionContext(ctx)
    const tickMs = Date.now() - tickAt
    log(`cron tick ${seconds(tickAt - dueAt)} after the due time, handled in ${tickMs} ms; waiting for the outbox`)

    const outboxCount = async () => {
      const rows = await env.PEOPLE.prepare(
        'select organization_id, count(*) as n from outbox group by organization_id',
      ).all<{ organization_id: string; n: number }>()
      return rows.results.reduce((s, r) => s + (benchOrgs.has(r.organization_id) ? r.n : 0), 0)
    }
    let delivered = 0
    let lastLog = tickAt
    while (Date.now() - tickAt < LIMIT_MS) {
      delivered = await outboxCount()
      if (delivered >= TOTAL) break
      if (Date.now() - lastLog >= 5_000) {
        lastLog = Date.now()
        log(`  +${seconds(lastLog - tickAt)}: ${count(delivered)} / ${count(TOTAL)} in the outbox`)
      }
      await sleep(POLL_MS)
    }
    const timedOut = delivered < TOTAL
    // A little longer, so a late second copy of a message would be counted.
    await sleep(3_000)
    delivered = await outboxCount()
    log(
      `${count(delivered)} / ${count(TOTAL)} in the outbox${timedOut ? ` when polling gave up after ${seconds(LIMIT_MS)}` : ''}`,
    )

    // The outbox (D1): one row per delivered message.
    const outbox = (
      await env.PEOPLE.prepare('select organization_id, message_id, "to", created_at from outbox').all<{
        organization_id: string
        message_id: string
        to: string
        created_at: string
      }>()
    ).results.filter((r) => benchOrgs.has(r.organization_id))
    const createdAt = new Map(outbox.map((r) => [r.message_id, Date.parse(r.created_at)]))
    const perMessage = new Map<string, number>()
    const perPhone = new Map<string, number>()
    for (const r of outbox) {
      perMessage.set(r.message_id, (perMessage.get(r.message_id) ?? 0) + 1)
      perPhone.set(r.to, (perPhone.get(r.to) ?? 0) + 1)
    }

    // Each ORG object's log: the message of every reminder, its due time and when it was decided.
    const statuses: Record<string, number> = {}
    const lateness: number[] = []
    let perReminder = 0
    let decidedAt = 0
    for (const org of orgs) {
      const { rows, twice } = await runInDurableObject(org.stub, (_instance, state) => ({
        rows: state.storage.sql
          .exec<{ id: string; status: string; send_at: string; created_at: string }>(
            'select m.id, m.status, r.send_at, m.created_at from messages m join reminders r on r.id = m.reminder_id',
          )
          .toArray(),
        twice: state.storage.sql
          .exec<{ reminder_id: string; n: number }>(
            'select reminder_id, count(*) as n from messages where reminder_id is not null group by reminder_id having count(*) > 1',
          )
          .toArray().length,
      }))
      perReminder += twice
      for (const m of rows) {
        statuses[m.status] = (statuses[m.status] ?? 0) + 1
        decidedAt = Math.max(decidedAt, Date.parse(m.created_at))
        const at = createdAt.get(m.id)
        if (at !== undefined) lateness.push(at - Date.parse(m.send_at))
      }
    }
    lateness.sort((a, b) => a - b)
    const outboxTimes = [...createdAt.values()].sort((a, b) => a - b)

    const result: MessagingBench = {
      orgs: ORGS,
      perOrg: PER_ORG,
      seedSeconds,
      tickAfterDueMs: tickAt - dueAt,
      tickMs,
      delivered,
      decidedMs: decidedAt ? decidedAt - tickAt : null,
      firstMs: outboxTimes.length ? outboxTimes[0]! - tickAt : null,
      lastMs: outboxTimes.length ? outboxTimes.at(-1)! - tickAt : null,
      lateness: lateness.length
        ? {
            p50: percentile(lateness, 0.5),
            p90: percentile(lateness, 0.9),
            p99: percentile(lateness, 0.99),
            max: lateness.at(-1)!,
          }
        : null,
      statuses,
      duplicates: {
        perReminder,
        perMessage: [...perMessage.values()].filter((n) => n > 1).length,
        perPhone: [...perPhone.values()].filter((n) => n > 1).length,
      },
      timedOut,
      limitSeconds: LIMIT_MS / 1000,
      targetSeconds: TARGET_S,
    }
    task.meta.benchMessaging = result
    const l = result.lateness
    log(
      `tick → last outbox row ${result.lastMs === null ? '–' : seconds(result.lastMs)}; every run_due decided by ${result.decidedMs === null ? '–' : seconds(result.decidedMs)}; ` +
        `lateness p50 ${l ? seconds(l.p50) : '–'}, p99 ${l ? seconds(l.p99) : '–'}, max ${l ? seconds(l.max) : '–'}; ` +
        `${result.lastMs ? (delivered / (result.lastMs / 1000)).toFixed(0) : '–'} messages/s; statuses ${JSON.stringify(statuses)}`,
    )

    // None twice: one message per reminder, one outbox row per message, one text per phone.
    expect(result.duplicates).toEqual({ perReminder: 0, perMessage: 0, perPhone: 0 })
    expect(delivered).toBeLessThanOrEqual(TOTAL)
    expect(outbox.length).toBe(perMessage.size)
    // Timing is reported, not asserted: the target verdict goes in the results table.
  })
})
