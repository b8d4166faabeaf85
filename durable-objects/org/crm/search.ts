/**
 * Client search over SQLite FTS5: name prefixes, email words and phone fragments in any format.
 * Phones are indexed as every suffix of their digits, so "555-867" finds +14155558675.
 */
import { sql } from 'drizzle-orm'
import type { OrgDb } from '../db'

const MIN_PHONE_FRAGMENT = 3

/** Every suffix (≥ 3 digits) of each phone's digits, space-separated, for the `phones` column. */
export function phoneTokens(phones: string[]): string {
  const tokens = new Set<string>()
  for (const phone of phones) {
    const digits = phone.replace(/\D/g, '')
    for (let i = 0; i + MIN_PHONE_FRAGMENT <= digits.length; i++) tokens.add(digits.slice(i))
  }
  return [...tokens].join(' ')
}

/**
 * Turns what a person typed into an FTS5 MATCH expression, or null when nothing searchable is left.
 * Digits-only input (with spaces, dashes, dots, parentheses, +) is a phone fragment; anything else
 * is words, each a prefix, all required.
 */
export function buildMatch(query: string): string | null {
  const q = query.trim().toLowerCase()
  if (q === '') return null
  if (isPhoneFragment(q)) {
    const digits = q.replace(/\D/g, '')
    if (digits.length < MIN_PHONE_FRAGMENT) return null
    return `phones : ${digits}*`
  }
  const words = searchWords(q)
  if (words.length === 0) return null
  return words.map((w) => `{names emails phones} : "${w}"*`).join(' AND ')
}

/**
 * For one typed word of three letters or more, the MATCH of clients with that word as a whole
 * name ("jen" finds Jen, not Jenkins), whom a search lists first; null for anything else.
 */
export function wholeNameMatch(query: string): string | null {
  const q = query.trim().toLowerCase()
  if (isPhoneFragment(q)) return null
  const words = searchWords(q)
  const word = words.length === 1 ? words[0]! : null
  return word !== null && word.length >= 3 ? `names : "${word}"` : null
}

/** The MATCH of index rows holding this whole phone (all its digits are one token), or null. */
export function wholePhoneMatch(phone: string): string | null {
  const digits = phone.replace(/\D/g, '')
  return digits.length >= MIN_PHONE_FRAGMENT ? `phones : ${digits}` : null
}

/** The MATCH of index rows holding this email's words in order, or null: a first cut to check exactly. */
export function emailWordsMatch(email: string): string | null {
  const words = searchWords(email.toLowerCase())
  return words.length > 0 ? `emails : "${words.join(' ')}"` : null
}

function isPhoneFragment(q: string): boolean {
  return /^[\d\s()+.-]+$/.test(q)
}

/** The words of a query, lower case, accents and punctuation dropped (so no quote reaches a MATCH). */
function searchWords(q: string): string[] {
  return q
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w !== '')
}

export type SearchFields = { names: string; emails: string; phones: string }

/** The indexed text of one client from its cached contact fields. */
export function searchFields(c: {
  firstName: string | null
  lastName: string | null
  emails: string[]
  phones: string[]
}): SearchFields {
  return {
    names: [c.firstName, c.lastName].filter(Boolean).join(' '),
    emails: c.emails.join(' '),
    phones: phoneTokens(c.phones),
  }
}

/** Writes (or rewrites) the search row of the client stored at `rowid` in org_clients. */
export function indexClient(db: OrgDb, rowid: number, fields: SearchFields): void {
  db.run(sql`delete from client_search where rowid = ${rowid}`)
  db.run(
    sql`insert into client_search (rowid, names, emails, phones) values (${rowid}, ${fields.names}, ${fields.emails}, ${fields.phones})`,
  )
}

/** Re-indexes the live client of a person (after their card changes); a card merged into another is not searchable. */
export function reindexPerson(db: OrgDb, personId: string): void {
  const rows = db.all<{
    rowid: number
    first_name: string | null
    last_name: string | null
    emails: string
    phones: string
  }>(sql`
    select c.rowid as rowid, k.first_name, k.last_name, k.emails, k.phones
    from org_clients c join contacts k on k.person_id = c.person_id where c.person_id = ${personId} and c.merged_into is null`)
  for (const r of rows) {
    indexClient(
      db,
      r.rowid,
      searchFields({
        firstName: r.first_name,
        lastName: r.last_name,
        emails: JSON.parse(r.emails),
        phones: JSON.parse(r.phones),
      }),
    )
  }
}

/** Rebuilds the index when it does not cover every live client (first start after the index was added). */
export function ensureIndexed(db: OrgDb): void {
  const counts = db.get<{ clients: number; indexed: number }>(sql`
    select (select count(*) from org_clients where merged_into is null) as clients, (select count(*) from client_search) as indexed`)
  if (!counts || counts.clients === counts.indexed) return
  db.run(sql`delete from client_search`)
  const people = db.all<{ person_id: string }>(sql`select person_id from org_clients where merged_into is null`)
  for (const p of people) reindexPerson(db, p.person_id)
}
