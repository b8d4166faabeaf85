/** What the page routes share: reading forms with zod, errors beside fields, htmx detection. */
import { zValidator } from '@hono/zod-validator'
import type { Context, MiddlewareHandler } from 'hono'
import { z, type ZodType } from 'zod'
import type { AppEnv } from '../../env'
import { invalidInput } from '../../errors'
import { normalizeEmail, normalizePhone } from '../../people/normalize'
import { isClockTime, isIsoDate } from '../../time'
import type { FormErrors, FormValues } from '../../../views/fields'

/** True for requests htmx made (they get a fragment rather than a page). */
export const isHtmx = (c: Context<AppEnv>) => c.req.header('hx-request') === 'true'

/** Cents from what a person types as dollars: "120", "89.5", "$1,200.00". Null when it is not an amount. */
export function parseDollars(input: string): number | null {
  const s = input.trim().replace(/^\$/, '').replace(/,/g, '').trim()
  const m = s.match(/^(\d{1,9})(?:\.(\d{0,2}))?$|^\.(\d{1,2})$/)
  if (!m) return null
  const whole = Number(m[1] ?? '0')
  const frac = (m[2] ?? m[3] ?? '').padEnd(2, '0')
  return whole * 100 + Number(frac || '0')
}

/** Trimmed text, at most `max` characters; empty is an error with `required`. */
export const text = (max: number, required: string) =>
  z.string().trim().min(1, required).max(max, `Keep it under ${max} characters.`)

/** Trimmed text that may be left empty (then undefined). */
export const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max, `Keep it under ${max} characters.`)
    .optional()
    .transform((v) => (v ? v : undefined))

/** An email, normalized; empty is undefined. */
export const optionalEmail = z
  .string()
  .trim()
  .optional()
  .transform((v, ctx) => {
    if (!v) return undefined
    const email = normalizeEmail(v)
    if (email === null) {
      ctx.addIssue({ code: 'custom', message: 'Enter a valid email address, like name@example.com.' })
      return z.NEVER
    }
    return email
  })

/** An email that must be given, normalized; anything else is `message`. */
export const requiredEmail = (message: string) =>
  z
    .string({ message })
    .trim()
    .transform((v, ctx) => {
      const email = normalizeEmail(v)
      if (email === null) {
        ctx.addIssue({ code: 'custom', message })
        return z.NEVER
      }
      return email
    })

/** An amount in dollars as cents; empty is undefined; anything else asks for one like `example`. */
export const optionalDollarsLike = (example: string) =>
  z
    .string()
    .trim()
    .optional()
    .transform((v, ctx) => {
      if (!v) return undefined
      const cents = parseDollars(v)
      if (cents === null) {
        ctx.addIssue({ code: 'custom', message: `Enter an amount in dollars, like ${example}.` })
        return z.NEVER
      }
      return cents
    })

/** An amount in dollars as cents; empty is undefined. */
export const optionalDollars = optionalDollarsLike('120 or 89.50')

/** An amount in dollars, more than zero, as cents. */
export const dollars = optionalDollars.pipe(
  z.number({ message: 'Enter an amount.' }).int().positive('Enter an amount more than $0.'),
)

/** A date a page reads from its query string (`?week=`, `?date=`): absent or empty is undefined, an impossible one a 400 page. */
export function queryDate(c: Context<AppEnv>, name: string): string | undefined {
  const value = c.req.query(name)
  if (value === undefined || value === '') return undefined
  if (!isIsoDate(value))
    throw invalidInput(
      [{ path: name, message: 'must be a real date written YYYY-MM-DD' }],
      `The ${name} “${value}” is not a real date. Write it YYYY-MM-DD, like 2026-03-09.`,
    )
  return value
}

/** A calendar date from a date input. */
export const dateInput = z.string({ message: 'Pick a date.' }).trim().refine(isIsoDate, 'Pick a date.')

/** Whole minutes from a number input; empty is undefined. */
export const optionalMinutes = z
  .string()
  .trim()
  .optional()
  .transform((v, ctx) => {
    if (!v) return undefined
    const n = Number(v)
    if (!Number.isInteger(n) || n < 5 || n > 24 * 60) {
      ctx.addIssue({ code: 'custom', message: 'Enter whole minutes between 5 and 1440.' })
      return z.NEVER
    }
    return n
  })

/** "2026-01-05T09:30" (seconds allowed) split into the date and the time; null unless both are real. */
export function splitLocalDateTime(value: string): { date: string; time: string } | null {
  const m = value.match(/^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})(?::[0-5]\d(?:\.\d+)?)?$/)
  return m && isIsoDate(m[1]!) && isClockTime(m[2]!) ? { date: m[1]!, time: m[2]! } : null
}

/** "2026-01-05T09:30" from a datetime-local input, split into the date and the time. */
export const localDateTime = z
  .string({ message: 'Pick a date and a time.' })
  .trim()
  .transform((v, ctx) => {
    const parts = splitLocalDateTime(v)
    if (!parts) {
      ctx.addIssue({ code: 'custom', message: 'Pick a date and a time.' })
      return z.NEVER
    }
    return parts
  })

/** Comma-separated tags, trimmed, empty ones dropped. */
export const tagList = z
  .string()
  .optional()
  .transform((v) =>
    (v ?? '')
      .split(',')
      .map((t) => t.trim())
      .filter((t) => t !== ''),
  )
  .pipe(z.array(z.string().max(50, 'Keep each tag under 50 characters.')).max(50, 'Use at most 50 tags.'))

