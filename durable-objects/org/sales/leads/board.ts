/**
 * The pipeline board and the follow-ups due: read in one statement each, so a board of thousands
 * of leads answers in milliseconds (the counts, values and first cards of every column come from
 * one window over the leads_status_idx index).
 */
import { and, asc, eq, isNotNull, lt, sql } from 'drizzle-orm'
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

type CardRow = Omit<LeadCard, 'is_converted'> & { is_converted: number; status_id: string; n: number; value: number }

/** Every status in the pipeline's order with its count, value and first cards. */
export function board(db: OrgDb, query: BoardQuery = {}): BoardColumn[] {
  const perStatus = Math.max(0, Math.min(query.cards_per_status ?? 50, 500))
  const converted = query.include_converted ? sql`` : sql`where is_converted = 0`
  // One pass: the window numbers each status's leads and counts and sums them in the same sort.
  const rows = db.all<CardRow>(sql`
    select * from (
      select id, first_name, last_name, company, service_interest, estimated_value_cents, next_follow_up_at,
             assigned_to, source, is_converted, updated_at, status_id,
             row_number() over w as rn,
             count(*) over whole as n,
             coalesce(sum(estimated_value_cents) over whole, 0) as value
      from leads ${converted}
      window w as (partition by status_id order by updated_at desc, id desc),
             whole as (partition by status_id)
    ) where rn <= ${Math.max(perStatus, 1)}`)
  const byStatus = new Map<string, CardRow[]>()
  for (const row of rows) byStatus.set(row.status_id, [...(byStatus.get(row.status_id) ?? []), row])
  return listStatuses(db).map((status) => {
    const cards = byStatus.get(status.id) ?? []
    return {
      status,
      count: cards[0]?.n ?? 0,
      value_cents: cards[0]?.value ?? 0,
      leads: cards.slice(0, perStatus).map(toCard),
    }
  })
}

const toCard = ({ status_id: _s, n: _n, value: _v, rn: _r, is_converted, ...card }: CardRow & { rn?: number }) => ({
  ...card,
  is_converted: is_converted === 1,
})

/** Leads in an open status whose next follow-up is before `until` (ISO), the most overdue first, for the dashboard. */
export function followUpsDue(db: OrgDb, until: string, limit = 50): LeadCard[] {
  return db
    .select({
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
    })
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
