/**
 * CSV imports of clients inside the ORG object: the import's progress and row errors, and each
 * batch of rows written in one transaction. A batch is counted once, however often it is delivered.
 */
import { and, asc, eq, isNotNull, isNull, sql } from 'drizzle-orm'
import { mergeIntoCard, type CardInput } from '../cards/cards'
import { nextCreatedAt, normalizeTags, type AddressInput, type ClientStatus } from './clients'
import type { OrgDb } from '../db'
import {
  clientImportBatches,
  clientImportErrors,
  clientImports,
  contacts,
  orgClients,
  type ImportStatus,
} from '../schema'
import { searchFields } from './search'

export type ImportRowError = { row: number; message: string }

export type ImportState = {
  import_id: string
  status: ImportStatus
  total: number
  done: number
  failed: number
  /** Of `done`, the clients this import created; the rest were already clients. */
  created: number
  errors: ImportRowError[]
  created_at: string
  started_at: string | null
  finished_at: string | null
}

/** One valid row, its person already upserted in the registry (or, without email and phone, made up by the Worker). */
export type ImportItem = {
  row: number
  person: CardInput
  /** No email and no phone: the object matches it to its own clients by external id, then by name. */
  contactless: boolean
  status?: ClientStatus
  tags: string[]
  notes?: string
  address?: AddressInput
  external_id?: string
}

export type ImportBatch = { import_id: string; seq: number; items: ImportItem[]; errors: ImportRowError[] }

export type ImportedRow = {
  row: number
  person_id: string
  org_client_id: string
  created: boolean
  contactless: boolean
}

/** `found: false` when this object has no such import (the message is dropped). */
export type ImportBatchResult = { found: boolean; rows: ImportedRow[] }

/** Row errors shown per import; `failed` still counts them all. */
export const ERRORS_SHOWN = 1000

/** Records a new import, queued until its first batch arrives. */
export function createImport(db: OrgDb, input: { id: string; total: number; batches: number }): void {
  db.insert(clientImports).values({ id: input.id, total: input.total, batches: input.batches }).run()
}

/** An import's progress and its first row errors, or null when this organization has no such import. */
export function getImport(db: OrgDb, id: string): ImportState | null {
  const row = db.select().from(clientImports).where(eq(clientImports.id, id)).get()
  if (!row) return null
  const errors = db
    .select({ row: clientImportErrors.row, message: clientImportErrors.message })
    .from(clientImportErrors)
    .where(eq(clientImportErrors.importId, id))
    .orderBy(asc(clientImportErrors.row))
    .limit(ERRORS_SHOWN)
    .all()
  return {
    import_id: row.id,
    status: row.status,
    total: row.total,
    done: row.done,
    failed: row.failed,
    created: row.created,
    errors,
    created_at: row.createdAt,
    started_at: row.startedAt,
    finished_at: row.finishedAt,
  }
}

/**
 * Creates (or finds) the client of each row and counts the batch, in the caller's transaction.
 * A redelivered batch finds the clients it made before and changes no count. The rows are written
 * a table at a time (each list one JSON parameter), as createClient would write them one by one.
 */
