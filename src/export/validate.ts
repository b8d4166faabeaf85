/**
 * Reads an export file before anything is written: the format and version, every row against its
 * table's columns (types, lengths, no unknown columns), ids unique, and every reference pointing at
 * a row of the same file. Whatever fails is a 400 naming the row and column.
 */
import { z } from 'zod'
import {
  type ColumnInfo,
  columnsOf,
  type ExportTable,
  TABLE_NAMES,
  TABLES,
  uniqueKeysOf,
} from '../../durable-objects/org/export/tables'
import { invalidInput, type Issue, zodIssues } from '../errors'
import { EXPORT_FORMAT, EXPORT_VERSION } from './json'

/** Longest text a cell may hold (an email body, a client's notes). */
export const MAX_TEXT = 20_000
/** Largest JSON value a cell may hold, as text (a client's notes history, custom fields). */
export const MAX_JSON = 200_000
/** Most rows one table of a file may have. */
export const MAX_ROWS = 100_000
/** Most rows a whole file may have, counted before anything is checked: its checked copy stays well inside an isolate's memory. */
export const MAX_TOTAL_ROWS = 150_000

const jsonCell = z
  .unknown()
  .refine((v) => JSON.stringify(v ?? null).length <= MAX_JSON, `at most ${MAX_JSON} characters`)

function cellSchema(c: ColumnInfo): z.ZodType {
  const base =
    c.kind === 'boolean'
      ? z.boolean()
      : c.kind === 'number'
        ? c.integer
          ? z.int()
          : z.number()
        : c.kind === 'json'
          ? jsonCell
          : c.enumValues
            ? z.enum(c.enumValues as [string, ...string[]])
            : z.string().max(MAX_TEXT)
  if (c.notNull) return c.hasDefault ? base.optional() : base
  return base.nullable().optional()
}

const rowSchemas = new Map<ExportTable, z.ZodType>()

function rowSchema(name: ExportTable): z.ZodType {
  let schema = rowSchemas.get(name)
  if (!schema) {
    schema = z.strictObject(Object.fromEntries(columnsOf(name).map((c) => [c.name, cellSchema(c)])))
    rowSchemas.set(name, schema)
  }
  return schema
}

const consentRow = z.strictObject({
  point: z.string().min(1).max(320),
  opt_in: z.boolean(),
  marketing_opt_in: z.boolean(),
  opted_in_at: z.string().max(40).nullable(),
  reason: z.string().max(300).nullable(),
  updated_at: z.string().max(40),
})

const teamRow = z.object({
  user_id: z.string().max(100),
  email: z.string().max(320),
  name: z.string().max(200).nullable().optional(),
  role: z.string().max(20).optional(),
  color: z.string().max(20).optional(),
})

export type ExportFile = {
  format: typeof EXPORT_FORMAT
  version: typeof EXPORT_VERSION
  exported_at: string
  organization: Record<string, unknown>
  team: z.output<typeof teamRow>[]
  consents: z.output<typeof consentRow>[]
} & Record<ExportTable, Record<string, unknown>[]>

const fileSchema = z.object({
  format: z.literal(EXPORT_FORMAT, `must be "${EXPORT_FORMAT}"`),
  version: z.literal(EXPORT_VERSION, `this HomeBase reads version ${EXPORT_VERSION}`),
  exported_at: z.string().max(40),
  organization: z.record(z.string(), z.unknown()),
  team: z.array(teamRow).max(1000).default([]),
  consents: z
    .array(consentRow)
    .max(MAX_ROWS * 2)
    .default([]),
  ...Object.fromEntries(TABLE_NAMES.map((name) => [name, z.array(rowSchema(name)).max(MAX_ROWS).default([])])),
})

/** The file, checked: a 400 naming every row and column that does not hold up. */
export function readExportFile(body: unknown): ExportFile {
  const total =
    body && typeof body === 'object'
      ? Object.values(body).reduce<number>((n, v) => n + (Array.isArray(v) ? v.length : 0), 0)
      : 0
  if (total > MAX_TOTAL_ROWS)
    throw invalidInput(
      [{ path: '', message: `has ${total} rows; one import takes at most ${MAX_TOTAL_ROWS}` }],
      'The export file is too big to import in one go.',
    )
  const parsed = fileSchema.safeParse(body)
  if (!parsed.success) throw invalidInput(zodIssues(parsed.error).slice(0, 50), 'The export file is not valid.')
  const file = parsed.data as unknown as ExportFile
  const issues = [...duplicateKeys(file), ...missingReferences(file)]
  if (issues.length > 0) throw invalidInput(issues.slice(0, 50), 'The export file is not valid.')
  return file
}

/** Rows sharing a key or unique value (two clients with one id, two messages with one dedupe key). */
function duplicateKeys(file: ExportFile): Issue[] {
  const issues: Issue[] = []
  for (const name of TABLE_NAMES) {
    for (const columns of uniqueKeysOf(name)) {
      const seen = new Set<string>()
      file[name].forEach((row, i) => {
        const values = columns.map((c) => row[c])
        if (values.some((v) => v === null || v === undefined)) return
        const k = JSON.stringify(values)
        if (seen.has(k)) issues.push({ path: `${name}.${i}.${columns.join('+')}`, message: 'is used by another row' })
        seen.add(k)
      })
    }
  }
  return issues
}

/** References to a row the file does not have (a job of a missing client, a client without its card). */
function missingReferences(file: ExportFile): Issue[] {
  const issues: Issue[] = []
  const keys = new Map<string, Set<unknown>>()
  const keySet = (table: ExportTable, column: string) => {
    const id = `${table}.${column}`
    let set = keys.get(id)
    if (!set) {
      set = new Set(file[table].map((r) => r[column]))
      keys.set(id, set)
    }
    return set
  }
  const cards = keySet('client_cards', 'person_id')
  for (const name of TABLE_NAMES) {
    if (!TABLES[name].imported) continue
    for (const [column, ref] of Object.entries(TABLES[name].refs)) {
      file[name].forEach((row, i) => {
        const v = row[column]
        if (v === null || v === undefined) return
        const found =
          typeof ref === 'object' ? keySet(ref.table, ref.column).has(v) : ref === 'person' ? cards.has(v) : true
        if (!found) issues.push({ path: `${name}.${i}.${column}`, message: 'names a row the file does not have' })
      })
    }
  }
  const clientsOfCards = new Set(file.clients.map((c) => c['person_id']))
  file.client_cards.forEach((card, i) => {
    if (!clientsOfCards.has(card['person_id']))
      issues.push({ path: `client_cards.${i}.person_id`, message: 'is the card of no client in the file' })
  })
  return issues
}
