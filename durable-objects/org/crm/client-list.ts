/** Listing an organization's clients: newest first in pages joined by a cursor, or a typed search best match first. */
import { and, desc, eq, isNull, sql, type SQL } from 'drizzle-orm'
import type { OrgDb } from '../db'
import { contacts, orgClients } from '../schema'
import { buildMatch, wholeNameMatch } from './search'
import { textFromBase64url, textToBase64url } from '../../../src/encoding'
import type { ClientRow } from './clients'
import type { ClientStatus } from './statuses'

/** The columns of a ClientRow: the client's own fields with its card's cached contact fields. */
export const rowColumns = {
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

export type ListClientsQuery = { q?: string; status?: ClientStatus; tag?: string; limit: number; cursor?: string }

/** Search results are capped: a person types more to narrow them, they do not page through them. */
const SEARCH_CAP = 200

/** Clients newest first, filtered by status and tag, in pages joined by an opaque cursor. */
export function listClients(db: OrgDb, query: ListClientsQuery): { items: ClientRow[]; next_cursor: string | null } {
  if (query.q !== undefined && query.q.trim() !== '') return searchClients(db, query)
  const conditions: SQL[] = [isNull(orgClients.mergedInto)]
  if (query.status) conditions.push(eq(orgClients.status, query.status))
  if (query.tag) conditions.push(sql`exists (select 1 from json_each(${orgClients.tags}) where value = ${query.tag})`)
  const after = query.cursor ? decodeCursor(query.cursor) : null
  if (after) {
    conditions.push(sql`(${orgClients.createdAt}, ${orgClients.id}) < (${after.createdAt}, ${after.id})`)
  }
  const rows = db
    .select(rowColumns)
    .from(orgClients)
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

/**
 * Clients matching a typed query, filtered by status and tag. One word typed whole lists the
 * clients of that name first ("jen": Jen before Jenkins), then every other match; a phone
 * fragment or first keystrokes list newest first; several words list the best match first.
 */
function searchClients(db: OrgDb, query: ListClientsQuery): { items: ClientRow[]; next_cursor: null } {
  const match = buildMatch(query.q!)
  if (match === null) return { items: [], next_cursor: null }
  const limit = Math.min(query.limit, SEARCH_CAP)
  const whole = wholeNameMatch(query.q!)
  if (whole === null) return { items: searchRows(db, query, match, rankOrder(query.q!), limit), next_cursor: null }
  // Newest first in each part lets FTS5 stop at the limit instead of ranking every match.
  const named = searchRows(db, query, whole, NEWEST, limit)
  if (named.length === limit) return { items: named, next_cursor: null }
  const seen = new Set(named.map((r) => r.org_client_id))
  const others = searchRows(db, query, match, NEWEST, limit).filter((r) => !seen.has(r.org_client_id))
  return { items: [...named, ...others].slice(0, limit), next_cursor: null }
}

const NEWEST = sql`s.rowid desc`

/** One indexed query: the live clients matching `match` and the query's filters, in `order`. */
function searchRows(db: OrgDb, query: ListClientsQuery, match: string, order: SQL, limit: number): ClientRow[] {
  const filters: SQL[] = [sql`client_search match ${match}`, sql`c.merged_into is null`]
  if (query.status) filters.push(sql`c.status = ${query.status}`)
  if (query.tag) filters.push(sql`exists (select 1 from json_each(c.tags) where value = ${query.tag})`)
  const rows = db.all<Omit<ClientRow, 'tags'> & { tags: string }>(sql`
    select c.id as org_client_id, c.person_id, k.first_name, k.last_name, k.primary_email, k.primary_phone_e164,
           c.status, c.ltv_cents, c.tags, c.created_at
    from client_search s
    join org_clients c on c.rowid = s.rowid
    join contacts k on k.person_id = c.person_id
    where ${sql.join(filters, sql` and `)}
    order by ${order}
    limit ${limit}`)
  return rows.map((r) => ({ ...r, tags: JSON.parse(r.tags) as string[] }))
}

/**
 * Several words are ranked by bm25, which tells "jennifer sm" matches apart. A phone fragment or
 * first keystrokes match too many clients to rank, and rank tells them apart little: newest first.
 */
function rankOrder(q: string) {
  const words = q.trim().split(/\s+/)
  return words.every((w) => w.length < 3) || /^[\d\s()+.-]+$/.test(q.trim()) ? NEWEST : sql`s.rank`
}

function encodeCursor(createdAt: string, id: string): string {
  return textToBase64url(`${createdAt}|${id}`)
}

/** Reads a cursor back; a malformed one is treated as "from the start" rather than an error. */
function decodeCursor(cursor: string): { createdAt: string; id: string } | null {
  try {
    const [createdAt, id] = textFromBase64url(cursor).split('|')
    return createdAt && id ? { createdAt, id } : null
  } catch {
    return null
  }
}

/** What a client is called, for pages that name many clients at once (a calendar, a list of jobs). */
export type ClientNaming = Pick<ClientRow, 'first_name' | 'last_name' | 'primary_email' | 'primary_phone_e164'>

/** The naming fields of these clients, in one read (ids this business does not hold are absent). */
export function clientNaming(db: OrgDb, ids: string[]): Record<string, ClientNaming> {
  if (ids.length === 0) return {}
  const rows = db
    .select({
      id: orgClients.id,
      first_name: contacts.firstName,
      last_name: contacts.lastName,
      primary_email: contacts.primaryEmail,
      primary_phone_e164: contacts.primaryPhoneE164,
    })
    .from(orgClients)
    .innerJoin(contacts, eq(contacts.personId, orgClients.personId))
    // One bound value whatever the count: the object's SQLite takes at most 100 per statement.
    .where(
      and(
        sql`${orgClients.id} in (select value from json_each(${JSON.stringify([...new Set(ids)])}))`,
        isNull(orgClients.mergedInto),
      ),
    )
    .all()
  return Object.fromEntries(rows.map(({ id, ...naming }) => [id, naming]))
}
