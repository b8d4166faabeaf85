/**
 * A client's service addresses as this business knows them: added, changed and removed by staff or
 * the API, each with who wrote it last, and one of them the default that new jobs go to.
 */
import { and, asc, eq, inArray, isNull } from 'drizzle-orm'
import { conflict, notFound } from '../../../src/errors'
import type { Author } from './cards'
import type { AddressInput } from '../crm/clients'
import type { OrgDb } from '../db'
import { recordEvent } from '../events'
import { addresses, jobs, orgClients, type CardSource } from '../schema'

/** An address with whether it is the client's default and who wrote it last. */
export type ClientAddress = AddressInput & {
  id: string
  is_default: boolean
  source: CardSource
  changed_by: string | null
  created_at: string
  updated_at: string | null
}

export type NewAddress = AddressInput & { is_default?: boolean }

/** Fields to change; null clears the optional ones. `is_default: false` on the default hands it to another address. */
export type AddressPatch = {
  label?: string | null
  address1?: string
  address2?: string | null
  city?: string
  state?: string
  postal?: string
  country?: string
  is_default?: boolean
}

/** Jobs still to be done at an address keep it: removing it would leave the visit without a place. */
const OPEN_JOB = ['scheduled', 'in_progress', 'blocked'] as const

/** "12 Pine St, Apt 2, San Francisco, CA 94108": an address on one line, for timelines. */
export function oneLine(a: {
  address1: string
  address2?: string | null
  city: string
  state: string
  postal: string
}): string {
  return [a.address1, a.address2, a.city, `${a.state} ${a.postal}`].filter(Boolean).join(', ')
}

/** The client's addresses, oldest first; null when this business has no such client. */
export function listAddresses(db: OrgDb, orgClientId: string): ClientAddress[] | null {
  const client = liveClient(db, orgClientId)
  if (!client) return null
  return db
    .select()
    .from(addresses)
    .where(eq(addresses.orgClientId, orgClientId))
    .orderBy(asc(addresses.createdAt), asc(addresses.id))
    .all()
    .map((row) => toAddress(row, client.defaultAddressId))
}

/** Adds an address; it becomes the default when asked or when the client had none. */
export function addAddress(
  db: OrgDb,
  orgClientId: string,
  input: NewAddress,
  author: Author,
  at = new Date().toISOString(),
): ClientAddress {
  const client = requireClient(db, orgClientId)
  const { is_default, ...fields } = input
  const id = crypto.randomUUID()
  db.insert(addresses)
    .values({
      id,
      orgClientId,
      ...fields,
      label: fields.label || null,
      address2: fields.address2 || null,
      source: author.source,
      changedBy: author.by,
      createdAt: at,
      updatedAt: at,
    })
    .run()
  const makeDefault = is_default === true || client.defaultAddressId === null
  if (makeDefault) setDefault(db, orgClientId, id, at)
  recordEvent(
    db,
    'address_added',
    orgClientId,
    {
      address_id: id,
      address: oneLine(fields),
      label: fields.label || null,
      is_default: makeDefault,
      source: author.source,
      by: author.by,
    },
    at,
  )
  return toAddress(requireAddress(db, orgClientId, id), makeDefault ? id : client.defaultAddressId)
}

/** Changes an address of the client (404 for anyone else's); the timeline says what it was and what it is. */
export function changeAddress(
  db: OrgDb,
  orgClientId: string,
  addressId: string,
  patch: AddressPatch,
  author: Author,
  at = new Date().toISOString(),
): ClientAddress {
  const client = requireClient(db, orgClientId)
  const before = requireAddress(db, orgClientId, addressId)
  const next = {
    label: patch.label !== undefined ? patch.label || null : before.label,
    address1: patch.address1 ?? before.address1,
    address2: patch.address2 !== undefined ? patch.address2 || null : before.address2,
    city: patch.city ?? before.city,
    state: patch.state ?? before.state,
    postal: patch.postal ?? before.postal,
    country: patch.country ?? before.country,
  }
  const changed = (Object.keys(next) as Array<keyof typeof next>).some((k) => next[k] !== before[k])
  if (changed) {
    db.update(addresses)
      .set({ ...next, source: author.source, changedBy: author.by, updatedAt: at })
      .where(eq(addresses.id, addressId))
      .run()
  }
  let defaultId = client.defaultAddressId
  if (patch.is_default === true && defaultId !== addressId) defaultId = setDefault(db, orgClientId, addressId, at)
  else if (patch.is_default === false && defaultId === addressId)
    defaultId = setDefault(db, orgClientId, anotherAddress(db, orgClientId, addressId), at)
  const madeDefault = defaultId === addressId && client.defaultAddressId !== addressId
  if (changed || madeDefault) {
    recordEvent(
      db,
      'address_changed',
      orgClientId,
      {
        address_id: addressId,
        from: oneLine(before),
        to: oneLine(next),
        label: next.label,
        made_default: madeDefault,
        source: author.source,
        by: author.by,
      },
      at,
    )
  }
  return toAddress(requireAddress(db, orgClientId, addressId), defaultId)
}

