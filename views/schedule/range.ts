/** What a calendar shows (view, day, person), the days it covers and the links between calendars. */
import { addDays } from '../../src/time'

export const VIEWS = ['day', 'week', 'month'] as const
export type View = (typeof VIEWS)[number]

/** The filter of jobs nobody works yet, beside team members' user ids. */
export const UNASSIGNED = 'unassigned'

/** A calendar: which view, the day it is about (any day of a week or month) and, optionally, one person's jobs only. */
export type CalendarQuery = { view: View; date: string; person?: string | undefined }

/** The days a view covers, first to last, and the day after the last (the range's end, exclusive). */
export type CalendarRange = { days: string[]; first: string; end: string }

/** The Monday of the week holding `date`. */
export function mondayOf(date: string): string {
  const dow = new Date(`${date}T00:00:00Z`).getUTCDay()
  return addDays(date, -((dow + 6) % 7))
}

/** The first day of the month holding `date`. */
export const monthOf = (date: string) => `${date.slice(0, 7)}-01`

/** The first day of the month `months` away from the one holding `date`. */
export function addMonths(date: string, months: number): string {
  const [y, m] = date.split('-').map(Number) as [number, number]
  return new Date(Date.UTC(y, m - 1 + months, 1)).toISOString().slice(0, 10)
}

/** The days of a view: one day, the Monday-to-Sunday week, or the whole month. */
export function rangeOf(q: CalendarQuery): CalendarRange {
  const first = q.view === 'day' ? q.date : q.view === 'week' ? mondayOf(q.date) : monthOf(q.date)
  const end = q.view === 'day' ? addDays(first, 1) : q.view === 'week' ? addDays(first, 7) : addMonths(first, 1)
  const days: string[] = []
  for (let d = first; d < end; d = addDays(d, 1)) days.push(d)
  return { days, first, end }
}

/** The same view one step earlier (-1) or later (+1). */
export function stepped(q: CalendarQuery, step: -1 | 1): CalendarQuery {
  const first = rangeOf(q).first
  const date =
    q.view === 'day' ? addDays(first, step) : q.view === 'week' ? addDays(first, 7 * step) : addMonths(first, step)
  return { ...q, date }
}

/**
 * The link to a calendar. A week is `?week=` (the form links from before the day and month views
 * used, and still the shortest); a day or a month names its view.
 */
export function scheduleUrl(q: CalendarQuery): string {
  const person = q.person ? `&person=${encodeURIComponent(q.person)}` : ''
  if (q.view === 'week') return `/app/schedule?week=${q.date}${person}`
  return `/app/schedule?view=${q.view}&date=${q.date}${person}`
}
