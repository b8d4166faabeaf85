/**
 * Due work: claim what is due (reminders, journey steps, campaign batches, deferred messages) and
 * have each message decided (send, skip or defer) by the one rule in src/messaging/decision.ts;
 * reminders and deferred messages are decided in due-decisions.ts. Runs inside one storage
 * transaction, so two overlapping runs never claim the same thing; `dedupe_key` makes a second
 * message impossible.
 */
import { and, asc, eq, lte, min, sql } from 'drizzle-orm'
import type { Consent } from '../../../src/messaging/decision'
import type { QuietHours } from '../../../src/messaging/quiet-hours'
import type { OrgDb } from '../db'
import { messages, reminders } from '../schema'
import { dueCampaignClients, nextCampaignDueAt, runDueCampaigns } from '../campaigns/run'
import { dueEnrollmentClients, nextStepDueAt, runDueSteps } from '../journeys/run'
import { nextDigestAt } from '../reviews/alerts'
import { nextSeriesDueAt } from '../crm/series'
import { nextEstimateExpiryAt } from '../sales/estimates/answers'
import { dispatchReminder, releaseDeferred } from './due-decisions'
import type { SmsAllowance } from './plan-limit'

/** Consent as the organization sees it, per person. */
export type ConsentMap = Record<string, Consent>

export type DispatchContext = {
  now: Date
  businessName: string
  timezone: string
  quiet: QuietHours
  smsFrom: string
  emailFrom: string
  consents: ConsentMap
  /** Signed portal link per org_client_id. */
  portalLinks: Record<string, string>
  /** Signed links per org_client_id for journeys and campaigns (see ClientLinks). */
  links: Record<string, ClientLinks>
  /** At most this many marketing messages per client per 24 h. */
  marketingCap: number
  /** Campaign recipients decided per run. */
  campaignBatchSize: number
  /** The plan's texts this period (plan-limit.ts); absent or null: not limited. */
  smsAllowance?: SmsAllowance | null
}

/** A client's signed links: the portal, a review request id with its rating-page link, one-click unsubscribe. */
export type ClientLinks = { portal: string; review: { id: string; url: string }; unsubscribe: string }

export type DispatchResult = { sent: number; skipped: number; deferred: number; queued: string[] }

/**
 * The clients a run will write to, and their people (whose consent it needs): clients of due
 * reminders, due journey steps, the next campaign batch and due deferred messages.
 */
export function dueRecipients(db: OrgDb, now: Date, limit: number): { personIds: string[]; orgClientIds: string[] } {
  const at = now.toISOString()
  const rows = db.all<{ person_id: string; org_client_id: string }>(sql`
    select distinct c.person_id, c.id as org_client_id from org_clients c where c.id in (
      select org_client_id from reminders where status = 'pending' and send_at <= ${at}
      union select org_client_id from messages where status = 'deferred' and send_after <= ${at})
    limit ${limit}`)
  const ids = new Set(rows.map((r) => r.org_client_id))
  const more = [...dueEnrollmentClients(db, now, limit), ...dueCampaignClients(db, now)].filter((id) => !ids.has(id))
  const extra =
    more.length === 0
      ? []
      : db.all<{ person_id: string; org_client_id: string }>(sql`
    select c.person_id, c.id as org_client_id from org_clients c where c.id in (select value from json_each(${JSON.stringify([...new Set(more)])}))`)
  const all = [...rows, ...extra]
  return { personIds: [...new Set(all.map((r) => r.person_id))], orgClientIds: all.map((r) => r.org_client_id) }
}

/** Claims and decides everything due at `ctx.now`; returns the counts and the ids to enqueue. */
export function runDueWork(db: OrgDb, ctx: DispatchContext, limit = 500): DispatchResult {
  const result: DispatchResult = { sent: 0, skipped: 0, deferred: 0, queued: [] }
  const at = ctx.now.toISOString()
  const due = db
    .select()
    .from(reminders)
    .where(and(eq(reminders.status, 'pending'), lte(reminders.sendAt, at)))
    .orderBy(asc(reminders.sendAt))
    .limit(limit)
    .all()
  for (const reminder of due) dispatchReminder(db, reminder, ctx, result)
  runDueSteps(db, ctx, result, limit)
  runDueCampaigns(db, ctx, result)
  const deferred = db
    .select()
    .from(messages)
    .where(and(eq(messages.status, 'deferred'), lte(messages.sendAfter, at)))
    .orderBy(asc(messages.sendAfter))
    .limit(limit)
    .all()
  for (const message of deferred) releaseDeferred(db, message, ctx, result)
  return result
}

/** The earliest time anything is due (a reminder, a journey step, a campaign, a deferred message, the owners' alert digest, a series to extend), or null. */
export function nextDueAt(db: OrgDb): string | null {
  const r =
    db
      .select({ at: min(reminders.sendAt) })
      .from(reminders)
      .where(eq(reminders.status, 'pending'))
      .get()?.at ?? null
  const m =
    db
      .select({ at: min(messages.sendAfter) })
      .from(messages)
      .where(eq(messages.status, 'deferred'))
      .get()?.at ?? null
  const times = [
    r,
    m,
    nextStepDueAt(db),
    nextCampaignDueAt(db),
    nextDigestAt(db),
    nextSeriesDueAt(db),
    nextEstimateExpiryAt(db),
  ].filter((t): t is string => t !== null)
  return times.length === 0 ? null : times.reduce((a, b) => (a < b ? a : b))
}
