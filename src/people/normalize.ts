/** Normalization of contact points: the one place that decides when two emails or phones are the same. */
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js'
import { z } from 'zod'

const emailSchema = z.email()

/** Trims and lower-cases an email; returns null when it is not a valid address. */
export function normalizeEmail(input: string): string | null {
  const email = input.trim().toLowerCase()
  return emailSchema.safeParse(email).success ? email : null
}

/**
 * Parses a phone number to E.164, reading national formats in `country`.
 * Returns null for letters, too few or too many digits, or a number no country uses.
 */
export function normalizePhone(input: string, country: string = 'US'): string | null {
  const raw = input.trim()
  // libphonenumber reads vanity letters as digits ("1-800-FLOWERS"); a CRM should not guess.
  if (raw === '' || /[a-z]/i.test(raw)) return null
  const parsed = parsePhoneNumberFromString(raw, country.toUpperCase() as CountryCode)
  if (!parsed || !parsed.isValid()) return null
  return parsed.number
}

/** A zod field that normalizes an email, with a readable message when it cannot. */
export const emailField = z.string().transform((value, ctx) => {
  const email = normalizeEmail(value)
  if (email === null) {
    ctx.addIssue({ code: 'custom', message: 'is not a valid email address' })
    return z.NEVER
  }
  return email
})

/** A country code as libphonenumber and our organizations use it: two letters, upper-cased. */
export const countryField = z
  .string()
  .regex(/^[A-Za-z]{2}$/, 'must be a two-letter country code')
  .transform((c) => c.toUpperCase())
