/**
 * The plan's texts per billing period: an SMS that would go over the allowance is skipped with
 * reason `plan_limit` (the log says "Over the plan's 500 texts this month").
 *
 * Counted, from the moment each is queued: every text the business's own work sends (reminders,
 * confirmations, on-my-way, staff replies, journeys, review requests, campaigns, estimates,
 * invoices, receipts). Neither counted nor limited: what a homeowner asks for themselves in the
 * portal (a one-time sign-in code, a fresh link), and email of any kind.
 */
import { and, gte, inArray, notInArray, sql } from 'drizzle-orm'
import { billingPeriod } from '../../../src/billing/period'
import type { Verdict } from '../../../src/messaging/decision'
import type { Channel } from '../../../src/messaging/templates'
import type { OrgDb } from '../db'
import { messages } from '../schema'
import type { PlanLimits } from '../settings'

/** Purposes of texts a homeowner asked for themselves: never counted, never refused for the plan. */
export const UNMETERED_PURPOSES = ['portal_code', 'portal_link']

/** Messages that went or are going out. */
const WENT = ['queued', 'sent', 'delivered'] as const

/** A text deferred (quiet hours, the marketing cap) waits at most about a day: older rows cannot be in the period. */
const LONGEST_WAIT_MS = 7 * 86_400_000

/** One run's allowance: the limit, where the period starts, and the texts counted so far (read once, when first needed). */
export type SmsAllowance = { limit: number; periodStart: string; used: number | null }

/** The allowance at `now` under these limits; null without limits or before they apply (nothing is limited). */
export function smsAllowance(limits: PlanLimits | null, now: Date, zone: string): SmsAllowance | null {
  if (!limits || (limits.applies_from && now.getTime() < Date.parse(limits.applies_from))) return null
  const periodStart = billingPeriod(now, limits.period_end, zone).start.toISOString()
  return { limit: limits.sms_per_month, periodStart, used: null }
}

/** Texts the plan counts since `periodStart`: queued or sent then, whenever they were first decided. */
export function smsSentSince(db: OrgDb, periodStart: string): number {
  const since = new Date(Date.parse(periodStart) - LONGEST_WAIT_MS).toISOString()
  return (
    db
      .select({ n: sql<number>`count(*)` })
      .from(messages)
      .where(
        and(
          // The created_at index narrows the rows; a deferred text counts in the period it went in.
          gte(messages.createdAt, since),
          sql`coalesce(${messages.sentAt}, ${messages.updatedAt}) >= ${periodStart}`,
          sql`${messages.channel} = 'sms'`,
          inArray(messages.status, [...WENT]),
          notInArray(messages.purpose, UNMETERED_PURPOSES),
        ),
      )
      .get()?.n ?? 0
  )
}

/** Why a text over the allowance was not sent, in words. */
export const planLimitText = (limit: number) => `Over the plan's ${limit} texts this month`

/**
 * The verdict once the plan is counted: a text that would go now while the allowance is spent is
 * skipped with `plan_limit`; one that goes is counted. Anything else passes unchanged.
 */
export function meterSms(
  db: OrgDb,
  allowance: SmsAllowance | null | undefined,
  m: { channel: Channel; purpose: string },
  verdict: Verdict,
): Verdict {
  if (!allowance || verdict.status !== 'queued' || m.channel !== 'sms' || UNMETERED_PURPOSES.includes(m.purpose))
    return verdict
  allowance.used ??= smsSentSince(db, allowance.periodStart)
  if (allowance.used >= allowance.limit)
    return { status: 'skipped', reason: 'plan_limit', detail: planLimitText(allowance.limit) }
  allowance.used++
  return verdict
}
