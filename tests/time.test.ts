import { describe, expect, it } from 'vitest'
import { jobReminderTimes, invoiceReminderTimes } from '../durable-objects/org/crm/reminders'
import { addDays, isIsoDate, localDate, zonedTimeToUtc } from '../src/time'

describe('zonedTimeToUtc', () => {
  it('reads 9:00 in New York as 14:00 UTC in winter and 13:00 UTC in summer', () => {
    expect(zonedTimeToUtc('2026-01-15', '09:00', 'America/New_York').toISOString()).toBe('2026-01-15T14:00:00.000Z')
    expect(zonedTimeToUtc('2026-07-15', '09:00', 'America/New_York').toISOString()).toBe('2026-07-15T13:00:00.000Z')
  })

  it('handles the days the clocks change', () => {
    // US spring forward 2026-03-08, fall back 2026-11-01.
    expect(zonedTimeToUtc('2026-03-08', '09:00', 'America/Los_Angeles').toISOString()).toBe('2026-03-08T16:00:00.000Z')
    expect(zonedTimeToUtc('2026-11-01', '09:00', 'America/Los_Angeles').toISOString()).toBe('2026-11-01T17:00:00.000Z')
    // 02:30 does not exist on spring-forward day: it resolves to just after the gap.
    expect(zonedTimeToUtc('2026-03-08', '02:30', 'America/New_York').toISOString()).toBe('2026-03-08T07:30:00.000Z')
    // 01:30 happens twice on fall-back day: the first one (still daylight time) is taken.
    expect(zonedTimeToUtc('2026-11-01', '01:30', 'America/New_York').toISOString()).toBe('2026-11-01T05:30:00.000Z')
  })

  it('works east of UTC and across the date line', () => {
    expect(zonedTimeToUtc('2026-06-01', '09:00', 'Europe/Berlin').toISOString()).toBe('2026-06-01T07:00:00.000Z')
    expect(zonedTimeToUtc('2026-06-01', '09:00', 'Pacific/Auckland').toISOString()).toBe('2026-05-31T21:00:00.000Z')
  })
})

describe('dates', () => {
  it('tells the local date of an instant', () => {
    expect(localDate(new Date('2026-01-01T03:00:00Z'), 'America/Chicago')).toBe('2025-12-31')
  })
  it('adds days across month ends and validates dates', () => {
    expect(addDays('2026-03-01', -2)).toBe('2026-02-27')
    expect(isIsoDate('2026-02-29')).toBe(false)
    expect(isIsoDate('2028-02-29')).toBe(true)
    expect(isIsoDate('2026-2-1')).toBe(false)
  })
})

describe('reminder times', () => {
  const now = new Date('2026-05-10T12:00:00Z')

  it('puts job reminders 24 h and 2 h before the start', () => {
    expect(jobReminderTimes('2026-05-12T15:00:00Z', now)).toEqual([
      { offset: '24h', sendAt: '2026-05-11T15:00:00.000Z' },
      { offset: '2h', sendAt: '2026-05-12T13:00:00.000Z' },
    ])
  })

  it('keeps only job reminders still in the future', () => {
    expect(jobReminderTimes('2026-05-11T00:00:00Z', now)).toEqual([
      { offset: '2h', sendAt: '2026-05-10T22:00:00.000Z' },
    ])
    expect(jobReminderTimes('2026-05-10T13:00:00Z', now)).toEqual([])
  })

  it('puts invoice reminders at 9:00 local, 2 days before and on the due date', () => {
    expect(invoiceReminderTimes('2026-05-20', 'America/Denver', now)).toEqual([
      { offset: 'due-2d', sendAt: '2026-05-18T15:00:00.000Z' },
      { offset: 'due', sendAt: '2026-05-20T15:00:00.000Z' },
    ])
  })

  it('follows daylight saving time for invoice reminders', () => {
    // Due 2026-03-09 in New York: 2 days before is still standard time, the due day is daylight time.
    expect(invoiceReminderTimes('2026-03-09', 'America/New_York', new Date('2026-03-01T00:00:00Z'))).toEqual([
      { offset: 'due-2d', sendAt: '2026-03-07T14:00:00.000Z' },
      { offset: 'due', sendAt: '2026-03-09T13:00:00.000Z' },
    ])
  })

  it('drops invoice reminders already past', () => {
    expect(invoiceReminderTimes('2026-05-11', 'UTC', now)).toEqual([
      { offset: 'due', sendAt: '2026-05-11T09:00:00.000Z' },
    ])
  })
})
