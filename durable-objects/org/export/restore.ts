/**
 * Writes an export's rows into this (new) business's tables in one transaction: the Worker has
 * already checked every row and reference and put this business's own person and team ids in.
 */
import { sql } from 'drizzle-orm'
import { conflict } from '../../../src/errors'
import type { OrgDb } from '../db'
import type { ExportRow } from './dump'
import { columnsOf, type ExportTable, sqlName, TABLE_NAMES, TABLES } from './tables'

/** The rows to write, by table; tables left out are written empty. */
export type RestoreData = Partial<Record<ExportTable, ExportRow[]>>

/** How many rows of each table were written. */
export type RestoreCounts = Partial<Record<ExportTable, number>>

/** Rows per statement: the list travels as one JSON parameter, so only its size bounds a statement. */
const ROWS_PER_STATEMENT = 200

/** Inserts every row, parents first; a clash with a row the business already has is a 409 and rolls it all back. */
export function restoreRows(db: OrgDb, data: RestoreData): RestoreCounts {
  const counts: RestoreCounts = {}
  for (const name of TABLE_NAMES) {
    const rows = data[name]
    if (!TABLES[name].imported || !rows || rows.length === 0) continue
    for (const group of byColumns(name, rows)) {
      for (let i = 0; i < group.rows.length; i += ROWS_PER_STATEMENT)
        insertMany(db, name, group.columns, group.rows.slice(i, i + ROWS_PER_STATEMENT))
    }
    counts[name] = rows.length
  }
  return counts
}

/** Rows grouped by the columns they name (an export names them all; a column left out takes its default). */
function byColumns(name: ExportTable, rows: ExportRow[]): Array<{ columns: string[]; rows: ExportRow[] }> {
  const known = columnsOf(name)
  const groups = new Map<string, { columns: string[]; rows: ExportRow[] }>()
  for (const row of rows) {
    const columns = known.filter((c) => c.name in row).map((c) => c.name)
    const signature = columns.join(',')
    const group = groups.get(signature) ?? { columns, rows: [] }
    group.rows.push(row)
    groups.set(signature, group)
  }
  return [...groups.values()]
}

function insertMany(db: OrgDb, name: ExportTable, columns: string[], rows: ExportRow[]): void {
  const kinds = new Map(columnsOf(name).map((c) => [c.name, c.kind]))
  const stored = rows.map((row) =>
    columns.map((c) => {
      const v = row[c]
      if (v === null || v === undefined) return null
      if (kinds.get(c) === 'boolean') return v ? 1 : 0
      if (kinds.get(c) === 'json') return JSON.stringify(v)
      return v
    }),
  )
  const picks = columns.map((_c, i) => `value->>'$[${i}]'`).join(', ')
  const list = columns.map((c) => `"${c}"`).join(', ')
  try {
    db.run(
      sql`${sql.raw(`insert into "${sqlName(name)}" (${list}) select ${picks} from json_each(`)}${JSON.stringify(stored)}${sql.raw(')')}`,
    )
  } catch (error) {
    if (String(error).includes('UNIQUE constraint failed'))
      throw conflict(
        `This business already has ${name.replace(/_/g, ' ')} with the file's ids; import into a new business.`,
      )
    throw error
  }
}
