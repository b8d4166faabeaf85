/** An organization's clients: creating, reading and listing them with their cached contact fields. */
import { and, desc, eq, sql, type SQL } from 'drizzle-orm'
import type { PersonSnapshot } from '../../src/people/registry'
import { applySnapshot } from './contacts'
import type { OrgDb } from './db'
import { addresses, contacts, events, orgClients, type ClientNote } from './schema'

export type ClientStatus = 'lead' | 'active' | 'inactive'

export type ClientRow = {
  org_client_id: string
  person_id: string
  first_name: string | null
  last_name: string | null
  primary_email: string | null
  primary_phone_e164: string | null
  status: ClientStatus
  ltv_cents: number
  tags: string[]
  created_at: string
}

export type AddressInput = {
  label?: string
  address1: string
  address2?: string
  city: string
  state: string
  postal: string
  country: string
}

export type Address = AddressInput & { id: string }

export type ClientDetail = ClientRow & {
  addresses: Address[]
  default_address_id: string | null
  notes: ClientNote[]
  source: string
  external_id: string | null
}

export type NewClient = {
  person: PersonSnapshot
  status?: ClientStatus
  tags?: string[]
  notes?: string
  author?: string | null
  address?: AddressInput
  source?: string
  external_id?: string
}

export type CreateClientResult = { org_client_id: string; person_id: string; created: boolean }

const rowColumns = {
  org_client_id: orgClients.id,
  person_id: orgClients.personId,
  first_name: contacts.firstName,
  last_name: contacts.lastName,
  primary_email: contacts.primaryEmail,
  primary_phone_e164: contacts.primaryPhoneE164,
  status: orgClients.status,
  ltv_cents: orgClients.ltvCents,
  tags: orgClients.tags,
  created_at: orgClients.createdAt,
}

/** Creates the client record for a person, or returns the existing one (`created: false`). */
export function createClient(db: OrgDb, input: NewClient): CreateClientResult {
  applySnapshot(db, input.person)
  const existing = db.select({ id: orgClients.id }).from(orgClients).where(eq(orgClients.personId, input.person.person_id)).get()
  if (existing) return { org_client_id: existing.id, person_id: input.person.person_id, created: false }

  const id = crypto.randomUUID()
  const at = nextCreatedAt(db)
  const addressId = input.address ? crypto.randomUUID() : null
  const status = input.status ?? 'active'
  if (input.address && addressId) {
    db.insert(addresses).values({ id: addressId, orgClientId: id, ...input.address, createdAt: at }).run()
  }
  db.insert(orgClients).values({
    id,
    personId: input.person.person_id,
    status,
    tags: normalizeTags(input.tags ?? []),
    notes: input.notes ? [{ at, author: input.author ?? null, text: input.notes }] : [],
    defaultAddressId: addressId,
    source: input.source ?? 'manual',
    externalId: input.external_id ?? null,
    createdAt: at,
    updatedAt: at,
  }).run()
  db.insert(events).values({
    id: crypto.randomUUID(),
    type: status === 'lead' ? 'lead_created' : 'client_created',
    orgClientId: id,
    data: { source: input.source ?? 'manual' },
    createdAt: at,
  }).run()
  return { org_client_id: id, person_id: input.person.person_id, created: true }
}

/**
 * Now, or just after the newest client when that is not earlier: creation times are strictly
 * increasing within an organization, so "newest first" and its cursor never tie.
 */
function nextCreatedAt(db: OrgDb): string {
  const now = Date.now()
  const newest = db.select({ at: sql<string | null>`max(${orgClients.createdAt})` }).from(orgClients).get()?.at
  const after = newest ? Date.parse(newest) + 1 : 0
  return new Date(Math.max(now, after)).toISOString()
}

/** Tags are trimmed, de-duplicated and kept in the order given. */
export function normalizeTags(tags: string[]): string[] {
  return [...new Set(tags.map((t) => t.trim()).filter((t) => t !== ''))]
}

/** One client with its properties and notes, or null when this organization has no such client. */
export function getClient(db: OrgDb, id: string): ClientDetail | null {
  const row = db.select({
    ...rowColumns,
    default_address_id: orgClients.defaultAddressId,
    notes: orgClients.notes,
    source: orgClients.source,
    external_id: orgClients.externalId,
  }).from(orgClients).innerJoin(contacts, eq(contacts.personId, orgClients.personId)).where(eq(orgClients.id, id)).get()
  if (!row) return null
  const props = db.select().from(addresses).where(eq(addresses.orgClientId, id)).all()
  return {
    ...row,
    addresses: props.map((a) => ({
      id: a.id,
      address1: a.address1,
      city: a.city,
      state: a.state,
      postal: a.postal,
      country: a.country,
      ...(a.label ? { label: a.label } : {}),
      ...(a.address2 ? { address2: a.address2 } : {}),
    })),
  }
}

/** The client holding this person, if any. */
export function clientIdForPerson(db: OrgDb, personId: string): string | null {
  return db.select({ id: orgClients.id }).from(orgClients).where(eq(orgClients.personId, personId)).get()?.id ?? null
}

export type ListClientsQuery = { status?: ClientStatus; tag?: string; limit: number; cursor?: string }

/** Clients newest first, filtered by status and tag, in pages joined by an opaque cursor. */
export function listClients(db: OrgDb, query: ListClientsQuery): { items: ClientRow[]; next_cursor: string | null } {
  const conditions: SQL[] = []
  if (query.status) conditions.push(eq(orgClients.status, query.status))
  if (query.tag) conditions.push(sql`exists (select 1 from json_each(${orgClients.tags}) where value = ${query.tag})`)
  const after = query.cursor ? decodeCursor(query.cursor) : null
  if (after) {
    conditions.push(sql`(${orgClients.createdAt}, ${orgClients.id}) < (${after.createdAt}, ${after.id})`)
  }
  const rows = db.select(rowColumns).from(orgClients)
    .innerJoin(contacts, eq(contacts.personId, orgClients.personId))
    .where(and(...conditions))
    .orderBy(desc(orgClients.createdAt), desc(orgClients.id))
    .limit(query.limit + 1)
    .all()
  const items = rows.slice(0, query.limit)
  const last = items[items.length - 1]
  const next_cursor = rows.length > query.limit && last ? encodeCursor(last.created_at, last.org_client_id) : null
  return { items, next_cursor }
}

function encodeCursor(createdAt: string, id: string): string {
  return btoa(`${createdAt}|${id}`).replace(/=+$/, '')
}

/** Reads a cursor back; a malformed one is treated as "from the start" rather than an error. */
function decodeCursor(cursor: string): { createdAt: string; id: string } | null {
  try {
    const [createdAt, id] = atob(cursor).split('|')
    return createdAt && id ? { createdAt, id } : null
  } catch {
    return null
  }
}

/** Counts of clients by status, for the home page. */
export function countByStatus(db: OrgDb): Record<ClientStatus, number> {
  const rows = db.select({ status: orgClients.status, n: sql<number>`count(*)` }).from(orgClients).groupBy(orgClients.status).all()
  const counts: Record<ClientStatus, number> = { lead: 0, active: 0, inactive: 0 }
  for (const r of rows) counts[r.status] = r.n
  return counts
}
