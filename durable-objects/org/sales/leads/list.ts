/** Listing leads: newest first in pages joined by a cursor, filtered by status, source, owner, follow-up and a typed query. */
import { and, desc, eq, isNull, lt, sql, type SQL } from 'drizzle-orm'
import { textFromBase64url, textToBase64url } from '../../../../src/encoding'
import type { OrgDb } from '../../db'
import { leads } from '../../schema'
import { type Lead, toLead } from './leads'

export type ListLeadsQuery = {
  status_id?: string
  /** Matches the name, email, phone (any format) and company. */
  q?: string
  /** Leads whose next follow-up is before this instant. */
  follow_up_before?: string
  /** Leads with no follow-up set. */
  no_follow_up?: boolean
  source?: string
  assigned_to?: string
  /** Converted leads are left out unless asked for. */
  include_converted?: boolean
  cursor?: string
  limit: number
}

/** A LIKE pattern matching `text` anywhere, its own % and _ taken literally. */
const containing = (text: string) => `%${text.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`

/** Leads newest first, in pages joined by an opaque cursor. */
export function listLeads(db: OrgDb, query: ListLeadsQuery): { items: Lead[]; next_cursor: string | null } {
  const conditions: SQL[] = []
  if (!query.include_converted) conditions.push(eq(leads.isConverted, false))
  if (query.status_id) conditions.push(eq(leads.statusId, query.status_id))
  if (query.source) conditions.push(eq(leads.source, query.source))
  if (query.assigned_to) conditions.push(eq(leads.assignedTo, query.assigned_to))
  if (query.follow_up_before) conditions.push(lt(leads.nextFollowUpAt, query.follow_up_before))
  if (query.no_follow_up) conditions.push(isNull(leads.nextFollowUpAt))
  const q = query.q?.trim().toLowerCase()
  if (q) conditions.push(matching(q))
  const after = query.cursor ? decodeCursor(query.cursor) : null
  if (after) conditions.push(sql`(${leads.createdAt}, ${leads.id}) < (${after.createdAt}, ${after.id})`)
  const rows = db
    .select()
    .from(leads)
    .where(conditions.length > 0 ? and(...conditions) : undefined)
    .orderBy(desc(leads.createdAt), desc(leads.id))
    .limit(query.limit + 1)
    .all()
  const items = rows.slice(0, query.limit).map(toLead)
  const last = items[items.length - 1]
  const next_cursor = rows.length > query.limit && last ? encodeCursor(last.created_at, last.id) : null
  return { items, next_cursor }
}

/** A typed query against the name, email, company and, with three digits or more, the phone's digits. */
function matching(q: string): SQL {
  const pattern = containing(q)
  const name = sql`lower(${leads.firstName} || ' ' || coalesce(${leads.lastName}, ''))`
  const parts: SQL[] = [
    sql`${name} like ${pattern} escape '\\'`,
    sql`lower(coalesce(${leads.email}, '')) like ${pattern} escape '\\'`,
    sql`lower(coalesce(${leads.company}, '')) like ${pattern} escape '\\'`,
  ]
  const digits = q.replace(/\D/g, '')
  if (digits.length >= 3) parts.push(sql`coalesce(${leads.phone}, '') like ${containing(digits)} escape '\\'`)
  return sql`(${sql.join(parts, sql` or `)})`
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
