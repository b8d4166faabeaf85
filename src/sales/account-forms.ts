/** The accounts pages' forms, each read into the accounts API's own schema: an account, a contact, a contact's change, a site. */
import type { Context } from 'hono'
import { z } from 'zod'
import type { FormValues } from '../../views/fields'
import type { AppEnv } from '../env'
import { addressRule, checkbox, intoApi, optionalEmail, optionalText, phoneRule, text } from '../routes/pages/forms'
import { accountPatchSchema, contactPatchSchema, newContactSchema, newSiteSchema } from './account-schemas'

/** A field the form must have filled; one missing from the post reads as empty, so it gets the same words. */
const required = (max: number, message: string) => z.string().default('').pipe(text(max, message))

/** The account's name, tax id, notes and billing address (all of it or none), as the API's change of an account. */
export const accountForm = intoApi(
  z.object({
    name: required(200, 'Enter the company name.'),
    tax_id: optionalText(50),
    notes: optionalText(10_000),
    address1: optionalText(200),
    address2: optionalText(200),
    city: optionalText(100),
    state: optionalText(100),
    postal: optionalText(20),
  }),
  ({ address1, address2, city, state, postal, tax_id, notes, name }) => ({
    name,
    tax_id: tax_id ?? null,
    notes: notes ?? null,
    billing_address: address1 ? { address1, address2, city: city!, state: state!, postal: postal! } : null,
  }),
  accountPatchSchema,
)

/** A billing address is all there or not at all. */
export const accountRules = (values: FormValues) => addressRule(values)

/** A new contact: a name, and an email or phone to make them a client (or a name alone). */
export const contactForm = intoApi(
  z.object({
    first_name: required(100, 'Enter a first name.'),
    last_name: optionalText(100),
    email: optionalEmail,
    phone: optionalText(40),
    role: optionalText(60),
    is_primary: checkbox,
  }),
  (v) => v,
  newContactSchema,
)

/** A phone, when given, must read as a real number in the business's country. */
export const contactRules = (values: FormValues, c: Context<AppEnv>) => phoneRule(values, c.get('organization').country)

/** A contact's names and role. */
export const contactEditForm = intoApi(
  z.object({
    first_name: required(100, 'Enter a first name.'),
    last_name: optionalText(100),
    role: optionalText(60),
  }),
  (v) => ({ first_name: v.first_name, last_name: v.last_name ?? null, role: v.role ?? null }),
  contactPatchSchema,
)

/** A site: an optional label and the whole address. */
export const siteForm = intoApi(
  z.object({
    label: optionalText(60),
    address1: required(200, 'Enter the street address.'),
    address2: optionalText(200),
    city: required(100, 'Enter the city.'),
    state: required(100, 'Enter the state.'),
    postal: required(20, 'Enter the ZIP code.'),
  }),
  (v) => v,
  newSiteSchema,
)
