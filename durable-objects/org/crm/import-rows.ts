/** Writing one batch of imported rows: each row matched to a client, then its cards, new clients and search rows. */
import { and, eq, isNotNull, isNull, sql } from 'drizzle-orm'
import { mergeIntoCard, type CardInput } from '../cards/cards'
import type { OrgDb } from '../db'
import { contacts, orgClients } from '../schema'
import { nextCreatedAt, normalizeTags } from './clients'
import type { ImportedRow, ImportItem } from './imports'
import { searchFields } from './search'

/**
 * Creates (or finds) the client of each row, in the caller's transaction; `created` counts the new
 * ones. The rows are written a table at a time (each list one JSON parameter), as createClient
 * would write them one by one.
 */
export function writeImportRows(db: OrgDb, items: ImportItem[]): { rows: ImportedRow[]; created: number } {
  const matcher = items.some((i) => i.contactless) ? contactlessMatcher(db) : null
  const personIds = [...new Set(items.map((i) => i.person.person_id))]
  const clientOf = new Map(
    db
      .all<{ id: string; person_id: string }>(
        sql`select coalesce(merged_into, id) as id, person_id from org_clients where person_id in (select value from json_each(${JSON.stringify(personIds)}))`,
      )
      .map((c) => [c.person_id, c.id]),
  )

  const rows: ImportedRow[] = []
  const fresh: ImportItem[] = []
  const cards = new Map<string, CardInput>()
  const newIds = new Map<ImportItem, string>()
  for (const item of items) {
    const match = item.contactless ? matcher?.find(item) : undefined
    if (match) {
      rows.push({ row: item.row, ...match, created: false, contactless: true })
      continue
    }
    cards.set(item.person.person_id, combine(cards.get(item.person.person_id), item.person))
    const personId = item.person.person_id
    const existing = clientOf.get(personId)
    const id = existing ?? crypto.randomUUID()
    if (!existing) {
      clientOf.set(personId, id)
      newIds.set(item, id)
      fresh.push(item)
      if (item.contactless) matcher?.add(item, { person_id: personId, org_client_id: id })
    }
    rows.push({
      row: item.row,
      person_id: personId,
      org_client_id: id,
      created: !existing,
      contactless: item.contactless,
    })
  }

  const { changed, inserted } = writeCards(db, [...cards.values()])
  insertClients(
    db,
    fresh.map((item) => ({ item, id: newIds.get(item)! })),
  )
  // A new client on a card written just now is indexed from that card; any other is read back.
  const freshPeople = new Set(fresh.map((i) => i.person.person_id))
  const direct = inserted.filter((card) => freshPeople.has(card.person_id))
  indexNew(db, direct)
  const indexed = new Set(direct.map((card) => card.person_id))
  reindex(
    db,
    [...new Set([...changed, ...freshPeople])].filter((id) => !indexed.has(id)),
  )
  return { rows, created: fresh.length }
}

/** Two rows of one file about one person: the first row's names, and every email and phone either gave. */
function combine(earlier: CardInput | undefined, later: CardInput): CardInput {
  if (!earlier) return later
  return {
    ...earlier,
    first_name: earlier.first_name ?? later.first_name,
    last_name: earlier.last_name ?? later.last_name,
    emails: [...new Set([...earlier.emails, ...later.emails])],
    phones: [...new Set([...earlier.phones, ...later.phones])],
  }
}

/**
 * What each row said goes on this business's card; returns the people whose card changed, and the
 * cards written new. New cards (most of a first import) are written in one statement; existing ones
 * through mergeIntoCard.
 */
function writeCards(db: OrgDb, inputs: CardInput[]): { changed: string[]; inserted: CardInput[] } {
  if (inputs.length === 0) return { changed: [], inserted: [] }
  const at = new Date().toISOString()
  const ids = JSON.stringify(inputs.map((i) => i.person_id))
  const existing = new Set(
    db
      .all<{ person_id: string }>(
        sql`select person_id from contacts where person_id in (select value from json_each(${ids}))`,
      )
      .map((r) => r.person_id),
  )
  const inserted = inputs.filter((i) => !existing.has(i.person_id))
  if (inserted.length > 0) {
    const rows = inserted.map((i) => {
      const stamp = { ...i.author, at }
      const provenance: Record<string, typeof stamp> = {}
      if (i.first_name) provenance['first_name'] = stamp
      if (i.last_name) provenance['last_name'] = stamp
      for (const e of i.emails) provenance[`email:${e}`] = stamp
      for (const p of i.phones) provenance[`phone:${p}`] = stamp
      return [i.person_id, i.first_name, i.last_name, i.emails, i.phones, provenance]
    })
    db.run(sql`insert into contacts (person_id, first_name, last_name, primary_email, primary_phone_e164, emails, phones, version, provenance, updated_at)
      select value->>0, value->>1, value->>2, value->3->>0, value->4->>0, value->3, value->4, 1, value->5, ${at}
      from json_each(${JSON.stringify(rows)})`)
  }
  const merged = inputs.filter((i) => existing.has(i.person_id) && mergeIntoCard(db, i, at, false))
  return { changed: [...inserted, ...merged].map((i) => i.person_id), inserted }
}

