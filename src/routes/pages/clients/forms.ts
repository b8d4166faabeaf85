/** The zod schemas of the clients pages' forms and query: each reads what was typed into what the API takes. */
import type { Context } from 'hono'
import { z } from 'zod'
import { taxRate } from '../../api/organization'
import { CLIENT_STATUSES } from '../../../../durable-objects/org/crm/statuses'
import type { FormValues } from '../../../../views/fields'
import { addressSchema, createClientSchema } from '../../../clients/service'
import type { AppEnv } from '../../../env'
import { patchClientSchema } from '../../api/clients'
import { consentPatch } from '../../api/consents'
import {
  addressRule,
  checkbox,
  contactRule,
  intoApi,
  optionalEmail,
  optionalText,
  phoneRule,
  tagList,
  text,
} from '../forms'

const blankIsUndefined = <T extends z.ZodType>(s: T) => s.optional().catch(undefined)

/** The clients list's search and filters; a blank or unknown value is no filter. */
export const listQuery = z.object({
  q: blankIsUndefined(z.string().trim().min(1).max(100)),
  status: blankIsUndefined(z.enum(CLIENT_STATUSES)),
  tag: blankIsUndefined(z.string().trim().min(1).max(50)),
  cursor: blankIsUndefined(z.string().min(1).max(200)),
})

/** The new-client form, read into the API's new client (the phone is read in the business's country when the client is made). */
export const newClientForm = intoApi(
  z.object({
    first_name: text(100, 'Enter a first name.'),
    last_name: optionalText(100),
    email: optionalEmail,
    phone: optionalText(40),
    status: z.enum(CLIENT_STATUSES, { message: 'Choose a status.' }).default('active'),
    tags: tagList,
    notes: optionalText(10_000),
    address1: optionalText(200),
    city: optionalText(100),
    state: optionalText(100),
    postal: optionalText(20),
  }),
  ({ address1, city, state, postal, ...client }) => ({
    ...client,
    address: address1 ? { address1, city: city!, state: state!, postal: postal! } : undefined,
  }),
  createClientSchema,
)

export const newClientRules = (values: FormValues, c: Context<AppEnv>) => ({
  ...contactRule(values, 'email', 'Add an email or a phone number so you can reach them.'),
  ...phoneRule(values, c.get('organization').country),
  ...addressRule(values),
})

/** Status, tags, pricing tier and tax rate (typed as a percentage), read into the API's client patch. */
export const detailsForm = intoApi(
  z.object({
    status: z.enum(CLIENT_STATUSES, { message: 'Choose a status.' }),
    tags: tagList,
    pricing_tier: optionalText(50),
    tax_rate: z
      .string()
      .trim()
      .optional()
      .transform((v, ctx) => {
        if (!v) return null
        const n = Number(v.replace(/%$/, ''))
        if (!taxRate.safeParse(n).success) {
          ctx.addIssue({ code: 'custom', message: 'Enter a percentage from 0 to 30, like 8.25.' })
          return z.NEVER
        }
        return n
      }),
  }),
  (v) => ({ status: v.status, tags: v.tags, settings: { pricing_tier: v.pricing_tier ?? null, tax_rate: v.tax_rate } }),
  patchClientSchema,
)

/** A note, read into the API's client patch. */
export const noteForm = intoApi(
  z.object({ note: text(10_000, 'Write the note first.') }),
  (v) => ({ notes: v.note }),
  patchClientSchema,
)

/** The contact fields as typed; blank ones are undefined (the handler decides what a blank means). */
export const contactForm = intoApi(
  z.object({
    first_name: optionalText(100),
    last_name: optionalText(100),
    email: optionalEmail,
    phone: optionalText(40),
  }),
  (v) => v,
  patchClientSchema.pick({ first_name: true, last_name: true, email: true, phone: true }),
)

/** An address, all of it, as the API takes one. */
export const addressForm = intoApi(
  z.object({
    label: optionalText(60),
    address1: text(200, 'Enter the street address.'),
    address2: optionalText(200),
    city: text(100, 'Enter the city.'),
    state: text(100, 'Enter the state.'),
    postal: text(20, 'Enter the ZIP code.'),
  }),
  (v) => v,
  addressSchema,
)

/** The three channels as ticked, and why they change; the API's consent change. */
export const consentForm = intoApi(
  z.object({
    sms_opt_in: checkbox,
    email_opt_in: checkbox,
    marketing_email_opt_in: checkbox,
    reason: z
      .string({ message: 'Say why, so the team knows later.' })
      .trim()
      .min(1, 'Say why, so the team knows later.')
      .transform((v) => v.slice(0, 300)),
  }),
  (v) => v,
  consentPatch,
)
