/**
 * The metrics job (docs/decisions/018-platform-metrics.md): once a day from the cron (the first
 * tick at or after 03:00 UTC) and on an operator's "Recompute now". A run writes the day's
 * platform row from D1 (that write is also the day's claim), then hands every business to the
 * `events` queue in messages of BUSINESSES_PER_MESSAGE ids, spread over time; each message asks
 * those businesses' ORG objects for their counts and upserts their org_metrics rows in one D1 statement.
 */
import { sql } from 'drizzle-orm'
import { billingPeriod } from '../billing/period'
import { LIVE_STATUSES } from '../billing/plans'
import { peopleDb, type PeopleDb } from '../db'
import type { Env } from '../env'
import { orgStub } from '../organizations'
import type { MetricsMessage } from '../queues/messages'
import { engagementOf } from './engagement'
import { type PlatformFigures, platformFigures, writePlatformRow } from './figures'
import { expectedMonths, lifetimeValueCents, totalSpentCents } from './revenue'

/** Statuses under which a business keeps its subscription's plan and period (src/billing/plans.ts). */
const LIVE_PLAN_STATUSES = sql.raw(`(${LIVE_STATUSES.map((s) => `'${s}'`).join(', ')})`)

/** The daily run starts with the first cron tick at or after this hour (UTC), when businesses are quiet. */
export const DAILY_RUN_HOUR_UTC = 3
/** Businesses per queue message. */
export const BUSINESSES_PER_MESSAGE = 50
/**
 * A run's messages are spread over time, this many a second (100 businesses a second): the
 * `events` queue also carries the minute's due work (reminders), which never waits behind a wall
 * of metrics messages, and D1 takes the upserts evenly. 10,000 businesses take about 100 s.
 */
export const MESSAGES_PER_SECOND = 2
/** A run younger than this that has not finished is answered instead of starting another. */
const RUN_GRACE_MS = 5 * 60_000
/**
 * Objects asked at once by one consumer isolate, across all the metrics messages of the batches it
 * runs: a batch of 100 messages would otherwise wake 5,000 objects in the same instant.
 */
export const OBJECT_CALLS_AT_ONCE = 50

let inFlight = 0
const waiting: Array<() => void> = []

/** Runs `call` once fewer than OBJECT_CALLS_AT_ONCE are running; a finished call hands its place to the next. */
async function limited<T>(call: () => Promise<T>): Promise<T> {
  if (inFlight < OBJECT_CALLS_AT_ONCE) inFlight++
  else await new Promise<void>((resolve) => waiting.push(resolve))
  try {
    return await call()
  } finally {
    const next = waiting.shift()
    if (next) next()
    else inFlight--
  }
}

export type MetricsRun = {
  day: string
  /** The run's moment: every count is as of it, and each business's row carries it as computed_at. */
  started_at: string
  organizations: number
  messages: number
  figures: PlatformFigures
}

/** The cron's part: starts the day's run once, on the first tick at or after 03:00 UTC; null on every other tick. */
export async function runDailyMetrics(env: Env, now: Date): Promise<MetricsRun | null> {
  if (now.getUTCHours() < DAILY_RUN_HOUR_UTC) return null
  const day = now.toISOString().slice(0, 10)
  const claimAfter = `${day}T${String(DAILY_RUN_HOUR_UTC).padStart(2, '0')}:00:00.000Z`
  const db = peopleDb(env.PEOPLE)
  // Most ticks of the day stop at this one read.
  const today = await db.get<{ computed_at: string }>(sql`select computed_at from platform_metrics where day = ${day}`)
  if (today && today.computed_at >= claimAfter) return null
  return startMetricsRun(env, now, claimAfter)
}

/**
 * Starts a run at `now`: the platform row first (with `claimAfter`, only if this call claims the
 * day), then every business onto the queue. Null when another tick claimed the day.
 */
export async function startMetricsRun(env: Env, now: Date, claimAfter?: string): Promise<MetricsRun | null> {
  const db = peopleDb(env.PEOPLE)
  const figures = await platformFigures(db, now)
  if (!(await writePlatformRow(db, now, figures, claimAfter))) return null
  const ids = (await db.all<{ id: string }>(sql`select id from organizations order by id`)).map((r) => r.id)
  const at = now.toISOString()
  const months = expectedMonths(figures.paying, figures.churned_30d)
  const messages: MetricsMessage[] = []
  for (let i = 0; i < ids.length; i += BUSINESSES_PER_MESSAGE)
    messages.push({
      type: 'metrics',
      organization_ids: ids.slice(i, i + BUSINESSES_PER_MESSAGE),
      at,
      expected_months: months,
    })
  // A queue takes at most 100 messages per send; message k waits k / MESSAGES_PER_SECOND seconds.
  for (let i = 0; i < messages.length; i += 100)
    await env.EVENTS.sendBatch(
      messages.slice(i, i + 100).map((body, k) => ({ body, delaySeconds: Math.floor((i + k) / MESSAGES_PER_SECOND) })),
    )
  return { day: at.slice(0, 10), started_at: at, organizations: ids.length, messages: messages.length, figures }
}

/** "Recompute now": a run that is still going (started in the last 5 minutes) is answered as it is; else a new one. */
export async function refreshMetrics(env: Env, now: Date): Promise<{ run: MetricsRun | null; progress: RunProgress }> {
  const db = peopleDb(env.PEOPLE)
  const latest = await db.get<{ computed_at: string }>(
    sql`select computed_at from platform_metrics order by day desc limit 1`,
  )
  if (latest && now.getTime() - Date.parse(latest.computed_at) < RUN_GRACE_MS) {
    const progress = await metricsProgress(db, latest.computed_at)
    if (progress.done < progress.total) return { run: null, progress }
  }
  const run = (await startMetricsRun(env, now))!
  return { run, progress: { since: run.started_at, done: 0, total: run.organizations } }
}

