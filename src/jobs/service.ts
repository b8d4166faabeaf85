/** Booking a job, for an existing client or a new one (create_job_with_optional_new_client). */
import { assertOnTeam } from '../team'
import { peopleDb } from '../db'
import { z } from 'zod'
import { unwrap } from '../../durable-objects/org/result'
import { addressSchema } from '../clients/service'
import { API_AUTHOR, linkClients, resolveCards, type Author } from '../clients/intake'
import type { Env } from '../env'
import { cents, id, instant } from '../http/schemas'
import { emailField } from '../people/normalize'
import { requirePhone } from '../people/service'
import { orgStub, type Organization } from '../organizations'

export const newJobClientSchema = z.object({
  first_name: z.string().trim().min(1).max(100),
  last_name: z.string().trim().max(100).optional(),
  email: emailField.optional(),
  phone: z.string().max(40).optional(),
  address: addressSchema.optional(),
})

export const createJobSchema = z
  .object({
    org_client_id: id.optional(),
    client: newJobClientSchema.optional(),
    service_id: id.optional(),
    start_at: instant,
    end_at: instant.optional(),
    price_cents: cents.optional(),
    notes: z.string().max(5000).optional(),
    source: z.string().trim().min(1).max(40).optional(),
    external_id: z.string().trim().min(1).max(200).optional(),
    assigned_to: z.array(id).max(20).optional(),
  })
  .refine((v) => (v.org_client_id === undefined) !== (v.client === undefined), {
    message: 'give exactly one of org_client_id and client',
    path: ['org_client_id'],
  })

export type CreateJobInput = z.output<typeof createJobSchema>

/** Links a new client's person in the registry, then books everything else in one call to the object. */
export async function createJob(
  env: Env,
  organization: Organization,
  input: CreateJobInput,
  author: Author = API_AUTHOR,
) {
  const { client, ...job } = input
  await assertOnTeam(peopleDb(env.PEOPLE), organization.id, job.assigned_to)
  const org = orgStub(env, organization.id)
  if (!client) return unwrap(await org.createJob(job))

  const country = client.address?.country ?? organization.country
  const phone = client.phone === undefined ? undefined : requirePhone(client.phone, country, 'client.phone')
  const [person] = await resolveCards(
    env,
    organization.id,
    [{ email: client.email, phone, first_name: client.first_name, last_name: client.last_name }],
    author,
  )
  const result = unwrap(
    await org.createJob({
      ...job,
      new_client: {
        person: person!,
        address: client.address ? { ...client.address, country } : undefined,
        source: input.source,
      },
    }),
  )
  await linkClients(env, organization.id, [person!.person_id])
  return result
}
