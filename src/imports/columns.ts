/**
 * Which CSV column holds which client field: headers are matched by name, ignoring case, spaces
 * and punctuation ("First Name", "first_name" and "FIRSTNAME" are one), with common synonyms and
 * the CRMs' export headers (synonyms.ts).
 */
import { SYNONYMS } from './synonyms'

export const IMPORT_FIELDS = [
  'first_name',
  'last_name',
  'name',
  'email',
  'phone',
  'address1',
  'address2',
  'city',
  'state',
  'postal',
  'country',
  'tags',
  'status',
  'external_id',
  'notes',
] as const
export type ImportField = (typeof IMPORT_FIELDS)[number]

/**
 * The longest value each field can hold. Longer cells are cut to one more character, so the row
 * still fails validation but no queue message grows past its limit.
 */
export const FIELD_MAX: Record<ImportField, number> = {
  first_name: 100,
  last_name: 100,
  name: 201,
  email: 254,
  phone: 40,
  address1: 200,
  address2: 200,
  city: 100,
  state: 100,
  postal: 20,
  country: 60,
  tags: 2600,
  status: 20,
  external_id: 200,
  notes: 10_000,
}

/** For each field, the columns holding it, best first; a row takes the first non-empty one. */
export type ColumnMap = Partial<Record<ImportField, number[]>>

/** One row's values by field, trimmed; empty cells are left out. */
export type RawRow = Partial<Record<ImportField, string>>

/** A header reduced to lower-case letters and digits: "E-mail Address" → "emailaddress". */
export function headerKey(header: string): string {
  return header
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '')
}

/** Maps a header row to fields; `ignored` lists the headers that match no field. */
export function mapHeader(header: string[]): { columns: ColumnMap; ignored: string[] } {
  const found: Partial<Record<ImportField, Array<{ index: number; rank: number }>>> = {}
  const ignored: string[] = []
  header.forEach((title, index) => {
    const key = headerKey(title)
    const field = IMPORT_FIELDS.find((f) => SYNONYMS[f].includes(key))
    if (field) (found[field] ??= []).push({ index, rank: SYNONYMS[field].indexOf(key) })
    else if (title.trim() !== '') ignored.push(title.trim())
  })
  const columns: ColumnMap = {}
  for (const field of IMPORT_FIELDS) {
    const list = found[field]
    if (list) columns[field] = list.sort((a, b) => a.rank - b.rank || a.index - b.index).map((c) => c.index)
  }
  return { columns, ignored }
}

/** What a column holds: a field, or null when it is left out. */
export type ColumnChoice = ImportField | null

/** The field each column was recognised as, by position (null: not recognised). */
export function guessColumns(header: string[]): ColumnChoice[] {
  return header.map((title) => {
    const key = headerKey(title)
    return IMPORT_FIELDS.find((f) => SYNONYMS[f].includes(key)) ?? null
  })
}

/**
 * The column map of a choice per column (what staff picked on the mapping step): several columns
 * of one field are tried as mapHeader orders them, known headers best first, then left to right.
 */
export function columnsOf(header: string[], choices: ColumnChoice[]): ColumnMap {
  const columns: ColumnMap = {}
  const rank = (field: ImportField, index: number) => {
    const r = SYNONYMS[field].indexOf(headerKey(header[index] ?? ''))
    return r === -1 ? SYNONYMS[field].length : r
  }
  for (const field of IMPORT_FIELDS) {
    const indexes = choices.flatMap((choice, index) => (choice === field && index < header.length ? [index] : []))
    if (indexes.length > 0) columns[field] = indexes.sort((a, b) => rank(field, a) - rank(field, b) || a - b)
  }
  return columns
}

/** True when the header has a column a client's name can come from. */
export function hasNameColumn(columns: ColumnMap): boolean {
  return columns.first_name !== undefined || columns.name !== undefined
}

/** One record's values by field: the first non-empty cell of each field's columns, trimmed and capped. */
export function pickFields(columns: ColumnMap, record: string[]): RawRow {
  const row: RawRow = {}
  for (const field of IMPORT_FIELDS) {
    for (const index of columns[field] ?? []) {
      const value = record[index]?.trim()
      if (value) {
        row[field] = value.length > FIELD_MAX[field] ? value.slice(0, FIELD_MAX[field] + 1) : value
        break
      }
    }
  }
  return row
}

const PARTICLES = new Set([
  'van',
  'von',
  'der',
  'den',
  'de',
  'del',
  'della',
  'da',
  'di',
  'du',
  'la',
  'le',
  'st',
  'st.',
  'bin',
  'al',
  'ter',
  'ten',
])
const SUFFIXES = new Set(['jr', 'jr.', 'sr', 'sr.', 'ii', 'iii', 'iv', 'phd', 'md', 'dds', 'esq', 'esq.'])

/**
 * Splits a full name into first and last: "Smith, Jane" → Jane / Smith; "Mary Ann Smith" →
 * Mary Ann / Smith; "Ludwig van Beethoven" → Ludwig / van Beethoven; "Cher" → Cher.
 */
export function splitFullName(full: string): { first: string; last?: string } {
  const name = full.trim().replace(/\s+/g, ' ')
  const comma = name.indexOf(',')
  if (comma > 0) {
    const last = name.slice(0, comma).trim()
    const first = name.slice(comma + 1).trim()
    if (first && !SUFFIXES.has(first.toLowerCase())) return { first, last }
  }
  const words = name
    .replace(/,/g, '')
    .split(' ')
    .filter((w) => w !== '')
  if (words.length < 2) return { first: words[0] ?? '' }
  let start = words.length - 1
  while (start > 1 && SUFFIXES.has(words[start]!.toLowerCase())) start--
  while (start > 1 && PARTICLES.has(words[start - 1]!.toLowerCase())) start--
  return { first: words.slice(0, start).join(' '), last: words.slice(start).join(' ') }
}

/** A tags cell split on commas and semicolons, trimmed, empty and repeated tags dropped. */
export function splitTags(cell: string | undefined): string[] {
  if (!cell) return []
  return [
    ...new Set(
      cell
        .split(/[,;]/)
        .map((t) => t.trim())
        .filter((t) => t !== ''),
    ),
  ]
}
