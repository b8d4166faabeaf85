/** The people registry's use cases as the API offers them: input normalization, and each business's own card. */
import { z } from 'zod'
import { peopleDb } from '../db'
import type { Env } from '../env'
import { invalidInput, notFound, type Issue } from '../errors'
import { orgStub, type Organization } from '../organizations'
import { API_AUTHOR, changeClientContact, type Author } from '../clients/intake'
import { resolvePerson } from './identity'
import { countryField, emailField, normalizePhone } from './normalize'
import { cardsOf } from '../clients/remote'

const name = z.string().trim().min(1).max(100)

export const upsertPersonSchema = z
  .object({
    email: emailField.optional(),
    phone: z.string().max(40).optional(),
    first_name: name.optional(),
    last_name: name.optional(),
    default_country: countryField.optional(),
  })
  .refine((v) => v.email !== undefined || v.phone !== undefined, {
    message: 'email or phone is required',
    path: ['email'],
  })

export const contactUpdateSchema = z.object({
  first_name: name.optional(),
  last_name: name.optional(),
  email: emailField.optional(),
  phone: z.string().max(40).optional(),
})

/** Parses a phone to E.164 or fails with a 400 naming the field. */
export function requirePhone(raw: string, country: string, path: string): string {
  const phone = normalizePhone(raw, country)
  if (phone === null) throw invalidInput([{ path, message: 'is not a valid phone number' } satisfies Issue])
  return phone
}

/**
 * upsert_person: links the email or phone to a person in the registry and answers with the id and
 * whether the person is new to this organization. Nothing another business said comes back.
 */
export async function upsertPerson(env: Env, organization: Organization, input: z.output<typeof upsertPersonSchema>) {
  const phone =
    input.phone === undefined
      ? undefined
      : requirePhone(input.phone, input.default_country ?? organization.country, 'phone')
  return resolvePerson(peopleDb(env.PEOPLE), organization.id, { ...input, phone })
}

/**
 * propagate_contact_update, as it now means: the caller's own card of its client gets the new
 * email/phone as primary (the old kept as secondary) and the new names. No other card changes:
 * only a homeowner sends a change to several businesses (the portal).
 */
export async function updateContact(
  env: Env,
  organization: Organization,
  personId: string,
  input: z.output<typeof contactUpdateSchema>,
  author: Author = API_AUTHOR,
) {
  const phone = input.phone === undefined ? undefined : requirePhone(input.phone, organization.country, 'phone')
  await changeClientContact(env, organization, { person_id: personId }, { ...input, phone }, author)
  return { success: true as const, person_id: personId }
}

/** A person as this organization's card shows them, only while the person is its client. */
export async function getPerson(env: Env, organization: Organization, personId: string) {
  const card = await cardsOf(orgStub(env, organization.id)).getPersonCard(personId)
  if (!card) throw notFound('person')
  return {
    person_id: personId,
    first_name: card.first_name,
    last_name: card.last_name,
    primary_email: card.primary_email,
    primary_phone_e164: card.primary_phone_e164,
    emails: card.emails,
    phones: card.phones,
    version: card.version,
    org_client_id: card.org_client_id,
  }
}
