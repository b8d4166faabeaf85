/**
 * A business's billing period, the month its plan's texts are counted in: the subscription's
 * current period (the month ending at `current_period_end`) while the plan comes from a
 * subscription, else the calendar month on the business's clock.
 */
import { wallClock, zonedTimeToUtc } from '../time'

export type Period = { start: Date; end: Date }

/** `at` moved by whole months in UTC, the day kept or clamped to the month's last (Mar 31 − 1 month = Feb 28). */
export function addMonths(at: Date, months: number): Date {
  const y = at.getUTCFullYear()
  const m = at.getUTCMonth() + months
  const last = new Date(Date.UTC(y, m + 1, 0)).getUTCDate()
  return new Date(
    Date.UTC(
      y,
      m,
      Math.min(at.getUTCDate(), last),
      at.getUTCHours(),
      at.getUTCMinutes(),
      at.getUTCSeconds(),
      at.getUTCMilliseconds(),
    ),
  )
}

/**
 * The period holding `now`. With a period end, the month before it, moved on by whole months from
 * that end when a renewal has not been heard of yet (or back, for an end more than a month away).
 */
export function billingPeriod(now: Date, periodEnd: string | null, zone: string): Period {
  const anchor = periodEnd ? new Date(periodEnd) : null
  if (anchor && !Number.isNaN(anchor.getTime())) {
    // Months from the anchor to now, then the one step either way that lands the period on now.
    let k = (now.getUTCFullYear() - anchor.getUTCFullYear()) * 12 + now.getUTCMonth() - anchor.getUTCMonth()
    while (addMonths(anchor, k - 1) > now) k--
    while (addMonths(anchor, k) <= now) k++
    return { start: addMonths(anchor, k - 1), end: addMonths(anchor, k) }
  }
  const { year, month } = wallClock(now, zone)
  const first = (y: number, m: number) => `${y}-${String(m).padStart(2, '0')}-01`
  return {
    start: zonedTimeToUtc(first(year, month), '00:00', zone),
    end: zonedTimeToUtc(month === 12 ? first(year + 1, 1) : first(year, month + 1), '00:00', zone),
  }
}
