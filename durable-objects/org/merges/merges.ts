/**
 * Merging two cards of this business into one, and undoing it: every row of the merged client
 * moves to the kept one, recorded by id with both clients' own rows as they were, so an undo puts
 * back exactly what the merge changed. Merges and undos go in the audit log.
 */
import { and, desc, eq, isNull, or, sql } from 'drizzle-orm'
import { conflict, invalidInput, notFound } from '../../../src/errors'
import { getCard, mergeIntoCard } from '../cards/cards'
import { getClient, normalizeTags, type Address, type ClientStatus } from '../crm/clients'
import type { OrgDb } from '../db'
import { recordEvent } from '../events'
import { countRows, moveRows, moveRowsBack, type RowCounts } from './rows'
import { restoreExactly, restoreKept, snapshot, type MergeBefore } from './snapshots'
import { auditLog, clientMerges, clientSettings, orgClients, type ClientNote, type Provenance } from '../schema'
import { reindexPerson } from '../crm/search'

/** One card as the merge preview shows it. */
export type MergeSide = {
  org_client_id: string
  first_name: string | null
  last_name: string | null
  emails: string[]
  phones: string[]
  addresses: Address[]
  status: ClientStatus
  tags: string[]
  ltv_cents: number
  notes: number
  created_at: string
}

/** Both cards side by side, the card the merge would leave, and what would move. */
export type MergePreview = {
  into: MergeSide
  from: MergeSide
  result: {
    first_name: string | null
    last_name: string | null
    emails: string[]
    phones: string[]
    tags: string[]
    ltv_cents: number
  }
  moves: RowCounts & { notes: number; tags: number }
}

/** The client of a merge, live here; a merged or unknown id is a 404, the same id twice a 400. */
function livePair(db: OrgDb, intoId: string, fromId: string) {
  if (intoId === fromId) {
    throw invalidInput(
      [{ path: 'from_org_client_id', message: 'is the same client; pick the other card' }],
      'A client cannot be merged into itself.',
    )
  }
  const live = (id: string) =>
    db
      .select()
      .from(orgClients)
      .where(and(eq(orgClients.id, id), isNull(orgClients.mergedInto)))
      .get()
  const into = live(intoId)
  const from = live(fromId)
  if (!into || !from) throw notFound('client')
  return { into, from }
}

function side(db: OrgDb, id: string): MergeSide {
  const c = getClient(db, id)!
  const card = getCard(db, c.person_id)
  return {
    org_client_id: id,
    first_name: c.first_name,
    last_name: c.last_name,
    emails: card?.emails ?? [],
    phones: card?.phones ?? [],
    addresses: c.addresses,
    status: c.status,
    tags: c.tags,
    ltv_cents: c.ltv_cents,
    notes: c.notes.length,
    created_at: c.created_at,
  }
}

/** Both cards side by side and what a merge of `fromId` into `intoId` would move and leave. */
export function previewMerge(db: OrgDb, intoId: string, fromId: string): MergePreview {
  livePair(db, intoId, fromId)
  const into = side(db, intoId)
  const from = side(db, fromId)
  const union = (a: string[], b: string[]) => [...new Set([...a, ...b])]
  return {
    into,
    from,
    result: {
      first_name: into.first_name || from.first_name,
      last_name: into.last_name || from.last_name,
      emails: union(into.emails, from.emails),
      phones: union(into.phones, from.phones),
      tags: normalizeTags([...into.tags, ...from.tags]),
      ltv_cents: into.ltv_cents + from.ltv_cents,
    },
    moves: {
      ...countRows(db, fromId),
      notes: from.notes,
      tags: from.tags.filter((t) => !into.tags.includes(t)).length,
    },
  }
}

/** The provenance the merge writes on values the kept card gains; an undo finds them by it. */
const stampOf = (actor: string, at: string): Provenance => ({ source: 'staff', by: actor, at })

/**
 * Merges `fromId` into `intoId`: every row of from moves to into, into gains from's notes (by
 * time), tags, lifetime value, and the names, emails and phones its card lacked; its settings stay
 * unless it had none. From then answers 404. One transaction (the caller's).
 */
export function mergeClients(db: OrgDb, intoId: string, fromId: string, actor: string, at = new Date().toISOString()) {
  const { into, from } = livePair(db, intoId, fromId)
  const id = crypto.randomUUID()
  const before = { into: snapshot(db, intoId)!, from: snapshot(db, fromId)! }
  const { moved, left } = moveRows(db, fromId, intoId)

  const notes: ClientNote[] = [...into.notes, ...from.notes].sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0))
  db.update(orgClients)
    .set({
      notes,
      tags: normalizeTags([...into.tags, ...from.tags]),
      ltvCents: into.ltvCents + from.ltvCents,
      defaultAddressId: into.defaultAddressId ?? from.defaultAddressId,
      externalId: into.externalId ?? from.externalId,
      updatedAt: at,
    })
    .where(eq(orgClients.id, intoId))
    .run()
  const fromCard = getCard(db, from.personId)
  if (fromCard) {
    mergeIntoCard(
      db,
      {
        person_id: into.personId,
        first_name: fromCard.first_name,
        last_name: fromCard.last_name,
        emails: fromCard.emails,
        phones: fromCard.phones,
        author: { source: 'staff', by: actor },
      },
      at,
      false,
    )
  }
  if (!before.into.settings && before.from.settings) {
    const s = db.select().from(clientSettings).where(eq(clientSettings.orgClientId, fromId)).get()!
    db.insert(clientSettings)
      .values({ ...s, orgClientId: intoId, updatedAt: at })
      .run()
  }
  db.run(sql`delete from client_search where rowid = (select rowid from org_clients where id = ${fromId})`)
  db.update(orgClients).set({ mergedInto: intoId, updatedAt: at }).where(eq(orgClients.id, fromId)).run()
  reindexPerson(db, into.personId)

  const record: MergeBefore = { ...before, into_after: snapshot(db, intoId)!, campaign_sends_left: left }
  db.insert(clientMerges)
    .values({ id, intoClientId: intoId, fromClientId: fromId, moved, before: record, actor, createdAt: at })
    .run()
  recordEvent(db, 'clients_merged', intoId, { merge_id: id, from_org_client_id: fromId, by: actor }, at)
  const counts = Object.fromEntries(Object.entries(moved).map(([table, ids]) => [table, ids.length]))
  audit(
    db,
    'merge',
    intoId,
    { merge_id: id, into_org_client_id: intoId, from_org_client_id: fromId, moved: counts, campaign_sends_left: left },
    actor,
    at,
  )
  return { merge_id: id, org_client_id: intoId }
}

