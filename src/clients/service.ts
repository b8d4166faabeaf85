/** Creating a client: upsert the person in the registry, create the org_client in the object, link them. */
import { z } from 'zod'
import { peopleDb } from '../db'
import type { Env } from '../env'
import { countryField, emailField } from '../people/normalize'
import * as registry from '../people/registry'
import { requirePhone } from '../people/service'
import { orgStub, type Organization } from '../organizations'

export const addressSchema = z.object({
  label: z.string().trim().max(60).optional(),
  address1: z.string().trim().min(1).max(200),
  address2: z.string().trim().max(200).optional(),
  city: z.string().trim().min(1).max(100),
  state: z.string().trim().min(1).max(100),
  postal: z.string().trim().min(1).max(20),
  country: countryField.optional(),
})

export const createClientSchema = z.object({
  first_name: z.string().trim().min(1).max(100),
  last_name: z.string().trim().max(100).optional(),
  email: emailField.optional(),
  phone: z.string().max(40).optional(),
  status: z.enum(['lead', 'active', 'inactive']).optional(),
  tags: z.array(z.string().max(50)).max(50).optional(),
  notes: z.string().max(10_000).optional(),
  address: addressSchema.optional(),
  source: z.string().trim().min(1).max(40).optional(),
  external_id: z.string().trim().min(1).max(200).optional(),
})

export type CreateClientInput = z.output<typeof createClientSchema>

/**
 * Creates a client of the organization, or returns the existing one for the same person.
 * A phone is read in the address's country, else the organization's.
 */
export async function createClient(env: Env, organization: Organization, input: CreateClientInput, author: string | null = null) {
  const country = input.address?.country ?? organization.country
  const phone = input.phone === undefined ? undefined : requirePhone(input.phone, country, 'phone')
  const db = peopleDb(env.PEOPLE)
  const upserted = await registry.upsertPerson(db, {
    email: input.email,
    phone,
    first_name: input.first_name,
    last_name: input.last_name,
  })
  const snapshot = await registry.getPersonSnapshot(db, upserted.person_id)
  if (!snapshot) throw new Error(`person ${upserted.person_id} vanished after upsert`)
  const result = await orgStub(env, organization.id).createClient({
    person: snapshot,
    status: input.status,
    tags: input.tags,
    notes: input.notes,
    author,
    address: input.address ? { ...input.address, country } : undefined,
    source: input.source,
    external_id: input.external_id,
  })
  // Linked after the object has the client, and on every call, so a retry repairs a missing link.
  await registry.linkPersonToOrg(db, upserted.person_id, organization.id)
  if (upserted.changed) await env.EVENTS.send({ type: 'contact_updated', snapshot })
  return result
}
