/**
 * The business's lead statuses (its pipeline): a lookup in the owner's order, each open, won or
 * lost. A status in use is never deleted, and the pipeline always keeps one of each kind.
 */
import { and, asc, count, eq, ne } from 'drizzle-orm'
import { conflict, invalidInput, notFound } from '../../../../src/errors'
import type { OrgDb } from '../../db'
import { leadStatuses, leads, type LeadStatusKind } from '../../schema'

export type LeadStatus = {
  id: string
  name: string
  color: string
  icon: string | null
  position: number
  kind: LeadStatusKind
}

export type NewLeadStatus = {
  name: string
  color: string
  icon?: string | null
  position?: number
  kind: LeadStatusKind
}

export type LeadStatusPatch = Partial<NewLeadStatus>

export const toStatus = (s: typeof leadStatuses.$inferSelect): LeadStatus => ({
  id: s.id,
  name: s.name,
  color: s.color,
  icon: s.icon,
  position: s.position,
  kind: s.kind,
})

/** Every status in the pipeline's order. */
export function listStatuses(db: OrgDb): LeadStatus[] {
  return db
    .select()
    .from(leadStatuses)
    .orderBy(asc(leadStatuses.position), asc(leadStatuses.createdAt), asc(leadStatuses.id))
    .all()
    .map(toStatus)
}

export function getStatus(db: OrgDb, id: string): LeadStatus | null {
  const row = db.select().from(leadStatuses).where(eq(leadStatuses.id, id)).get()
  return row ? toStatus(row) : null
}

/** The status, or 404 naming it. */
export function requireStatus(db: OrgDb, id: string): LeadStatus {
  const status = getStatus(db, id)
  if (!status) throw notFound('lead status')
  return status
}

/** The first status of a kind in the pipeline's order: where new leads start (open) and converted ones go (won). */
export function firstOfKind(db: OrgDb, kind: LeadStatusKind): LeadStatus {
  const status = listStatuses(db).find((s) => s.kind === kind)
  if (!status) throw conflict(`The pipeline has no ${kind} status: add one first.`)
  return status
}

/** Adds a status at `position` (default: the end); the others move down to make room. */
export function createStatus(db: OrgDb, input: NewLeadStatus): LeadStatus {
  const id = crypto.randomUUID()
  db.insert(leadStatuses)
    .values({
      id,
      name: input.name,
      color: input.color.toLowerCase(),
      icon: input.icon ?? null,
      position: Number.MAX_SAFE_INTEGER,
      kind: input.kind,
    })
    .run()
  placeStatus(db, id, input.position ?? Number.MAX_SAFE_INTEGER)
  return getStatus(db, id)!
}

/** Changes a status; a new `position` moves it and renumbers the others. The last open, won or lost status keeps its kind (409). */
export function updateStatus(db: OrgDb, id: string, patch: LeadStatusPatch): LeadStatus {
  const current = requireStatus(db, id)
  if (patch.kind !== undefined && patch.kind !== current.kind) keepOneOfKind(db, current, 'change')
  const set = {
    ...(patch.name !== undefined ? { name: patch.name } : {}),
    ...(patch.color !== undefined ? { color: patch.color.toLowerCase() } : {}),
    ...(patch.icon !== undefined ? { icon: patch.icon } : {}),
    ...(patch.kind !== undefined ? { kind: patch.kind } : {}),
  }
  if (Object.keys(set).length > 0) db.update(leadStatuses).set(set).where(eq(leadStatuses.id, id)).run()
  if (patch.position !== undefined) placeStatus(db, id, patch.position)
  return getStatus(db, id)!
}

/** Deletes a status no lead uses (409 otherwise), never the last of its kind (409). */
export function deleteStatus(db: OrgDb, id: string): { deleted: true; id: string } {
  const current = requireStatus(db, id)
  const used = db.select({ n: count() }).from(leads).where(eq(leads.statusId, id)).get()?.n ?? 0
  if (used > 0)
    throw conflict(`${used} ${used === 1 ? 'lead has' : 'leads have'} this status: move them to another one first.`)
  keepOneOfKind(db, current, 'delete')
  db.delete(leadStatuses).where(eq(leadStatuses.id, id)).run()
  placeStatus(db, null, 0)
  return { deleted: true, id }
}

/** 409 unless another status of the same kind remains. */
function keepOneOfKind(db: OrgDb, status: LeadStatus, doing: 'change' | 'delete'): void {
  const others =
    db
      .select({ n: count() })
      .from(leadStatuses)
      .where(and(eq(leadStatuses.kind, status.kind), ne(leadStatuses.id, status.id)))
      .get()?.n ?? 0
  if (others === 0)
    throw conflict(
      `The pipeline needs a ${status.kind} status: add another one before you ${doing === 'delete' ? 'delete' : 'change the kind of'} “${status.name}”.`,
    )
}

/** Puts a status at `position` (clamped, 0 first) and numbers them all again from 0; null only renumbers. */
function placeStatus(db: OrgDb, id: string | null, position: number): void {
  const order = listStatuses(db)
    .map((s) => s.id)
    .filter((x) => x !== id)
  if (id) order.splice(Math.max(0, Math.min(position, order.length)), 0, id)
  order.forEach((statusId, i) => {
    db.update(leadStatuses).set({ position: i }).where(eq(leadStatuses.id, statusId)).run()
  })
}

/** Checks a status id given in a lead's body: a 400 naming `status_id` when this business has no such status. */
export function assertStatus(db: OrgDb, id: string): LeadStatus {
  const status = getStatus(db, id)
  if (!status) throw invalidInput([{ path: 'status_id', message: "is not one of this business's lead statuses" }])
  return status
}
