/** An organization's clients one at a time: creating, reading and changing them (lists are in client-list.ts). */
import { and, eq, isNull, sql } from 'drizzle-orm'
import { mergeIntoCard, type CardInput } from '../cards/cards'
import type { OrgDb } from '../db'
import { recordEvent } from '../events'
import {
  accounts,
  addresses,
  clientSettings,
  contacts,
  orgClients,
  type ClientNote,
  type CustomFields,
} from '../schema'
import { reindexPerson } from './search'
import { rowColumns } from './client-list'
import { notFound } from '../../../src/errors'

import type { ClientStatus } from './statuses'

export type { ClientStatus }
export { listClients, type ListClientsQuery } from './client-list'

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

export type ClientSettings = {
  pricing_tier: string | null
  tax_rate: number | null
  custom_fields: CustomFields
  custom_fields_version: number
}

export type ClientDetail = ClientRow & {
  addresses: Address[]
  settings: ClientSettings
  default_address_id: string | null
  notes: ClientNote[]
  source: string
  external_id: string | null
  /** The commercial account the client is a contact of, and its name. */
  account_id: string | null
  account_name: string | null
}

export type NewClient = {
  /** The caller's own words about the person: they go on this business's card and nowhere else. */
  person: CardInput
  status?: ClientStatus
  tags?: string[]
  notes?: string
  author?: string | null
  address?: AddressInput
  source?: string
  external_id?: string
}

export type CreateClientResult = { org_client_id: string; person_id: string; created: boolean }

/** Creates the client record for a person, or returns the existing one (`created: false`). */
export function createClient(db: OrgDb, input: NewClient, at = nextCreatedAt(db)): CreateClientResult {
  const existing = clientIdForPerson(db, input.person.person_id)
  if (existing) {
    // A person whose card was merged into another's adds to the card that is kept.
    const kept = db
      .select({ personId: orgClients.personId })
      .from(orgClients)
      .where(eq(orgClients.id, existing))
      .get()!.personId
    mergeIntoCard(db, { ...input.person, person_id: kept }, at)
    return { org_client_id: existing, person_id: kept, created: false }
  }
  mergeIntoCard(db, input.person, at)

  const id = crypto.randomUUID()
  const addressId = input.address ? crypto.randomUUID() : null
  const status = input.status ?? 'active'
  if (input.address && addressId) {
    db.insert(addresses)
      .values({
        id: addressId,
        orgClientId: id,
        ...input.address,
        source: input.person.author.source,
        changedBy: input.person.author.by,
        createdAt: at,
      })
      .run()
  }
  db.insert(orgClients)
    .values({
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
    })
    .run()
  recordEvent(db, status === 'lead' ? 'lead_created' : 'client_created', id, { source: input.source ?? 'manual' }, at)
  reindexPerson(db, input.person.person_id)
  return { org_client_id: id, person_id: input.person.person_id, created: true }
}

/**
 * Now, or just after the newest client when that is not earlier: creation times are strictly
 * increasing within an organization, so "newest first" and its cursor never tie.
 */
export function nextCreatedAt(db: OrgDb): string {
  const now = Date.now()
  const newest = db
    .select({ at: sql<string | null>`max(${orgClients.createdAt})` })
    .from(orgClients)
    .get()?.at
  const after = newest ? Date.parse(newest) + 1 : 0
  return new Date(Math.max(now, after)).toISOString()
}

/** Tags are trimmed, de-duplicated and kept in the order given. */
export function normalizeTags(tags: string[]): string[] {
  return [...new Set(tags.map((t) => t.trim()).filter((t) => t !== ''))]
}