/** Which form field shows an issue of an API schema, by the issue's dotted path or a start of it (`settings.stop_on`). */
export type FieldNames = Record<string, string>

/** The first message for each field, keyed by its name: `fields` names it by path, else the path's last part does. */
export function fieldErrors(
  issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }>,
  fields: FieldNames = {},
): FormErrors {
  const errors: FormErrors = {}
  for (const issue of issues) {
    const path = issue.path.map(String)
    const named = path.map((_, i) => fields[path.slice(0, path.length - i).join('.')]).find((f) => f !== undefined)
    const key = named ?? path[path.length - 1] ?? 'form'
    errors[key] ??= issue.message
  }
  return errors
}

/** The submitted fields as strings, to fill a form back in; a repeated field (ticked boxes) joined with commas. */
export function formValues(data: unknown): FormValues {
  const values: FormValues = {}
  if (data && typeof data === 'object') {
    for (const [k, v] of Object.entries(data)) {
      const all = (Array.isArray(v) ? v : [v]).filter((x): x is string => typeof x === 'string')
      if (all.length > 0) values[k] = all.join(',')
    }
  }
  return values
}

/**
 * A form read into the API's own schema for the same thing: `fields` reads what was typed (and
 * says what is wrong in the page's words), `toApi` only shapes it as the API takes it, and the
 * API's schema judges the result. Name the form field of an API path in formBody's `fields`.
 */
export function intoApi<F extends ZodType, A extends ZodType>(
  fields: F,
  toApi: (v: z.output<F>) => unknown,
  api: A,
): z.ZodType<z.output<A>, z.input<F>> {
  return fields.transform(toApi).pipe(api as ZodType) as z.ZodType<z.output<A>, z.input<F>>
}

/** Repeated fields (ticked boxes) as a list: none ticked is empty, one ticked is a list of one. */
export const ticked = z
  .union([z.string(), z.array(z.string())])
  .optional()
  .transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]))

/** A checkbox: ticked when the field was sent. */
export const checkbox = z
  .string()
  .optional()
  .transform((v) => v !== undefined && v !== '')

type Invalid = (c: Context<AppEnv>, values: FormValues, errors: FormErrors) => Response | Promise<Response>

/** Rules across fields, judged on what was typed so they report alongside the field errors. */
export type FormRules = (values: FormValues, c: Context<AppEnv>) => FormErrors | Promise<FormErrors>

/**
 * How every page form is read: the posted fields through a zod schema, as middleware; the handler
 * reads `c.req.valid('form')`. On failure `invalid` renders the form again, filled in, each error
 * beside its field (with a 422). `rules` add checks across fields; `fields` place an API schema's
 * issues beside the form field they are about. A schema that needs the request comes as `(c) => schema`.
 */
export function formBody<T extends ZodType>(
  schema: T | ((c: Context<AppEnv>) => T),
  invalid: Invalid,
  options: { rules?: FormRules; fields?: FieldNames } = {},
) {
  const validator = (s: T) =>
    zValidator('form', s, async (result, c) => {
      // On success `result.data` is the parsed output; the form is filled back in from what was typed.
      const ctx = c as unknown as Context<AppEnv>
      const values = await formStrings(ctx)
      // A rule's words win over a schema's for the same field: they say what to do on this form.
      const errors: FormErrors = {
        ...(result.success ? {} : fieldErrors(result.error.issues, options.fields)),
        ...(await options.rules?.(values, ctx)),
      }
      if (Object.values(errors).some(Boolean)) return invalid(ctx, values, errors)
    })
  if (typeof schema !== 'function') return validator(schema)
  // A schema that needs the request (the business's time zone) is made for each one.
  const perRequest: MiddlewareHandler = (c, next) => validator(schema(c as Context<AppEnv>))(c, next)
  return perRequest as ReturnType<typeof validator>
}

const filled = (v: string | undefined) => (v ?? '').trim() !== ''

/** At least one way to reach a person. */
export function contactRule(values: FormValues, field: 'email' | 'phone', message: string): FormErrors {
  return filled(values['email']) || filled(values['phone']) ? {} : { [field]: message }
}

export const PHONE_HELP = 'Enter a phone number with its area code, like (415) 555-0100.'

/** A phone, when given, must read as a real number in the business's country. */
export function phoneRule(values: FormValues, country: string): FormErrors {
  return filled(values['phone']) && normalizePhone(values['phone']!, country) === null ? { phone: PHONE_HELP } : {}
}

const ADDRESS = {
  address1: 'Enter the street address.',
  city: 'Enter the city.',
  state: 'Enter the state.',
  postal: 'Enter the ZIP code.',
} as const

/** An address is all there or not at all. */
export function addressRule(values: FormValues): FormErrors {
  const keys = Object.keys(ADDRESS) as Array<keyof typeof ADDRESS>
  if (!keys.some((k) => filled(values[k]))) return {}
  return Object.fromEntries(keys.filter((k) => !filled(values[k])).map((k) => [k, ADDRESS[k]]))
}

/** Route parameter pattern of the ids we mint (UUIDs: hex and dashes), so /app/clients/import and the like stay free. */
export const ID = '[0-9a-fA-F-]+'

/** The posted form as strings (Hono reads the body once and caches it). */
export async function formStrings(c: Context<AppEnv>): Promise<FormValues> {
  return formValues(await c.req.parseBody({ all: true }))
}