/** Inserts new clients with their property and creation event; creation times stay strictly increasing. */
function insertClients(db: OrgDb, fresh: Array<{ item: ImportItem; id: string }>): void {
  if (fresh.length === 0) return
  const base = Date.parse(nextCreatedAt(db))
  const clients: unknown[][] = []
  const addresses: unknown[][] = []
  const events: unknown[][] = []
  fresh.forEach(({ item, id }, i) => {
    const at = new Date(base + i).toISOString()
    const status = item.status ?? 'active'
    const addressId = item.address ? crypto.randomUUID() : null
    const notes = item.notes ? [{ at, author: null, text: item.notes }] : []
    clients.push([
      id,
      item.person.person_id,
      status,
      JSON.stringify(normalizeTags(item.tags)),
      JSON.stringify(notes),
      addressId,
      item.external_id ?? null,
      at,
    ])
    const a = item.address
    if (a)
      addresses.push([
        addressId,
        id,
        a.label ?? null,
        a.address1,
        a.address2 ?? null,
        a.city,
        a.state,
        a.postal,
        a.country ?? null,
        item.person.author.by,
        at,
      ])
    events.push([crypto.randomUUID(), status === 'lead' ? 'lead_created' : 'client_created', id, at])
  })
  db.run(sql`insert into org_clients (id, person_id, status, tags, notes, default_address_id, source, external_id, created_at, updated_at)
    select value->>0, value->>1, value->>2, value->>3, value->>4, value->>5, 'import', value->>6, value->>7, value->>7
    from json_each(${JSON.stringify(clients)})`)
  if (addresses.length > 0)
    db.run(sql`insert into addresses (id, org_client_id, label, address1, address2, city, state, postal, country, source, changed_by, created_at)
      select value->>0, value->>1, value->>2, value->>3, value->>4, value->>5, value->>6, value->>7, value->>8, 'import', value->>9, value->>10
      from json_each(${JSON.stringify(addresses)})`)
  db.run(sql`insert into events (id, type, org_client_id, data, created_at)
    select value->>0, value->>1, value->>2, '{"source":"import"}', value->>3 from json_each(${JSON.stringify(events)})`)
}

/** Writes the search rows of new clients from the cards just written for them (nothing to delete first). */
function indexNew(db: OrgDb, cards: CardInput[]): void {
  if (cards.length === 0) return
  const rows = cards.map((c) => {
    const f = searchFields({ firstName: c.first_name, lastName: c.last_name, emails: c.emails, phones: c.phones })
    return [c.person_id, f.names, f.emails, f.phones]
  })
  // json_each first (cross join keeps that order), each row finding its client by the unique person_id.
  db.run(sql`insert into client_search (rowid, names, emails, phones)
    select c.rowid, j.value->>1, j.value->>2, j.value->>3
    from json_each(${JSON.stringify(rows)}) j cross join org_clients c on c.person_id = j.value->>0`)
}

/** Rewrites the search rows of these people's live clients from their cached contact fields (a merged card has none). */
function reindex(db: OrgDb, personIds: string[]): void {
  if (personIds.length === 0) return
  const rows = db.all<{
    rowid: number
    first_name: string | null
    last_name: string | null
    emails: string
    phones: string
  }>(sql`
    select c.rowid as rowid, k.first_name, k.last_name, k.emails, k.phones
    from org_clients c join contacts k on k.person_id = c.person_id
    where c.person_id in (select value from json_each(${JSON.stringify(personIds)})) and c.merged_into is null`)
  const entries = rows.map((r) => ({
    rowid: r.rowid,
    ...searchFields({
      firstName: r.first_name,
      lastName: r.last_name,
      emails: JSON.parse(r.emails) as string[],
      phones: JSON.parse(r.phones) as string[],
    }),
  }))
  const list = JSON.stringify(entries)
  db.run(sql`delete from client_search where rowid in (select value->>'rowid' from json_each(${list}))`)
  db.run(sql`insert into client_search (rowid, names, emails, phones)
    select value->>'rowid', value->>'names', value->>'emails', value->>'phones' from json_each(${list})`)
}

type Match = { person_id: string; org_client_id: string }

/**
 * Finds the client a row without email or phone stands for: the one with its external id when it
 * has one, else a client who also has neither and the same name (case-insensitive). Importing a
 * file twice then adds nobody.
 */
function contactlessMatcher(db: OrgDb) {
  const byExternalId = new Map<string, Match>()
  const byName = new Map<string, Match>()
  const nameKey = (first: string | null, last: string | null) =>
    `${(first ?? '').trim().toLowerCase()}|${(last ?? '').trim().toLowerCase()}`
  for (const c of db
    .select({ org_client_id: orgClients.id, person_id: orgClients.personId, external_id: orgClients.externalId })
    .from(orgClients)
    .where(isNotNull(orgClients.externalId))
    .all()) {
    if (c.external_id && !byExternalId.has(c.external_id)) byExternalId.set(c.external_id, c)
  }
  for (const c of db
    .select({
      org_client_id: orgClients.id,
      person_id: orgClients.personId,
      first: contacts.firstName,
      last: contacts.lastName,
    })
    .from(orgClients)
    .innerJoin(contacts, eq(contacts.personId, orgClients.personId))
    .where(and(isNull(contacts.primaryEmail), isNull(contacts.primaryPhoneE164)))
    .all()) {
    const key = nameKey(c.first, c.last)
    if (!byName.has(key)) byName.set(key, { org_client_id: c.org_client_id, person_id: c.person_id })
  }
  return {
    find(item: ImportItem): Match | undefined {
      if (item.external_id) return byExternalId.get(item.external_id)
      return byName.get(nameKey(item.person.first_name, item.person.last_name))
    },
    add(item: ImportItem, client: Match) {
      if (item.external_id && !byExternalId.has(item.external_id)) byExternalId.set(item.external_id, client)
      const key = nameKey(item.person.first_name, item.person.last_name)
      if (!byName.has(key)) byName.set(key, client)
    },
  }
}
