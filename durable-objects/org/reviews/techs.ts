/**
 * Techs (the people who do the work): ratings and QR codes are attributed to them. A tech is a
 * team member (`user_id`, the registry's account id); rows from before the team, or invited and
 * not yet joined, have none until they are linked.
 */
import { and, asc, eq, inArray, isNull, sql } from 'drizzle-orm'
import { notFound } from '../../../src/errors'
import type { OrgDb } from '../db'
import { privateFeedback, qrCodes, reviewRequests, techs } from '../schema'
import { listQrCodes, type QrCode } from './qr'

export type Tech = {
  id: string
  name: string
  email: string | null
  user_id: string | null
  active: boolean
  created_at: string
}
export type TechDetail = Tech & { qr_codes: QrCode[]; ratings: number; average: number | null }

/** What the object is told about a team member (the team lives in the registry). */
export type TeamPerson = { user_id: string; email: string; name: string | null; role: string }

const columns = {
  id: techs.id,
  name: techs.name,
  email: techs.email,
  user_id: techs.userId,
  active: techs.active,
  created_at: techs.createdAt,
}

/**
 * Adds a tech, active. A team member who already has a row gets it back (reactivated) rather than a
 * second one; so does an email invited before and not yet joined.
 */
export function createTech(
  db: OrgDb,
  input: { name: string; email?: string | null; userId?: string | null },
): TechDetail {
  const existing = input.userId
    ? db.select({ id: techs.id }).from(techs).where(eq(techs.userId, input.userId)).get()
    : input.email
      ? db
          .select({ id: techs.id })
          .from(techs)
          .where(and(isNull(techs.userId), sql`lower(${techs.email}) = ${input.email.toLowerCase()}`))
          .get()
      : undefined
  if (existing) {
    db.update(techs).set({ active: true }).where(eq(techs.id, existing.id)).run()
    return getTech(db, existing.id)!
  }
  const id = crypto.randomUUID()
  db.insert(techs)
    .values({ id, name: input.name, email: input.email ?? null, userId: input.userId ?? null })
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

/**
 * Links a tech to a team member (checked to be on the team by the caller). When the member already
 * had a row of their own, its QR codes, ratings and feedback move onto this one and it goes.
 */
export function linkTech(db: OrgDb, id: string, userId: string): TechDetail {
  const tech = db.select(columns).from(techs).where(eq(techs.id, id)).get()
  if (!tech) throw notFound('tech')
  const others = db
    .select(columns)
    .from(techs)
    .where(and(eq(techs.userId, userId), sql`${techs.id} <> ${id}`))
    .all()
  const ids = others.map((o) => o.id)
  if (ids.length > 0) {
    db.update(qrCodes).set({ techId: id }).where(inArray(qrCodes.techId, ids)).run()
    db.update(reviewRequests).set({ techId: id }).where(inArray(reviewRequests.techId, ids)).run()
    db.update(privateFeedback).set({ techId: id }).where(inArray(privateFeedback.techId, ids)).run()
    db.delete(techs).where(inArray(techs.id, ids)).run()
  }
  const active = tech.active || others.some((o) => o.active)
  db.update(techs).set({ userId, active }).where(eq(techs.id, id)).run()
  return getTech(db, id)!
}

/**
 * Keeps the techs in step with the team: a row invited by email is linked once that person is on
 * the team, every member with role `tech` has a row, and a linked row carries the team's name.
 */
export function syncTeamTechs(db: OrgDb, team: TeamPerson[]): void {
  const rows = db.select(columns).from(techs).orderBy(asc(techs.createdAt)).all()
  const linked = new Set(rows.flatMap((r) => (r.user_id ? [r.user_id] : [])))
  for (const person of team) {
    if (linked.has(person.user_id)) continue
    const invited = rows.find((r) => !r.user_id && r.email?.toLowerCase() === person.email.toLowerCase())
    if (invited) {
      db.update(techs).set({ userId: person.user_id }).where(eq(techs.id, invited.id)).run()
      invited.user_id = person.user_id
      linked.add(person.user_id)
    } else if (person.role === 'tech') {
      db.insert(techs)
        .values({
          id: crypto.randomUUID(),
          name: person.name ?? person.email,
          email: person.email,
          userId: person.user_id,
        })
        .run()
      linked.add(person.user_id)
    }
  }
  for (const row of rows) {
    const person = row.user_id ? team.find((p) => p.user_id === row.user_id) : undefined
    if (person?.name && person.name !== row.name) {
      db.update(techs).set({ name: person.name }).where(eq(techs.id, row.id)).run()
    }
  }
}

/** Someone left the team: their tech row is deactivated (their QR codes keep crediting them). */
export function deactivateTechOf(db: OrgDb, userId: string): number {
  return db
    .update(techs)
    .set({ active: false })
    .where(and(eq(techs.userId, userId), eq(techs.active, true)))
    .returning({ id: techs.id })
    .all().length
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
