/** The ORG object's review funnel: review requests, ratings, private feedback, techs and QR codes. */
import { spend } from '../../../src/auth/rate-limit'
import { peopleDb } from '../../../src/db'
import { notFound } from '../../../src/errors'
import { enqueueSends } from '../../../src/queues/sends'
import { qrRatingLimit } from '../../../src/reviews/limits'
import { registerQrCode } from '../../../src/reviews/qr-routes'
import { ownersOf, type Owner } from '../../../src/reviews/owners'
import { getClient } from '../clients'
import type { DispatchResult } from '../dispatch'
import { attempt, type Result } from '../result'
import { askForReview, type AskedReview } from '../reviews/ask'
import * as alerts from '../reviews/alerts'
import * as feedback from '../reviews/feedback'
import * as log from '../reviews/log'
import * as qr from '../reviews/qr'
import * as rating from '../reviews/rating'
import * as requests from '../reviews/requests'
import * as stats from '../reviews/stats'
import * as techs from '../reviews/techs'
import type { DueCounts } from './base'
import { OrgJourneys } from './journeys'

/** A rating's answer: the page's view, and when a QR code's limit refused it, the seconds to wait (nothing recorded). */
export type Rated = { view: rating.RatingView; retry_after: number | null }

export class OrgReviews extends OrgJourneys {
  // The rating page (links name a request and its client: '' for none)

  /** Opens a review request for a client (an "Ask for a review" by staff); returns its id. */
  async openReviewRequest(orgClientId: string, channel: 'sms' | 'email' | 'portal'): Promise<Result<string>> {
    return this.write(() => requests.openReviewRequest(this.db, orgClientId, channel))
  }

  /** Sends a review request to a client now, through the messaging engine (staff's "Ask for a review"). */
  async askForReview(orgClientId: string, channel: 'sms' | 'email'): Promise<Result<AskedReview>> {
    const client = getClient(this.db, orgClientId)
    const ctx = await this.dispatchContext(new Date(), client ? [client.person_id] : [], client ? [orgClientId] : [])
    const result: DispatchResult = { sent: 0, skipped: 0, deferred: 0, queued: [] }
    const asked = await this.change(() => {
      if (!client || !ctx) throw notFound('client')
      return askForReview(this.db, ctx, orgClientId, channel, result)
    })
    if (asked.ok && result.queued.length > 0) await enqueueSends(this.env, this.profileRow()!.organizationId, result.queued)
    return asked
  }

  async openRatingPage(requestId: string, orgClientId: string): Promise<rating.RatingView | null> {
    return this.ctx.storage.transactionSync(() => rating.openRatingPage(this.db, requestId, orgClientId))
  }

  /**
   * Records a rating (one per request: posting again changes it) and raises `review_left`; a
   * rating of 1–3 alerts the owners (at most one email an hour, see reviews/alerts.ts). A QR
   * code's request counts against the rater's address when first rated: over the limit nothing is
   * recorded and the answer says how long to wait.
   */
  async rateReview(requestId: string, orgClientId: string, value: number, ip: string, now = new Date()): Promise<Rated | null> {
    const request = requests.requestForLink(this.db, requestId, orgClientId)
    if (!request) return null
    if (request.qrCodeId && request.rating === null) {
      const wait = await spend(peopleDb(this.env.PEOPLE), [qrRatingLimit(request.qrCodeId, ip)], now.getTime())
      if (wait !== null) return { view: rating.ratingView(this.db, request), retry_after: wait }
    }
    const owners = value <= alerts.LOW_RATING ? await this.owners() : null
    const result = await this.change(() => {
      const rated = rating.rateRequest(this.db, requestId, orgClientId, value, now)
      if (!rated) return null
      if (value <= alerts.LOW_RATING) alerts.recordAlert(this.db, rated.id, 'rating', now)
      return { view: rating.ratingView(this.db, rated), sent: owners ? alerts.sendDueAlerts(this.db, owners, this.alertOptions(), now) : [] }
    })
    if (!result.ok || !result.value) return null
    await this.sendAlerts(result.value.sent)
    return { view: result.value.view, retry_after: null }
  }

