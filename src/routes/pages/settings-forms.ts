/** The settings page's forms, read into `PATCH /api/v1/organization`'s fields (empty clears a setting). */
import type { Context } from 'hono'
import { z } from 'zod'
import type { AppEnv } from '../../env'
import { zoneFromInput } from '../../timezones'
import { MAX_LEAD_HOURS, MAX_LEAD_TIMES, organizationPatch } from '../api/organization'
import { addressRule, type FormRules, intoApi, optionalText, phoneRule, text } from './forms'

/** A percentage as typed ("8.25", "10.25 %"); empty is undefined. */
const percent = z
  .string()
  .trim()
  .optional()
  .transform((v, ctx) => {
    const typed = (v ?? '').replace(/%$/, '').trim()
    if (typed === '') return undefined
    const n = Number(typed)
    if (!/^\d{1,2}(\.\d{1,3})?$/.test(typed) || n > 30) {
      ctx.addIssue({ code: 'custom', message: 'Enter a rate from 0 to 30 with up to 3 decimals, like 8.25.' })
      return z.NEVER
    }
    return n
  })

/** A colour as typed ("#1A7F5A" or "1a7f5a"); empty is undefined. */
const colour = z
  .string()
  .trim()
  .optional()
  .transform((v, ctx) => {
    if (!v) return undefined
    const hex = v.startsWith('#') ? v : `#${v}`
    if (!/^#[0-9a-fA-F]{6}$/.test(hex)) {
      ctx.addIssue({ code: 'custom', message: 'Write the colour as #rrggbb, like #1a7f5a.' })
      return z.NEVER
    }
    return hex.toLowerCase()
  })

/** The time zone as typed: an IANA name or a US name ("Central"). */
const zone = z
  .string()
  .trim()
  .default('')
  .transform((v, ctx) => {
    const found = zoneFromInput(v)
    if (!found) {
      ctx.addIssue({
        code: 'custom',
        message:
          'Pick a time zone from the list: your city, a name like America/Chicago, or Central, Eastern, Pacific…',
      })
      return z.NEVER
    }
    return found
  })

export const businessForm = intoApi(
  z.object({
    name: text(120, 'Enter the business name.'),
    phone: optionalText(40),
    address1: optionalText(200),
    address2: optionalText(200),
    city: optionalText(100),
    state: optionalText(100),
    postal: optionalText(20),
    timezone: zone,
    logo_text: optionalText(40),
    brand_color: colour,
    default_tax_rate: percent,
  }),
  (v) => ({
    name: v.name,
    phone: v.phone ?? null,
    address:
      v.address1 && v.city && v.state && v.postal
        ? { address1: v.address1, address2: v.address2, city: v.city, state: v.state, postal: v.postal }
        : null,
    timezone: v.timezone,
    logo_text: v.logo_text ?? null,
    brand_color: v.brand_color ?? null,
    default_tax_rate: v.default_tax_rate ?? null,
  }),
  organizationPatch.pick({
    name: true,
    phone: true,
    address: true,
    timezone: true,
    logo_text: true,
    brand_color: true,
    default_tax_rate: true,
  }),
)

/** The phone reads as a number in the business's country, and the address is all there or not at all. */
export const businessRules: FormRules = (values, c: Context<AppEnv>) => ({
  ...phoneRule(values, c.get('organization').country),
  ...addressRule(values),
})

export const reviewsForm = intoApi(
  z.object({
    google_review_url: z
      .string()
      .trim()
      .default('')
      .transform((v) => v || null)
      .pipe(
        z
          .url({ protocol: /^https$/, message: 'Enter the link starting with https://, as Google gives it.' })
          .max(500, 'Keep it under 500 characters.')
          .nullable(),
      ),
  }),
  (v) => v,
  organizationPatch.pick({ google_review_url: true }),
)

export const senderForm = intoApi(
  z.object({ sms_from: optionalText(40) }),
  (v) => ({ sms_from: v.sms_from ?? null }),
  organizationPatch.pick({ sms_from: true }),
)

/** The payment settings as typed (empty clears them). */
export const paymentsForm = intoApi(
  z.object({
    stripe_account_id: z
      .string()
      .trim()
      .regex(/^(acct_[A-Za-z0-9]+)?$/, 'A Stripe account id starts with acct_, like acct_1Abc…')
      .default(''),
    payment_instructions: z.string().trim().max(1000, 'Keep it under 1,000 characters.').default(''),
  }),
  (v) => ({ stripe_account_id: v.stripe_account_id || null, payment_instructions: v.payment_instructions || null }),
  organizationPatch.pick({ stripe_account_id: true, payment_instructions: true }),
)

/** A list of whole numbers as typed ("48, 24, 2" or "48 24 2"), each from `min` to `max`; at least one, at most 10. */
const numberList = (min: number, max: number, unit: string, example: string) =>
  z
    .string()
    .default('')
    .transform((v, ctx) => {
      const typed = v.split(/[\s,;]+/).filter(Boolean)
      const values = [...new Set(typed.map(Number))]
      if (typed.length === 0 || typed.some((t) => !/^\d+$/.test(t) || Number(t) < min || Number(t) > max)) {
        ctx.addIssue({
          code: 'custom',
          message: `Enter whole ${unit} from ${min} to ${max}, separated by commas, like ${example}.`,
        })
        return z.NEVER
      }
      if (values.length > MAX_LEAD_TIMES) {
        ctx.addIssue({ code: 'custom', message: `Enter at most ${MAX_LEAD_TIMES} lead times.` })
        return z.NEVER
      }
      return values
    })

/** Reminder lead times as typed: hours before a visit, days before an invoice is due (0: on the day). */
export const leadTimesForm = intoApi(
  z.object({
    job_hours_before: numberList(1, MAX_LEAD_HOURS, 'hours', '48, 24, 2'),
    invoice_days_before: numberList(0, 30, 'days', '2, 0'),
  }),
  (v) => ({ reminders: v }),
  organizationPatch.pick({ reminders: true }),
)
