/**
 * "Ask for a review" from the client page or the API: one review request, sent now through the
 * messaging engine like a journey's review step (consent, quiet hours, the daily cap, once).
 */
import { eq } from 'drizzle-orm'
import { conflict, notFound } from '../../../src/errors'
import type { Channel } from '../../../src/messaging/templates'
import type { OrgDb } from '../db'
import type { DispatchContext, DispatchResult } from '../messaging/dispatch'
import { recipientOf } from '../messaging/recipients'
import { wordingOf } from '../journeys/wording'
import { decideMessage, type Decision } from '../messaging/outgoing'
import { reviewRequests } from '../schema'
import { createReviewRequest, requirePublicReviewLink } from './requests'

export type AskedReview = {
  review_request_id: string
  url: string
  message: Pick<Decision, 'id' | 'status' | 'reason'>
  send_after: string | null
}

/** Records the request and decides its message; the caller enqueues `result.queued`. */
export function askForReview(
  db: OrgDb,
  ctx: DispatchContext,
  orgClientId: string,
  channel: Channel,
  result: DispatchResult,
): AskedReview {
  const recipient = recipientOf(db, orgClientId, ctx.timezone)
  if (!recipient) throw notFound('client')
  requirePublicReviewLink(db)
  const links = ctx.links[orgClientId]
  if (!links) throw conflict('Review links are not configured (PORTAL_SIGNING_KEY).')
  const { id, url } = links.review
  createReviewRequest(db, { id, orgClientId, channel }, ctx.now)
  const wording = wordingOf(
    { type: 'review_request', channel },
    {
      first_name: recipient.firstName,
      business_name: ctx.businessName,
      portal_link: links.portal,
      review_link: url,
    },
  )
  const decision = decideMessage(
    db,
    ctx,
    {
      orgClientId,
      channel,
      subject: wording.subject,
      body: wording.body,
      purpose: 'review_request',
      dedupeKey: `review_request:${id}`,
      transactional: false,
      reviewRequestId: id,
      whenCapped: 'defer',
    },
    result,
  )
  db.update(reviewRequests).set({ messageId: decision.id }).where(eq(reviewRequests.id, id)).run()
  const sendAfter = decision.status === 'deferred' ? decision.sendAfter : null
  return {
    review_request_id: id,
    url,
    message: { id: decision.id, status: decision.status, reason: decision.reason },
    send_after: sendAfter,
  }
}
