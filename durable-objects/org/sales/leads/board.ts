/**
 * The pipeline board and the follow-ups due, read through indexes only: a board of thousands of
 * leads answers in a few milliseconds (one pass over leads_status_idx counts and sums every
 * column, then each column's first cards are a short range of the same index).
 */
import { and, asc, desc, eq, gte, isNotNull, lt, sql } from 'drizzle-orm'
import type { OrgDb } from '../../db'
import { leads } from '../../schema'
import { listStatuses, type LeadStatus } from './statuses'

/** What a card on the board shows of a lead. */
export type LeadCard = {
  id: string
  first_name: string
  last_name: string | null
  company: string | null
  service_interest: string | null
  estimated_value_cents: number | null
  next_follow_up_at: string | null
  assigned_to: string | null
  source: string
  is_converted: boolean
  updated_at: string
}

/** One column: the status, how many leads and how much they are worth, and its first cards (most recently changed first). */
export type BoardColumn = { status: LeadStatus; count: number; value_cents: number; leads: LeadCard[] }

export type BoardQuery = { cards_per_status?: number; include_converted?: boolean }

const cardColumns = {
  id: leads.id,
  first_name: leads.firstName,
  last_name: leads.lastName,
  company: leads.company,
  service_interest: leads.serviceInterest,
  estimated_value_cents: leads.estimatedValueCents,
  next_follow_up_at: leads.nextFollowUpAt,
  assigned_to: leads.assignedTo,
  source: leads.source,
  is_converted: leads.isConverted,
  updated_at: leads.updatedAt,
}

/** Every status in the pipeline's order with its count, value and first cards (50 unless told). */
export function board(db: OrgDb, query: BoardQuery = {}): BoardColumn[] {
  const perStatus = Math.max(0, Math.min(query.cards_per_status ?? 50, 500))
  const open = query.include_converted ? undefined : eq(leads.isConverted, false)
  // Grouped in the index's order (is_converted, status_id): one pass, no sort.
  const totals = db
    .select({
      status_id: leads.statusId,
      n: sql<number>`count(*)`,
      value: sql<number>`coalesce(sum(${leads.estimatedValueCents}), 0)`,
    })
    .from(leads)
    .where(open)
    .groupBy(leads.statusId)
    .all()
  const byStatus = new Map(totals.map((t) => [t.status_id, t]))
  return listStatuses(db).map((status) => {
    const total = byStatus.get(status.id)
    const cards =
      total && perStatus > 0
        ? db
            .select(cardColumns)
            .from(leads)
            .where(and(open, eq(leads.statusId, status.id)))
            .orderBy(desc(leads.updatedAt), desc(leads.id))
            .limit(perStatus)
            .all()
        : []
    return { status, count: total?.n ?? 0, value_cents: total?.value ?? 0, leads: cards }
  })
}

/** Leads in an open status whose next follow-up is before `until` (ISO), the most overdue first, for the dashboard. */
export function followUpsDue(db: OrgDb, until: string, limit = 50): LeadCard[] {
  return db
    .select(cardColumns)
    .from(leads)
    .where(
      and(
        eq(leads.isConverted, false),
        isNotNull(leads.nextFollowUpAt),
        lt(leads.nextFollowUpAt, until),
        sql`${leads.statusId} in (select id from lead_statuses where kind = 'open')`,
      ),
    )
    .orderBy(asc(leads.nextFollowUpAt), asc(leads.id))
    .limit(limit)
    .all()
}

/** How many leads came from the public request form since `since` (ISO), converted ones too: a range of leads_created_idx. */
export function countRequestsSince(db: OrgDb, since: string): number {
  return (
    db
      .select({ n: sql<number>`count(*)` })
      .from(leads)
      .where(and(gte(leads.createdAt, since), eq(leads.source, 'web_form')))
      .get()?.n ?? 0
  )
}
