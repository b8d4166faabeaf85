/** The review-request log: every ask with its derived status, rating and whether the public link was followed. */
import { and, desc, eq, sql, type SQL } from 'drizzle-orm'
import type { OrgDb } from '../db'
import {
  contacts,
  messages,
  orgClients,
  privateFeedback,
  reviewRequests,
  techs,
  type ReviewRequestStatus,
} from '../schema'

/**
 * A request's status, the one rule: opened → `clicked`; else from its message: queued or
 * deferred → `scheduled`, sent → `sent`, delivered → `delivered`, failed or skipped → `failed`;
 * no message yet → `scheduled`. Read with `messages` joined on the request's `message_id`.
 */
export const reviewStatus = sql<ReviewRequestStatus>`(case
  when ${reviewRequests.openedAt} is not null or ${reviewRequests.status} = 'clicked' then 'clicked'
  when ${messages.status} = 'sent' then 'sent'
  when ${messages.status} = 'delivered' then 'delivered'
  when ${messages.status} in ('failed', 'skipped') then 'failed'
  else 'scheduled' end)`

export type ReviewRequestItem = {
  id: string
  org_client_id: string | null
  client_name: string | null
  channel: string
  status: ReviewRequestStatus
  rating: number | null
  tech_id: string | null
  tech_name: string | null
  enrollment_id: string | null
  message_id: string | null
  /** Why the message was not sent, when it was skipped or failed. */
  message_reason: string | null
  sent_at: string | null
  opened_at: string | null
  rated_at: string | null
  public_clicked_at: string | null
  has_feedback: boolean
  created_at: string
}

export type ReviewRequestsQuery = { status?: ReviewRequestStatus; org_client_id?: string; limit: number }

/** Review requests, newest first, optionally of one status or one client. */
export function listReviewRequests(db: OrgDb, q: ReviewRequestsQuery): ReviewRequestItem[] {
  const where: SQL[] = []
  if (q.status) where.push(sql`${reviewStatus} = ${q.status}`)
  if (q.org_client_id) where.push(eq(reviewRequests.orgClientId, q.org_client_id))
  return db
    .select({
      id: reviewRequests.id,
      org_client_id: reviewRequests.orgClientId,
      client_name: sql<
        string | null
      >`nullif(trim(coalesce(${contacts.firstName}, '') || ' ' || coalesce(${contacts.lastName}, '')), '')`,
      channel: reviewRequests.channel,
      status: reviewStatus,
      rating: reviewRequests.rating,
      tech_id: reviewRequests.techId,
      tech_name: techs.name,
      enrollment_id: reviewRequests.enrollmentId,
      message_id: reviewRequests.messageId,
      message_reason: messages.reason,
      sent_at: sql<string | null>`coalesce(${messages.sentAt}, ${reviewRequests.sentAt})`,
      opened_at: reviewRequests.openedAt,
      rated_at: reviewRequests.ratedAt,
      public_clicked_at: reviewRequests.publicClickedAt,
      has_feedback:
        sql<boolean>`exists (select 1 from ${privateFeedback} where ${privateFeedback.reviewRequestId} = ${reviewRequests.id})`.mapWith(
          Boolean,
        ),
      created_at: reviewRequests.createdAt,
    })
    .from(reviewRequests)
    .leftJoin(messages, eq(messages.id, reviewRequests.messageId))
    .leftJoin(orgClients, eq(orgClients.id, reviewRequests.orgClientId))
    .leftJoin(contacts, eq(contacts.personId, orgClients.personId))
    .leftJoin(techs, eq(techs.id, reviewRequests.techId))
    .where(where.length ? and(...where) : undefined)
    .orderBy(desc(reviewRequests.createdAt))
    .limit(q.limit)
    .all()
}
