/** Field schemas shared by several routes. */
import { z } from 'zod'
import { isIsoDate } from '../time'

/** An ISO-8601 instant with a zone (Z or an offset). */
export const instant = z.iso.datetime({ offset: true, message: 'must be an ISO-8601 date-time with a time zone' })

/** A calendar date, YYYY-MM-DD. */
export const isoDate = z.string().refine(isIsoDate, 'must be a date written YYYY-MM-DD')

/** Money: whole cents, never negative. */
export const cents = z.number().int('must be whole cents').min(0, 'must not be negative').max(100_000_000_00)

/** Money that must be more than zero. */
export const positiveCents = z.number().int('must be whole cents').positive('must be more than zero').max(100_000_000_00)

export const id = z.string().min(1).max(100)
