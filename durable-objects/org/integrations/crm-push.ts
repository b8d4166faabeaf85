/**
 * Customers and bookings going to the CRM, object side (seed 003's "create/update customers on
 * contact creation" and "book appointments directly"): which connections a client's change goes
 * to, what the CRM is told about the client, the links a push makes and each attempt's sync-log
 * row (crm-bookings.ts: a booked job's wait). The Worker's src/integrations/push-customers.ts and booking.ts call the CRMs.
 */
import { and, desc, eq, inArray } from 'drizzle-orm'
import type { CrmCustomerMessage } from '../../../src/queues/messages'
import type { Author } from '../cards/cards'
import { getCard } from '../cards/cards'
import type { OrgDb } from '../db'
import { getClient } from '../crm/clients'
import { accounts, addresses, connections, externalMappings, type MappedEntity, orgClients } from '../schema'
import { syncSettings } from './connection-settings'
import { connectionRow, markSynced } from './connections'
import { CRM_PROVIDERS } from './push-targets'
import { recordSync } from './sync-log'

type CrmProvider = (typeof CRM_PROVIDERS)[number]

/** A queued customer push without its organization (the object adds it). */
export type CustomerPush = Omit<CrmCustomerMessage, 'organization_id'>

/**
 * The pushes a change of the client makes: one per connected CRM (the newest connection of each)
 * with "push new clients" on. A change that came from a CRM (`author.source` 'crm': a webhook
 * applied by src/integrations/inbound/contacts.ts) goes nowhere, so it is never echoed back.
 */
export function customerPushes(
  db: OrgDb,
  orgClientId: string,
  author: Pick<Author, 'source'>,
  reason: CustomerPush['reason'],
): CustomerPush[] {
  if (author.source === 'crm') return []
  const client = db
    .select({ source: orgClients.source, mergedInto: orgClients.mergedInto })
    .from(orgClients)
    .where(eq(orgClients.id, orgClientId))
    .get()
  // A client made as a CRM's own customer (source and external id given) is that CRM's already.
  if (!client || client.mergedInto || (reason === 'created' && isCrm(client.source))) return []
  const live = db
    .select({ id: connections.id, provider: connections.provider, settings: connections.settings })
    .from(connections)
    .where(and(eq(connections.status, 'connected'), inArray(connections.provider, [...CRM_PROVIDERS])))
    .orderBy(desc(connections.createdAt))
    .all()
  const seen = new Set<string>()
  return live.flatMap((c) => {
    if (seen.has(c.provider)) return []
    seen.add(c.provider)
    if (!syncSettings(c.settings).push_new_clients) return []
    return [
      {
        type: 'crm_customer_push' as const,
        connection_id: c.id,
        provider: c.provider as CrmProvider,
        org_client_id: orgClientId,
        reason,
      },
    ]
  })
}

const isCrm = (source: string) => (CRM_PROVIDERS as readonly string[]).includes(source)

/** What a CRM is told about a client: names, every phone and email, the default address, the account as company. */
export type CustomerCard = {
  org_client_id: string
  first_name: string | null
  last_name: string | null
  /** The client's commercial account's name: the CRM's company name, never folded into a first name. */
  company: string | null
  emails: string[]
  phones: string[]
  primary_email: string | null
  primary_phone: string | null
  address: {
    address1: string
    address2: string | null
    city: string
    state: string
    postal: string
    country: string
  } | null
  /** The CRM customer the client is linked to on this connection; null when not yet. */
  external_id: string | null
}

/** The client as the connection's CRM should have it; null when the client or connection is not ours. */
export function customerCard(db: OrgDb, connectionId: string, orgClientId: string): CustomerCard | null {
  const connection = connectionRow(db, connectionId)
  const client = getClient(db, orgClientId)
  if (!connection || !client) return null
  const card = getCard(db, client.person_id)
  const row = db
    .select({ accountName: accounts.name, addressId: orgClients.defaultAddressId })
    .from(orgClients)
    .leftJoin(accounts, eq(accounts.id, orgClients.accountId))
    .where(eq(orgClients.id, orgClientId))
    .get()
  const address = row?.addressId
    ? db.select().from(addresses).where(eq(addresses.id, row.addressId)).get()
    : db.select().from(addresses).where(eq(addresses.orgClientId, orgClientId)).orderBy(addresses.createdAt).get()
  const primaryEmail = card?.primary_email ?? client.primary_email
  const primaryPhone = card?.primary_phone_e164 ?? client.primary_phone_e164
  return {
    org_client_id: orgClientId,
    first_name: card?.first_name ?? client.first_name,
    last_name: card?.last_name ?? client.last_name,
    company: row?.accountName ?? null,
    emails: ordered(primaryEmail, card?.emails ?? []),
    phones: ordered(primaryPhone, card?.phones ?? []),
    primary_email: primaryEmail,
    primary_phone: primaryPhone,
    address: address
      ? {
          address1: address.address1,
          address2: address.address2 ?? null,
          city: address.city,
          state: address.state,
          postal: address.postal,
          country: address.country,
        }
      : null,
    external_id: linkedId(db, connection.id, connection.provider, 'client', orgClientId, client),
  }
}

