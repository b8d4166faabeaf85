/** Field schemas shared by several routes. */
import { z } from 'zod'
import { isClockTime, isIsoDate } from '../time'

/** An ISO-8601 instant with a zone (Z or an offset) on a real date and time (no `2027-13-01`, no `25:00`). */
export const instant = z.iso
  .datetime({ offset: true, abort: true, message: 'must be a real ISO-8601 date-time with a time zone' })
  .refine((s) => isIsoDate(s.slice(0, 10)), 'must be a date-time between the years 1900 and 2199')

/** A calendar date, YYYY-MM-DD, that exists. */
export const isoDate = z.string().refine(isIsoDate, 'must be a real date written YYYY-MM-DD')

/** A time of day, HH:MM from 00:00 to 23:59. */
export const clockTime = z.string().refine(isClockTime, 'must be a time written HH:MM, 00:00 to 23:59')

/** Money: whole cents, never negative. */
export const cents = z.number().int('must be whole cents').min(0, 'must not be negative').max(100_000_000_00)

/** Money that must be more than zero. */
export const positiveCents = z
  .number()
  .int('must be whole cents')
  .positive('must be more than zero')
  .max(100_000_000_00)

export const id = z.string().min(1).max(100)

/** Limits of a record's custom fields: enough for gate codes and notes, never a row too big to store. */
export const CUSTOM_FIELDS_MAX = { keys: 100, keyLength: 64, valueBytes: 2048 } as const

const utf8Bytes = (s: string) => new TextEncoder().encode(s).length

/** Custom fields: at most 100 keys of 1–64 characters; a text value at most 2 KB (UTF-8). */
export const customFields = z
  .record(
    z.string().min(1).max(CUSTOM_FIELDS_MAX.keyLength),
    z.union([
      z
        .string()
        .refine(
          (s) => utf8Bytes(s) <= CUSTOM_FIELDS_MAX.valueBytes,
          `must be at most ${CUSTOM_FIELDS_MAX.valueBytes} bytes`,
        ),
      z.number(),
      z.boolean(),
      z.null(),
    ]),
    {
      error: (issue) =>
        issue.code === 'invalid_key'
          ? `a custom field's name must be 1 to ${CUSTOM_FIELDS_MAX.keyLength} characters`
          : undefined,
    },
  )
  .refine(
    (fields) => Object.keys(fields).length <= CUSTOM_FIELDS_MAX.keys,
    `must have at most ${CUSTOM_FIELDS_MAX.keys} fields`,
  )
