/** Reads one page of an exported table by rowid, so a business of any size leaves in pages the Worker streams. */
import { sql } from 'drizzle-orm'
import type { OrgDb } from '../db'
import { columnsOf, type ExportTable, sqlName, TABLES, type TableSpec } from './tables'

/** A row as the export writes it: SQL column names, booleans as booleans, JSON columns parsed. */
export type ExportRow = Record<string, unknown>

/** One page of rows and the rowid to ask from next (null: the table is done). */
export type ExportPage = { rows: ExportRow[]; next: number | null }

/** Most rows one page carries; a message body can be a few kilobytes, so a page stays a few megabytes. */
export const MAX_PAGE_ROWS = 1000

/** The rows after `after` (a rowid), at most `limit` of them, in rowid order. */
export function readPage(db: OrgDb, name: ExportTable, after: number, limit: number): ExportPage {
  const columns = columnsOf(name)
  const spec: TableSpec = TABLES[name]
  const size = Math.max(1, Math.min(MAX_PAGE_ROWS, Math.trunc(limit)))
  const list = columns.map((c) => `t."${c.name}"`).join(', ')
  const filter = spec.where ? ` and ${spec.where}` : ''
  const raw = db.all<Record<string, unknown>>(
    sql`${sql.raw(`select t.rowid as _rowid, ${list} from "${sqlName(name)}" t where t.rowid >`)} ${Math.trunc(after)} ${sql.raw(`${filter} order by t.rowid limit`)} ${size}`,
  )
  const rows = raw.map((r) => {
    const row: ExportRow = {}
    for (const c of columns) {
      const v = r[c.name] ?? null
      if (v === null) row[c.name] = null
      else if (c.kind === 'boolean') row[c.name] = v === 1 || v === true
      else if (c.kind === 'json') row[c.name] = typeof v === 'string' ? parseJson(v) : v
      else row[c.name] = v
    }
    return row
  })
  const last = raw.at(-1)
  return { rows, next: raw.length === size && last ? Number(last['_rowid']) : null }
}

/** Counts of what makes a business non-empty: an import goes only into a business without clients. */
export function occupancy(db: OrgDb): { clients: number; jobs: number; invoices: number } {
  return (
    db.get<{ clients: number; jobs: number; invoices: number }>(sql`select
      (select count(*) from org_clients) as clients, (select count(*) from jobs) as jobs,
      (select count(*) from invoices) as invoices`) ?? { clients: 0, jobs: 0, invoices: 0 }
  )
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return text
  }
}
