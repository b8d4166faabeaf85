/**
 * Recurrence rules for repeating visits, as RFC 5545 text (`DTSTART;TZID=…` and `RRULE:…`),
 * expanded by the `rrule` library. Occurrences are computed on wall-clock time ("floating": a
 * Date whose UTC fields are the local time) and only then placed in the business's zone, so a
 * 9:00 visit stays at 9:00 across daylight-saving changes.
 */
import { type ByWeekday, type Options, RRule, Weekday } from 'rrule'
import { invalidInput } from '../../../src/errors'
import { wallClock, zonedTimeToUtc } from '../../../src/time'

/** What the API takes: `by_weekday` reads `MO`…`SU`, or for a monthly rule `2TU` (second Tuesday), `-1FR` (last Friday). */
export type Recurrence = {
  freq: 'weekly' | 'monthly'
  interval?: number
  count?: number
  until?: string
  by_weekday?: string[]
}

/** A local wall-clock time, `YYYY-MM-DDTHH:MM`: how occurrences are named and compared. */
export type LocalKey = string

const DAYS = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'] as const
const DAY_NAMES = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday']
const WEEKDAY = /^([+-]?[1-5])?(MO|TU|WE|TH|FR|SA|SU)$/

/** The floating Date of a local key. */
export const floating = (key: LocalKey): Date => new Date(`${key}:00Z`)

/** The local key of a floating Date. */
export const keyOf = (d: Date): LocalKey => d.toISOString().slice(0, 16)

/** The instant a local key names in a zone. */
export const instantOf = (key: LocalKey, tz: string): Date => zonedTimeToUtc(key.slice(0, 10), key.slice(11, 16), tz)

/** The local key of an instant in a zone. */
export function localKey(instant: Date, tz: string): LocalKey {
  const w = wallClock(instant, tz)
  const p = (n: number) => String(n).padStart(2, '0')
  return `${w.year}-${p(w.month)}-${p(w.day)}T${p(w.hour)}:${p(w.minute)}`
}

/** Monday-first weekday index (0 = Monday) of a floating Date. */
const weekdayOf = (d: Date): number => (d.getUTCDay() + 6) % 7

/** Which of its weekday in the month a date is: 1…4, or -1 when it is the last (the fifth is always the last). */
function nthInMonth(d: Date): number {
  const n = Math.ceil(d.getUTCDate() / 7)
  const next = new Date(d.getTime() + 7 * 86_400_000)
  return next.getUTCMonth() !== d.getUTCMonth() ? (n === 5 ? -1 : n) : n
}

const bad = (field: string, message: string) => invalidInput([{ path: `recurrence.${field}`, message }])

/**
 * The rule for a recurrence whose first visit is at `start` (local key) in `tz`. The first visit
 * must be one of the rule's own (a weekly rule on Tuesdays starts on a Tuesday). A monthly rule by
 * date on the 29th–31st falls on the month's last day in shorter months.
 */
export function buildRule(rec: Recurrence, start: LocalKey, tz: string): string {
  const first = floating(start)
  const options: Partial<Options> = {
    freq: rec.freq === 'weekly' ? RRule.WEEKLY : RRule.MONTHLY,
    interval: rec.interval ?? 1,
  }
  if (rec.count) options.count = rec.count
  if (rec.until) {
    if (rec.until < start.slice(0, 10)) throw bad('until', 'must not be before the first visit')
    options.until = instantOf(`${rec.until}T23:59`, tz)
  }
  const days = (rec.by_weekday ?? []).map((s) => WEEKDAY.exec(s.trim().toUpperCase()))
  if (days.some((m) => !m)) throw bad('by_weekday', 'reads MO, TU, WE, TH, FR, SA, SU (monthly: 2TU, -1FR)')
  const parsed = days.map((m) => ({
    n: m![1] ? Number(m![1]) : null,
    day: DAYS.indexOf(m![2] as (typeof DAYS)[number]),
  }))
  if (rec.freq === 'weekly') {
    if (parsed.some((d) => d.n !== null)) throw bad('by_weekday', 'a weekly rule takes plain days, like MO')
    const chosen = parsed.length > 0 ? [...new Set(parsed.map((d) => d.day))] : [weekdayOf(first)]
    if (!chosen.includes(weekdayOf(first)))
      throw bad('by_weekday', `must include the first visit's day (${DAYS[weekdayOf(first)]})`)
    options.byweekday = chosen.sort()
  } else if (parsed.length > 0) {
    if (parsed.length > 1) throw bad('by_weekday', 'a monthly rule takes one day, like 2TU')
    const want = parsed[0]!
    const n = want.n ?? nthInMonth(first)
    if (want.day !== weekdayOf(first) || (n !== nthInMonth(first) && n !== Math.ceil(first.getUTCDate() / 7)))
      throw bad('by_weekday', 'must name the first visit (its weekday and which one in the month)')
    options.byweekday = [new Weekday(want.day, n)]
  } else {
    const day = first.getUTCDate()
    if (day >= 29) {
      options.bymonthday = Array.from({ length: day - 27 }, (_, i) => 28 + i)
      options.bysetpos = [-1]
    } else options.bymonthday = [day]
  }
  return `DTSTART;TZID=${tz}:${compact(start)}\nRRULE:${RRule.optionsToString(options).replace(/^RRULE:/, '')}`
}

