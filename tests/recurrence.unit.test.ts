/** Recurrence rules on their own: building, expanding on the wall clock, shifting and describing. */
import { describe, expect, it } from 'vitest'
import {
  buildRule,
  describeRule,
  instantOf,
  type LocalKey,
  occurrences,
  parseRule,
  type Recurrence,
  shiftRule,
} from '../durable-objects/org/crm/recurrence'
import { AppError } from '../src/errors'

const CHICAGO = 'America/Chicago'

/** Every visit of a rule up to `through`, first visit included, as local keys. */
function expand(rule: string, through: LocalKey = '2040-12-31T23:59'): LocalKey[] {
  const parsed = parseRule(rule)
  return [parsed.start, ...occurrences(parsed, parsed.start, through)]
}

/** The UTC instants of a rule's visits in its zone. */
function instants(rule: string, through?: LocalKey): string[] {
  const tz = parseRule(rule).tz
  return expand(rule, through).map((k) => instantOf(k, tz).toISOString())
}

const build = (rec: Recurrence, start: LocalKey, tz = CHICAGO) => buildRule(rec, start, tz)

describe('buildRule and expansion', () => {
  it('writes RFC 5545 text with the zone on DTSTART', () => {
    expect(build({ freq: 'weekly', interval: 2, count: 3 }, '2031-03-04T09:00')).toBe(
      'DTSTART;TZID=America/Chicago:20310304T090000\nRRULE:FREQ=WEEKLY;INTERVAL=2;COUNT=3;BYDAY=TU',
    )
  })

  it('repeats weekly on several days, in order', () => {
    // 2031-03-03 is a Monday.
    const rule = build({ freq: 'weekly', by_weekday: ['FR', 'MO', 'WE'], count: 6 }, '2031-03-03T08:00')
    expect(expand(rule)).toEqual([
      '2031-03-03T08:00',
      '2031-03-05T08:00',
      '2031-03-07T08:00',
      '2031-03-10T08:00',
      '2031-03-12T08:00',
      '2031-03-14T08:00',
    ])
    expect(describeRule(rule)).toBe('Every week on Monday, Wednesday and Friday at 8:00 AM, 6 visits')
  })

  it('repeats every 2 weeks', () => {
    const rule = build({ freq: 'weekly', interval: 2, count: 4 }, '2031-03-04T09:00')
    expect(expand(rule)).toEqual(['2031-03-04T09:00', '2031-03-18T09:00', '2031-04-01T09:00', '2031-04-15T09:00'])
    expect(describeRule(rule)).toBe('Every 2 weeks on Tuesday at 9:00 AM, 4 visits')
  })

  it('keeps a monthly visit on the 31st on the last day of shorter months, February of a leap year included', () => {
    const rule = build({ freq: 'monthly', count: 14 }, '2031-01-31T10:00')
    expect(expand(rule).map((k) => k.slice(0, 10))).toEqual([
      '2031-01-31',
      '2031-02-28',
      '2031-03-31',
      '2031-04-30',
      '2031-05-31',
      '2031-06-30',
      '2031-07-31',
      '2031-08-31',
      '2031-09-30',
      '2031-10-31',
      '2031-11-30',
      '2031-12-31',
      '2032-01-31',
      '2032-02-29',
    ])
    expect(describeRule(rule)).toBe('Every month on the last day at 10:00 AM, 14 visits')
  })

  it('keeps a visit on the 29th on the 28th of a non-leap February, and on the 29th again in March', () => {
    const rule = build({ freq: 'monthly', until: '2032-03-31' }, '2031-01-29T10:00')
    const dates = expand(rule).map((k) => k.slice(0, 10))
    expect(dates.slice(0, 3)).toEqual(['2031-01-29', '2031-02-28', '2031-03-29'])
    expect(dates).toContain('2032-02-29')
    expect(dates[dates.length - 1]).toBe('2032-03-29')
    expect(describeRule(rule)).toBe("Every month on the 29th (or the month's last day) at 10:00 AM, until 2032-03-31")
  })

  it('repeats monthly on the 2nd Tuesday and on the last Friday', () => {
    // 2031-01-14 is the second Tuesday of January; 2031-01-31 its last Friday.
    const second = build({ freq: 'monthly', by_weekday: ['2TU'], count: 4 }, '2031-01-14T10:00')
    expect(expand(second).map((k) => k.slice(0, 10))).toEqual(['2031-01-14', '2031-02-11', '2031-03-11', '2031-04-08'])
    expect(describeRule(second)).toBe('Every month on the 2nd Tuesday at 10:00 AM, 4 visits')
    const last = build({ freq: 'monthly', by_weekday: ['-1FR'], count: 4 }, '2031-01-31T10:00')
    expect(expand(last).map((k) => k.slice(0, 10))).toEqual(['2031-01-31', '2031-02-28', '2031-03-28', '2031-04-25'])
    expect(describeRule(last)).toBe('Every month on the last Friday at 10:00 AM, 4 visits')
  })

  it('stops at the count, or on the end date itself', () => {
    expect(expand(build({ freq: 'weekly', count: 3 }, '2031-03-04T09:00'))).toHaveLength(3)
    const until = build({ freq: 'weekly', until: '2031-03-25' }, '2031-03-04T23:30')
    // A visit late on the end date is still in: the end date runs to 23:59 local.
    expect(expand(until)).toEqual(['2031-03-04T23:30', '2031-03-11T23:30', '2031-03-18T23:30', '2031-03-25T23:30'])
    expect(describeRule(until)).toBe('Every week on Tuesday at 11:30 PM, until 2031-03-25')
  })

  it('refuses a rule that does not name its first visit', () => {
    const refused = (rec: Recurrence, start: LocalKey) => {
      try {
        build(rec, start)
      } catch (e) {
        return e instanceof AppError && JSON.stringify(e).includes('recurrence.')
      }
      return false
    }
    expect(refused({ freq: 'weekly', by_weekday: ['WE'] }, '2031-03-04T09:00')).toBe(true)
    expect(refused({ freq: 'weekly', by_weekday: ['2TU'] }, '2031-03-04T09:00')).toBe(true)
    expect(refused({ freq: 'monthly', by_weekday: ['3TU'] }, '2031-01-14T09:00')).toBe(true)
    expect(refused({ freq: 'monthly', by_weekday: ['2TU', '4TU'] }, '2031-01-14T09:00')).toBe(true)
    expect(refused({ freq: 'weekly', until: '2031-03-03' }, '2031-03-04T09:00')).toBe(true)
    expect(refused({ freq: 'weekly', by_weekday: ['XX'] }, '2031-03-04T09:00')).toBe(true)
  })
})

