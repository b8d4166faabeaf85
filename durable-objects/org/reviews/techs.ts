/** Techs (the people who do the work): ratings and QR codes are attributed to them. */
import { asc, eq, sql } from 'drizzle-orm'
import { notFound } from '../../../src/errors'
import type { OrgDb } from '../db'
import { reviewRequests, techs } from '../schema'
import { listQrCodes, type QrCode } from './qr'

export type Tech = { id: string; name: string; email: string | null; active: boolean; created_at: string }
export type TechDetail = Tech & { qr_codes: QrCode[]; ratings: number; average: number | null }

const columns = {
  id: techs.id,
  name: techs.name,
  email: techs.email,
  active: techs.active,
  created_at: techs.createdAt,
}

/** Adds a tech, active. */
export function createTech(db: OrgDb, input: { name: string; email?: string | null }): TechDetail {
  const id = crypto.randomUUID()
  db.insert(techs)
    .values({ id, name: input.name, email: input.email ?? null })
    .run()
  return getTech(db, id)!
}

/** Every tech, active ones first, with QR codes and how they were rated. */
export function listTechs(db: OrgDb): TechDetail[] {
  const rows = db.select(columns).from(techs).orderBy(sql`${techs.active} desc`, asc(techs.name)).all()
  return withDetails(db, rows)
}

/** One tech with QR codes and ratings, or null. */
export function getTech(db: OrgDb, id: string): TechDetail | null {
  const row = db.select(columns).from(techs).where(eq(techs.id, id)).get()
  return row ? withDetails(db, [row])[0]! : null
}

/** Deactivates or reactivates a tech; their QR codes keep working either way. */
export function setTechActive(db: OrgDb, id: string, active: boolean): TechDetail {
  const [row] = db.update(techs).set({ active }).where(eq(techs.id, id)).returning({ id: techs.id }).all()
  if (!row) throw notFound('tech')
  return getTech(db, id)!
}

function withDetails(db: OrgDb, rows: Tech[]): TechDetail[] {
  const codes = listQrCodes(db)
  const stats = db
    .select({
      techId: reviewRequests.techId,
      n: sql<number>`count(${reviewRequests.rating})`,
      avg: sql<number | null>`avg(${reviewRequests.rating})`,
    })
    .from(reviewRequests)
    .where(sql`${reviewRequests.techId} is not null`)
    .groupBy(reviewRequests.techId)
    .all()
  return rows.map((t) => {
    const s = stats.find((x) => x.techId === t.id)
    return { ...t, qr_codes: codes.filter((q) => q.tech_id === t.id), ratings: s?.n ?? 0, average: s?.avg ?? null }
  })
}
