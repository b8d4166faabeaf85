/**
 * The rating page's use cases: open it, rate, follow the public review link. The public link is
 * part of every view whatever the rating; only the private feedback form depends on it.
 */
import { eq, sql } from 'drizzle-orm'
import type { OrgDb } from '../db'
import { recordEvent } from '../events'
import { events, privateFeedback, profile, reviewRequests } from '../schema'
import { requestForLink, type ReviewRequestRow } from './requests'

/** What the rating page shows. */
export type RatingView = {
  request_id: string
  business_name: string
  business_phone: string | null
  /** The business's public review page; null when the business has not set one. */
  google_review_url: string | null
  rating: number | null
  /** False for a request without a client (a QR scan): the private form then asks how to reach them. */
  has_client: boolean
  feedback_sent: boolean
}

/** The rating page's view of a request. */
export function ratingView(db: OrgDb, r: ReviewRequestRow): RatingView {
  const p = db
    .select({ name: profile.name, url: profile.googleReviewUrl, phone: profile.phone })
    .from(profile)
    .where(eq(profile.id, 1))
    .get()
  const feedback = db
    .select({ id: privateFeedback.id })
    .from(privateFeedback)
    .where(eq(privateFeedback.reviewRequestId, r.id))
    .get()
  return {
    request_id: r.id,
    business_name: p?.name ?? 'the business',
    business_phone: p?.phone ?? null,
    google_review_url: p?.url ?? null,
    rating: r.rating,
    has_client: r.orgClientId !== null,
    feedback_sent: feedback !== undefined,
  }
}

/** Opens the rating page: the first visit marks the request opened (`clicked`). Null when the link names no such request. */
export function openRatingPage(db: OrgDb, id: string, orgClientId: string, now = new Date()): RatingView | null {
  const r = requestForLink(db, id, orgClientId)
  if (!r) return null
  if (!r.openedAt)
    db.update(reviewRequests)
      .set({ status: 'clicked', openedAt: now.toISOString() })
      .where(eq(reviewRequests.id, id))
      .run()
  return ratingView(db, r)
}

/**
 * Records a request's rating: one per request, so posting again changes it rather than adding one.
 * The first raises `review_left` on the client's timeline and journeys; a change corrects that
 * event's rating instead of raising another.
 */
export function rateRequest(
  db: OrgDb,
  id: string,
  orgClientId: string,
  rating: number,
  now = new Date(),
): ReviewRequestRow | null {
  const r = requestForLink(db, id, orgClientId)
  if (!r) return null
  const at = now.toISOString()
  const openedAt = r.openedAt ?? at
  db.update(reviewRequests)
    .set({ rating, ratedAt: at, openedAt, status: 'clicked' })
    .where(eq(reviewRequests.id, id))
    .run()
  if (r.rating === null)
    recordEvent(
      db,
      'review_left',
      r.orgClientId,
      { rating, review_request_id: r.id, channel: r.channel, tech_id: r.techId },
      at,
    )
  else if (r.rating !== rating) {
    db.run(sql`update ${events} set data = json_set(data, '$.rating', ${rating})
      where type = 'review_left' and org_client_id is ${r.orgClientId} and json_extract(data, '$.review_request_id') = ${r.id}`)
  }
  return { ...r, rating, ratedAt: at, openedAt, status: 'clicked' }
}

/** Notes that the public review link was followed (the first time) and returns where it goes; null when the link names no such request. */
export function recordPublicClick(
  db: OrgDb,
  id: string,
  orgClientId: string,
  now = new Date(),
): { url: string | null } | null {
  const r = requestForLink(db, id, orgClientId)
  if (!r) return null
  if (!r.publicClickedAt)
    db.update(reviewRequests).set({ publicClickedAt: now.toISOString() }).where(eq(reviewRequests.id, id)).run()
  return { url: db.select({ url: profile.googleReviewUrl }).from(profile).where(eq(profile.id, 1)).get()?.url ?? null }
}