describe('daylight saving', () => {
  it('keeps 9:00 at 9:00 in Chicago across the spring-forward and the fall-back', () => {
    // Sundays; clocks go forward on 2031-03-09 and back on 2031-11-02.
    const spring = build({ freq: 'weekly', count: 3 }, '2031-03-02T09:00')
    expect(instants(spring)).toEqual([
      '2031-03-02T15:00:00.000Z', // CST, UTC−6
      '2031-03-09T14:00:00.000Z', // CDT, UTC−5
      '2031-03-16T14:00:00.000Z',
    ])
    const fall = build({ freq: 'weekly', count: 3 }, '2031-10-26T09:00')
    expect(instants(fall)).toEqual(['2031-10-26T14:00:00.000Z', '2031-11-02T15:00:00.000Z', '2031-11-09T15:00:00.000Z'])
  })

  it('puts a 2:30 AM visit on the spring-forward day at 3:30 AM (2:30 does not exist), and back at 2:30 the next week', () => {
    const rule = build({ freq: 'weekly', count: 3 }, '2031-03-02T02:30')
    // The occurrence keeps its name (02:30); only the instant falls after the gap.
    expect(expand(rule)).toEqual(['2031-03-02T02:30', '2031-03-09T02:30', '2031-03-16T02:30'])
    expect(instants(rule)).toEqual([
      '2031-03-02T08:30:00.000Z', // 2:30 CST
      '2031-03-09T08:30:00.000Z', // 3:30 CDT: the hour 2:00–3:00 is skipped
      '2031-03-16T07:30:00.000Z', // 2:30 CDT
    ])
  })

  it('puts a 1:30 AM visit on the fall-back day at the first 1:30 (still daylight time)', () => {
    const rule = build({ freq: 'weekly', count: 2 }, '2031-10-26T01:30')
    expect(instants(rule)).toEqual(['2031-10-26T06:30:00.000Z', '2031-11-02T06:30:00.000Z'])
  })

  it('keeps the wall clock south of the equator, where the clocks change the other way round', () => {
    // Sydney: back an hour on 2031-04-06 (AEDT UTC+11 → AEST UTC+10), forward on 2031-10-05.
    const sydney = 'Australia/Sydney'
    const april = buildRule({ freq: 'weekly', count: 2 }, '2031-03-30T09:00', sydney)
    expect(instants(april)).toEqual(['2031-03-29T22:00:00.000Z', '2031-04-05T23:00:00.000Z'])
    const october = buildRule({ freq: 'weekly', count: 2 }, '2031-09-28T09:00', sydney)
    expect(instants(october)).toEqual(['2031-09-27T23:00:00.000Z', '2031-10-04T22:00:00.000Z'])
    // The repeated hour resolves to its first occurrence here too, the skipped one to after the gap.
    const repeated = buildRule({ freq: 'weekly', count: 2 }, '2031-03-30T02:30', sydney)
    expect(instants(repeated)[1]).toBe('2031-04-05T15:30:00.000Z') // 2:30 AEDT, the first 2:30
    const skipped = buildRule({ freq: 'weekly', count: 2 }, '2031-09-28T02:30', sydney)
    expect(instants(skipped)[1]).toBe('2031-10-04T16:30:00.000Z') // 3:30 AEDT
  })

  it('never moves in a zone without daylight saving', () => {
    const rule = buildRule({ freq: 'weekly', count: 3 }, '2031-03-02T09:00', 'America/Phoenix')
    expect(instants(rule)).toEqual(['2031-03-02T16:00:00.000Z', '2031-03-09T16:00:00.000Z', '2031-03-16T16:00:00.000Z'])
  })

  it('keeps the end date in the zone across a clock change', () => {
    const rule = build({ freq: 'weekly', until: '2031-11-04' }, '2031-10-21T23:00')
    expect(expand(rule)).toEqual(['2031-10-21T23:00', '2031-10-28T23:00', '2031-11-04T23:00'])
  })
})

