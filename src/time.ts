/** Time-zone arithmetic with Intl only: wall-clock times in a zone to UTC instants and back. */

const formatters = new Map<string, Intl.DateTimeFormat>()

function formatter(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz)
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    })
    formatters.set(tz, f)
  }
  return f
}

/** The wall-clock fields of an instant in a zone. */
export function wallClock(
  instant: Date,
  tz: string,
): { year: number; month: number; day: number; hour: number; minute: number; second: number } {
  const parts = Object.fromEntries(
    formatter(tz)
      .formatToParts(instant)
      .map((p) => [p.type, p.value]),
  )
  return {
    year: Number(parts['year']),
    month: Number(parts['month']),
    day: Number(parts['day']),
    hour: Number(parts['hour']),
    minute: Number(parts['minute']),
    second: Number(parts['second']),
  }
}

/** Milliseconds the zone is ahead of UTC at that instant. */
function offsetAt(instant: number, tz: string): number {
  const w = wallClock(new Date(instant), tz)
  return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second) - Math.floor(instant / 1000) * 1000
}

/**
 * The UTC instant when the wall clock in `tz` shows `date` (YYYY-MM-DD) at `time` (HH:MM).
 * A time skipped by a spring-forward gap resolves to just after the gap; a repeated
 * fall-back time resolves to its first occurrence.
 */
export function zonedTimeToUtc(date: string, time: string, tz: string): Date {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number]
  const [hh, mm] = time.split(':').map(Number) as [number, number]
  const asUtc = Date.UTC(y, m - 1, d, hh, mm)
  // The offsets a day either side cover both sides of a change that day (east or west of UTC alike).
  const before = asUtc - offsetAt(asUtc - 86_400_000, tz)
  const after = asUtc - offsetAt(asUtc + 86_400_000, tz)
  if (before === after) return new Date(before)
  const shows = (t: number) => {
    const w = wallClock(new Date(t), tz)
    return w.hour === hh && w.minute === mm
  }
  // Both show a repeated time: the earlier is its first occurrence. Neither shows a skipped one: the later is after the gap.
  const showing = [before, after].filter(shows)
  return new Date(showing.length > 0 ? Math.min(...showing) : Math.max(before, after))
}

/** The calendar date (YYYY-MM-DD) of an instant in a zone. */
export function localDate(instant: Date, tz: string): string {
  const w = wallClock(instant, tz)
  return `${w.year}-${String(w.month).padStart(2, '0')}-${String(w.day).padStart(2, '0')}`
}

/** Adds whole days to a YYYY-MM-DD date. */
export function addDays(date: string, days: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number]
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10)
}

/** Years a date may name; anything outside is a typo (`0226`, `9026`) rather than a plan. */
const FIRST_YEAR = 1900
const LAST_YEAR = 2199

/** True when `s` is a real calendar date written YYYY-MM-DD (no month 13, no February 30), years 1900–2199. */
export function isIsoDate(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s)
  if (!m) return false
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])]
  if (y < FIRST_YEAR || y > LAST_YEAR || mo < 1 || mo > 12 || d < 1) return false
  const leap = y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0)
  return d <= [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][mo - 1]!
}

/** True when `s` is a time of day written HH:MM, 00:00 to 23:59. */
export function isClockTime(s: string): boolean {
  return /^(?:[01]\d|2[0-3]):[0-5]\d$/.test(s)
}
