/** Quiet hours: no automated message between `start` and `end` on the recipient's wall clock. */
import { addDays, localDate, wallClock, zonedTimeToUtc } from '../time'

export type QuietHours = { start: string; end: string }

export const DEFAULT_QUIET_HOURS: QuietHours = { start: '21:00', end: '08:00' }

/** Deferred messages are spread over this many seconds after the window opens. */
const SPREAD_SECONDS = 300

const minutes = (hhmm: string) => {
  const [h, m] = hhmm.split(':').map(Number) as [number, number]
  return h * 60 + m
}

/** True when `instant` falls in quiet hours in zone `tz` (windows may wrap midnight). */
export function isQuiet(instant: Date, tz: string, quiet: QuietHours): boolean {
  const w = wallClock(instant, tz)
  const now = w.hour * 60 + w.minute
  const start = minutes(quiet.start)
  const end = minutes(quiet.end)
  if (start === end) return false
  return start < end ? now >= start && now < end : now >= start || now < end
}

/**
 * The next instant messages may go out: `instant` itself outside quiet hours, else the end of the
 * window on the recipient's clock plus a spread of up to five minutes keyed by `spreadKey`, so a
 * night's backlog does not leave all at once.
 */
export function nextAllowed(instant: Date, tz: string, quiet: QuietHours, spreadKey: string): Date {
  if (!isQuiet(instant, tz, quiet)) return instant
  const today = localDate(instant, tz)
  const w = wallClock(instant, tz)
  const endsToday = w.hour * 60 + w.minute < minutes(quiet.end)
  const opens = zonedTimeToUtc(endsToday ? today : addDays(today, 1), quiet.end, tz)
  return new Date(opens.getTime() + spreadOffset(spreadKey) * 1000)
}

/** A stable number of seconds in [0, SPREAD_SECONDS) for a key. */
function spreadOffset(key: string): number {
  let h = 2166136261
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 16777619)
  return (h >>> 0) % SPREAD_SECONDS
}
