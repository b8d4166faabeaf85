/**
 * Sending campaigns in batches: each run of due work decides at most `campaignBatchSize` pending
 * sends per sending campaign through the engine's `decideMessage`; the cron runs every minute,
 * so one batch a minute is the throttle. A campaign with nothing pending left is `sent`.
 */
import { and, asc, eq, min, sql } from 'drizzle-orm'
import type { OrgDb } from '../db'
import type { DispatchContext, DispatchResult } from '../messaging/dispatch'
import { recipientOf } from '../messaging/recipients'
import { decideMessage } from '../messaging/outgoing'
import { asksForReview, createReviewRequest } from '../reviews/requests'
import { campaigns, campaignSends, profile, reviewRequests } from '../schema'
import { renderCampaign } from './message'

type Pending = { orgClientId: string; personId: string | null }

/** The next batch of one campaign, in the order its recipients were fixed. */
function nextBatch(db: OrgDb, campaignId: string, size: number): Pending[] {
  return db
    .all<{ org_client_id: string; person_id: string | null }>(sql`
    select s.org_client_id, c.person_id from campaign_sends s left join org_clients c on c.id = s.org_client_id
    where s.campaign_id = ${campaignId} and s.status = 'pending' order by s.rowid limit ${size}`)
    .map((r) => ({ orgClientId: r.org_client_id, personId: r.person_id }))
}

function sendingCampaigns(db: OrgDb) {
  return db.select().from(campaigns).where(eq(campaigns.status, 'sending')).orderBy(asc(campaigns.startedAt)).all()
}

/** Clients in the next batch of every campaign that is sending. */
export function dueCampaignClients(db: OrgDb, _now: Date): string[] {
  const size = db.select({ size: profile.campaignBatchSize }).from(profile).where(eq(profile.id, 1)).get()?.size ?? 0
  return sendingCampaigns(db).flatMap((c) => nextBatch(db, c.id, size).map((p) => p.orgClientId))
}

/** Decides the next batch of each sending campaign. */
export function runDueCampaigns(db: OrgDb, ctx: DispatchContext, result: DispatchResult): void {
  const at = ctx.now.toISOString()
  for (const campaign of sendingCampaigns(db)) {
    for (const send of nextBatch(db, campaign.id, ctx.campaignBatchSize)) {
      // Only recipients this run read consent for: an overlapping run leaves the others for the next one.
      if (send.personId && !ctx.consents[send.personId]) continue
      const link = ctx.links[send.orgClientId]
      // Asking for a review ({{review_link}}) records a request per client; without a public review link it is skipped.
      const review = link && asksForReview([campaign.subject, campaign.body]) ? link.review : null
      if (review)
        createReviewRequest(db, { id: review.id, orgClientId: send.orgClientId, channel: campaign.channel }, ctx.now)
      const message = renderCampaign(campaign, {
        first_name: recipientOf(db, send.orgClientId, ctx.timezone)?.firstName ?? 'there',
        business_name: ctx.businessName,
        portal_link: link?.portal ?? '',
        review_link: review?.url ?? '',
      })
      const decision = decideMessage(
        db,
        ctx,
        {
          orgClientId: send.orgClientId,
          channel: campaign.channel,
          subject: message.subject,
          body: message.body,
          purpose: 'campaign',
          dedupeKey: `campaign:${campaign.id}:${send.orgClientId}`,
          transactional: false,
          whenCapped: 'skip',
          campaignId: campaign.id,
          ...(review ? { reviewRequestId: review.id } : {}),
        },
        result,
      )
      if (review)
        db.update(reviewRequests).set({ messageId: decision.id }).where(eq(reviewRequests.id, review.id)).run()
      db.update(campaignSends)
        .set({
          status: decision.status === 'skipped' ? 'skipped' : 'queued',
          reason: decision.status === 'skipped' ? decision.reason : null,
          messageId: decision.id,
          updatedAt: at,
        })
        .where(and(eq(campaignSends.campaignId, campaign.id), eq(campaignSends.orgClientId, send.orgClientId)))
        .run()
    }
    if (nextBatch(db, campaign.id, 1).length === 0) {
      db.update(campaigns)
        .set({ status: 'sent', finishedAt: at, updatedAt: at })
        .where(eq(campaigns.id, campaign.id))
        .run()
    }
  }
}

/**
 * When the next campaign batch is due, or null: a scheduled campaign's `send_at`, or for one that
 * is sending (it has pending sends) its start, which is past, so the next run takes a batch.
 */
export function nextCampaignDueAt(db: OrgDb): string | null {
  const scheduled =
    db
      .select({ at: min(campaigns.sendAt) })
      .from(campaigns)
      .where(eq(campaigns.status, 'scheduled'))
      .get()?.at ?? null
  const sending =
    db
      .select({ at: min(campaigns.startedAt) })
      .from(campaigns)
      .where(eq(campaigns.status, 'sending'))
      .get()?.at ?? null
  const times = [scheduled, sending].filter((t): t is string => t !== null)
  return times.length === 0 ? null : times.reduce((a, b) => (a < b ? a : b))
}
