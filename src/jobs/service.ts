/** Booking a job, for an existing client or a new one (create_job_with_optional_new_client). */
import { clock } from '../clock'
import { assertOnTeam } from '../team'
import { peopleDb } from '../db'
import { z } from 'zod'
import { unwrap } from '../../durable-objects/org/result'
import { addressSchema } from '../clients/service'
import { API_AUTHOR, linkClients, resolveCards, type Author } from '../clients/intake'
import type { Env } from '../env'
import { cents, id, instant, isoDate } from '../http/schemas'
import { emailField } from '../people/normalize'
import { requirePhone } from '../people/service'
import { orgStub, type Organization } from '../organizations'
import type { Job } from '../../durable-objects/org/crm/jobs'
import { type Confirmation, sendConfirmation } from './confirmation'
import { clientOfLead } from '../sales/conversion'
import { sales } from '../sales/remote'
import { invalidInput } from '../errors'

export const newJobClientSchema = z.object({
  first_name: z.string().trim().min(1).max(100),
  last_name: z.string().trim().max(100).optional(),
  email: emailField.optional(),
  phone: z.string().max(40).optional(),
  address: addressSchema.optional(),
})

/** A recurring series: weekly or monthly, every 1–12, ending after a count or on a date (or running on). */
export const recurrenceSchema = z
  .object({
    freq: z.enum(['weekly', 'monthly']),
    interval: z.int().min(1).max(12).optional(),
    count: z.int().min(1).max(200).optional(),
    until: isoDate.optional(),
    by_weekday: z
      .array(
        z.string().regex(/^([+-]?[1-5])?(MO|TU|WE|TH|FR|SA|SU)$/i, 'reads MO…SU, or 2TU / -1FR for a monthly rule'),
      )
      .min(1)
      .max(7)
      .optional(),
  })
  .refine((v) => v.count === undefined || v.until === undefined, {
    message: 'give count or until, not both',
    path: ['count'],
  })

export const createJobSchema = z
  .object({
    org_client_id: id.optional(),
    client: newJobClientSchema.optional(),
    /** Books for a lead: it is converted to a client first (its client when it already was). */
    lead_id: id.optional(),
    service_id: id.optional(),
    start_at: instant,
    end_at: instant.optional(),
    price_cents: cents.optional(),
    notes: z.string().max(5000).optional(),
    source: z.string().trim().min(1).max(40).optional(),
    external_id: z.string().trim().min(1).max(200).optional(),
    assigned_to: z.array(id).max(20).optional(),
    /** Repeats the visit: the job is the first of a series. */
    recurrence: recurrenceSchema.optional(),
    /** `false` books without telling the client (no confirmation). */
    notify: z.boolean().optional(),
    /** A site of the client's commercial account: the work is at its address. */
    site_id: id.optional(),
  })
  .refine((v) => [v.org_client_id, v.client, v.lead_id].filter((x) => x !== undefined).length === 1, {
    message: 'give exactly one of org_client_id, client and lead_id',
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
  const { client, notify, lead_id, ...job } = input
  await assertOnTeam(peopleDb(env.PEOPLE), organization.id, job.assigned_to)
  const org = orgStub(env, organization.id)
  if (lead_id) job.org_client_id = await clientOfLead(env, organization, lead_id, author)
  if (job.site_id) await checkSite(org, job.site_id, job.org_client_id, job.recurrence !== undefined)
  if (!client) return confirmed(env, organization, unwrap(await org.createJob(job)), notify)

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
  return confirmed(env, organization, result, notify)
}

/** A job is booked at a site of its client's own account (a new client is on none), as a single visit. */
async function checkSite(
  org: ReturnType<typeof orgStub>,
  siteId: string,
  orgClientId: string | undefined,
  repeats: boolean,
) {
  if (!orgClientId) throw invalidInput([{ path: 'site_id', message: "is not a site of the client's account" }])
  if (repeats) throw invalidInput([{ path: 'site_id', message: 'a repeating visit cannot be booked at a site' }])
  unwrap(await sales(org).accounts.siteForClient(siteId, orgClientId))
}

/** Tells the client about the booking unless the caller said not to; a skipped confirmation does not undo the booking. */
async function confirmed<T extends { job: Job; series_id: string | null }>(
  env: Env,
  organization: Organization,
  booked: T,
  notify: boolean | undefined,
): Promise<T & { confirmation: Confirmation | null }> {
  if (notify === false) return { ...booked, confirmation: null }
  // A visit recorded after it happened is not news to the client.
  if (Date.parse(booked.job.start_at) < clock.now().getTime())
    return { ...booked, confirmation: { skipped: 'past_visit' } }
  return { ...booked, confirmation: await sendConfirmation(env, organization, booked.job, booked.series_id) }
}
