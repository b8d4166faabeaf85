/**
 * The metrics job inside workerd, at a few hundred businesses (BENCH_METRICS_ORGS, 300): D1 rows for
 * each business written directly (organization, owner account with a last sign-in, membership,
 * subscription and its history), each ORG object made with a few clients, jobs and messages; then
 * one message's work (50 businesses) timed on its own, and one run through the `events` queue until
 * every row is in, with the engagement each seeded business must get. The 10,000-business figure
 * comes from scripts/lib/metrics-bench.mjs against `wrangler dev`: under vitest-pool-workers each
 * call into an object gets slower as more objects exist (a few hundred ms each past 1,500).
 * Run with `npm run bench`; `npm test` skips this file.
 */
import { env, runInDurableObject } from 'cloudflare:test'
import { drizzle } from 'drizzle-orm/durable-sqlite'
import { describe, expect, it } from 'vitest'
import * as schema from '../../durable-objects/org/schema'
import { orgStub } from '../../src/organizations'
import { BUSINESSES_PER_MESSAGE, computeOrgMetrics, startMetricsRun } from '../../src/platform/metrics-job'

const ORGS = Number((env as { BENCH_METRICS_ORGS?: string }).BENCH_METRICS_ORGS ?? 300)
const DAY = 86_400_000
/** D1 rows per seeding statement (the rows travel as one JSON parameter). */
const ROWS_PER_STATEMENT = 1_000
/** Objects made at once while seeding. */
const SEED_CONCURRENCY = 50
const POLL_MS = 250
const LIMIT_MS = 30 * 60_000

export type MetricsBench = {
  organizations: number
  messages: number
  perMessage: number
  seedSeconds: number
  /** The run's start: platform figures, the day's row, reading every id and enqueueing the messages. */
  startMs: number
  /** From the run's start to the last business's row. */
  totalMs: number
  perSecond: number
  /** One message's work (50 businesses: two D1 reads, 50 objects at once, one upsert), called directly; p50 of samples. */
  messageP50Ms: number
  engagement: Record<string, number>
  /** Businesses without a row as of the run when polling stopped. */
  missing: number
}

declare module 'vitest' {
  interface TaskMeta {
    benchMetrics?: MetricsBench
  }
}

const log = (line: string) => console.log(line)
const iso = (ms: number) => new Date(ms).toISOString()

/** One INSERT … SELECT over json_each: `rows` as a single bound parameter. */
async function insertRows(table: string, columns: string[], rows: Array<Record<string, unknown>>) {
  const select = columns.map((c) => `json_extract(value, '$.${c}')`).join(', ')
  for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT)
    await env.PEOPLE.prepare(`insert into ${table} (${columns.join(', ')}) select ${select} from json_each(?)`)
      .bind(JSON.stringify(rows.slice(i, i + ROWS_PER_STATEMENT)))
      .run()
}

/** The D1 side of business `i`: a quarter signed in this week, a quarter this month, the rest long ago or never. */
function businessRows(i: number, now: number) {
  const id = `bench-metrics-${String(i).padStart(5, '0')}`
  const signIn = [2, 20, 60, null][i % 4] ?? null
  const paying = i % 5 < 3
  return {
    organization: { id, name: `Bench Metrics ${i}`, slug: id, created_at: iso(now - (i % 400) * DAY) },
    account: {
      id: `${id}-owner`,
      email: `owner-${i}@bench-metrics.example`,
      password_hash: 'x',
      kind: 'staff',
      last_sign_in_at: signIn === null ? null : iso(now - signIn * DAY),
    },
    membership: { account_id: `${id}-owner`, organization_id: id, role: 'owner' },
    subscription: paying
      ? {
          organization_id: id,
          plan_id: i % 2 ? 'plan_pro' : 'plan_starter',
          status: 'active',
          mrr_cents: i % 2 ? 9900 : 4900,
        }
      : null,
    history: paying
      ? [
          {
            id: `${id}-h1`,
            organization_id: id,
            plan_id: 'plan_starter',
            status: 'trialing',
            mrr_cents: 0,
            at: iso(now - 200 * DAY),
          },
          {
            id: `${id}-h2`,
            organization_id: id,
            plan_id: i % 2 ? 'plan_pro' : 'plan_starter',
            status: 'active',
            mrr_cents: i % 2 ? 9900 : 4900,
            at: iso(now - 186 * DAY),
          },
        ]
      : [],
  }
}

