/** /api/v1/organization: the business's settings, read and changed in one place. */
import { Hono } from 'hono'
import { z } from 'zod'
import { billingOverview } from '../../billing/usage'
import type { AppEnv } from '../../env'
import { clockTime } from '../../http/schemas'
import { jsonBody } from '../../http/validate'
import { showOrganization, updateOrganization } from '../../organizations'
import { countryField } from '../../people/normalize'
import { ianaZone } from '../../timezones'

/** A percentage from 0 to 30 with at most three decimals (10.25, 8.875). */
export const taxRate = z
  .number()
  .min(0, 'must be 0 or more')
  .max(30, 'must be 30 or less')
  .refine((v) => Math.abs(v * 1000 - Math.round(v * 1000)) < 1e-6, 'must have at most 3 decimals, like 10.25')

/** The business's address as invoices print it; the country defaults to the organization's. */
export const businessAddress = z.object({
  address1: z.string().trim().min(1).max(200),
  address2: z.string().trim().max(200).optional(),
  city: z.string().trim().min(1).max(100),
  state: z.string().trim().min(1).max(100),
  postal: z.string().trim().min(1).max(20),
  country: countryField.optional(),
})

/** How many reminder lead times a business may set of each kind, and the longest before a visit (30 days). */
export const MAX_LEAD_TIMES = 10
export const MAX_LEAD_HOURS = 720

export const organizationPatch = z.object({
  name: z.string().trim().min(1).max(120).optional(),
  /** Only real IANA zones ("America/Chicago"); the settings page turns "Central" into one. */
  timezone: z
    .string()
    .transform((tz, ctx) => {
      const zone = ianaZone(tz)
      if (zone === null) {
        ctx.addIssue({ code: 'custom', message: 'must be an IANA time zone, like America/Chicago' })
        return z.NEVER
      }
      return zone
    })
    .optional(),
  country: countryField.optional(),
  google_review_url: z
    .url({ protocol: /^https$/, message: 'must be an https:// link' })
    .max(500)
    .nullable()
    .optional(),
  phone: z.string().max(40).nullable().optional(),
  sms_from: z.string().max(40).nullable().optional(),
  address: businessAddress.nullable().optional(),
  default_tax_rate: taxRate.nullable().optional(),
  /** A short wordmark invoices and the portal show in place of a logo. */
  logo_text: z
    .string()
    .trim()
    .max(40)
    .transform((v) => v || null)
    .nullable()
    .optional(),
  brand_color: z
    .string()
    .regex(/^#[0-9a-fA-F]{6}$/, 'must be a colour written #rrggbb')
    .transform((v) => v.toLowerCase())
    .nullable()
    .optional(),
  quiet_hours: z.object({ start: clockTime, end: clockTime }).optional(),
  stripe_account_id: z
    .string()
    .regex(/^acct_[A-Za-z0-9]+$/, 'must be a Stripe account id (acct_…)')
    .nullable()
    .optional(),
  payment_instructions: z.string().trim().max(1000).nullable().optional(),
  marketing_cap_per_day: z.int().min(1).max(20).optional(),
  campaign_batch_size: z.int().min(1).max(1000).optional(),
  /**
   * Reminder lead times, up to 10 of each (repeats dropped, kept longest first): hours before a job
   * (1–720, 30 days), days before an invoice's due date (0–30, 0 is on the day).
   */
  reminders: z
    .object({
      job_hours_before: z.array(z.int().min(1).max(MAX_LEAD_HOURS)).max(MAX_LEAD_TIMES).optional(),
      invoice_days_before: z.array(z.int().min(0).max(30)).max(MAX_LEAD_TIMES).optional(),
    })
    .optional(),
})

export const organizationApi = new Hono<AppEnv>()
  .get('/', async (c) => {
    const [shown, billing] = await Promise.all([
      showOrganization(c.env, c.get('organization').id, c.get('org')),
      billingOverview(c.env, c.get('organization')),
    ])
    // The plan and this period's usage (src/billing/usage.ts).
    return c.json({ ...shown, plan: billing.usage })
  })
  .patch('/', jsonBody(organizationPatch), async (c) =>
    c.json(await updateOrganization(c.env, c.get('organization'), c.get('org'), c.req.valid('json'))),
  )
