/** Reading an uploaded CSV file: bytes to text, text to a header and records, blank rows dropped. */
import { CsvError, parse } from 'csv-parse/browser/esm/sync'
import { invalidInput } from '../errors'

export type CsvTable = { header: string[]; records: string[][] }

/**
 * Decodes a file's bytes: UTF-8 (a BOM is dropped), else Windows-1252, which is what spreadsheet
 * programs on Windows still write.
 */
export function decodeCsv(bytes: ArrayBuffer | Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes)
  } catch {
    try {
      return new TextDecoder('windows-1252').decode(bytes)
    } catch {
      return new TextDecoder('utf-8').decode(bytes)
    }
  }
}

/**
 * Parses CSV text: quoted fields with commas, quotes and line breaks, CRLF or LF, a UTF-8 BOM,
 * ragged rows. The delimiter is the comma, or a semicolon or tab when the header has no comma.
 * Rows whose cells are all empty are dropped. Unparseable text is a 400.
 */
export function parseCsv(text: string): CsvTable {
  let rows: string[][]
  try {
    rows = parse(text, {
      bom: true,
      delimiter: guessDelimiter(text),
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: true,
    })
  } catch (error) {
    if (error instanceof CsvError)
      throw invalidInput([{ path: 'body', message: error.message }], 'The file is not valid CSV.')
    throw error
  }
  const [header, ...rest] = rows
  return { header: header ?? [], records: rest.filter((r) => r.some((cell) => cell.trim() !== '')) }
}

/** The header line's delimiter: a comma unless the line has none but has semicolons or tabs. */
function guessDelimiter(text: string): string {
  const end = text.search(/\r?\n/)
  const first = end === -1 ? text : text.slice(0, end)
  if (first.includes(',')) return ','
  if (first.includes(';')) return ';'
  if (first.includes('\t')) return '\t'
  return ','
}
