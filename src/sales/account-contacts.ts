/**
 * An account's contacts, Worker side: a new contact with an email or phone is found or made a client
 * through the one intake path first, then linked; a name change of a contact on a client changes
 * that client's card (with its timeline), as every contact change does.
 */
import type { AccountContact } from '../../durable-objects/org/sales/accounts/contacts'
import { unwrap } from '../../durable-objects/org/result'
import { type Author, changeClientContact } from '../clients/intake'
import { createClient } from '../clients/service'
import type { AppEnv, Env } from '../env'
import { conflict } from '../errors'
import type { Organization } from '../organizations'
import type { ContactPatchInput, NewContactInput } from './account-schemas'
import { sales } from './remote'

type Org = AppEnv['Variables']['org']

/** Adds a contact to the account; answers it and whether it was added now (a client already on the account is not added twice). */
export async function addAccountContact(
  env: Env,
  organization: Organization,
  org: Org,
  accountId: string,
  input: NewContactInput,
  author: Author,
): Promise<{ contact: AccountContact; created: boolean }> {
  const accounts = sales(org).accounts
  const { email, phone, ...rest } = input
  if (input.org_client_id || input.lead_id || (!email && !phone))
    return unwrap(await accounts.addContact(accountId, input))
  // Another business's account id is a 404 before any client is made.
  unwrap(await accounts.accountRecord(accountId))
  const client = await createClient(
    env,
    organization,
    { first_name: input.first_name!, last_name: input.last_name, email, phone },
    author,
  )
  return unwrap(await accounts.addContact(accountId, { ...rest, org_client_id: client.org_client_id }))
}

/** Changes a contact: names of a client's contact go on the client's card too; a lead's contact is renamed on the lead. */
export async function editAccountContact(
  env: Env,
  organization: Organization,
  org: Org,
  accountId: string,
  contactId: string,
  patch: ContactPatchInput,
  author: Author,
): Promise<AccountContact> {
  const accounts = sales(org).accounts
  const contact = unwrap(await accounts.getContact(accountId, contactId))
  // Only a name that changes counts: a form sends the names with every change of the role.
  const first = patch.first_name !== undefined && patch.first_name !== contact.first_name ? patch.first_name : undefined
  const last = patch.last_name !== undefined && patch.last_name !== contact.last_name ? patch.last_name : undefined
  if ((first !== undefined || last !== undefined) && contact.lead_id)
    throw conflict('This contact is a lead: change the name on the lead.')
  if ((first || last) && contact.org_client_id)
    await changeClientContact(
      env,
      organization,
      { org_client_id: contact.org_client_id },
      { ...(first ? { first_name: first } : {}), ...(last ? { last_name: last } : {}) },
      author,
    )
  return unwrap(await accounts.updateContact(accountId, contactId, patch))
}
