/** CSV text of export rows: RFC 4180 quoting, empty for null, JSON for lists and objects. */

/** One cell as CSV writes it. */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return ''
  const text = typeof value === 'object' ? JSON.stringify(value) : String(value)
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
