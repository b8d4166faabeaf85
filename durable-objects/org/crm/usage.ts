/**
 * The business's usage as the platform's metrics job and console read it: counts only, each from
 * an index (clients by status, jobs by status and start, messages by type and time), never a
 * client's name, contact or words.
 */
import { sql } from 'drizzle-orm'
import type { OrgDb } from '../db'
import { smsSentSince } from '../messaging/plan-limit'
import { clientStats } from './reports'

const DAY_MS = 86_400_000

/** Visits that happened or were worked: every status but cancelled (the (status, start_at) index counts each). */
const WORKED = sql`('scheduled', 'in_progress', 'completed', 'blocked')`

export type UsageWeek = { week_start: string; jobs: number; messages: number }

export type MetricsSnapshot = {
  /** All of its clients (leads and inactive ones too), less cards merged into another. */
  clients: number
  /** Visits starting in the 30 days up to now, cancelled ones left out. */
  jobs_30d: number
  /** Messages sent (delivered to the provider) or received in the 30 days up to now, texts and email. */
  messages_30d: number
  /** Texts the plan counts since the start of the billing period (messaging/plan-limit.ts). */
  sms_this_period: number
  /** With `weeks`: jobs and messages per 7-day week ending now, oldest first. */
  weeks?: UsageWeek[]
}

/** Visits starting in [from, to), not cancelled. */
function jobsBetween(db: OrgDb, from: string, to: string): number {
  return (
    db.get<{ n: number }>(sql`
      select count(*) as n from jobs where status in ${WORKED} and start_at >= ${from} and start_at < ${to}`)?.n ?? 0
  )
}

/** Messages that went out or came in during [from, to): the timeline's `message` events, one per message. */
function messagesBetween(db: OrgDb, from: string, to: string): number {
  return (
    db.get<{ n: number }>(sql`
      select count(*) as n from events where type = 'message' and created_at >= ${from} and created_at < ${to}`)?.n ?? 0
  )
}

/** The counts of the metrics job; `periodStart` starts the SMS count (default: 30 days ago), `weeks` adds a weekly series. */
export function metricsSnapshot(
  db: OrgDb,
  now: Date,
  options: { periodStart?: string; weeks?: number } = {},
): MetricsSnapshot {
  const to = now.toISOString()
  const from = new Date(now.getTime() - 30 * DAY_MS).toISOString()
  const periodStart = options.periodStart ?? from
  const snapshot: MetricsSnapshot = {
    clients: clientStats(db).total_clients,
    jobs_30d: jobsBetween(db, from, to),
    messages_30d: messagesBetween(db, from, to),
    sms_this_period: smsSentSince(db, periodStart),
  }
  if (options.weeks) {
    snapshot.weeks = Array.from({ length: Math.min(options.weeks, 52) }, (_, i) => {
      const end = new Date(now.getTime() - i * 7 * DAY_MS)
      const start = new Date(end.getTime() - 7 * DAY_MS)
      const [a, b] = [start.toISOString(), end.toISOString()]
      return { week_start: a.slice(0, 10), jobs: jobsBetween(db, a, b), messages: messagesBetween(db, a, b) }
    }).reverse()
  }
  return snapshot
}
