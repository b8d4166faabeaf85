/** The booking form's "Repeats" and "Send a confirmation" fields read into the API's `recurrence` and `notify`. */
import type { FormErrors, FormValues } from '../../../../views/fields'
import { isIsoDate } from '../../../time'

/** The API's recurrence (API.md, "Team, schedule and visits"). */
export type RecurrenceInput = {
  freq: 'weekly' | 'monthly'
  interval?: number
  count?: number
  until?: string
  by_weekday?: string[]
}

const DAYS = ['SU', 'MO', 'TU', 'WE', 'TH', 'FR', 'SA'] as const

/** A whole number typed in a field, within [min, max]; null otherwise. */
function wholeNumber(value: string | undefined, min: number, max: number): number | null {
  const s = (value ?? '').trim()
  if (!/^\d+$/.test(s)) return null
  const n = Number(s)
  return n >= min && n <= max ? n : null
}

/** "2TU" for the second Tuesday of its month, "-1FR" for a fifth (so last) Friday. */
export function nthWeekdayOf(date: string): string {
  const d = new Date(`${date}T00:00:00Z`)
  const n = Math.ceil(d.getUTCDate() / 7)
  return `${n === 5 ? -1 : n}${DAYS[d.getUTCDay()]}`
}

/**
 * What the "Repeats" fields ask for, given the visit's date (`start`, `YYYY-MM-DDTHH:MM`):
 * never, every week, every 2 or N weeks, monthly on the same date or the same weekday (`2TU`);
 * ending after a number of visits, on a date, or not at all. Errors are keyed by form field.
 */
export function readRecurrence(values: FormValues): { recurrence?: RecurrenceInput; errors: FormErrors } {
  const repeats = values['repeats'] ?? 'never'
  const startDate = (values['start'] ?? '').slice(0, 10)
  let recurrence: RecurrenceInput
  switch (repeats) {
    case 'never':
    case '':
      return { errors: {} }
    case 'weekly':
      recurrence = { freq: 'weekly' }
      break
    case 'every_2_weeks':
      recurrence = { freq: 'weekly', interval: 2 }
      break
    case 'every_n_weeks': {
      const interval = wholeNumber(values['every_weeks'], 1, 12)
      if (interval === null) return { errors: { every_weeks: 'Enter a number of weeks from 1 to 12.' } }
      recurrence = { freq: 'weekly', interval }
      break
    }
    case 'monthly_day':
      recurrence = { freq: 'monthly' }
      break
    case 'monthly_weekday':
      // Without a date the weekday is not known; the date field says what is missing.
      if (!isIsoDate(startDate)) return { errors: {} }
      recurrence = { freq: 'monthly', by_weekday: [nthWeekdayOf(startDate)] }
      break
    default:
      return { errors: { repeats: 'Choose how often the visit repeats.' } }
  }
  const ends = values['ends'] ?? 'never'
  if (ends === 'after') {
    const count = wholeNumber(values['ends_count'], 1, 200)
    if (count === null) return { errors: { ends_count: 'Enter a number of visits from 1 to 200.' } }
    recurrence.count = count
  } else if (ends === 'on') {
    const until = (values['ends_on'] ?? '').trim()
    if (!isIsoDate(until)) return { errors: { ends_on: 'Pick the date of the last visit.' } }
    if (isIsoDate(startDate) && until < startDate)
      return { errors: { ends_on: 'Pick a date on or after the first visit.' } }
    recurrence.until = until
  } else if (ends !== 'never' && ends !== '') {
    return { errors: { ends: 'Choose when the visits stop.' } }
  }
  return { recurrence, errors: {} }
}

/** `false` when the "Send a confirmation" box was shown and left unticked; otherwise the API's default (send). */
export function readNotify(values: FormValues): false | undefined {
  return values['notify_shown'] && !values['notify'] ? false : undefined
}