/** One client with its properties and notes, or null when this organization has no such client. */
export function getClient(db: OrgDb, id: string): ClientDetail | null {
  const row = db
    .select({
      ...rowColumns,
      default_address_id: orgClients.defaultAddressId,
      notes: orgClients.notes,
      source: orgClients.source,
      external_id: orgClients.externalId,
      account_id: orgClients.accountId,
      account_name: accounts.name,
    })
    .from(orgClients)
    .innerJoin(contacts, eq(contacts.personId, orgClients.personId))
    .leftJoin(accounts, eq(accounts.id, orgClients.accountId))
    .where(and(eq(orgClients.id, id), isNull(orgClients.mergedInto)))
    .get()
  if (!row) return null
  const props = db.select().from(addresses).where(eq(addresses.orgClientId, id)).orderBy(addresses.createdAt).all()
  return {
    ...row,
    settings: getSettings(db, id),
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

/** The client's private settings, with defaults when none were saved. */
export function getSettings(db: OrgDb, id: string): ClientSettings {
  const s = db.select().from(clientSettings).where(eq(clientSettings.orgClientId, id)).get()
  return {
    pricing_tier: s?.pricingTier ?? null,
    tax_rate: s?.taxRate ?? null,
    custom_fields: s?.customFields ?? {},
    custom_fields_version: s?.customFieldsVersion ?? 1,
  }
}

export type ClientPatch = {
  status?: ClientStatus
  tags?: string[]
  notes?: string
  author?: string | null
  settings?: { pricing_tier?: string | null; tax_rate?: number | null; custom_fields?: CustomFields }
}

/** Changes a client's private fields; a note is appended as a dated entry. Throws 404 for an unknown id. */
export function updateClient(db: OrgDb, id: string, patch: ClientPatch): ClientDetail {
  const current = db
    .select({ notes: orgClients.notes, status: orgClients.status })
    .from(orgClients)
    .where(and(eq(orgClients.id, id), isNull(orgClients.mergedInto)))
    .get()
  if (!current) throw notFound('client')
  const at = new Date().toISOString()
  db.update(orgClients)
    .set({
      ...(patch.status ? { status: patch.status } : {}),
      ...(patch.tags ? { tags: normalizeTags(patch.tags) } : {}),
      ...(patch.notes ? { notes: [...current.notes, { at, author: patch.author ?? null, text: patch.notes }] } : {}),
      updatedAt: at,
    })
    .where(eq(orgClients.id, id))
    .run()
  if (patch.notes) recordEvent(db, 'note_added', id, { text: patch.notes, author: patch.author ?? null }, at)
  if (patch.status && patch.status !== current.status)
    recordEvent(db, 'status_changed', id, { from: current.status, to: patch.status }, at)
  if (patch.settings) {
    const old = getSettings(db, id)
    const fieldsChanged =
      patch.settings.custom_fields !== undefined &&
      JSON.stringify(patch.settings.custom_fields) !== JSON.stringify(old.custom_fields)
    const next = {
      pricingTier: patch.settings.pricing_tier !== undefined ? patch.settings.pricing_tier : old.pricing_tier,
      taxRate: patch.settings.tax_rate !== undefined ? patch.settings.tax_rate : old.tax_rate,
      customFields: patch.settings.custom_fields ?? old.custom_fields,
      customFieldsVersion: old.custom_fields_version + (fieldsChanged ? 1 : 0),
      updatedAt: at,
    }
    db.insert(clientSettings)
      .values({ orgClientId: id, ...next })
      .onConflictDoUpdate({ target: clientSettings.orgClientId, set: next })
      .run()
  }
  return getClient(db, id)!
}

/** The client holding this person, if any; a card merged into another answers with the one it was merged into. */
export function clientIdForPerson(db: OrgDb, personId: string): string | null {
  let row = db
    .select({ id: orgClients.id, into: orgClients.mergedInto })
    .from(orgClients)
    .where(eq(orgClients.personId, personId))
    .get()
  for (let hops = 0; row?.into && hops < 20; hops++) {
    row = db
      .select({ id: orgClients.id, into: orgClients.mergedInto })
      .from(orgClients)
      .where(eq(orgClients.id, row.into))
      .get()
  }
  return row?.id ?? null
}
