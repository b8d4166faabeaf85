/**
 * The platform's headline figures, all read from D1 (organizations, subscriptions and their
 * history; no ORG object is asked): businesses, live subscriptions, MRR, churn and signups in
 * the last 30 days, the daily rows the console's charts read, and counts per week.
 */
import { desc, sql } from 'drizzle-orm'
import type { PeopleDb } from '../db'
import { platformMetrics } from '../people/schema'

const DAY_MS = 86_400_000
const WEEK_MS = 7 * DAY_MS

/** Subscriptions that count as live (seed 004's rule): paying, or on a trial. */
export const LIVE_STATUSES = sql`('active', 'trialing')`

export type PlatformFigures = {
  organizations: number
  /** Subscriptions whose status is active or trialing. */
  active_subscriptions: number
  mrr_cents: number
  /** Businesses whose subscription went to canceled in the 30 days up to now (from another status, or new). */
  churned_30d: number
  /** Businesses that signed up in the 30 days up to now. */
  signups_30d: number
  /** Subscriptions with a monthly price above 0 (the churn rate's base). */
  paying: number
}

/** The churn rule's transitions: a history row to canceled whose previous row (if any) was not canceled. */
const wentCanceled = sql`h.status = 'canceled' and coalesce((
    select p.status from subscription_history p
    where p.organization_id = h.organization_id and p.at < h.at order by p.at desc limit 1), '') <> 'canceled'`

/** The figures at `now`. */
export async function platformFigures(db: PeopleDb, now: Date): Promise<PlatformFigures> {
  const to = now.toISOString()
  const from = new Date(now.getTime() - 30 * DAY_MS).toISOString()
  const row = await db.get<PlatformFigures>(sql`
    select
      (select count(*) from organizations) as organizations,
      (select count(*) from organizations where created_at > ${from} and created_at <= ${to}) as signups_30d,
      (select count(*) from subscriptions where status in ${LIVE_STATUSES}) as active_subscriptions,
      (select count(*) from subscriptions where mrr_cents > 0) as paying,
      (select coalesce(sum(mrr_cents), 0) from subscriptions) as mrr_cents,
      (select count(distinct h.organization_id) from subscription_history h
        where h.at > ${from} and h.at <= ${to} and ${wentCanceled}) as churned_30d`)
  return row!
}

/**
 * Writes the day's platform row. With `claimAfter` (the daily run) it is written only if the day
 * has no row computed at or after that time, atomically: true when this call wrote it, so of two
 * overlapping cron ticks exactly one goes on. Without it (Recompute now) it always writes.
 */
export async function writePlatformRow(
  db: PeopleDb,
  now: Date,
  figures: PlatformFigures,
  claimAfter?: string,
): Promise<boolean> {
  const day = now.toISOString().slice(0, 10)
  const at = now.toISOString()
  const claimed = await db.all<{ day: string }>(sql`
    insert into platform_metrics (day, organizations, active_subscriptions, mrr_cents, churned_30d, signups_30d, computed_at)
    values (${day}, ${figures.organizations}, ${figures.active_subscriptions}, ${figures.mrr_cents},
      ${figures.churned_30d}, ${figures.signups_30d}, ${at})
    on conflict (day) do update set organizations = excluded.organizations,
      active_subscriptions = excluded.active_subscriptions, mrr_cents = excluded.mrr_cents,
      churned_30d = excluded.churned_30d, signups_30d = excluded.signups_30d, computed_at = excluded.computed_at
    where ${claimAfter ?? null} is null or platform_metrics.computed_at < ${claimAfter ?? null}
    returning day`)
  return claimed.length > 0
}

export type PlatformDay = {
  day: string
  organizations: number
  active_subscriptions: number
  mrr_cents: number
  churned_30d: number
  signups_30d: number
  computed_at: string
}

/** The last `days` daily rows, oldest first. */
export async function platformHistory(db: PeopleDb, days: number): Promise<PlatformDay[]> {
  const rows = await db
    .select({
      day: platformMetrics.day,
      organizations: platformMetrics.organizations,
      active_subscriptions: platformMetrics.activeSubscriptions,
      mrr_cents: platformMetrics.mrrCents,
      churned_30d: platformMetrics.churned30d,
      signups_30d: platformMetrics.signups30d,
      computed_at: platformMetrics.computedAt,
    })
    .from(platformMetrics)
    .orderBy(desc(platformMetrics.day))
    .limit(days)
    .all()
  return rows.reverse()
}

export type WeekCounts = { week_start: string; signups: number; churned: number }

/** Signups and cancellations in each of the last `weeks` 7-day weeks ending now, oldest first. */
export async function weeklyCounts(db: PeopleDb, now: Date, weeks: number): Promise<WeekCounts[]> {
  const to = now.toISOString()
  const from = new Date(now.getTime() - weeks * WEEK_MS).toISOString()
  // Weeks are counted back from now: 0 is the last 7 days.
  const ago = (column: string) => sql`cast((julianday(${to}) - julianday(${sql.raw(column)})) / 7 as integer)`
  const signups = await db.all<{ w: number; n: number }>(sql`
    select ${ago('created_at')} as w, count(*) as n from organizations
    where created_at > ${from} and created_at <= ${to} group by w`)
  const churned = await db.all<{ w: number; n: number }>(sql`
    select ${ago('h.at')} as w, count(distinct h.organization_id) as n from subscription_history h
    where h.at > ${from} and h.at <= ${to} and ${wentCanceled} group by w`)
  return Array.from({ length: weeks }, (_, i) => {
    const w = weeks - 1 - i
    return {
      week_start: new Date(now.getTime() - (w + 1) * WEEK_MS).toISOString().slice(0, 10),
      signups: signups.find((r) => r.w === w)?.n ?? 0,
      churned: churned.find((r) => r.w === w)?.n ?? 0,
    }
  })
}
