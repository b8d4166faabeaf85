/**
 * The services a business offers (name, usual duration, usual price), in the owner's order.
 * Archiving hides a service from pickers and keeps it on the jobs and invoices that name it; the
 * active ones come first in the order, archived ones after them.
 */
import { asc, count, desc, eq, ne } from 'drizzle-orm'
import { notFound } from '../../../src/errors'
import type { OrgDb } from '../db'
import { services } from '../schema'

export type Service = {
  service_id: string
  id: string
  name: string
  duration_minutes: number | null
  price_cents: number | null
  active: boolean
  /** Where it sits in the owner's order, 0 first (active services before archived ones). */
  position: number
  created_at: string
}

export type NewService = { name: string; duration_minutes?: number; price_cents?: number }

/** A change of a service; `active: false` archives it, `true` restores it; `position` moves it (0 first). */
export type ServicePatch = {
  name?: string
  duration_minutes?: number | null
  price_cents?: number | null
  active?: boolean
  position?: number
}

export type ServicesQuery = { include_archived?: boolean }

/** Another service with the same name (ignoring case and spaces): said, never refused. */
export type DuplicateWarning = { code: 'duplicate_name'; message: string; service_id: string }

/** A service as adding or changing it answers: with a warning for each duplicate of its name. */
export type SavedService = Service & { warnings: DuplicateWarning[] }

const toService = (s: typeof services.$inferSelect): Service => ({
  service_id: s.id,
  id: s.id,
  name: s.name,
  duration_minutes: s.durationMinutes,
  price_cents: s.priceCents,
  active: s.active,
  position: s.position,
  created_at: s.createdAt,
})

/** A name as duplicates are compared: "Deep Clean", "deep clean" and "DeepClean" are one. */
export const nameKey = (name: string) => name.toLowerCase().replace(/\s+/g, '')

/** Adds a service at the end of the active ones. */
export function createService(db: OrgDb, input: NewService): SavedService {
  const id = crypto.randomUUID()
  db.insert(services)
    .values({
      id,
      name: input.name,
      durationMinutes: input.duration_minutes ?? null,
      priceCents: input.price_cents ?? null,
    })
    .run()
  placeService(db, id, activeCount(db) - 1)
  return saved(db, id, true)
}

export function getService(db: OrgDb, id: string): Service | null {
  const row = db.select().from(services).where(eq(services.id, id)).get()
  return row ? toService(row) : null
}

/** The active services in the owner's order (ties by name); with `include_archived`, the archived ones after them. */
export function listServices(db: OrgDb, query: ServicesQuery = {}): Service[] {
  return db
    .select()
    .from(services)
    .where(query.include_archived ? undefined : eq(services.active, true))
    .orderBy(desc(services.active), asc(services.position), asc(services.name), asc(services.id))
    .all()
    .map(toService)
}

/**
 * Changes a service. Archiving moves it after the active ones and restoring back to their end, so
 * an active service's `position` is its place among the active ones. Not found: 404.
 */
export function updateService(db: OrgDb, id: string, patch: ServicePatch): SavedService {
  const current = getService(db, id)
  if (!current) throw notFound('service')
  const set = {
    ...(patch.name !== undefined ? { name: patch.name } : {}),
    ...(patch.duration_minutes !== undefined ? { durationMinutes: patch.duration_minutes } : {}),
    ...(patch.price_cents !== undefined ? { priceCents: patch.price_cents } : {}),
    ...(patch.active !== undefined ? { active: patch.active } : {}),
  }
  if (Object.keys(set).length > 0) db.update(services).set(set).where(eq(services.id, id)).run()
  const active = patch.active ?? current.active
  if (patch.position !== undefined && active) placeService(db, id, Math.min(patch.position, activeCount(db) - 1))
  else if (patch.active === false && current.active) placeService(db, id, Number.MAX_SAFE_INTEGER)
  else if (patch.active === true && !current.active) placeService(db, id, activeCount(db) - 1)
  return saved(db, id, patch.name !== undefined && nameKey(patch.name) !== nameKey(current.name))
}

/** Other services named like `name` (ignoring case and spaces), archived ones included. */
export function duplicatesOf(db: OrgDb, name: string, exceptId?: string): Service[] {
  const key = nameKey(name)
  return db
    .select()
    .from(services)
    .where(exceptId ? ne(services.id, exceptId) : undefined)
    .all()
    .filter((s) => nameKey(s.name) === key)
    .map(toService)
}

/** The service, with warnings about its name when `checkName`. */
function saved(db: OrgDb, id: string, checkName: boolean): SavedService {
  const service = getService(db, id)!
  const warnings = checkName
    ? duplicatesOf(db, service.name, id).map(
        (d): DuplicateWarning => ({
          code: 'duplicate_name',
          service_id: d.id,
          message: d.active
            ? `You already have a service named “${d.name}”.`
            : `An archived service is named “${d.name}”: you can restore it instead.`,
        }),
      )
    : []
  return { ...service, warnings }
}

function activeCount(db: OrgDb): number {
  return db.select({ n: count() }).from(services).where(eq(services.active, true)).get()?.n ?? 0
}

/** Puts a service at `position` (clamped, 0 first) of the order, active ones first, and numbers it again from 0. */
function placeService(db: OrgDb, id: string, position: number): void {
  const order = listServices(db, { include_archived: true })
    .map((s) => s.id)
    .filter((x) => x !== id)
  order.splice(Math.max(0, Math.min(position, order.length)), 0, id)
  order.forEach((serviceId, i) => {
    db.update(services).set({ position: i }).where(eq(services.id, serviceId)).run()
  })
}