const compact = (key: LocalKey) => `${key.slice(0, 10).replaceAll('-', '')}T${key.slice(11, 13)}${key.slice(14, 16)}00`

export type ParsedRule = { start: LocalKey; tz: string; rule: RRule; options: Partial<Options> }

/** Reads a rule written by `buildRule`: its first visit, its zone, and the expander on floating time. */
export function parseRule(text: string): ParsedRule {
  const [dtstart, rrule] = text.split('\n')
  const m = /^DTSTART;TZID=([^:]+):(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})\d{2}$/.exec(dtstart ?? '')
  if (!m || !rrule?.startsWith('RRULE:')) throw new Error(`unreadable series rule: ${text}`)
  const tz = m[1]!
  const start = `${m[2]}-${m[3]}-${m[4]}T${m[5]}:${m[6]}`
  const options = RRule.parseString(rrule.slice('RRULE:'.length))
  const until = options.until ? floating(localKey(options.until, tz)) : null
  return { start, tz, options, rule: new RRule({ ...options, dtstart: floating(start), until, tzid: null }) }
}

/** The rule's occurrences after `after` (exclusive) up to `through` (inclusive), as local keys. */
export function occurrences(parsed: ParsedRule, after: LocalKey, through: LocalKey): LocalKey[] {
  if (through <= after) return []
  return parsed.rule
    .between(floating(after), floating(through), true)
    .map(keyOf)
    .filter((k) => k > after)
}

/** True when the rule has an occurrence after `key`. */
export function continuesAfter(parsed: ParsedRule, key: LocalKey): boolean {
  return parsed.rule.after(floating(key), false) !== null
}

/**
 * The same rule moved by `days` days and `minutes` minutes of wall-clock time, starting at
 * `start` (the visit it is moved from), with `count` visits left when it had a count.
 */
export function shiftRule(parsed: ParsedRule, start: LocalKey, days: number, count: number | null): string {
  const o = { ...parsed.options }
  delete o.dtstart
  delete o.tzid
  if (count !== null && o.count) o.count = Math.max(1, count)
  const shiftDay = (w: ByWeekday): ByWeekday => {
    const wd = typeof w === 'number' ? new Weekday(w) : typeof w === 'string' ? RRule[w] : w
    return new Weekday((((wd.weekday + days) % 7) + 7) % 7, wd.n)
  }
  const first = floating(start)
  if (o.byweekday) {
    const list = Array.isArray(o.byweekday) ? o.byweekday : [o.byweekday]
    const moved = list.map(shiftDay)
    // A monthly rule by weekday names which one in the month from the moved visit itself.
    o.byweekday = o.freq === RRule.MONTHLY ? [new Weekday(weekdayOf(first), nthInMonth(first))] : (moved as Weekday[])
  }
  if (o.bymonthday) {
    const day = first.getUTCDate()
    o.bymonthday = day >= 29 ? Array.from({ length: day - 27 }, (_, i) => 28 + i) : [day]
    o.bysetpos = day >= 29 ? [-1] : null
  }
  return `DTSTART;TZID=${parsed.tz}:${compact(start)}\nRRULE:${RRule.optionsToString(o).replace(/^RRULE:/, '')}`
}

/** The rule in words: "Every 2 weeks on Tuesday at 9:00 AM, 10 visits". */
export function describeRule(text: string): string {
  const parsed = parseRule(text)
  const o = parsed.options
  const interval = o.interval ?? 1
  const unit = o.freq === RRule.WEEKLY ? 'week' : 'month'
  const every = interval === 1 ? `Every ${unit}` : `Every ${interval} ${unit}s`
  const weekdays = (Array.isArray(o.byweekday) ? o.byweekday : o.byweekday ? [o.byweekday] : []).map((w) =>
    typeof w === 'number' ? new Weekday(w) : typeof w === 'string' ? RRule[w] : w,
  )
  let on = ''
  if (o.freq === RRule.WEEKLY) on = ` on ${listOf(weekdays.map((w) => DAY_NAMES[w.weekday]!))}`
  else if (weekdays.length > 0) {
    const w = weekdays[0]!
    on = ` on the ${w.n === -1 ? 'last' : ordinal(w.n ?? 1)} ${DAY_NAMES[w.weekday]}`
  } else {
    const days = Array.isArray(o.bymonthday) ? o.bymonthday : o.bymonthday ? [o.bymonthday] : []
    const day = Math.max(...days)
    on = o.bysetpos
      ? day === 31
        ? ' on the last day'
        : ` on the ${ordinal(day)} (or the month's last day)`
      : ` on the ${ordinal(day)}`
  }
  const [hh, mm] = parsed.start.slice(11, 16).split(':').map(Number) as [number, number]
  const at = ` at ${hh % 12 === 0 ? 12 : hh % 12}:${String(mm).padStart(2, '0')} ${hh < 12 ? 'AM' : 'PM'}`
  const end = o.count
    ? `, ${o.count} ${o.count === 1 ? 'visit' : 'visits'}`
    : o.until
      ? `, until ${localKey(o.until, parsed.tz).slice(0, 10)}`
      : ''
  return `${every}${on}${at}${end}`
}

function ordinal(n: number): string {
  const s = n % 100 >= 11 && n % 100 <= 13 ? 'th' : (['th', 'st', 'nd', 'rd'][n % 10] ?? 'th')
  return `${n}${s}`
}

function listOf(items: string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`
}
