/** How the assistant words days and amounts: "Tuesday", "6 days ago", "$840.00", in the business's zone. */
import { localDate } from '../../../../src/time'
import { money, shortDate } from '../../../../views/format'

export { money }

/** Whole days from the local date `from` to the local date `to` (YYYY-MM-DD); negative when `to` is earlier. */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000)
}

/** The local date of an instant (ISO) or of a date already written YYYY-MM-DD. */
export function dayOf(value: string, tz: string): string {
  return /^\d{4}-\d{2}-\d{2}$/.test(value) ? value : localDate(new Date(value), tz)
}

const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday']

/** "today", "yesterday", "Tuesday" within the last week, else "Nov 28": when something happened. */
export function dayWord(value: string, tz: string, today: string): string {
  const day = dayOf(value, tz)
  const ago = daysBetween(day, today)
  if (ago === 0) return 'today'
  if (ago === 1) return 'yesterday'
  if (ago > 1 && ago < 7) return WEEKDAYS[new Date(`${day}T00:00:00Z`).getUTCDay()]!
  return monthDay(day)
}

/** "Nov 28" from a YYYY-MM-DD date. */
export function monthDay(day: string): string {
  return shortDate(day).replace(/^\w+, /, '')
}

/** "Thu, Dec 10" from an instant or a YYYY-MM-DD date. */
export function dateWords(value: string, tz: string): string {
  return shortDate(dayOf(value, tz))
}

/** "today", "1 day ago", "6 days ago". */
export function agoWords(days: number): string {
  if (days <= 0) return 'today'
  return days === 1 ? '1 day ago' : `${days} days ago`
}

/** "1 day", "9 days". */
export function dayCount(days: number): string {
  return days === 1 ? '1 day' : `${days} days`
}

/** A reply's words on one line, cut to `max` characters. */
export function quote(text: string, max = 200): string {
  const line = text.replace(/\s+/g, ' ').trim()
  return line.length > max ? `${line.slice(0, max)}…` : line
}
