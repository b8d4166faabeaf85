/**
 * A client's own rows (org_clients, its card, its settings) exactly as stored, and putting them
 * back: byte for byte when nothing touched them since the merge, else only what the merge added
 * taken out, so work done on the kept client after the merge survives an undo.
 */
import { sql } from 'drizzle-orm'
import { saveCard, type Card } from '../cards/cards'
import type { OrgDb } from '../db'
import type { ClientNote, Provenance } from '../schema'

/** A row as SQLite holds it: column name to stored value (JSON columns as their text). */
export type RawRow = Record<string, string | number | null>

/** A client's own three rows; card and settings are null when it has none. */
export type ClientSnapshot = { client: RawRow; card: RawRow | null; settings: RawRow | null }

/** What `client_merges.before` holds: both clients before, the kept one right after, the campaigns left alone. */
export type MergeBefore = {
  into: ClientSnapshot
  from: ClientSnapshot
  into_after: ClientSnapshot
  campaign_sends_left: string[]
}

const TABLES = {
  client: ['org_clients', 'id'],
  card: ['contacts', 'person_id'],
  settings: ['org_client_settings', 'org_client_id'],
} as const

const rowOf = (db: OrgDb, table: string, key: string, value: string) =>
  db.get<RawRow>(sql`select * from ${sql.identifier(table)} where ${sql.identifier(key)} = ${value}`) ?? null

/** The client's three rows as stored; null when the client is unknown. */
export function snapshot(db: OrgDb, clientId: string): ClientSnapshot | null {
  const client = rowOf(db, 'org_clients', 'id', clientId)
  if (!client) return null
  return {
    client,
    card: rowOf(db, 'contacts', 'person_id', String(client['person_id'])),
    settings: rowOf(db, 'org_client_settings', 'org_client_id', clientId),
  }
}

/** Writes a row back as it was (an upsert: org_clients keeps its rowid, which the search index uses). */
function writeRow(db: OrgDb, kind: keyof typeof TABLES, row: RawRow): void {
  const [table, key] = TABLES[kind]
  const columns = Object.keys(row)
  const values = columns.map((c) => sql`${row[c]}`)
  const sets = columns.filter((c) => c !== key).map((c) => sql`${sql.identifier(c)} = excluded.${sql.identifier(c)}`)
  db.run(sql`insert into ${sql.identifier(table)} (${sql.join(
    columns.map((c) => sql.identifier(c)),
    sql`, `,
  )})
    values (${sql.join(values, sql`, `)}) on conflict (${sql.identifier(key)}) do update set ${sql.join(sets, sql`, `)}`)
}

/** Puts a client's rows back exactly as in the snapshot (a settings row it did not have is removed). */
export function restoreExactly(db: OrgDb, snap: ClientSnapshot): void {
  writeRow(db, 'client', snap.client)
  if (snap.card) writeRow(db, 'card', snap.card)
  if (snap.settings) writeRow(db, 'settings', snap.settings)
  else db.run(sql`delete from org_client_settings where org_client_id = ${snap.client['id']}`)
}

const same = (a: RawRow | null, b: RawRow | null) => JSON.stringify(a) === JSON.stringify(b)
const json = <T>(v: string | number | null | undefined, fallback: T): T =>
  typeof v === 'string' ? (JSON.parse(v) as T) : fallback

/**
 * Puts the kept client back as it was before the merge. Each row untouched since the merge returns
 * byte for byte; a row changed since keeps those changes and loses only what the merge added.
 */
export function restoreKept(db: OrgDb, b: MergeBefore, stamp: Provenance): void {
  const now = snapshot(db, String(b.into.client['id']))!
  if (same(now.client, b.into_after.client)) writeRow(db, 'client', b.into.client)
  else writeRow(db, 'client', unmergedClient(now.client, b))
  if (same(now.card, b.into_after.card)) {
    if (b.into.card) writeRow(db, 'card', b.into.card)
  } else if (now.card) saveCard(db, unmergedCard(now.card, b.into.card, stamp), new Date().toISOString(), false)
  if (same(now.settings, b.into_after.settings)) {
    if (b.into.settings) writeRow(db, 'settings', b.into.settings)
    else db.run(sql`delete from org_client_settings where org_client_id = ${b.into.client['id']}`)
  }
}

/** The kept client's row less what the merge added: from's notes, tags and lifetime value, a borrowed default address. */
function unmergedClient(now: RawRow, b: MergeBefore): RawRow {
  const from = b.from.client
  const fromNotes = json<ClientNote[]>(from['notes'], []).map((n) => JSON.stringify(n))
  const notes = json<ClientNote[]>(now['notes'], []).filter((n) => {
    const i = fromNotes.indexOf(JSON.stringify(n))
    if (i >= 0) fromNotes.splice(i, 1)
    return i < 0
  })
  const hadTags = json<string[]>(b.into.client['tags'], [])
  const addedTags = json<string[]>(from['tags'], []).filter((t) => !hadTags.includes(t))
  const borrowed = (column: string) =>
    b.into.client[column] !== b.into_after.client[column] && now[column] === b.into_after.client[column]
  return {
    ...now,
    notes: JSON.stringify(notes),
    tags: JSON.stringify(json<string[]>(now['tags'], []).filter((t) => !addedTags.includes(t))),
    ltv_cents: Number(now['ltv_cents']) - Number(from['ltv_cents']),
    default_address_id: borrowed('default_address_id')
      ? (b.into.client['default_address_id'] ?? null)
      : (now['default_address_id'] ?? null),
    external_id: borrowed('external_id') ? (b.into.client['external_id'] ?? null) : (now['external_id'] ?? null),
    updated_at: new Date().toISOString(),
  }
}

/** The kept card less the names, emails and phones the merge wrote (known by the merge's provenance stamp). */
function unmergedCard(now: RawRow, before: RawRow | null, stamp: Provenance): Card {
  const provenance = json<Record<string, Provenance>>(now['provenance'], {})
  const byMerge = (key: string) => JSON.stringify(provenance[key]) === JSON.stringify(stamp)
  const oldProvenance = json<Record<string, Provenance>>(before?.['provenance'], {})
  const name = (key: 'first_name' | 'last_name') => {
    if (!byMerge(key)) return (now[key] as string | null) ?? null
    if (oldProvenance[key]) provenance[key] = oldProvenance[key]
    else delete provenance[key]
    return (before?.[key] as string | null | undefined) ?? null
  }
  const keep = (kind: 'email' | 'phone', list: string[]) =>
    list.filter((v) => {
      if (!byMerge(`${kind}:${v}`)) return true
      delete provenance[`${kind}:${v}`]
      return false
    })
  const first_name = name('first_name')
  const last_name = name('last_name')
  const emails = keep('email', json<string[]>(now['emails'], []))
  const phones = keep('phone', json<string[]>(now['phones'], []))
  return {
    person_id: String(now['person_id']),
    first_name,
    last_name,
    emails,
    phones,
    provenance,
    primary_email: emails[0] ?? null,
    primary_phone_e164: phones[0] ?? null,
    version: Number(now['version']),
  }
}
