/** Applying a CRM's client changes: the person is already upserted Worker-side; here the client is linked and the event raised. */
import { eq } from 'drizzle-orm'
import { notFound } from '../../../src/errors'
import type { OrgDb } from '../db'
import { recordEvent } from '../events'
import { orgClients, type Provider } from '../schema'
import { findMapping, isStale, linkMapping, logApply, type ChangeContext } from './apply-mappings'

/** Our client mapped to a provider's client id, with the provider time of the last change applied. */
export type MappedClient = { org_client_id: string; person_id: string; updated_at: string }

/**
 * A provider client resolved to ours. `op`: what the CRM reported (`seen` when the client only
 * came along with a job or invoice); `created`: whether we created the client just now.
 */
export type CrmClientLink = {
  external_id: string
  org_client_id: string
  op: 'created' | 'updated' | 'seen'
  created: boolean
  updated_at: string | null
}

/** Our client for the provider's client id, or null when it is not mapped. */
export function mappedClient(db: OrgDb, provider: Provider, externalId: string): MappedClient | null {
  const mapping = findMapping(db, provider, 'client', externalId)
  if (!mapping) return null
  const client = db
    .select({ personId: orgClients.personId })
    .from(orgClients)
    .where(eq(orgClients.id, mapping.localId))
    .get()
  return client ? { org_client_id: mapping.localId, person_id: client.personId, updated_at: mapping.updatedAt } : null
}

/**
 * Links the provider's client to ours. An update of a client we already had raises
 * `client_updated` with the provider as source; an older update than the last applied is skipped.
 */
export function applyCrmClient(db: OrgDb, ctx: ChangeContext, link: CrmClientLink): { applied: boolean } {
  const mapping = findMapping(db, ctx.provider, 'client', link.external_id)
  if (isStale(mapping, link.updated_at)) {
    logApply(db, ctx, {
      status: 'skipped',
      externalId: link.external_id,
      orgClientId: link.org_client_id,
      detail: 'client: older than the change already applied',
    })
    return { applied: false }
  }
  if (!db.select({ id: orgClients.id }).from(orgClients).where(eq(orgClients.id, link.org_client_id)).get())
    throw notFound('client')
  // Not made from the CRM's customer and not linked before: the registry matched it by phone or email.
  const linkedBy = !link.created && !mapping ? 'match' : 'webhook'
  linkMapping(db, ctx, 'client', link.external_id, link.org_client_id, link.updated_at, linkedBy)
  if (link.op === 'updated' && !link.created)
    recordEvent(db, 'client_updated', link.org_client_id, { source: ctx.provider })
  const what = link.created
    ? 'created'
    : !mapping
      ? 'linked to an existing client'
      : link.op === 'updated'
        ? 'updated'
        : 'already linked'
  logApply(db, ctx, {
    status: 'ok',
    externalId: link.external_id,
    orgClientId: link.org_client_id,
    detail: `client ${what}`,
  })
  return { applied: true }
}
