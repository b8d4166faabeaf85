/**
 * Review requests: one per ask, whether sent by a journey step, a campaign, opened from a QR code
 * or by staff; and the one rule that holds every review-request message while the business has
 * no public review link (Google's policy: everyone asked must be offered it).
 */
import { asc, eq, inArray } from 'drizzle-orm'
import { AppError, notFound } from '../../../src/errors'
import type { Verdict } from '../../../src/messaging/decision'
import { crewsOf } from '../crm/crews'
import type { OrgDb } from '../db'
import { orgClients, profile, reviewRequests, techs } from '../schema'

/** Why a review-request message is skipped, and the API's 409 code, while the business has no public review link. */
export const NO_PUBLIC_REVIEW_LINK = 'no_public_review_link'

/**
 * Whether a message asking for a review may go out now: null when it may, else the reason it may
 * not (the business has no public review link). Every review-request message is decided through it.
 */
export function reviewRequestHeld(db: OrgDb): string | null {
  const link = db.select({ url: profile.googleReviewUrl }).from(profile).where(eq(profile.id, 1)).get()?.url
  return link ? null : NO_PUBLIC_REVIEW_LINK
}

/** The verdict on a message carrying a review request's link: skipped while the business has no public review link, else null. */
export function reviewVerdict(db: OrgDb): Verdict | null {
  const held = reviewRequestHeld(db)
  return held ? { status: 'skipped', reason: held } : null
}

/** A campaign's text asks for a review when it uses `{{review_link}}`: each client's message then carries a review request. */
export function asksForReview(texts: Array<string | null>): boolean {
  return texts.some((t) => t !== null && /\{\{\s*review_link\s*\}\}/.test(t))
}

/** Staff asking for a review now (the API, the client page): a 409 saying what to set first, before anything is written. */
export function requirePublicReviewLink(db: OrgDb): void {
  if (reviewRequestHeld(db))
    throw new AppError(
      409,
      NO_PUBLIC_REVIEW_LINK,
      'Add your public review link (Settings › Reviews) before asking for reviews: everyone asked is offered it.',
    )
}

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