describe('shiftRule', () => {
  it('moves a weekly rule by days, shifting every weekday, with the visits left', () => {
    const parsed = parseRule(build({ freq: 'weekly', by_weekday: ['MO', 'TH'], count: 8 }, '2031-03-03T08:00'))
    // From the visit of Thursday 2031-03-13, one day later and at 10:30: Tuesdays and Fridays.
    const moved = shiftRule(parsed, '2031-03-14T10:30', 1, 3)
    expect(expand(moved)).toEqual(['2031-03-14T10:30', '2031-03-18T10:30', '2031-03-21T10:30'])
    expect(describeRule(moved)).toBe('Every week on Tuesday and Friday at 10:30 AM, 3 visits')
  })

  it('re-derives "which one in the month" for a monthly rule by weekday', () => {
    const parsed = parseRule(build({ freq: 'monthly', by_weekday: ['2TU'] }, '2031-01-14T10:00'))
    // Moved a week later: the 3rd Tuesday from then on.
    const moved = shiftRule(parsed, '2031-02-18T10:00', 7, null)
    expect(expand(moved, '2031-04-30T23:59').map((k) => k.slice(0, 10))).toEqual([
      '2031-02-18',
      '2031-03-18',
      '2031-04-15',
    ])
    expect(describeRule(moved)).toBe('Every month on the 3rd Tuesday at 10:00 AM')
  })

  it('moves a monthly rule by date onto the new day, the month-end rule included', () => {
    const parsed = parseRule(build({ freq: 'monthly' }, '2031-01-15T10:00'))
    const toEnd = shiftRule(parsed, '2031-03-31T10:00', 16, null)
    expect(expand(toEnd, '2031-06-30T23:59').map((k) => k.slice(0, 10))).toEqual([
      '2031-03-31',
      '2031-04-30',
      '2031-05-31',
      '2031-06-30',
    ])
    const back = shiftRule(parseRule(toEnd), '2031-04-10T10:00', -20, null)
    expect(describeRule(back)).toBe('Every month on the 10th at 10:00 AM')
  })

  it('keeps the end date when moved', () => {
    const parsed = parseRule(build({ freq: 'weekly', until: '2031-04-01' }, '2031-03-04T09:00'))
    const moved = shiftRule(parsed, '2031-03-19T09:00', 1, null)
    expect(expand(moved)).toEqual(['2031-03-19T09:00', '2031-03-26T09:00'])
    expect(describeRule(moved)).toBe('Every week on Wednesday at 9:00 AM, until 2031-04-01')
  })
})