export type RunProgress = { since: string; done: number; total: number }

/** How far the run that started at `since` has come: businesses whose row is as of it (or newer), of those that existed then. */
export async function metricsProgress(db: PeopleDb, since: string): Promise<RunProgress> {
  const row = await db.get<{ done: number; total: number }>(sql`
    select (select count(*) from org_metrics where computed_at >= ${since}) as done,
      (select count(*) from organizations where created_at <= ${since}) as total`)
  return { since, done: row?.done ?? 0, total: row?.total ?? 0 }
}

type Facts = {
  id: string
  timezone: string
  last_sign_in_at: string | null
  mrr_cents: number | null
  /** The subscription's period end while it is live (its texts are counted in that period), else null. */
  period_end: string | null
}

/**
 * One queue message: the businesses' D1 facts (last sign-in of any of their staff, subscription,
 * history) in two reads, their objects' counts concurrently, one upsert. A business whose object
 * failed is left for the message's retry (the others are written now; writing them again is harmless).
 */
export async function computeOrgMetrics(env: Env, message: MetricsMessage): Promise<void> {
  const db = peopleDb(env.PEOPLE)
  const now = new Date(message.at)
  const ids = JSON.stringify(message.organization_ids)
  const [facts, history] = await Promise.all([
    db.all<Facts>(sql`
      select o.id, o.timezone,
        (select max(a.last_sign_in_at) from memberships m join accounts a on a.id = m.account_id
          where m.organization_id = o.id) as last_sign_in_at,
        s.mrr_cents, case when s.status in ${LIVE_PLAN_STATUSES} then s.current_period_end end as period_end
      from organizations o left join subscriptions s on s.organization_id = o.id
      where o.id in (select value from json_each(${ids}))`),
    db.all<{ organization_id: string; mrr_cents: number; at: string }>(sql`
      select organization_id, mrr_cents, at from subscription_history
      where organization_id in (select value from json_each(${ids}))`),
  ])
  const counted = await Promise.allSettled(
    facts.map((f) =>
      limited(() =>
        orgStub(env, f.id).metricsSnapshot(message.at, {
          periodStart: billingPeriod(now, f.period_end, f.timezone).start.toISOString(),
        }),
      ),
    ),
  )
  const rows = facts.flatMap((f, i) => {
    const result = counted[i]!
    if (result.status === 'rejected') return []
    const usage = result.value
    const spent = totalSpentCents(
      history.filter((h) => h.organization_id === f.id).map((h) => ({ mrrCents: h.mrr_cents, at: h.at })),
      now,
    )
    const mrr = f.mrr_cents ?? 0
    return [
      {
        organization_id: f.id,
        clients: usage.clients,
        jobs_30d: usage.jobs_30d,
        messages_30d: usage.messages_30d,
        sms_this_period: usage.sms_this_period,
        last_sign_in_at: f.last_sign_in_at,
        engagement: engagementOf(
          { lastSignInAt: f.last_sign_in_at, jobs30d: usage.jobs_30d, messages30d: usage.messages_30d },
          now,
        ),
        mrr_cents: mrr,
        ltv_cents: lifetimeValueCents(spent, mrr, message.expected_months),
        total_spent_cents: spent,
        computed_at: message.at,
      },
    ]
  })
  if (rows.length > 0) await upsertOrgMetrics(db, rows)
  const failed = counted.filter((r) => r.status === 'rejected')
  if (failed.length > 0)
    throw new Error(`metrics: ${failed.length} of ${facts.length} businesses could not be counted`, {
      cause: (failed[0] as PromiseRejectedResult).reason,
    })
}

type OrgMetricsRow = {
  organization_id: string
  clients: number
  jobs_30d: number
  messages_30d: number
  sms_this_period: number
  last_sign_in_at: string | null
  engagement: string
  mrr_cents: number
  ltv_cents: number
  total_spent_cents: number
  computed_at: string
}

/** Every row in one statement (one bound parameter: the rows as JSON); an older run's late retry never overwrites a newer row. */
async function upsertOrgMetrics(db: PeopleDb, rows: OrgMetricsRow[]): Promise<void> {
  const v = (key: keyof OrgMetricsRow) => sql.raw(`json_extract(value, '$.${key}')`)
  await db.run(sql`
    insert into org_metrics (organization_id, clients, jobs_30d, messages_30d, sms_this_period, last_sign_in_at,
      engagement, mrr_cents, ltv_cents, total_spent_cents, computed_at)
    select ${v('organization_id')}, ${v('clients')}, ${v('jobs_30d')}, ${v('messages_30d')}, ${v('sms_this_period')},
      ${v('last_sign_in_at')}, ${v('engagement')}, ${v('mrr_cents')}, ${v('ltv_cents')}, ${v('total_spent_cents')},
      ${v('computed_at')}
    from json_each(${JSON.stringify(rows)}) where true
    on conflict (organization_id) do update set clients = excluded.clients, jobs_30d = excluded.jobs_30d,
      messages_30d = excluded.messages_30d, sms_this_period = excluded.sms_this_period,
      last_sign_in_at = excluded.last_sign_in_at, engagement = excluded.engagement, mrr_cents = excluded.mrr_cents,
      ltv_cents = excluded.ltv_cents, total_spent_cents = excluded.total_spent_cents, computed_at = excluded.computed_at
    where excluded.computed_at >= org_metrics.computed_at`)
}
