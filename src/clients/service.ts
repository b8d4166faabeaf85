/** Creating a client: the API's schemas, and the phone read in the right country before intake.ts takes over. */
import { z } from 'zod'
import { CLIENT_STATUSES } from '../../durable-objects/org/crm/statuses'
import type { Env } from '../env'
import { countryField, emailField } from '../people/normalize'
import { requirePhone } from '../people/service'
import type { Organization } from '../organizations'
import { API_AUTHOR, intakeClient, type Author } from './intake'
import { unwrap } from '../../durable-objects/org/result'
import { orgStub } from '../organizations'
import { sales } from '../sales/remote'

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
  status: z.enum(CLIENT_STATUSES).optional(),
  tags: z.array(z.string().max(50)).max(50).optional(),
  notes: z.string().max(10_000).optional(),
  address: addressSchema.optional(),
  source: z.string().trim().min(1).max(40).optional(),
  external_id: z.string().trim().min(1).max(200).optional(),
  /** The commercial account the client is a contact of. */
  account_id: z.string().min(1).max(100).optional(),
})

export type CreateClientInput = z.output<typeof createClientSchema>

/**
 * Creates a client of the organization, or returns the existing one for the same person.
 * A phone is read in the address's country, else the organization's. With `account_id` the client
 * becomes a contact of that account (404 for another business's account, before anything is
 * written; 409 when the existing client is on another account).
 */
export async function createClient(
  env: Env,
  organization: Organization,
  input: CreateClientInput,
  author: Author = API_AUTHOR,
) {
  const { account_id, ...client } = input
  const country = client.address?.country ?? organization.country
  const phone = client.phone === undefined ? undefined : requirePhone(client.phone, country, 'phone')
  const accounts = sales(orgStub(env, organization.id)).accounts
  if (account_id) unwrap(await accounts.accountRecord(account_id))
  const result = await intakeClient(env, organization, { ...client, phone }, author)
  if (account_id) unwrap(await accounts.setClientAccount(result.org_client_id, account_id, false))
  return result
}
