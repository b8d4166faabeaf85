/**
 * CSV as spreadsheets read it (RFC 4180): a header row, CRLF line ends, a field in double quotes
 * when it holds a comma, a quote or a line break (quotes doubled). Text that a spreadsheet would
 * run as a formula (starting with =, +, -, @, a tab or CR) gets a leading apostrophe.
 */

/** One field as CSV. */
export function csvField(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return ''
  if (typeof value === 'number') return String(value)
  const text = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text
}

/** The header and one line per row, each row's fields in the header's order. */
export function toCsv<K extends string>(
  columns: readonly K[],
  rows: ReadonlyArray<Record<K, string | number | null>>,
): string {
  const lines = [columns.join(','), ...rows.map((row) => columns.map((c) => csvField(row[c])).join(','))]
  return `${lines.join('\r\n')}\r\n`
}
