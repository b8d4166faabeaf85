/** The people registry's use cases as the API offers them: input normalization, visibility, fan-out. */
import { z } from 'zod'
import { peopleDb } from '../db'
import type { Env } from '../env'
import { invalidInput, notFound, type Issue } from '../errors'
import { orgStub, type Organization } from '../organizations'
import { countryField, emailField, normalizePhone } from './normalize'
import * as registry from './registry'

const name = z.string().trim().min(1).max(100)

export const upsertPersonSchema = z.object({
  email: emailField.optional(),
  phone: z.string().max(40).optional(),
  first_name: name.optional(),
  last_name: name.optional(),
  default_country: countryField.optional(),
}).refine((v) => v.email !== undefined || v.phone !== undefined, { message: 'email or phone is required', path: ['email'] })

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

/** upsert_person: the same email or phone always finds the same person, whichever organization asks. */
export async function upsertPerson(env: Env, organization: Organization, input: z.output<typeof upsertPersonSchema>) {
  const phone = input.phone === undefined ? undefined : requirePhone(input.phone, input.default_country ?? organization.country, 'phone')
  const db = peopleDb(env.PEOPLE)
  const result = await registry.upsertPerson(db, { ...input, phone })
  if (result.changed) await propagate(env, db, result.person_id)
  return { person_id: result.person_id, is_new: result.is_new }
}

/** propagate_contact_update: changes shared fields and refreshes every holding organization's copy. */
export async function updateContact(env: Env, organization: Organization, personId: string, input: z.output<typeof contactUpdateSchema>) {
  const db = peopleDb(env.PEOPLE)
  const phone = input.phone === undefined ? undefined : requirePhone(input.phone, organization.country, 'phone')
  if (!(await registry.isClientOf(db, personId, organization.id))) throw notFound('person')
  const snapshot = await registry.updateContact(db, personId, { ...input, phone })
  if (!snapshot) throw notFound('person')
  await fanOut(env, snapshot, organization.id)
  return { success: true as const, person_id: personId }
}

/** A person as the API shows it, only to an organization that holds them as a client. */
export async function getPerson(env: Env, organization: Organization, personId: string) {
  const db = peopleDb(env.PEOPLE)
  if (!(await registry.isClientOf(db, personId, organization.id))) throw notFound('person')
  const snapshot = await registry.getPersonSnapshot(db, personId)
  if (!snapshot) throw notFound('person')
  const { version, ...person } = snapshot
  return { ...person, version }
}

async function propagate(env: Env, db: ReturnType<typeof peopleDb>, personId: string) {
  const snapshot = await registry.getPersonSnapshot(db, personId)
  if (snapshot) await fanOut(env, snapshot)
}

/**
 * Sends the new snapshot to every holding organization through the `events` queue. The caller's
 * own organization is refreshed at once too, so its next read already shows the change.
 */
async function fanOut(env: Env, snapshot: registry.PersonSnapshot, callerOrgId?: string) {
  if (callerOrgId) {
    await orgStub(env, callerOrgId).applyPersonSnapshot(snapshot)
  }
  await env.EVENTS.send({ type: 'contact_updated', snapshot })
}
