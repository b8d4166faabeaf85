/** Normalization of contact points: the one place that decides when two emails or phones are the same. */
import { isSupportedCountry, parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js'
import { z } from 'zod'

const emailSchema = z.email()

/** Trims and lower-cases an email; returns null when it is not a valid address. */
export function normalizeEmail(input: string): string | null {
  const email = input.trim().toLowerCase()
  return emailSchema.safeParse(email).success ? email : null
}

/**
 * Parses a phone number to E.164, reading national formats in `country`.
 * Returns null for letters or a number that cannot exist. North American numbers of the right
 * shape are kept even when not yet assigned (the 555 numbers used in examples): a CRM records
 * what the client gave, and the SMS provider reports numbers that cannot be reached.
 */
export function normalizePhone(input: string, country: string = 'US'): string | null {
  const raw = input.trim()
  // libphonenumber reads vanity letters as digits ("1-800-FLOWERS"); a CRM should not guess.
  if (raw === '' || /[a-z]/i.test(raw)) return null
  const parsed = parsePhoneNumberFromString(raw, country.toUpperCase() as CountryCode)
  if (!parsed) return null
  // Outside North America numbering plans are irregular: only numbers libphonenumber knows as valid pass.
  if (!parsed.isValid() && !(parsed.isPossible() && plausibleNanp(parsed.countryCallingCode, parsed.nationalNumber)))
    return null
  return parsed.number
}

/** A North American number shaped right: area code and exchange never start with 0 or 1. */
function plausibleNanp(callingCode: string, national: string): boolean {
  return callingCode === '1' && /^[2-9]\d{2}[2-9]\d{6}$/.test(national)
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

/** The ISO 3166-1 alpha-2 code (any case) upper-cased, when phone numbering knows that country; else null. */
export function knownCountry(input: string): string | null {
  const code = input.trim().toUpperCase()
  return /^[A-Z]{2}$/.test(code) && isSupportedCountry(code) ? code : null
}

/** A country code as libphonenumber and our organizations use it: a known ISO 3166-1 alpha-2 code, upper-cased. */
export const countryField = z.string().transform((value, ctx) => {
  const code = knownCountry(value)
  if (code === null) {
    ctx.addIssue({ code: 'custom', message: 'must be a two-letter ISO 3166-1 country code, like US or CA' })
    return z.NEVER
  }
  return code
})
