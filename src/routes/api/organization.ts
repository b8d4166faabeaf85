/** /api/v1/organization: the business's settings, read and changed in one place. */
import { Hono } from 'hono'
import { z } from 'zod'
import type { AppEnv } from '../../env'
import { clockTime } from '../../http/schemas'
import { jsonBody } from '../../http/validate'
import { isTimeZone, showOrganization, updateOrganization } from '../../organizations'
import { countryField } from '../../people/normalize'

export const organizationPatch = z.object({
  name: z.string().trim().min(1).max(120).optional(),
  timezone: z.string().refine(isTimeZone, 'is not a known time zone').optional(),
  country: countryField.optional(),
  google_review_url: z
    .url({ protocol: /^https?$/ })
    .max(500)
    .nullable()
    .optional(),
  phone: z.string().max(40).nullable().optional(),
  sms_from: z.string().max(40).nullable().optional(),
  quiet_hours: z.object({ start: clockTime, end: clockTime }).optional(),
  stripe_account_id: z
    .string()
    .regex(/^acct_[A-Za-z0-9]+$/, 'must be a Stripe account id (acct_…)')
    .nullable()
    .optional(),
  payment_instructions: z.string().trim().max(1000).nullable().optional(),
  marketing_cap_per_day: z.int().min(1).max(20).optional(),
  campaign_batch_size: z.int().min(1).max(1000).optional(),
  /** Reminder lead times: hours before a job (1–168), days before an invoice's due date (0–30, 0 is on the day). */
  reminders: z
    .object({
      job_hours_before: z.array(z.int().min(1).max(168)).max(4).optional(),
      invoice_days_before: z.array(z.int().min(0).max(30)).max(4).optional(),
    })
    .optional(),
})

export const organizationApi = new Hono<AppEnv>()
  .get('/', async (c) => c.json(await showOrganization(c.env, c.get('organization').id, c.get('org'))))
  .patch('/', jsonBody(organizationPatch), async (c) =>
    c.json(await updateOrganization(c.env, c.get('organization'), c.get('org'), c.req.valid('json'))),
  )
