/**
 * Converting a lead to a client, one way (seed 002): the object claims the lead (so two
 * conversions at once make one client), the Worker makes or finds the client through intake (the
 * registry links the person), then the object marks the lead converted in one transaction.
 * Staff, the API, booking a job for a lead and an approved estimate all convert through here.
 */
import { unwrap } from '../../durable-objects/org/result'
import type { Lead } from '../../durable-objects/org/sales/leads/leads'
import { API_AUTHOR, type Author, intakeClient } from '../clients/intake'
import type { Env } from '../env'
import { invalidInput } from '../errors'
import { orgStub, type Organization } from '../organizations'
import { sales } from './remote'

export type Converted = { org_client_id: string; client_created: boolean; lead: Lead }

export const NO_CONTACT =
  'This lead has no email or phone: add one before it becomes a client, so the client card can be found again.'

/**
 * Converts the lead to a client of the business, made or found from its name, email and phone.
 * 404 for another business's lead, 409 once converted (or while another conversion runs), 400
 * for a lead with neither email nor phone. `authorId` (a staff account) signs the lead's history.
 */
export async function convertLead(
  env: Env,
  organization: Organization,
  leadId: string,
  author: Author = API_AUTHOR,
  authorId: string | null = null,
): Promise<Converted> {
  const leads = sales(orgStub(env, organization.id)).leads
  const lead = unwrap(await leads.startConversion(leadId))
  let client: { org_client_id: string; created: boolean }
  try {
    if (!lead.email && !lead.phone) throw invalidInput([{ path: 'lead', message: NO_CONTACT }], NO_CONTACT)
    client = await intakeClient(
      env,
      organization,
      {
        first_name: lead.first_name,
        last_name: lead.last_name ?? undefined,
        email: lead.email ?? undefined,
        phone: lead.phone ?? undefined,
        status: 'active',
        source: lead.source,
      },
      author,
    )
  } catch (error) {
    await leads.abandonConversion(leadId)
    throw error
  }
  const converted = unwrap(await leads.completeConversion(leadId, client.org_client_id, authorId))
  return { org_client_id: client.org_client_id, client_created: client.created, lead: converted }
}

/** The client a lead is (or becomes): its client once converted, else the lead converted now. Booking a job for a lead goes through here. */
export async function clientOfLead(
  env: Env,
  organization: Organization,
  leadId: string,
  author: Author = API_AUTHOR,
): Promise<string> {
  const lead = await sales(orgStub(env, organization.id)).leads.getLead(leadId)
  if (lead?.is_converted && lead.converted_to_client_id) return lead.converted_to_client_id
  return (await convertLead(env, organization, leadId, author)).org_client_id
}
