/** Review requests: one per ask, whether sent by a journey step, opened from a QR code or by staff. */
import { asc, eq, inArray } from 'drizzle-orm'
import { notFound } from '../../../src/errors'
import { crewsOf } from '../crm/crews'
import type { OrgDb } from '../db'
import { orgClients, reviewRequests, techs } from '../schema'

export type ReviewChannel = 'sms' | 'email' | 'qr' | 'portal'

export type NewReviewRequest = {
  /** Chosen beforehand: the signed rating-page link names it. */
  id: string
  orgClientId: string | null
  channel: ReviewChannel
  enrollmentId?: string
  jobId?: string | null
  techId?: string | null
  qrCodeId?: string | null
}

export type ReviewRequestRow = typeof reviewRequests.$inferSelect

/**
 * Records a review request as `scheduled`; its message, once decided, is linked with `messageId`.
 * A request for a job that names no tech is credited to the job's crew member when exactly one of
 * the crew is a tech.
 */
export function createReviewRequest(db: OrgDb, r: NewReviewRequest, now = new Date()): void {
  const techId = r.techId ?? (r.jobId ? crewTech(db, r.jobId) : null)
  db.insert(reviewRequests)
    .values({
      id: r.id,
      orgClientId: r.orgClientId,
      channel: r.channel,
      enrollmentId: r.enrollmentId ?? null,
      jobId: r.jobId ?? null,
      techId,
      qrCodeId: r.qrCodeId ?? null,
      status: 'scheduled',
      createdAt: now.toISOString(),
    })
    .onConflictDoNothing()
    .run()
}

/** The one tech on a job's crew (a crew member with a tech row), or null when none or several are. */
export function crewTech(db: OrgDb, jobId: string): string | null {
  const crew = crewsOf(db, [jobId]).get(jobId) ?? []
  if (crew.length === 0) return null
  const rows = db
    .select({ id: techs.id, userId: techs.userId })
    .from(techs)
    .where(inArray(techs.userId, crew))
    .orderBy(asc(techs.createdAt))
    .all()
  const byUser = new Map<string, string>()
  for (const row of rows) if (row.userId && !byUser.has(row.userId)) byUser.set(row.userId, row.id)
  return byUser.size === 1 ? [...byUser.values()][0]! : null
}

/** Opens a review request for one of the organization's clients (staff asking in person or by their own message); returns its id. */
export function openReviewRequest(
  db: OrgDb,
  orgClientId: string,
  channel: Exclude<ReviewChannel, 'qr'>,
  now = new Date(),
): string {
  const client = db.select({ id: orgClients.id }).from(orgClients).where(eq(orgClients.id, orgClientId)).get()
  if (!client) throw notFound('client')
  const id = crypto.randomUUID()
  createReviewRequest(db, { id, orgClientId, channel }, now)
  return id
}

/**
 * The request a signed rating-page link names, only when the link was made for its client
 * (`''` for a request without one, such as a QR scan).
 */
export function requestForLink(db: OrgDb, id: string, orgClientId: string): ReviewRequestRow | null {
  const row = db.select().from(reviewRequests).where(eq(reviewRequests.id, id)).get()
  return row && (row.orgClientId ?? '') === orgClientId ? row : null
}
