/** Review requests: one per ask, whether sent by a journey step or opened from a QR code. */
import type { OrgDb } from '../db'
import { reviewRequests } from '../schema'

export type NewReviewRequest = {
  /** Chosen beforehand: the signed rating-page link names it. */
  id: string
  orgClientId: string | null
  channel: 'sms' | 'email' | 'qr' | 'portal'
  enrollmentId?: string
  jobId?: string | null
  techId?: string | null
  qrCodeId?: string | null
}

/** Records a review request as `scheduled`; its message, once decided, is linked with `messageId`. */
export function createReviewRequest(db: OrgDb, r: NewReviewRequest, now = new Date()): void {
  db.insert(reviewRequests).values({
    id: r.id, orgClientId: r.orgClientId, channel: r.channel, enrollmentId: r.enrollmentId ?? null, jobId: r.jobId ?? null,
    techId: r.techId ?? null, qrCodeId: r.qrCodeId ?? null, status: 'scheduled', createdAt: now.toISOString(),
  }).onConflictDoNothing().run()
}
