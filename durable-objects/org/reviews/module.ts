/** The ORG object's review funnel: review requests, ratings, private feedback, owner alerts, techs and QR codes. */
import { spend } from '../../../src/auth/rate-limit'
import { peopleDb } from '../../../src/db'
import { notFound } from '../../../src/errors'
import { qrRatingLimit } from '../../../src/reviews/limits'
import { type Owner, ownersOf } from '../../../src/reviews/owners'
import { registerQrCode } from '../../../src/reviews/qr-codes'
import { getClient } from '../crm/clients'
import type { DispatchResult } from '../messaging/dispatch'
import type { OrgHost } from '../host'
import { attempt, type Result } from '../result'
import * as alerts from './alerts'
import { type AskedReview, askForReview } from './ask'
import * as feedback from './feedback'
import * as log from './log'
import * as qr from './qr'
import * as rating from './rating'
import * as requests from './requests'
import * as stats from './stats'
import * as techs from './techs'
import { type ContextHost, dispatchContext } from '../messaging/context'

/** A rating's answer: the page's view, and when a QR code's limit refused it, the seconds to wait (nothing recorded). */
export type Rated = { view: rating.RatingView; retry_after: number | null }

export type ReviewsHost = ContextHost & Pick<OrgHost, 'write' | 'run' | 'clock' | 'tz' | 'outbox'>

export class Reviews {
  constructor(private readonly host: ReviewsHost) {}

  /** Opens a review request for a client (an "Ask for a review" by staff); returns its id. */
  openReviewRequest(orgClientId: string, channel: 'sms' | 'email' | 'portal'): Promise<Result<string>> {
    return this.host.write(() => requests.openReviewRequest(this.host.db, orgClientId, channel, this.host.clock.now()))
  }

  /** Sends a review request to a client now, through the messaging engine (staff's "Ask for a review"). */
  async askForReview(orgClientId: string, channel: 'sms' | 'email'): Promise<Result<AskedReview>> {
    const client = getClient(this.host.db, orgClientId)
    const ctx = await dispatchContext(
      this.host,
      this.host.clock.now(),
      client ? [client.person_id] : [],
      client ? [orgClientId] : [],
    )
    const result: DispatchResult = { sent: 0, skipped: 0, deferred: 0, queued: [] }
    const asked = await this.host.write(() => {
      if (!client || !ctx) throw notFound('client')
      return askForReview(this.host.db, ctx, orgClientId, channel, result)
    })
    if (asked.ok) await this.host.outbox.sends(result.queued)
    return asked
  }

  openRatingPage(requestId: string, orgClientId: string): Promise<rating.RatingView | null> {
    return this.host.run(() => rating.openRatingPage(this.host.db, requestId, orgClientId, this.host.clock.now()))
  }

  /**
   * Records a rating (one per request: posting again changes it) and raises `review_left`; a
   * rating of 1–3 alerts the owners (at most one email an hour, see reviews/alerts.ts). A QR
   * code's request counts against the rater's address when first rated: over the limit nothing is
   * recorded and the answer says how long to wait.
   */
  async rateReview(
    requestId: string,
    orgClientId: string,
    value: number,
    ip: string,
    now: Date = this.host.clock.now(),
  ): Promise<Rated | null> {
    const request = requests.requestForLink(this.host.db, requestId, orgClientId)
    if (!request) return null
    if (request.qrCodeId && request.rating === null) {
      const wait = await spend(peopleDb(this.host.env.PEOPLE), [qrRatingLimit(request.qrCodeId, ip)], now.getTime())
      if (wait !== null) return { view: rating.ratingView(this.host.db, request), retry_after: wait }
    }
    const owners = value <= alerts.LOW_RATING ? await this.owners() : null
    const result = await this.host.write(() => {
      const rated = rating.rateRequest(this.host.db, requestId, orgClientId, value, now)
      if (!rated) return null
      if (value <= alerts.LOW_RATING) alerts.recordAlert(this.host.db, rated.id, 'rating', now)
      return {
        view: rating.ratingView(this.host.db, rated),
        sent: owners ? alerts.sendDueAlerts(this.host.db, owners, this.alertOptions(), now) : [],
      }
    })
    if (!result.ok || !result.value) return null
    await this.host.outbox.sends(result.value.sent)
    return { view: result.value.view, retry_after: null }
  }

