/**
 * Starting a CSV import of clients: the file is read and mapped at once, by its headers or by the
 * mapping staff chose (a bad file is a 400 and writes nothing), then its rows go through the
 * `imports` queue in batches.
 */
import type { Env } from '../env'
import { invalidInput } from '../errors'
import { orgStub, type Organization } from '../organizations'
import type { ImportRowsMessage } from '../queues/messages'
import {
  type ColumnChoice,
  type ColumnMap,
  columnsOf,
  hasNameColumn,
  mapHeader,
  pickFields,
  type RawRow,
} from './columns'
import { type CsvTable, parseCsv } from './csv'

/** The largest file accepted, in bytes. */
export const MAX_IMPORT_BYTES = 10 * 1024 * 1024
/** Rows per queue message. */
export const ROWS_PER_BATCH = 100
/** Bytes of rows per queue message: a message may carry 128 KB. */
const BATCH_BYTES = 96 * 1024
/** Bytes per sendBatch call, which may carry 256 KB in all. */
const SEND_BYTES = 200 * 1024

export type StartedImport = { import_id: string; total: number; ignored_columns: string[] }

type NumberedRow = { row: number; fields: RawRow }

/** A file's header and rows; one that is empty, not CSV or has no rows is a 400 and nothing is written. */
export function readTable(text: string): CsvTable {
  if (text.trim() === '') throw invalidInput([{ path: 'body', message: 'is empty' }], 'The file is empty.')
  const table = parseCsv(text)
  if (table.records.length === 0 && !hasNameColumn(mapHeader(table.header).columns)) throw noNameColumn(false)
  if (table.records.length === 0)
    throw invalidInput([{ path: 'body', message: 'has a header but no rows' }], 'The file has no rows to import.')
  return table
}

/**
 * Which columns fill which fields: by the headers, or by `choices` (a field or null per column, as
 * staff set them on the mapping step). Without a column for the name it is a 400.
 */
export function mapColumns(table: CsvTable, choices?: ColumnChoice[]): { columns: ColumnMap; ignored: string[] } {
  const guessed = mapHeader(table.header)
  const columns = choices ? columnsOf(table.header, choices) : guessed.columns
  if (!hasNameColumn(columns)) throw noNameColumn(choices !== undefined)
  const ignored = choices
    ? table.header.filter((title, i) => !choices[i] && title.trim() !== '').map((t) => t.trim())
    : guessed.ignored
  return { columns, ignored }
}

/** The 400 of a file (or a mapping, `chosen`) without a column for the name. */
export function noNameColumn(chosen: boolean) {
  return invalidInput(
    [{ path: 'header', message: 'needs a "name" column, or "first name" (and "last name")' }],
    chosen
      ? 'Pick the column that holds the client’s name (or first name).'
      : 'The file has no usable header: the first line must name the columns, with a name column.',
  )
}

/** Reads the CSV text (mapped by its headers, or by `choices`), records the import in the organization's object and queues its rows. */
export async function startImport(
  env: Env,
  organization: Organization,
  text: string,
  choices?: ColumnChoice[],
): Promise<StartedImport> {
  const table = readTable(text)
  const { columns, ignored } = mapColumns(table, choices)
  const rows = table.records.map((record, i) => ({ row: i + 1, fields: pickFields(columns, record) }))

  const batches = packRows(rows)
  const importId = crypto.randomUUID()
  const org = orgStub(env, organization.id)
  await org.createImport({ id: importId, total: rows.length, batches: batches.length })
  const messages: ImportRowsMessage[] = batches.map((batch, seq) => ({
    type: 'import_rows',
    organization_id: organization.id,
    import_id: importId,
    seq,
    country: organization.country,
    rows: batch,
  }))
  try {
    await sendAll(env.IMPORTS, messages)
  } catch (error) {
    await org.failImport(importId)
    throw error
  }
  return { import_id: importId, total: rows.length, ignored_columns: ignored }
}

/** Splits rows into batches of at most ROWS_PER_BATCH rows and BATCH_BYTES bytes. */
export function packRows(rows: NumberedRow[]): NumberedRow[][] {
  const batches: NumberedRow[][] = []
  let current: NumberedRow[] = []
  let bytes = 0
  for (const row of rows) {
    const size = byteLength(JSON.stringify(row))
    if (current.length > 0 && (current.length >= ROWS_PER_BATCH || bytes + size > BATCH_BYTES)) {
      batches.push(current)
      current = []
      bytes = 0
    }
    current.push(row)
    bytes += size
  }
  if (current.length > 0) batches.push(current)
  return batches
}

/**
 * Sends messages in as few sendBatch calls as the queue's limits (100 messages, 256 KB) allow, the
 * calls at once: the consumer puts each import's messages back in seq order.
 */
async function sendAll(queue: Queue<ImportRowsMessage>, messages: ImportRowsMessage[]): Promise<void> {
  const groups: Array<Array<{ body: ImportRowsMessage }>> = []
  let group: Array<{ body: ImportRowsMessage }> = []
  let bytes = 0
  for (const body of messages) {
    const size = byteLength(JSON.stringify(body))
    if (group.length > 0 && (group.length >= 100 || bytes + size > SEND_BYTES)) {
      groups.push(group)
      group = []
      bytes = 0
    }
    group.push({ body })
    bytes += size
  }
  if (group.length > 0) groups.push(group)
  await Promise.all(groups.map((g) => queue.sendBatch(g)))
}

const encoder = new TextEncoder()
const byteLength = (text: string) => encoder.encode(text).byteLength