  /** Stores private feedback, notes it on the client's timeline and alerts the owners with the text (within the hourly email). */
  async submitFeedback(requestId: string, orgClientId: string, input: feedback.FeedbackInput, now = new Date()): Promise<Result<rating.RatingView | null>> {
    const owners = await this.owners()
    const result = await this.change(() => {
      const done = feedback.submitFeedback(this.db, requestId, orgClientId, input, now)
      if (!done) return null
      alerts.recordAlert(this.db, done.request.id, 'feedback', now)
      return { view: rating.ratingView(this.db, done.request), sent: alerts.sendDueAlerts(this.db, owners, this.alertOptions(), now) }
    })
    if (!result.ok) return result
    await this.sendAlerts(result.value?.sent ?? [])
    return { ok: true, value: result.value?.view ?? null }
  }

  /** Sends the owners' alerts that waited for their hour, then runs the rest of the due work. */
  override async decideDueWork(now = new Date()): Promise<DueCounts & { queued: string[] }> {
    const due = alerts.nextDigestAt(this.db)
    const owners = due !== null && due <= now.toISOString() ? await this.owners() : null
    const digest = owners ? this.ctx.storage.transactionSync(() => alerts.sendDueAlerts(this.db, owners, this.alertOptions(), now)) : []
    const done = await super.decideDueWork(now)
    return { ...done, queued: [...digest, ...done.queued] }
  }

  /** Notes that the public review link was followed; returns where it goes. */
  async followPublicLink(requestId: string, orgClientId: string): Promise<{ url: string | null } | null> {
    return this.ctx.storage.transactionSync(() => rating.recordPublicClick(this.db, requestId, orgClientId))
  }

  // Staff: the inbox, the log, techs and QR codes

  async listFeedback(query: { limit: number; unread?: boolean }): Promise<feedback.FeedbackItem[]> {
    return feedback.listFeedback(this.db, query)
  }

  /** Opens one piece of feedback, marking it read. */
  async readFeedback(id: string): Promise<feedback.FeedbackItem | null> {
    return feedback.readFeedback(this.db, id)
  }

  async unreadFeedbackCount(): Promise<number> {
    return feedback.unreadFeedbackCount(this.db)
  }

  async ratingsSummary(): Promise<stats.RatingsSummary> {
    return stats.ratingsSummary(this.db, this.tz())
  }

  async listReviewRequests(query: log.ReviewRequestsQuery): Promise<log.ReviewRequestItem[]> {
    return log.listReviewRequests(this.db, query)
  }

  async createTech(input: { name: string; email?: string | null }): Promise<techs.TechDetail> {
    return techs.createTech(this.db, input)
  }

  async listTechs(): Promise<techs.TechDetail[]> {
    return techs.listTechs(this.db)
  }

  async getTech(id: string): Promise<techs.TechDetail | null> {
    return techs.getTech(this.db, id)
  }

  async setTechActive(id: string, active: boolean): Promise<Result<techs.TechDetail>> {
    return this.write(() => techs.setTechActive(this.db, id, active))
  }

  /** Adds a QR code for a tech under a new short code registered in the registry, so `/q/{code}` finds this organization. */
  async addQrCode(techId: string, label: string): Promise<Result<qr.QrCode>> {
    const p = this.profileRow()
    if (!p || !techs.getTech(this.db, techId)) return attempt(() => { throw notFound('tech') })
    const code = await registerQrCode(peopleDb(this.env.PEOPLE), p.organizationId)
    return this.write(() => qr.addQrCode(this.db, techId, label, code))
  }

  async getQrCode(id: string): Promise<(qr.QrCode & { tech_name: string | null }) | null> {
    return qr.getQrCode(this.db, id)
  }

  /** Counts a scan and opens a review request for the code's tech; null for an unknown code. */
  async scanQrCode(code: string): Promise<string | null> {
    return this.ctx.storage.transactionSync(() => qr.scanQrCode(this.db, code))
  }

  private async owners(): Promise<Owner[]> {
    const p = this.profileRow()
    return p ? ownersOf(peopleDb(this.env.PEOPLE), p.organizationId) : []
  }

  private alertOptions(): alerts.AlertOptions {
    return { from: this.env.EMAIL_FROM ?? 'HomeBase <reminders@homebase.test>', appUrl: this.env.PUBLIC_BASE_URL ?? 'http://localhost:8787' }
  }

  private async sendAlerts(ids: string[]): Promise<void> {
    const p = this.profileRow()
    if (p && ids.length > 0) await enqueueSends(this.env, p.organizationId, ids)
  }
}
