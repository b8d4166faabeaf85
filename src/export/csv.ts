/**
 * CSV text of export rows: RFC 4180 quoting, empty for null, JSON for lists and objects. Text a
 * spreadsheet would run as a formula (starting with =, +, -, @, a tab or CR: a client's name from
 * the public request form, a text they sent) gets a leading apostrophe, as the console's CSV does
 * (src/platform/csv.ts). The CSVs are for reading; an import reads the JSON export.
 */

/** One cell as CSV writes it. */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return ''
  if (typeof value === 'number' || typeof value === 'boolean') return String(value)
  const raw = typeof value === 'object' ? JSON.stringify(value) : String(value)
  const text = /^[=+\-@\t\r]/.test(raw) ? `'${raw}` : raw
  return /[",\r\n]/.test(text) || text !== text.trim() ? `"${text.replace(/"/g, '""')}"` : text
}

/** One line of cells, ended by CRLF. */
export function csvLine(cells: unknown[]): string {
  return `${cells.map(csvCell).join(',')}\r\n`
}

/** The lines of rows under the given columns. */
export function csvRows(columns: readonly string[], rows: Record<string, unknown>[]): string {
  return rows.map((r) => csvLine(columns.map((c) => r[c]))).join('')
}
