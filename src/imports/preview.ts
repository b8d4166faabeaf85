/**
 * The mapping step of an import: each column with the field it maps to and a few of its values,
 * and the first rows as they will be imported (what is kept, what is left out and why). Reads the
 * file only; nothing is written.
 */
import { AppError } from '../errors'
import { type ColumnChoice, guessColumns, pickFields } from './columns'
import { type ImportClient, prepareRow, type RowProblem } from './rows'
import { mapColumns, readTable } from './service'

/** Rows shown before importing. */
export const PREVIEW_ROWS = 5

export type ColumnPreview = { index: number; header: string; field: ColumnChoice; samples: string[] }

/** A row as it will be imported (`client`), or skipped (`client` null, `skipped` saying why). */
export type RowPreview = { row: number; client: ImportClient | null; problems: RowProblem[]; skipped: string | null }

/** `problem`: why the mapping cannot be imported as it is (no column for the name); then no rows are shown. */
export type ImportPreview = { total: number; columns: ColumnPreview[]; rows: RowPreview[]; problem: string | null }

/**
 * The preview of a file mapped by its headers, or by `choices`. A file that cannot be read is the
 * same 400 as the import; a mapping without a name column comes back with `problem` to fix it.
 */
export function previewImport(text: string, country: string, choices?: ColumnChoice[]): ImportPreview {
  const table = readTable(text)
  const fields = choices ?? guessColumns(table.header)
  const first = table.records.slice(0, PREVIEW_ROWS)
  let mapped: ReturnType<typeof mapColumns> | null = null
  let problem: string | null = null
  try {
    mapped = mapColumns(table, choices)
  } catch (error) {
    if (!(error instanceof AppError) || error.status !== 400) throw error
    problem = 'Pick the column that holds the client’s name (or first name).'
  }
  const columns = mapped?.columns
  return {
    total: table.records.length,
    problem,
    columns: table.header.map((header, index) => ({
      index,
      header,
      field: fields[index] ?? null,
      samples: first.map((r) => r[index]?.trim() ?? '').filter((v) => v !== ''),
    })),
    rows: (columns ? first : []).map((record, i) => {
      const prepared = prepareRow(pickFields(columns!, record), country)
      return prepared.ok
        ? { row: i + 1, client: prepared.client, problems: prepared.problems ?? [], skipped: null }
        : { row: i + 1, client: null, problems: prepared.problems, skipped: prepared.message }
    }),
  }
}
