/** The services a business offers (name, usual duration, usual price). */
import { asc, eq } from 'drizzle-orm'
import type { OrgDb } from '../db'
import { services } from '../schema'

export type Service = {
  service_id: string
  id: string
  name: string
  duration_minutes: number | null
  price_cents: number | null
  active: boolean
  created_at: string
}

export type NewService = { name: string; duration_minutes?: number; price_cents?: number }

const toService = (s: typeof services.$inferSelect): Service => ({
  service_id: s.id,
  id: s.id,
  name: s.name,
  duration_minutes: s.durationMinutes,
  price_cents: s.priceCents,
  active: s.active,
  created_at: s.createdAt,
})

export function createService(db: OrgDb, input: NewService): Service {
  const id = crypto.randomUUID()
  db.insert(services)
    .values({
      id,
      name: input.name,
      durationMinutes: input.duration_minutes ?? null,
      priceCents: input.price_cents ?? null,
    })
    .run()
  return getService(db, id)!
}

export function getService(db: OrgDb, id: string): Service | null {
  const row = db.select().from(services).where(eq(services.id, id)).get()
  return row ? toService(row) : null
}

export function listServices(db: OrgDb): Service[] {
  return db.select().from(services).orderBy(asc(services.name)).all().map(toService)
}
