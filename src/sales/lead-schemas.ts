/** The API's schemas for lead statuses, leads, activities and the conversion report (API.md, "Sales"). */
import { z } from 'zod'
import { LEAD_STATUS_KINDS } from '../../durable-objects/org/schema'
import { cents, id, instant, isoDate } from '../http/schemas'
import { emailField } from '../people/normalize'

const color = z
  .string()
  .trim()
  .regex(/^#[0-9a-fA-F]{6}$/, 'must be a colour written #rrggbb')

export const leadStatusSchema = z.object({
  name: z.string().trim().min(1).max(60),
  color,
  icon: z.string().trim().min(1).max(40).nullable().optional(),
  position: z.int().min(0).max(1000).optional(),
  kind: z.enum(LEAD_STATUS_KINDS),
})

/** A change of a status: any field; `position` moves it in the pipeline (0 first) and the others follow. */
export const leadStatusPatch = leadStatusSchema.partial()

/** At most this many custom fields on a lead. */
export const LEAD_CUSTOM_FIELDS_MAX = 50

/** A lead's custom fields: a flat object of text, numbers, true/false or null, at most 50 names. */
export const leadCustomFields = z
  .record(
    z.string().trim().min(1, "a custom field's name must not be empty").max(64),
    z.union([z.string().max(2000), z.number(), z.boolean(), z.null()]),
  )
  .refine(
    (fields) => Object.keys(fields).length <= LEAD_CUSTOM_FIELDS_MAX,
    `must have at most ${LEAD_CUSTOM_FIELDS_MAX} fields`,
  )

const optionalText = (max: number) => z.string().trim().max(max).nullable().optional()

/** The fields of a lead a caller may set (API.md, `POST /api/v1/leads`). */
const leadFields = {
  first_name: z.string().trim().min(1).max(100),
  last_name: optionalText(100),
  email: emailField.nullable().optional(),
  phone: z.string().max(40).nullable().optional(),
  company: optionalText(200),
  account_id: id.nullable().optional(),
  source: z
    .string()
    .trim()
    .min(1)
    .max(40)
    .regex(/^[a-z0-9_-]+$/i, 'must be a word like web_form, phone, referral or manual'),
  service_interest: optionalText(200),
  estimated_value_cents: cents.nullable().optional(),
  status_id: id,
  next_follow_up_at: instant.nullable().optional(),
  assigned_to: id.nullable().optional(),
  notes: z.string().max(10_000).nullable().optional(),
  custom_fields: leadCustomFields,
}

export const createLeadSchema = z.object({
  ...leadFields,
  source: leadFields.source.optional(),
  status_id: leadFields.status_id.optional(),
  custom_fields: leadFields.custom_fields.optional(),
})

/** A change of a lead: any field. */
export const leadPatchSchema = createLeadSchema.partial()

export type CreateLeadInput = z.output<typeof createLeadSchema>
export type LeadPatchInput = z.output<typeof leadPatchSchema>

const flag = z
  .enum(['true', 'false'])
  .transform((v) => v === 'true')
  .optional()

/** `follow_up_before` takes an instant, or a date meaning the start of that day in the business's zone. */
export const listLeadsQuery = z.object({
  status_id: id.optional(),
  q: z.string().max(100).optional(),
  follow_up_before: z.union([isoDate, instant]).optional(),
  source: z.string().max(40).optional(),
  assigned_to: id.optional(),
  include_converted: flag,
  cursor: z.string().max(400).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
})

export const activitySchema = z.object({
  type: z.string().trim().min(1).max(40),
  direction: z.enum(['inbound', 'outbound']).nullable().optional(),
  summary: z.string().trim().min(1).max(5000),
  occurred_at: instant.optional(),
})

/** The report's period: local dates, both included; `from` not after `to`. */
export const reportQuery = z
  .object({ from: isoDate.optional(), to: isoDate.optional() })
  .refine((v) => !v.from || !v.to || v.from <= v.to, { path: ['from'], message: 'must not be after to' })