/** Makes business `i`'s object with a few clients, jobs and messages (half of them busy in the last 30 days). */
async function seedObject(i: number, now: number) {
  const stub = orgStub(env, `bench-metrics-${String(i).padStart(5, '0')}`)
  await runInDurableObject(stub, (_instance, state) => {
    const db = drizzle(state.storage, { schema })
    const busy = i % 2 === 0
    state.storage.transactionSync(() => {
      const clientIds = Array.from({ length: 5 + (i % 7) }, () => crypto.randomUUID())
      for (const id of clientIds)
        db.insert(schema.orgClients).values({ id, personId: crypto.randomUUID(), status: 'active' }).run()
      for (let j = 0; j < 4; j++)
        db.insert(schema.jobs)
          .values({
            id: crypto.randomUUID(),
            orgClientId: clientIds[j]!,
            startAt: iso(now - (busy ? j * 6 + 1 : 60 + j) * DAY),
            status: 'completed',
          })
          .run()
      for (let j = 0; j < 6; j++)
        db.insert(schema.events)
          .values({
            id: crypto.randomUUID(),
            type: 'message',
            orgClientId: clientIds[j % clientIds.length]!,
            data: { channel: 'sms', direction: j % 2 ? 'inbound' : 'outbound' },
            createdAt: iso(now - (busy ? j * 4 + 1 : 45 + j) * DAY),
          })
          .run()
    })
  })
}

describe.skipIf(env.BENCH !== 'on')(`the metrics job over ${ORGS.toLocaleString('en-US')} businesses`, () => {
  it('computes every business through the queue', { timeout: 60 * 60_000 }, async (ctx) => {
    const seeded = Date.now()
    const now = Date.now()
    const rows = Array.from({ length: ORGS }, (_, i) => businessRows(i, now))
    await insertRows(
      'organizations',
      ['id', 'name', 'slug', 'created_at'],
      rows.map((r) => r.organization),
    )
    await insertRows(
      'accounts',
      ['id', 'email', 'password_hash', 'kind', 'last_sign_in_at'],
      rows.map((r) => r.account),
    )
    await insertRows(
      'memberships',
      ['account_id', 'organization_id', 'role'],
      rows.map((r) => r.membership),
    )
    await insertRows(
      'subscriptions',
      ['organization_id', 'plan_id', 'status', 'mrr_cents'],
      rows.flatMap((r) => (r.subscription ? [r.subscription] : [])),
    )
    await insertRows(
      'subscription_history',
      ['id', 'organization_id', 'plan_id', 'status', 'mrr_cents', 'at'],
      rows.flatMap((r) => r.history),
    )
    log(`D1 rows of ${ORGS} businesses written in ${((Date.now() - seeded) / 1000).toFixed(1)} s; making their objects`)
    for (let i = 0; i < ORGS; i += SEED_CONCURRENCY) {
      await Promise.all(Array.from({ length: Math.min(SEED_CONCURRENCY, ORGS - i) }, (_, k) => seedObject(i + k, now)))
      if ((i + SEED_CONCURRENCY) % 1000 === 0)
        log(`  objects ${i + SEED_CONCURRENCY} / ${ORGS} (${((Date.now() - seeded) / 1000).toFixed(0)} s)`)
    }
    const seedSeconds = (Date.now() - seeded) / 1000

    // One message's work on its own, a few times over (the objects are warm by now).
    const samples: number[] = []
    const messages = Math.max(1, Math.floor(ORGS / BUSINESSES_PER_MESSAGE))
    for (let s = 0; s < 10; s++) {
      const from = (s % messages) * BUSINESSES_PER_MESSAGE
      const ids = rows.slice(from, from + BUSINESSES_PER_MESSAGE).map((r) => r.organization.id)
      const t = Date.now()
      await computeOrgMetrics(env, { type: 'metrics', organization_ids: ids, at: iso(now - 1000), expected_months: 36 })
      samples.push(Date.now() - t)
    }
    samples.sort((a, b) => a - b)

    log('starting the run')
    const started = Date.now()
    const run = (await startMetricsRun(env, new Date()))!
    const startMs = Date.now() - started
    const done = () =>
      env.PEOPLE.prepare(
        "select count(*) as n from org_metrics where computed_at = ? and organization_id like 'bench-metrics-%'",
      )
        .bind(run.started_at)
        .first<{ n: number }>()
        .then((r) => r?.n ?? 0)
    let written = 0
    while ((written = await done()) < ORGS && Date.now() - started < LIMIT_MS)
      await new Promise((r) => setTimeout(r, POLL_MS))
    const totalMs = Date.now() - started
    const engagement = Object.fromEntries(
      (
        await env.PEOPLE.prepare(
          "select engagement, count(*) as n from org_metrics where organization_id like 'bench-metrics-%' group by engagement",
        ).all<{ engagement: string; n: number }>()
      ).results.map((r) => [r.engagement, r.n]),
    )
    const result: MetricsBench = {
      organizations: ORGS,
      messages: run.messages,
      perMessage: BUSINESSES_PER_MESSAGE,
      seedSeconds,
      startMs,
      totalMs,
      perSecond: ORGS / (totalMs / 1000),
      messageP50Ms: samples[Math.floor(samples.length / 2)]!,
      engagement,
      missing: ORGS - written,
    }
    ;(ctx.task.meta as { benchMetrics?: MetricsBench }).benchMetrics = result
    log(JSON.stringify(result, null, 2))
    expect(result.missing).toBe(0)
    // The seeded pattern: busy (even) businesses signed in within 7 days are active, and so on.
    expect(engagement['active']).toBe(Math.ceil(ORGS / 4))
  })
})
