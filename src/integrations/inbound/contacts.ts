/**
 * A CRM customer to our client, Worker side: the client mapped to the provider's id, else the
 * person linked in the registry and their client found or created (src/clients/intake.ts,
 * source = the provider). A contact change of a known customer changes this business's card only.
 */
import type { ChangeContext } from '../../../durable-objects/org/integrations/apply-mappings'
import { isStale } from '../../../durable-objects/org/integrations/apply-mappings'
import type { OrgObject } from '../../../durable-objects/org/org-object'
import { unwrap } from '../../../durable-objects/org/result'
import type { ContactChange } from '../../../durable-objects/org/cards/cards'
import { changeClientContact } from '../../clients/intake'
import { createClient } from '../../clients/service'
import type { Env } from '../../env'
import type { Organization } from '../../organizations'
import { normalizeEmail, normalizePhone } from '../../people/normalize'
import { sales } from '../../sales/remote'
import { PermanentError, type CanonicalContact } from './canonical'
import { integrationsOf } from '../remote'
import { cardsOf } from '../../clients/remote'

type Org = DurableObjectStub<OrgObject>

/** Our client for the provider's customer, created when there is none; returns its id. */
export async function resolveClient(
  env: Env,
  org: Org,
  organization: Organization,
  ctx: ChangeContext,
  contact: CanonicalContact,
  op: 'created' | 'updated' | 'seen',
): Promise<string> {
  if (!contact.external_id) throw new PermanentError(`the ${ctx.provider} customer has no id`)
  const country = contact.address?.country ?? organization.country
  const email = contact.email ? normalizeEmail(contact.email) : null
  const phone = contact.phone ? normalizePhone(contact.phone, country) : null
  const mapped = await integrationsOf(org).mappedClient(ctx.provider, contact.external_id)
  if (mapped) {
    const stale = isStale({ localId: mapped.org_client_id, updatedAt: mapped.updated_at }, contact.updated_at)
    if (op !== 'seen' && !stale)
      await propagate(env, org, organization, ctx, mapped.person_id, {
        first_name: contact.first_name,
        last_name: contact.last_name,
        email,
        phone,
      })
    unwrap(
      await integrationsOf(org).applyCrmClient(ctx, {
        external_id: contact.external_id,
        org_client_id: mapped.org_client_id,
        op,
        created: false,
        updated_at: contact.updated_at,
      }),
    )
    await linkCompany(org, ctx, contact, mapped.org_client_id)
    return mapped.org_client_id
  }
  const made = await createClient(
    env,
    organization,
    {
      // The company becomes an account (below), never the person's name.
      first_name: contact.first_name ?? '',
      last_name: contact.last_name ?? undefined,
      email: email ?? undefined,
      phone: phone ?? undefined,
      status: contact.is_lead ? 'lead' : undefined,
      address: contact.address ?? undefined,
      source: ctx.provider,
      external_id: contact.external_id,
    },
    { source: 'crm', by: `${ctx.provider}:${ctx.connectionId}` },
  )
  unwrap(
    await integrationsOf(org).applyCrmClient(ctx, {
      external_id: contact.external_id,
      org_client_id: made.org_client_id,
      op,
      created: made.created,
      updated_at: contact.updated_at,
    }),
  )
  await linkCompany(org, ctx, contact, made.org_client_id)
  return made.org_client_id
}

/** A customer with a company: the account is found or made and the client is its contact (once, however often the webhook comes). */
async function linkCompany(
  org: Org,
  ctx: ChangeContext,
  contact: CanonicalContact,
  orgClientId: string,
): Promise<void> {
  if (!contact.company) return
  unwrap(
    await sales(org).accounts.linkCrmCompany({
      provider: ctx.provider,
      name: contact.company,
      company_id: contact.company_id ?? null,
      org_client_id: orgClientId,
    }),
  )
}

type Incoming = { first_name: string | null; last_name: string | null; email: string | null; phone: string | null }

/**
 * What the CRM changed about a customer goes on this business's own card, with the connection as
 * its source; the names, email and phone the card already has as primary are left as they are.
 */
async function propagate(
  env: Env,
  org: Org,
  organization: Organization,
  ctx: ChangeContext,
  personId: string,
  incoming: Incoming,
): Promise<void> {
  const current = await cardsOf(org).getPersonCard(personId)
  if (!current) return
  const update: ContactChange = {}
  if (incoming.first_name && incoming.first_name !== current.first_name) update.first_name = incoming.first_name
  if (incoming.last_name && incoming.last_name !== current.last_name) update.last_name = incoming.last_name
  if (incoming.email && incoming.email !== current.primary_email) update.email = incoming.email
  if (incoming.phone && incoming.phone !== current.primary_phone_e164) update.phone = incoming.phone
  if (Object.keys(update).length === 0) return
  await changeClientContact(env, organization, { person_id: personId }, update, {
    source: 'crm',
    by: `${ctx.provider}:${ctx.connectionId}`,
  })
}
