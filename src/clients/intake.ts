/**
 * The one path that makes a person a client of a business, used by the clients API, booking a job
 * for a new client, events with a person, CSV imports and CRM webhooks: the registry links the
 * person (identity.ts), the business's card gets only what the caller said, the object makes the
 * client, and then the registry records that the business holds the person. A contact change of a
 * client goes the same way: the business's own card, and the new points asserted in the registry.
 */
import type { Author, CardInput, ContactChange } from '../../durable-objects/org/cards/cards'
import { unwrap } from '../../durable-objects/org/result'
import { peopleDb } from '../db'
import type { Env } from '../env'
import { notFound } from '../errors'
import { resolvePeople, type PersonInput } from '../people/identity'
import { assertPoints } from '../people/identity-writes'
import { linkPersonToOrg } from '../people/registry'
import { orgStub, type Organization } from '../organizations'
import type { CreateClientInput } from './service'

export type { Author } from '../../durable-objects/org/cards/cards'

/** A call made with an API key, as card provenance and the audit log name it. */
export const API_AUTHOR = { source: 'api', by: 'api key' } as const satisfies Author

/** Who is writing, for card provenance: a staff member on the pages, else the API key. */
export function authorOf(session: { email: string } | null): Author {
  return session ? { source: 'staff', by: session.email } : API_AUTHOR
}

/**
 * Links each input (email and phone normalized) to a person in the registry and returns the card
 * input the business may write: the person id and the caller's own words, nothing from the registry.
 */
export async function resolveCards(
  env: Env,
  organizationId: string,
  inputs: PersonInput[],
  author: Author,
): Promise<CardInput[]> {
  const resolved = await resolvePeople(peopleDb(env.PEOPLE), organizationId, inputs)
  return inputs.map((input, i) => cardInput(resolved[i]!.person_id, input, author))
}

/** The card input for a person from what the caller said. */
export function cardInput(personId: string, input: PersonInput, author: Author): CardInput {
  return {
    person_id: personId,
    first_name: input.first_name ?? null,
    last_name: input.last_name ?? null,
    emails: input.email ? [input.email] : [],
    phones: input.phone ? [input.phone] : [],
    author,
  }
}

/** Records that the business holds these people, after its object holds their clients (a retry repairs a missing link). */
export async function linkClients(env: Env, organizationId: string, personIds: string[]): Promise<void> {
  const db = peopleDb(env.PEOPLE)
  for (const personId of new Set(personIds)) await linkPersonToOrg(db, personId, organizationId)
}

/** Creates a client of the business, or returns the existing one for the same person (`created: false`). */
export async function intakeClient(
  env: Env,
  organization: Organization,
  input: CreateClientInput & { phone?: string },
  author: Author,
) {
  const [card] = await resolveCards(env, organization.id, [input], author)
  const result = await orgStub(env, organization.id).createClient({
    person: card!,
    status: input.status,
    tags: input.tags,
    notes: input.notes,
    author: author.by,
    address: input.address ? { ...input.address, country: input.address.country ?? organization.country } : undefined,
    source: input.source,
    external_id: input.external_id,
  })
  await linkClients(env, organization.id, [result.person_id])
  return result
}

/**
 * Changes the business's own card of a client (found by client id or person id): new email or
 * phone primary, old kept as secondary, each change on the timeline. The registry records the new
 * points as this business's assertion. No other business's card changes. 404 for a stranger.
 */
export async function changeClientContact(
  env: Env,
  organization: Organization,
  ref: { org_client_id?: string; person_id?: string },
  change: ContactChange,
  author: Author,
) {
  const result = unwrap(await orgStub(env, organization.id).changeContact(ref, change, author))
  if (!result) throw notFound(ref.person_id ? 'person' : 'client')
  if (change.email || change.phone) {
    await assertPoints(peopleDb(env.PEOPLE), organization.id, result.person_id, {
      email: change.email,
      phone: change.phone,
    })
  }
  return result
}