/**
 * Removes an address of the client. Refused (409) while a job still to be done is booked there;
 * done and canceled jobs keep their history without it. The default passes to the oldest address left.
 */
export function removeAddress(
  db: OrgDb,
  orgClientId: string,
  addressId: string,
  author: Author,
  at = new Date().toISOString(),
): { deleted: true; default_address_id: string | null } {
  const client = requireClient(db, orgClientId)
  const address = requireAddress(db, orgClientId, addressId)
  const booked = db
    .select({ id: jobs.id })
    .from(jobs)
    .where(and(eq(jobs.addressId, addressId), inArray(jobs.status, [...OPEN_JOB])))
    .limit(1)
    .get()
  if (booked) throw conflict('A job still to be done is booked at this address. Move or cancel it first.')
  db.delete(addresses).where(eq(addresses.id, addressId)).run()
  let defaultId = client.defaultAddressId
  if (defaultId === addressId) defaultId = setDefault(db, orgClientId, anotherAddress(db, orgClientId, addressId), at)
  recordEvent(
    db,
    'address_removed',
    orgClientId,
    { address_id: addressId, address: oneLine(address), label: address.label, source: author.source, by: author.by },
    at,
  )
  return { deleted: true, default_address_id: defaultId }
}

function liveClient(db: OrgDb, orgClientId: string) {
  return (
    db
      .select({ defaultAddressId: orgClients.defaultAddressId })
      .from(orgClients)
      .where(and(eq(orgClients.id, orgClientId), isNull(orgClients.mergedInto)))
      .get() ?? null
  )
}

function requireClient(db: OrgDb, orgClientId: string) {
  const client = liveClient(db, orgClientId)
  if (!client) throw notFound('client')
  return client
}

/** The address when it belongs to this client; another client's or an unknown one is a 404. */
function requireAddress(db: OrgDb, orgClientId: string, addressId: string) {
  const row = db
    .select()
    .from(addresses)
    .where(and(eq(addresses.id, addressId), eq(addresses.orgClientId, orgClientId)))
    .get()
  if (!row) throw notFound('address')
  return row
}

/** The oldest address of the client other than `addressId`, or null. */
function anotherAddress(db: OrgDb, orgClientId: string, addressId: string): string | null {
  const rows = db
    .select({ id: addresses.id })
    .from(addresses)
    .where(eq(addresses.orgClientId, orgClientId))
    .orderBy(asc(addresses.createdAt), asc(addresses.id))
    .all()
  return rows.find((r) => r.id !== addressId)?.id ?? null
}

function setDefault(db: OrgDb, orgClientId: string, addressId: string | null, at: string): string | null {
  db.update(orgClients).set({ defaultAddressId: addressId, updatedAt: at }).where(eq(orgClients.id, orgClientId)).run()
  return addressId
}

function toAddress(row: typeof addresses.$inferSelect, defaultId: string | null): ClientAddress {
  return {
    id: row.id,
    address1: row.address1,
    city: row.city,
    state: row.state,
    postal: row.postal,
    country: row.country,
    ...(row.label ? { label: row.label } : {}),
    ...(row.address2 ? { address2: row.address2 } : {}),
    is_default: row.id === defaultId,
    source: row.source,
    changed_by: row.changedBy,
    created_at: row.createdAt,
    updated_at: row.updatedAt,
  }
}
