/**
 * The rows a merge moves from one client to another: every table that names a client, what moved
 * recorded by id, so an undo moves exactly those rows back and nothing made later.
 */
import { sql } from 'drizzle-orm'
import type { OrgDb } from '../db'

/** Tables with an `id` key and an `org_client_id`: each of their rows belongs to one client. */
export const CLIENT_TABLES = [
  'jobs',
  'job_series',
  'invoices',
  'payments',
  'reminders',
  'messages',
  'events',
  'enrollments',
  'review_requests',
  'private_feedback',
  'tasks',
  'addresses',
  'sync_log',
] as const

/** Keys of `moved` besides CLIENT_TABLES: campaign ids of campaign_sends, and `provider:external id` of CRM links. */
export const CAMPAIGN_SENDS = 'campaign_sends'
export const CRM_LINKS = 'external_mappings'

/** Ids of the rows moved, by table. */
export type Moved = Record<string, string[]>

/** One bound parameter for a whole list of ids (the statement limit is 100 parameters). */
const idList = (ids: string[]) => sql`(select value from json_each(${JSON.stringify(ids)}))`

/**
 * Moves every row of `fromId` to `intoId`. A campaign both clients received keeps into's send and
 * leaves from's in place (the key is campaign and client): those campaigns come back as `left`.
 */
export function moveRows(db: OrgDb, fromId: string, intoId: string): { moved: Moved; left: string[] } {
  const moved: Moved = {}
  for (const table of CLIENT_TABLES) {
    const rows = db.all<{ id: string }>(sql`
      update ${sql.identifier(table)} set org_client_id = ${intoId} where org_client_id = ${fromId} returning id`)
    moved[table] = rows.map((r) => r.id)
  }
  const left = db
    .all<{ campaign_id: string }>(sql`
    select campaign_id from campaign_sends where org_client_id = ${fromId}
    and campaign_id in (select campaign_id from campaign_sends where org_client_id = ${intoId})`)
    .map((r) => r.campaign_id)
  moved[CAMPAIGN_SENDS] = db
    .all<{ campaign_id: string }>(sql`
    update campaign_sends set org_client_id = ${intoId}
    where org_client_id = ${fromId} and campaign_id not in ${idList(left)} returning campaign_id`)
    .map((r) => r.campaign_id)
  moved[CRM_LINKS] = db
    .all<{ provider: string; external_id: string }>(sql`
    update external_mappings set local_id = ${intoId}
    where entity = 'client' and local_id = ${fromId} returning provider, external_id`)
    .map((r) => `${r.provider}:${r.external_id}`)
  return { moved, left }
}

/** Moves the recorded rows back from `intoId` to `fromId`; rows that since left `intoId` stay where they are. */
export function moveRowsBack(db: OrgDb, moved: Moved, fromId: string, intoId: string): void {
  for (const table of CLIENT_TABLES) {
    const ids = moved[table] ?? []
    if (ids.length === 0) continue
    db.run(
      sql`update ${sql.identifier(table)} set org_client_id = ${fromId} where org_client_id = ${intoId} and id in ${idList(ids)}`,
    )
  }
  const campaigns = moved[CAMPAIGN_SENDS] ?? []
  if (campaigns.length) {
    db.run(
      sql`update campaign_sends set org_client_id = ${fromId} where org_client_id = ${intoId} and campaign_id in ${idList(campaigns)}`,
    )
  }
  for (const link of moved[CRM_LINKS] ?? []) {
    const cut = link.indexOf(':')
    db.run(sql`update external_mappings set local_id = ${fromId}
      where entity = 'client' and local_id = ${intoId} and provider = ${link.slice(0, cut)} and external_id = ${link.slice(cut + 1)}`)
  }
}

/** How many rows of each kind a client holds: what a merge of it would move. */
export type RowCounts = {
  jobs: number
  invoices: number
  payments: number
  messages: number
  enrollments: number
  reminders: number
  tasks: number
  review_requests: number
  feedback: number
  addresses: number
  timeline_events: number
  campaign_sends: number
  crm_links: number
}

/** Counts of a client's rows by kind, in one statement. */
export function countRows(db: OrgDb, id: string): RowCounts {
  const n = (table: string) => sql`(select count(*) from ${sql.identifier(table)} where org_client_id = ${id})`
  return db.get<RowCounts>(sql`select
    ${n('jobs')} as jobs, ${n('invoices')} as invoices, ${n('payments')} as payments, ${n('messages')} as messages,
    ${n('enrollments')} as enrollments, ${n('reminders')} as reminders, ${n('tasks')} as tasks,
    ${n('review_requests')} as review_requests, ${n('private_feedback')} as feedback, ${n('addresses')} as addresses,
    ${n('events')} as timeline_events, ${n('campaign_sends')} as campaign_sends,
    (select count(*) from external_mappings where entity = 'client' and local_id = ${id}) as crm_links`)!
}
