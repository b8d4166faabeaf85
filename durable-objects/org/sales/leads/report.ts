/**
 * The conversion report (seed 002's lead_conversion_summary): the leads that came in during a
 * period, how many became clients, and what they were worth, in all, by source and by status.
 */
import { sql } from 'drizzle-orm'
import type { OrgDb } from '../../db'
import { listStatuses, type LeadStatus } from './statuses'

export type ConversionCounts = {
  leads: number
  converted: number
  /** converted / leads, from 0 to 1 (0 without leads), to 4 places. */
  conversion_rate: number
  value_cents: number
  converted_value_cents: number
}

export type StatusCounts = ConversionCounts & Pick<LeadStatus, 'name' | 'kind'> & { status_id: string }

export type ConversionReport = {
  from: string
  to: string
  totals: ConversionCounts
  by_source: Array<ConversionCounts & { source: string }>
  by_status: StatusCounts[]
}

type Row = {
  source: string
  status_id: string
  leads: number
  converted: number
  value: number
  converted_value: number
}

const rate = (converted: number, total: number) => (total === 0 ? 0 : Math.round((converted / total) * 10_000) / 10_000)

function sum(rows: Row[]): ConversionCounts {
  const leads = rows.reduce((n, r) => n + r.leads, 0)
  const converted = rows.reduce((n, r) => n + r.converted, 0)
  return {
    leads,
    converted,
    conversion_rate: rate(converted, leads),
    value_cents: rows.reduce((n, r) => n + r.value, 0),
    converted_value_cents: rows.reduce((n, r) => n + r.converted_value, 0),
  }
}

/**
 * The report of the leads created from `start` (inclusive) to `end` (exclusive), both UTC
 * instants; `from` and `to` are the local dates the answer names. Every status is listed, in the
 * pipeline's order, with the leads it holds now; sources with the most leads come first.
 */
export function conversionReport(db: OrgDb, range: { from: string; to: string; start: string; end: string }) {
  const rows = db.all<Row>(sql`
    select source, status_id, count(*) as leads, sum(is_converted) as converted,
           coalesce(sum(estimated_value_cents), 0) as value,
           coalesce(sum(case when is_converted = 1 then estimated_value_cents end), 0) as converted_value
    from leads where created_at >= ${range.start} and created_at < ${range.end}
    group by source, status_id`)
  const sources = [...new Set(rows.map((r) => r.source))]
  const by_source = sources
    .map((source) => ({ source, ...sum(rows.filter((r) => r.source === source)) }))
    .sort((a, b) => b.leads - a.leads || a.source.localeCompare(b.source))
  const by_status = listStatuses(db).map((s) => ({
    status_id: s.id,
    name: s.name,
    kind: s.kind,
    ...sum(rows.filter((r) => r.status_id === s.id)),
  }))
  return { from: range.from, to: range.to, totals: sum(rows), by_source, by_status } satisfies ConversionReport
}