/**
 * Undoes a merge: the rows it moved go back, the merged client's own rows return exactly, the kept
 * client's lose what the merge added. Rows made on the kept client since stay with it. 404 for an
 * unknown merge; 409 when already undone or when a later merge of either client must be undone first.
 */
export function undoMerge(db: OrgDb, mergeId: string, actor: string, at = new Date().toISOString()) {
  const m = db.select().from(clientMerges).where(eq(clientMerges.id, mergeId)).get()
  if (!m) throw notFound('merge')
  if (m.undoneAt) throw conflict('This merge was already undone.')
  const ids = [m.intoClientId, m.fromClientId]
  const later = db.get<{ id: string }>(sql`select id from client_merges where undone_at is null
    and rowid > (select rowid from client_merges where id = ${mergeId})
    and (into_client_id in (${ids[0]}, ${ids[1]}) or from_client_id in (${ids[0]}, ${ids[1]})) limit 1`)
  if (later) throw conflict('A later merge of one of these clients must be undone first.')

  const before = m.before as MergeBefore
  moveRowsBack(db, m.moved, m.fromClientId, m.intoClientId)
  restoreExactly(db, before.from)
  restoreKept(db, before, stampOf(m.actor ?? '', m.createdAt))
  reindexPerson(db, String(before.into.client['person_id']))
  reindexPerson(db, String(before.from.client['person_id']))
  db.update(clientMerges).set({ undoneAt: at, undoneBy: actor }).where(eq(clientMerges.id, mergeId)).run()
  recordEvent(
    db,
    'clients_unmerged',
    m.intoClientId,
    { merge_id: mergeId, from_org_client_id: m.fromClientId, by: actor },
    at,
  )
  audit(
    db,
    'unmerge',
    m.intoClientId,
    { merge_id: mergeId, into_org_client_id: m.intoClientId, from_org_client_id: m.fromClientId },
    actor,
    at,
  )
  return { merge_id: mergeId, org_client_ids: [m.intoClientId, m.fromClientId] as [string, string] }
}

function audit(
  db: OrgDb,
  action: string,
  orgClientId: string,
  data: Record<string, unknown>,
  actor: string,
  at: string,
): void {
  db.insert(auditLog).values({ id: crypto.randomUUID(), action, orgClientId, data, actor, createdAt: at }).run()
}

/** One merge in the history, with both clients' names as their cards say now and counts of what moved. */
export type MergeItem = {
  merge_id: string
  into_org_client_id: string
  from_org_client_id: string
  into_name: string
  from_name: string
  moved: Record<string, number>
  actor: string | null
  created_at: string
  undone_at: string | null
  undone_by: string | null
}

/** The business's merges, newest first. */
export function listMerges(db: OrgDb, limit = 100): MergeItem[] {
  const rows = db.all<Omit<MergeItem, 'moved'> & { moved: string }>(sql`
    select m.id as merge_id, m.into_client_id as into_org_client_id, m.from_client_id as from_org_client_id, m.moved, m.actor,
           m.created_at, m.undone_at, m.undone_by,
           trim(coalesce(ki.first_name, '') || ' ' || coalesce(ki.last_name, '')) as into_name,
           trim(coalesce(kf.first_name, '') || ' ' || coalesce(kf.last_name, '')) as from_name
    from client_merges m
    left join org_clients ci on ci.id = m.into_client_id left join contacts ki on ki.person_id = ci.person_id
    left join org_clients cf on cf.id = m.from_client_id left join contacts kf on kf.person_id = cf.person_id
    order by m.created_at desc, m.rowid desc limit ${limit}`)
  return rows.map((r) => ({
    ...r,
    moved: Object.fromEntries(
      Object.entries(JSON.parse(r.moved) as Record<string, string[]>).map(([table, ids]) => [table, ids.length]),
    ),
  }))
}

/** One audit entry: what was done (`merge`, `unmerge`), about which client, by whom. */
export type AuditItem = {
  id: string
  action: string
  org_client_id: string | null
  data: Record<string, unknown>
  actor: string | null
  created_at: string
}

/** The audit log newest first; with a client, the entries about it (as the kept or the merged card). */
export function listAudit(db: OrgDb, query: { org_client_id?: string; limit: number }): AuditItem[] {
  const about = query.org_client_id
  const rows = db
    .select()
    .from(auditLog)
    .where(
      about
        ? or(eq(auditLog.orgClientId, about), sql`json_extract(${auditLog.data}, '$.from_org_client_id') = ${about}`)
        : undefined,
    )
    .orderBy(desc(auditLog.createdAt), desc(sql`rowid`))
    .limit(query.limit)
    .all()
  return rows.map((r) => ({
    id: r.id,
    action: r.action,
    org_client_id: r.orgClientId,
    data: r.data,
    actor: r.actor,
    created_at: r.createdAt,
  }))
}
