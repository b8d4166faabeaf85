/**
 * Possible duplicate cards of one business: live clients sharing an email, a phone, or a name and
 * an address. Found in one SQL statement over json_each, so thousands of clients stay fast.
 */
import { sql } from 'drizzle-orm'
import type { OrgDb } from '../db'

/** Why two cards may be one person, in the order they are listed. */
export const DUPLICATE_REASONS = ['same_email', 'same_phone', 'same_name_and_address'] as const
export type DuplicateReason = (typeof DUPLICATE_REASONS)[number]

/** Two cards that may be one person (two ids, the older client first), with every reason found. */
export type DuplicatePair = { org_client_ids: string[]; reasons: DuplicateReason[] }

/** More suggestions than staff can work through at once only slow the page. */
export const DUPLICATES_CAP = 200

/**
 * A value held by more clients than this (an office phone, a placeholder email) says nothing about
 * who is whom, and would make thousands of pairs.
 */
const MAX_SHARING = 25

/** Lower-case, trimmed, runs of spaces collapsed (SQLite has no regex: four passes fold runs of up to 16). */
const normalized = (column: string) => {
  let s = `lower(trim(${column}))`
  for (let i = 0; i < 4; i++) s = `replace(${s}, '  ', ' ')`
  return sql.raw(s)
}

/**
 * Pairs of live (not merged) clients that share an email or a phone on their cards, or the same
 * first and last name (case-insensitive) and an address with the same street line and postal code.
 * Each pair once, newest pairs first, at most `limit`.
 */
export function findDuplicates(db: OrgDb, limit = DUPLICATES_CAP): DuplicatePair[] {
  const rows = db.all<{ a: string; b: string; reasons: string }>(sql`
    with live as (
      select c.rowid as rid, c.id, k.emails, k.phones,
             ${normalized('k.first_name')} as first_name, ${normalized("coalesce(k.last_name, '')")} as last_name
      from org_clients c join contacts k on k.person_id = c.person_id
      where c.merged_into is null
    ),
    points as (
      select l.rid, l.id, 'same_email' as reason, e.value as point from live l, json_each(l.emails) e
      union
      select l.rid, l.id, 'same_phone', p.value from live l, json_each(l.phones) p
      union
      select l.rid, l.id, 'same_name_and_address', l.first_name || '|' || l.last_name || '|' || ${normalized('a.address1')} || '|' || ${normalized('a.postal')}
      from live l join addresses a on a.org_client_id = l.id
      where l.first_name <> ''
    ),
    shared as (
      select reason, point from points group by reason, point having count(distinct id) between 2 and ${MAX_SHARING}
    ),
    pairs as (
      select distinct x.rid as rid_a, x.id as a, y.rid as rid_b, y.id as b, x.reason
      from shared s
      join points x on x.reason = s.reason and x.point = s.point
      join points y on y.reason = s.reason and y.point = s.point and y.rid > x.rid
    )
    select a, b, group_concat(reason) as reasons from pairs
    group by rid_a, rid_b
    order by rid_b desc, rid_a desc
    limit ${limit}`)
  return rows.map((r) => {
    const found = new Set(r.reasons.split(','))
    return { org_client_ids: [r.a, r.b], reasons: DUPLICATE_REASONS.filter((reason) => found.has(reason)) }
  })
}

/** What the duplicates page shows of each client in a pair. */
export type ClientBrief = {
  org_client_id: string
  first_name: string | null
  last_name: string | null
  primary_email: string | null
  primary_phone_e164: string | null
  ltv_cents: number
  created_at: string
}

/** The suggestions with a brief of every client they name, read in one more statement. */
export function duplicateSuggestions(
  db: OrgDb,
  limit = DUPLICATES_CAP,
): { items: DuplicatePair[]; clients: Record<string, ClientBrief> } {
  const items = findDuplicates(db, limit)
  const ids = [...new Set(items.flatMap((p) => p.org_client_ids))]
  if (ids.length === 0) return { items, clients: {} }
  const rows = db.all<ClientBrief>(sql`
    select c.id as org_client_id, k.first_name, k.last_name, k.primary_email, k.primary_phone_e164, c.ltv_cents, c.created_at
    from org_clients c join contacts k on k.person_id = c.person_id
    where c.id in (select value from json_each(${JSON.stringify(ids)}))`)
  return { items, clients: Object.fromEntries(rows.map((r) => [r.org_client_id, r])) }
}