export function applyImportBatch(db: OrgDb, batch: ImportBatch): ImportBatchResult {
  const current = db
    .select({ id: clientImports.id })
    .from(clientImports)
    .where(eq(clientImports.id, batch.import_id))
    .get()
  if (!current) return { found: false, rows: [] }
  const matcher = batch.items.some((i) => i.contactless) ? contactlessMatcher(db) : null
  const personIds = [...new Set(batch.items.map((i) => i.person.person_id))]
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
  for (const item of batch.items) {
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

  const changed = writeCards(db, [...cards.values()])
  insertClients(
    db,
    fresh.map((item) => ({ item, id: newIds.get(item)! })),
  )
  reindex(db, [...new Set([...changed, ...fresh.map((i) => i.person.person_id)])])

  if (markApplied(db, batch.import_id, batch.seq)) {
    recordErrors(db, batch.import_id, batch.errors)
    countBatch(db, batch.import_id, { done: rows.length, failed: batch.errors.length, created: fresh.length, lost: 0 })
  }
  return { found: true, rows }
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
 * What each row said goes on this business's card; returns the people whose card changed. New
 * cards (most of a first import) are written in one statement; existing ones through mergeIntoCard.
 */
function writeCards(db: OrgDb, inputs: CardInput[]): string[] {
  if (inputs.length === 0) return []
  const at = new Date().toISOString()
  const ids = JSON.stringify(inputs.map((i) => i.person_id))
  const existing = new Set(
    db
      .all<{ person_id: string }>(
        sql`select person_id from contacts where person_id in (select value from json_each(${ids}))`,
      )
      .map((r) => r.person_id),
  )
  const fresh = inputs
    .filter((i) => !existing.has(i.person_id))
    .map((i) => {
      const stamp = { ...i.author, at }
      const provenance: Record<string, typeof stamp> = {}
      if (i.first_name) provenance['first_name'] = stamp
      if (i.last_name) provenance['last_name'] = stamp
      for (const e of i.emails) provenance[`email:${e}`] = stamp
      for (const p of i.phones) provenance[`phone:${p}`] = stamp
      return {
        person_id: i.person_id,
        first_name: i.first_name,
        last_name: i.last_name,
        emails: i.emails,
        phones: i.phones,
        provenance,
      }
    })
  if (fresh.length > 0) {
    db.run(sql`insert into contacts (person_id, first_name, last_name, primary_email, primary_phone_e164, emails, phones, version, provenance, updated_at)
      select value->>'person_id', value->>'first_name', value->>'last_name', value->'emails'->>0, value->'phones'->>0,
        value->'emails', value->'phones', 1, value->'provenance', ${at}
      from json_each(${JSON.stringify(fresh)})`)
  }
  const merged = inputs.filter((i) => existing.has(i.person_id) && mergeIntoCard(db, i, at, false))
  return [...fresh, ...merged].map((i) => i.person_id)
}

/** Inserts new clients with their property and creation event; creation times stay strictly increasing. */
function insertClients(db: OrgDb, fresh: Array<{ item: ImportItem; id: string }>): void {
  if (fresh.length === 0) return
  const base = Date.parse(nextCreatedAt(db))
  const clients = fresh.map(({ item, id }, i) => {
    const at = new Date(base + i).toISOString()
    const status = item.status ?? 'active'
    return {
      id,
      person_id: item.person.person_id,
      status,
      at,
      tags: JSON.stringify(normalizeTags(item.tags)),
      notes: JSON.stringify(item.notes ? [{ at, author: null, text: item.notes }] : []),
      address_id: item.address ? crypto.randomUUID() : null,
      external_id: item.external_id ?? null,
      address: item.address ?? null,
      event_id: crypto.randomUUID(),
      event_type: status === 'lead' ? 'lead_created' : 'client_created',
      import_id: item.person.author.by,
    }
  })
  const list = JSON.stringify(clients)
  db.run(sql`insert into org_clients (id, person_id, status, tags, notes, default_address_id, source, external_id, created_at, updated_at)
    select value->>'id', value->>'person_id', value->>'status', value->>'tags', value->>'notes', value->>'address_id', 'import',
      value->>'external_id', value->>'at', value->>'at'
    from json_each(${list})`)
  db.run(sql`insert into addresses (id, org_client_id, label, address1, address2, city, state, postal, country, source, changed_by, created_at)
    select value->>'address_id', value->>'id', value->'address'->>'label', value->'address'->>'address1', value->'address'->>'address2',
      value->'address'->>'city', value->'address'->>'state', value->'address'->>'postal', value->'address'->>'country', 'import', value->>'import_id', value->>'at'
    from json_each(${list}) where value->>'address_id' is not null`)
  db.run(sql`insert into events (id, type, org_client_id, data, created_at)
    select value->>'event_id', value->>'event_type', value->>'id', '{"source":"import"}', value->>'at' from json_each(${list})`)
}

/** Rewrites the search rows of these people's clients from their cached contact fields. */
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
    where c.person_id in (select value from json_each(${JSON.stringify(personIds)}))`)
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

/** Counts a batch that failed on every delivery: its rows are failed with `message`, and the import ends as failed. */
export function loseImportBatch(db: OrgDb, importId: string, seq: number, rows: number[], message: string): void {
  const current = db.select({ id: clientImports.id }).from(clientImports).where(eq(clientImports.id, importId)).get()
  if (!current || !markApplied(db, importId, seq)) return
  recordErrors(
    db,
    importId,
    rows.map((row) => ({ row, message })),
  )
  countBatch(db, importId, { done: 0, failed: rows.length, created: 0, lost: 1 })
}

/** Marks a whole import failed (its rows could not be queued). */
export function failImport(db: OrgDb, importId: string): void {
  const at = new Date().toISOString()
  db.update(clientImports).set({ status: 'failed', finishedAt: at }).where(eq(clientImports.id, importId)).run()
}

/** True the first time a batch is seen. */
function markApplied(db: OrgDb, importId: string, seq: number): boolean {
  const inserted = db
    .insert(clientImportBatches)
    .values({ importId, seq })
    .onConflictDoNothing()
    .returning({ seq: clientImportBatches.seq })
    .all()
  return inserted.length > 0
}

function recordErrors(db: OrgDb, importId: string, errors: ImportRowError[]): void {
  // Three bound parameters a row: 33 rows a statement stays under the 100-parameter limit.
  for (let i = 0; i < errors.length; i += 33) {
    const chunk = errors.slice(i, i + 33).map((e) => ({ importId, row: e.row, message: e.message }))
    db.insert(clientImportErrors).values(chunk).onConflictDoNothing().run()
  }
}

function countBatch(
  db: OrgDb,
  importId: string,
  n: { done: number; failed: number; created: number; lost: number },
): void {
  const at = new Date().toISOString()
  db.update(clientImports)
    .set({
      done: sql`${clientImports.done} + ${n.done}`,
      failed: sql`${clientImports.failed} + ${n.failed}`,
      created: sql`${clientImports.created} + ${n.created}`,
      batchesLost: sql`${clientImports.batchesLost} + ${n.lost}`,
      batchesDone: sql`${clientImports.batchesDone} + 1`,
      startedAt: sql`coalesce(${clientImports.startedAt}, ${at})`,
    })
    .where(eq(clientImports.id, importId))
    .run()
  // The last batch decides how the import ends.
  db.update(clientImports)
    .set({
      status: sql`case when ${clientImports.batchesDone} < ${clientImports.batches} then 'running'
      when ${clientImports.batchesLost} > 0 then 'failed' else 'done' end`,
      finishedAt: sql`case when ${clientImports.batchesDone} < ${clientImports.batches} then null else ${at} end`,
    })
    .where(and(eq(clientImports.id, importId), isNull(clientImports.finishedAt)))
    .run()
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
