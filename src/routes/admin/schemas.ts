/** The console's query strings: the businesses list (search, filters, sort, cursor, format) and the metrics' history. */
import { z } from 'zod'
import { ENGAGEMENTS } from '../../people/platform-schema'
import { SORT_COLUMNS } from '../../platform/organizations-list'
import { isIsoDate } from '../../time'

/** An empty field of a GET form is no filter at all. */
const blankless = <T extends z.ZodType>(schema: T) =>
  z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? undefined : v), schema.optional())

const date = (what: string) => blankless(z.string().trim().refine(isIsoDate, `Give ${what} as YYYY-MM-DD.`))

export const organizationsQuery = z.object({
  q: blankless(
    z
      .string()
      .trim()
      .transform((v) => v.slice(0, 40)),
  ),
  plan: blankless(z.string().trim().max(40)),
  engagement: blankless(z.enum(ENGAGEMENTS, { message: 'Engagement is active, at_risk or dormant.' })),
  signup_from: date('signup_from'),
  signup_to: date('signup_to'),
  sort: blankless(z.enum(SORT_COLUMNS, { message: `Sort by one of ${SORT_COLUMNS.join(', ')}.` })),
  dir: blankless(z.enum(['asc', 'desc'], { message: 'dir is asc or desc.' })),
  cursor: blankless(z.string().max(600)),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  format: blankless(z.enum(['json', 'csv'], { message: 'format is json or csv.' })),
})

export type OrganizationsQuery = z.output<typeof organizationsQuery>

export const metricsQuery = z.object({
  days: z.coerce.number().int().min(1).max(730).default(90),
})