/** The primary first, then the rest, each once. */
const ordered = (primary: string | null, all: string[]) => [...new Set([...(primary ? [primary] : []), ...all])]

/** Our record's id in the connection's CRM: its mapping on this connection, else of this provider, else the client's own source. */
export function linkedId(
  db: OrgDb,
  connectionId: string,
  provider: string,
  entity: MappedEntity,
  localId: string,
  client?: { source: string; external_id: string | null },
): string | null {
  const mapped = db
    .select({ connectionId: externalMappings.connectionId, externalId: externalMappings.externalId })
    .from(externalMappings)
    .where(
      and(
        eq(externalMappings.provider, provider as CrmProvider),
        eq(externalMappings.entity, entity),
        eq(externalMappings.localId, localId),
      ),
    )
    .all()
  const found = mapped.find((m) => m.connectionId === connectionId) ?? mapped[0]
  if (found) return found.externalId
  return client?.source === provider ? client.external_id : null
}

/**
 * Links our client or job to the record a push made in the CRM (`linked_by` 'push'), noting when
 * it synced. A record already linked keeps its link: the first push's record stays the one.
 */
export function linkPushed(
  db: OrgDb,
  connectionId: string,
  entity: MappedEntity,
  localId: string,
  externalId: string,
  now: Date,
): void {
  const connection = connectionRow(db, connectionId)
  if (!connection) return
  const at = now.toISOString()
  db.insert(externalMappings)
    .values({
      provider: connection.provider,
      entity,
      externalId,
      localId,
      connectionId,
      updatedAt: '',
      linkedBy: 'push',
      lastSyncedAt: at,
    })
    .onConflictDoUpdate({
      target: [externalMappings.provider, externalMappings.entity, externalMappings.externalId],
      set: { lastSyncedAt: at },
    })
    .run()
}

/**
 * How long a customer push waits in the queue: a burst of changes (a new client, then its
 * address) goes as one create, since the consumer reads the client as it is when it runs.
 */
export const CUSTOMER_PUSH_DELAY_SECONDS = 30

/** Queues the pushes of a client's change; a queue hiccup is logged and never fails the change itself. */
export async function queueCustomerPushes(
  host: { db: OrgDb; env: { EVENTS: Queue }; profile(): { organizationId: string } | null },
  orgClientId: string | null | undefined,
  author: Pick<Author, 'source'>,
  reason: CustomerPush['reason'],
): Promise<void> {
  const p = host.profile()
  if (!p || !orgClientId) return
  const pushes = customerPushes(host.db, orgClientId, author, reason)
  if (pushes.length === 0) return
  try {
    await host.env.EVENTS.sendBatch(
      pushes.map((n) => ({
        body: { ...n, organization_id: p.organizationId },
        delaySeconds: CUSTOMER_PUSH_DELAY_SECONDS,
      })),
    )
  } catch (error) {
    console.error('crm: could not queue customer pushes', error)
  }
}

/** One attempt of a customer push (step 'customer') or booking (step 'book'), from the queue consumer. */
export type CrmStep = {
  step: 'customer' | 'book'
  status: 'ok' | 'retry' | 'error' | 'skipped'
  attempt: number
  eventKey: string
  topic: string
  orgClientId: string
  externalId: string | null
  detail: string
}

/** Logs the attempt; one that worked marks the connection and the client's link as synced now. */
export function recordCrmStep(db: OrgDb, connectionId: string, s: CrmStep, now: Date): void {
  const connection = connectionRow(db, connectionId)
  if (!connection) return
  const at = now.toISOString()
  recordSync(
    db,
    {
      connectionId,
      provider: connection.provider,
      direction: 'outbound',
      step: s.step,
      status: s.status,
      attempt: s.attempt,
      eventKey: s.eventKey,
      topic: s.topic,
      externalId: s.externalId,
      orgClientId: s.orgClientId,
      detail: s.detail,
    },
    at,
  )
  if (s.status !== 'ok') return
  markSynced(db, connectionId, at)
  db.update(externalMappings)
    .set({ lastSyncedAt: at })
    .where(
      and(
        eq(externalMappings.connectionId, connectionId),
        eq(externalMappings.entity, 'client'),
        eq(externalMappings.localId, s.orgClientId),
      ),
    )
    .run()
}

/** How long a push creating a client's customer holds it: longer than any one attempt's calls. */
const CREATE_CLAIM_MS = 2 * 60_000

/** In-flight creates by connection and client (connection ids are unique across businesses). */
const creating = new Map<string, number>()

/**
 * Claims creating the client's customer on the connection, so two pushes running at once (a new
 * client, then its address, delivered in one batch) make one customer: the other waits and then
 * finds the link. False while another push holds it; a claim lapses after two minutes.
 */
export function claimCreate(connectionId: string, orgClientId: string, now: Date): boolean {
  const key = `${connectionId}/${orgClientId}`
  const held = creating.get(key)
  if (held !== undefined && now.getTime() - held < CREATE_CLAIM_MS) return false
  creating.set(key, now.getTime())
  return true
}

/** Ends a claim: the customer was made and linked, or the attempt failed. */
export function releaseCreate(connectionId: string, orgClientId: string): void {
  creating.delete(`${connectionId}/${orgClientId}`)
}
