/** Review requests: one per ask, whether sent by a journey step, opened from a QR code or by staff. */
import { eq } from 'drizzle-orm'
import { notFound } from '../../../src/errors'
import type { OrgDb } from '../db'
import { orgClients, reviewRequests } from '../schema'

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

/** Records a review request as `scheduled`; its message, once decided, is linked with `messageId`. */
export function createReviewRequest(db: OrgDb, r: NewReviewRequest, now = new Date()): void {
  db.insert(reviewRequests)
    .values({
      id: r.id,
      orgClientId: r.orgClientId,
      channel: r.channel,
      enrollmentId: r.enrollmentId ?? null,
      jobId: r.jobId ?? null,
      techId: r.techId ?? null,
      qrCodeId: r.qrCodeId ?? null,
      status: 'scheduled',
      createdAt: now.toISOString(),
    })
    .onConflictDoNothing()
    .run()
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
