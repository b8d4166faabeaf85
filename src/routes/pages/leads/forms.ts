/** The zod schemas of the leads pages' forms and query: each reads what was typed into what the API takes. */
import type { Context } from 'hono'
import { z } from 'zod'
import type { FormValues } from '../../../../views/fields'
import { FOLLOW_UPS, type FollowUpFilter } from '../../../../views/leads/list'
import type { AppEnv } from '../../../env'
import { activitySchema, createLeadSchema, leadPatchSchema } from '../../../sales/lead-schemas'
import { addDays, localDate, zonedTimeToUtc } from '../../../time'
import { mondayOf } from '../../../../views/schedule/range'
import {
  type FieldNames,
  intoApi,
  optionalDollarsLike,
  optionalEmail,
  optionalText,
  phoneRule,
  splitLocalDateTime,
  text,
  ticked,
} from '../forms'

const blankIsUndefined = <T extends z.ZodType>(s: T) => s.optional().catch(undefined)

/** The board's and the list's query; a blank or unknown value is no filter. */
export const leadsQuery = z.object({
  view: blankIsUndefined(z.enum(['board', 'list'])),
  status_id: blankIsUndefined(z.string().trim().min(1).max(100)),
  source: blankIsUndefined(z.string().trim().min(1).max(40)),
  follow_up: blankIsUndefined(z.enum(Object.keys(FOLLOW_UPS) as [FollowUpFilter, ...FollowUpFilter[]])),
  assigned_to: blankIsUndefined(z.string().trim().min(1).max(100)),
  q: blankIsUndefined(z.string().trim().min(1).max(100)),
  cursor: blankIsUndefined(z.string().min(1).max(400)),
  moved: blankIsUndefined(z.string().min(1).max(100)),
})

/** A follow-up filter as the object's query: a moment to be before, or no follow-up at all. */
export function followUpQuery(filter: FollowUpFilter | undefined, tz: string, now: Date) {
  if (!filter) return {}
  if (filter === 'none') return { no_follow_up: true }
  if (filter === 'overdue') return { follow_up_before: now.toISOString() }
  const today = localDate(now, tz)
  const end = filter === 'today' ? addDays(today, 1) : addDays(mondayOf(today), 7)
  return { follow_up_before: zonedTimeToUtc(end, '00:00', tz).toISOString() }
}

/** "2026-01-05T09:30" typed on the business's clock, or nothing. */
const optionalLocalDateTime = z
  .string()
  .trim()
  .optional()
  .transform((v, ctx) => {
    if (!v) return undefined
    const parts = splitLocalDateTime(v)
    if (!parts) {
      ctx.addIssue({ code: 'custom', message: 'Pick a date and a time, or leave it empty.' })
      return z.NEVER
    }
    return parts
  })

/** What the lead form's fields read as. */
const leadFields = z.object({
  first_name: text(100, 'Enter a first name.'),
  last_name: optionalText(100),
  company: optionalText(200),
  email: optionalEmail,
  phone: optionalText(40),
  source: optionalText(40),
  service_interest: optionalText(200),
  estimated_value: optionalDollarsLike('1200 or 950.50'),
  status_id: optionalText(100),
  next_follow_up_at: optionalLocalDateTime,
  assigned_to: optionalText(100),
  notes: optionalText(10_000),
})

type Typed = z.output<typeof leadFields>

/** The typed fields as the API's words: cents, and the follow-up as an instant of the business's zone. */
function asLead({ estimated_value, next_follow_up_at, ...v }: Typed, tz: string) {
  return {
    ...v,
    estimated_value_cents: estimated_value,
    next_follow_up_at: next_follow_up_at
      ? zonedTimeToUtc(next_follow_up_at.date, next_follow_up_at.time, tz).toISOString()
      : undefined,
  }
}

/** The new-lead form, judged by the API's own schema. */
export const newLeadForm = (c: Context<AppEnv>) =>
  intoApi(leadFields, (v) => asLead(v, c.get('organization').timezone), createLeadSchema)

/** The edit form: an emptied field clears it (null), as the API's PATCH reads it. */
export const editLeadForm = (c: Context<AppEnv>) =>
  intoApi(
    leadFields,
    (v) => {
      const lead = asLead(v, c.get('organization').timezone)
      const cleared = (x: unknown) => (x === undefined ? null : x)
      return {
        ...lead,
        last_name: cleared(lead.last_name),
        company: cleared(lead.company),
        email: cleared(lead.email),
        phone: cleared(lead.phone),
        service_interest: cleared(lead.service_interest),
        estimated_value_cents: cleared(lead.estimated_value_cents),
        next_follow_up_at: cleared(lead.next_follow_up_at),
        assigned_to: cleared(lead.assigned_to),
        notes: cleared(lead.notes),
      }
    },
    leadPatchSchema,
  )

/** Where the API's paths show on the lead form. */
export const LEAD_FIELDS: FieldNames = { estimated_value_cents: 'estimated_value' }

/** A phone, when given, must read as a real number in the business's country. */
export const leadRules = (values: FormValues, c: Context<AppEnv>) => phoneRule(values, c.get('organization').country)

/** Moving a lead on the board: the status it goes to, and the column it was in when the card was drawn. */
export const moveForm = z.object({
  status_id: z.string({ message: 'Pick a status.' }).trim().min(1).max(100),
  from: z.string().max(100).optional(),
})

/** The activity form, read into the API's activity. */
export const activityForm = intoApi(
  z.object({
    type: z.string({ message: 'Pick a type.' }).trim().min(1, 'Pick a type.').max(40),
    direction: z
      .enum(['', 'inbound', 'outbound'])
      .optional()
      .transform((v) => v || undefined),
    summary: text(5000, 'Say what happened.'),
  }),
  (v) => v,
  activitySchema,
)

/** The custom fields' rows as posted: names and values side by side. */
export const customFieldsForm = z.object({ name: ticked, value: ticked })
