/**
 * Estimates' use cases that reach beyond the organization's object: a lead's estimate gets a
 * client card (through intake, as every client does) before it is sent; approving or booking
 * converts its lead; booking confirms the visit as POST /api/v1/jobs does.
 */
import { unwrap } from '../../durable-objects/org/result'
import type { AddressInput } from '../../durable-objects/org/crm/clients'
import type { EstimateBooking } from '../../durable-objects/org/sales/estimates/booking'
import type { EstimateChannel } from '../../durable-objects/org/sales/estimates/send'
import { clock } from '../clock'
import { peopleDb } from '../db'
import { API_AUTHOR, type Author } from '../clients/intake'
import { createClient } from '../clients/service'
import type { Env } from '../env'
import { AppError } from '../errors'
import { type Confirmation, sendConfirmation } from '../jobs/confirmation'
import { orgStub, type Organization } from '../organizations'
import { assertOnTeam } from '../team'
import { convertLead } from './conversion'
import { sales } from './remote'

const estimatesOf = (env: Env, organization: Organization) => sales(orgStub(env, organization.id)).estimates

/**
 * Sends the estimate with a new approval link. A lead's estimate first gets the client card it is
 * addressed to: made or found from the lead's name, email and phone, with status `lead`.
 */
export async function sendEstimate(
  env: Env,
  organization: Organization,
  id: string,
  channel: EstimateChannel | undefined,
  author: Author = API_AUTHOR,
) {
  const estimates = estimatesOf(env, organization)
  const lead = unwrap(await estimates.leadContact(id))
  if (lead) {
    if (!lead.email && !lead.phone)
      throw new AppError(409, 'not_sent', 'Not sent. The lead has no phone or email: add one to the lead first.')
    const client = await createClient(
      env,
      organization,
      {
        first_name: lead.first_name,
        last_name: lead.last_name ?? undefined,
        email: lead.email ?? undefined,
        phone: lead.phone ?? undefined,
        status: 'lead',
        source: lead.source,
      },
      author,
    )
    unwrap(await estimates.attachClient(id, client.org_client_id))
  }
  return unwrap(await estimates.sendEstimate(id, channel))
}

/**
 * Converts the estimate's lead when it is not converted yet. Never fails its caller: the
 * homeowner's approval and the booking stand, and the next booking or staff can convert it.
 */
export async function convertEstimateLead(
  env: Env,
  organization: Organization,
  leadId: string | null,
  author: Author,
): Promise<void> {
  if (!leadId) return
  try {
    await convertLead(env, organization, leadId, author)
  } catch (error) {
    // Converted meanwhile (409) is what was wanted; anything else is logged for staff to redo.
    if (!(error instanceof AppError && error.status === 409))
      console.error('estimates: could not convert the lead', leadId, error)
  }
}

/** A booking as the API takes it: an address's country defaults to the business's. */
export type BookInput = Omit<EstimateBooking, 'address'> & {
  address?: (Omit<AddressInput, 'country'> & { country?: string | undefined }) | undefined
  notify?: boolean | undefined
}

/**
 * Books the approved estimate as a job (its lines become the job's), converts its lead, and
 * confirms the visit to the client as any booking does unless `notify` is false.
 */
export async function bookEstimate(
  env: Env,
  organization: Organization,
  id: string,
  input: BookInput,
  author: Author = API_AUTHOR,
) {
  const { notify, ...booking } = input
  await assertOnTeam(peopleDb(env.PEOPLE), organization.id, booking.assigned_to)
  const estimates = estimatesOf(env, organization)
  const address = booking.address
    ? { ...booking.address, country: booking.address.country || organization.country }
    : undefined
  const { job } = unwrap(await estimates.bookJob(id, { ...booking, address }, author))
  await convertEstimateLead(env, organization, await estimates.leadToConvert(id), author)
  const confirmation: Confirmation | null =
    notify === false
      ? null
      : // A visit recorded after it happened is not news to the client.
        Date.parse(job.start_at) < clock.now().getTime()
        ? { skipped: 'past_visit' }
        : await sendConfirmation(env, organization, job, null)
  return { job, estimate: await estimates.getEstimate(id), confirmation }
}