  /** Stores private feedback, notes it on the client's timeline and alerts the owners with the text (within the hourly email). */
  async submitFeedback(
    requestId: string,
    orgClientId: string,
    input: feedback.FeedbackInput,
    now: Date = this.host.clock.now(),
  ): Promise<Result<rating.RatingView | null>> {
    const owners = await this.owners()
    const result = await this.host.write(() => {
      const done = feedback.submitFeedback(this.host.db, requestId, orgClientId, input, now)
      if (!done) return null
      alerts.recordAlert(this.host.db, done.request.id, 'feedback', now)
      return {
        view: rating.ratingView(this.host.db, done.request),
        sent: alerts.sendDueAlerts(this.host.db, owners, this.alertOptions(), now),
      }
    })
    if (!result.ok) return result
    await this.host.outbox.sends(result.value?.sent ?? [])
    return { ok: true, value: result.value?.view ?? null }
  }

  /** The due-work step: writes the owners' alerts that waited for their hour; returns the messages to send. */
  async sendDueDigest(now: Date): Promise<string[]> {
    const due = alerts.nextDigestAt(this.host.db)
    const owners = due !== null && due <= now.toISOString() ? await this.owners() : null
    return owners ? this.host.run(() => alerts.sendDueAlerts(this.host.db, owners, this.alertOptions(), now)) : []
  }

  /** Notes that the public review link was followed; returns where it goes. */
  followPublicLink(requestId: string, orgClientId: string): Promise<{ url: string | null } | null> {
    return this.host.run(() => rating.recordPublicClick(this.host.db, requestId, orgClientId, this.host.clock.now()))
  }

  // Staff: the inbox, the log, techs and QR codes

  listFeedback(query: { limit: number; unread?: boolean }): feedback.FeedbackItem[] {
    return feedback.listFeedback(this.host.db, query)
  }

  /** Opens one piece of feedback, marking it read. */
  readFeedback(id: string): Promise<feedback.FeedbackItem | null> {
    return this.host.run(() => feedback.readFeedback(this.host.db, id, this.host.clock.now()))
  }

  unreadFeedbackCount(): number {
    return feedback.unreadFeedbackCount(this.host.db)
  }

  ratingsSummary(): stats.RatingsSummary {
    return stats.ratingsSummary(this.host.db, this.host.tz())
  }

  listReviewRequests(query: log.ReviewRequestsQuery): log.ReviewRequestItem[] {
    return log.listReviewRequests(this.host.db, query)
  }

  createTech(input: { name: string; email?: string | null; userId?: string | null }): Promise<techs.TechDetail> {
    return this.host.run(() => techs.createTech(this.host.db, input))
  }

  /** Links a tech to a team member the caller checked is on the team (their own row, if any, merges into it). */
  linkTech(id: string, userId: string): Promise<Result<techs.TechDetail>> {
    return this.host.write(() => techs.linkTech(this.host.db, id, userId))
  }

  /** Brings the techs in step with the team as the registry lists it now. */
  syncTeamTechs(team: techs.TeamPerson[]): Promise<void> {
    return this.host.run(() => techs.syncTeamTechs(this.host.db, team))
  }

  /** Someone left the team: their tech row is deactivated; returns how many rows changed. */
  techLeftTeam(userId: string): Promise<number> {
    return this.host.run(() => techs.deactivateTechOf(this.host.db, userId))
  }

  listTechs(): techs.TechDetail[] {
    return techs.listTechs(this.host.db)
  }

  getTech(id: string): techs.TechDetail | null {
    return techs.getTech(this.host.db, id)
  }

  setTechActive(id: string, active: boolean): Promise<Result<techs.TechDetail>> {
    return this.host.write(() => techs.setTechActive(this.host.db, id, active))
  }

  /** Adds a QR code for a tech under a new short code registered in the registry, so `/q/{code}` finds this organization. */
  async addQrCode(techId: string, label: string): Promise<Result<qr.QrCode>> {
    const p = this.host.profile()
    if (!p || !techs.getTech(this.host.db, techId))
      return attempt(() => {
        throw notFound('tech')
      })
    const code = await registerQrCode(peopleDb(this.host.env.PEOPLE), p.organizationId)
    return this.host.write(() => qr.addQrCode(this.host.db, techId, label, code))
  }

  getQrCode(id: string): (qr.QrCode & { tech_name: string | null }) | null {
    return qr.getQrCode(this.host.db, id)
  }

  /** Counts a scan and opens a review request for the code's tech; null for an unknown code. */
  scanQrCode(code: string): Promise<string | null> {
    return this.host.run(() => qr.scanQrCode(this.host.db, code, this.host.clock.now()))
  }

  private async owners(): Promise<Owner[]> {
    const p = this.host.profile()
    return p ? ownersOf(peopleDb(this.host.env.PEOPLE), p.organizationId) : []
  }

  private alertOptions(): alerts.AlertOptions {
    const { emailFrom, baseUrl } = this.host.senders()
    return { from: emailFrom, appUrl: baseUrl }
  }
}
