/**
 * Which CRM an SMS goes to (seed 003 crm-sync): for each connected CRM, the client's customer
 * there, found by contact mapping, else by the client's own source and external id (a client
 * the CRM created). A client with neither is not pushed. Matching by phone happens on the way
 * in: a CRM customer with this client's phone is the same person in the registry, so the
 * inbound sync maps it to this client.
 */
import { and, desc, eq, inArray } from 'drizzle-orm'
import type { CrmPushMessage } from '../../../src/queues/messages'
import type { OrgDb } from '../db'
import { connections, externalMappings, messages, orgClients } from '../schema'

export const CRM_PROVIDERS = ['jobber', 'housecallpro', 'servicetitan'] as const
type CrmProvider = (typeof CRM_PROVIDERS)[number]

/** A queued push without its organization (the object adds it). */
export type PushNote = Omit<CrmPushMessage, 'organization_id'>

export type PushTarget = { connectionId: string; provider: CrmProvider; externalClientId: string }

/** The client's customer in each connected CRM (the newest connection of each provider). */
export function pushTargets(db: OrgDb, orgClientId: string): PushTarget[] {
  const live = db
    .select({ id: connections.id, provider: connections.provider })
    .from(connections)
    .where(and(eq(connections.status, 'connected'), inArray(connections.provider, [...CRM_PROVIDERS])))
    .orderBy(desc(connections.createdAt))
    .all()
  if (live.length === 0) return []
  const mapped = db
    .select()
    .from(externalMappings)
    .where(and(eq(externalMappings.entity, 'client'), eq(externalMappings.localId, orgClientId)))
    .all()
  const client = db
    .select({ source: orgClients.source, externalId: orgClients.externalId })
    .from(orgClients)
    .where(eq(orgClients.id, orgClientId))
    .get()
  const seen = new Set<string>()
  const targets: PushTarget[] = []
  for (const c of live) {
    const provider = c.provider as CrmProvider
    if (seen.has(provider)) continue
    const externalId =
      (mapped.find((m) => m.connectionId === c.id) ?? mapped.find((m) => m.provider === provider))?.externalId ??
      (client?.source === provider ? client.externalId : null)
    if (!externalId) continue
    seen.add(provider)
    targets.push({ connectionId: c.id, provider, externalClientId: externalId })
  }
  return targets
}

/** The pushes for an SMS the provider just accepted. */
export function pushesForSent(db: OrgDb, messageId: string, now = new Date()): PushNote[] {
  const m = db
    .select({ channel: messages.channel, orgClientId: messages.orgClientId, body: messages.body })
    .from(messages)
    .where(eq(messages.id, messageId))
    .get()
  if (m?.channel !== 'sms' || !m.orgClientId) return []
  return notes(db, m.orgClientId, 'outbound', m.body, messageId, now)
}

/** The pushes for an SMS a client sent us. */
export function pushesForReceived(db: OrgDb, orgClientId: string, body: string, now = new Date()): PushNote[] {
  return notes(db, orgClientId, 'inbound', body, `inbound:${crypto.randomUUID()}`, now)
}

function notes(
  db: OrgDb,
  orgClientId: string,
  direction: PushNote['direction'],
  body: string,
  messageId: string,
  now: Date,
): PushNote[] {
  return pushTargets(db, orgClientId).map((t) => ({
    type: 'crm_push',
    connection_id: t.connectionId,
    provider: t.provider,
    org_client_id: orgClientId,
    external_client_id: t.externalClientId,
    direction,
    body: body.slice(0, 1600),
    at: now.toISOString(),
    message_id: messageId,
  }))
}
