/** The accounts API's schemas: an account, its billing address, a contact, a site, and their changes. */
import { z } from 'zod'
import { addressSchema } from '../clients/service'
import { id } from '../http/schemas'
import { countryField, emailField } from '../people/normalize'

/** A postal address; the country defaults to the business's. */
export const postalAddressSchema = z.object({
  address1: z.string().trim().min(1).max(200),
  address2: z.string().trim().max(200).optional(),
  city: z.string().trim().min(1).max(100),
  state: z.string().trim().min(1).max(100),
  postal: z.string().trim().min(1).max(20),
  country: countryField.optional(),
})

const name = z.string().trim().min(1).max(200)
const taxId = z.string().trim().min(1).max(50)
const notes = z.string().trim().max(10_000)

export const newAccountSchema = z.object({
  name,
  kind: z.literal('business').default('business'),
  billing_address: postalAddressSchema.optional(),
  tax_id: taxId.optional(),
  notes: notes.optional(),
})

/** A change of an account; null clears the billing address, tax id or notes. */
export const accountPatchSchema = z.object({
  name: name.optional(),
  billing_address: postalAddressSchema.nullable().optional(),
  tax_id: taxId.nullable().optional(),
  notes: notes.nullable().optional(),
})

export const accountListQuery = z.object({
  q: z.string().trim().max(100).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(100),
})

const role = z.string().trim().min(1).max(60)

/**
 * A contact: a client or a lead of the business linked, or a new one by email or phone (found or
 * made a client), or a name alone. Never both a lead and a client.
 */
export const newContactSchema = z
  .object({
    first_name: z.string().trim().min(1).max(100).optional(),
    last_name: z.string().trim().max(100).optional(),
    email: emailField.optional(),
    phone: z.string().max(40).optional(),
    role: role.optional(),
    is_primary: z.boolean().optional(),
    org_client_id: id.optional(),
    lead_id: id.optional(),
  })
  .refine((v) => !(v.org_client_id && v.lead_id), {
    message: 'a contact is on a lead or on a client, not both',
    path: ['lead_id'],
  })
  .refine((v) => v.org_client_id || v.lead_id || v.first_name, {
    message: 'is required unless org_client_id or lead_id is given',
    path: ['first_name'],
  })

export type NewContactInput = z.output<typeof newContactSchema>

/** A change of a contact: its role (null clears it), its names, or making it the primary. */
export const contactPatchSchema = z.object({
  first_name: z.string().trim().min(1).max(100).optional(),
  last_name: z.string().trim().max(100).nullable().optional(),
  role: role.nullable().optional(),
  is_primary: z.boolean().optional(),
})

export type ContactPatchInput = z.output<typeof contactPatchSchema>

/** A site is an address with an optional label ("Building B", "Clubhouse"). */
export const newSiteSchema = addressSchema

export const sitePatchSchema = z.object({
  label: z.string().trim().max(60).nullable().optional(),
  address1: z.string().trim().min(1).max(200).optional(),
  address2: z.string().trim().max(200).nullable().optional(),
  city: z.string().trim().min(1).max(100).optional(),
  state: z.string().trim().min(1).max(100).optional(),
  postal: z.string().trim().min(1).max(20).optional(),
  country: countryField.optional(),
})
