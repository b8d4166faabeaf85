/** Estimates (seed 002's opportunities): lines and tax as invoices, sent with an approval link, approved or declined, expired, booked as a job. */
import { eq } from 'drizzle-orm'
import { notFound } from '../../../src/errors'
import { signingKeys } from '../../../src/portal/links'
import type { Author } from '../cards/cards'
import { taxRateFor } from '../crm/invoice-lines'
import type { OrgHost } from '../host'
import { attempt, type Result } from '../result'
import { profile } from '../schema'
import type { Leads } from './leads-module'
import type { SalesDeps } from './module'
import * as answers from './estimates/answers'
import * as booking from './estimates/booking'
import * as drafts from './estimates/drafts'
import { currentLink } from './estimates/links'
import * as records from './estimates/records'
import { type EstimateChannel, type EstimateMessage, sendEstimate } from './estimates/send'
import * as view from './estimates/view'

/** A lead's name and contact, for the client card its estimate is sent to. */
export type LeadContact = {
  lead_id: string
  first_name: string
  last_name: string | null
  email: string | null
  phone: string | null
  source: string
}

export class Estimates {
  constructor(
    private readonly host: OrgHost,
    private readonly deps: SalesDeps,
    private readonly leads: Leads,
  ) {}

  /** A draft for a lead or a client; 404 for a stranger, 409 for a converted lead. */
  async createEstimate(input: drafts.NewEstimate): Promise<Result<records.EstimateDetail>> {
    const made = await this.host.write(() =>
      drafts.createEstimate(this.host.db, input, this.host.tz(), this.host.clock.now()),
    )
    return made.ok ? { ok: true, value: (await this.getEstimate(made.value))! } : made
  }

  listEstimates(query: records.EstimatesQuery): records.Estimate[] {
    return records.listEstimates(this.host.db, query)
  }

  /** One estimate with its lines and, once sent, its homeowner link; null for an id this business does not hold. */
  async getEstimate(id: string): Promise<records.EstimateDetail | null> {
    const found = records.estimateWithLines(this.host.db, id)
    if (!found) return null
    const row = records.estimateRow(this.host.db, id)!
    const keys = signingKeys(this.host.env)
    const p = this.host.profile()
    const link =
      keys && p && row.status !== 'draft'
        ? await currentLink(keys, this.host.senders(p).baseUrl, p.organizationId, row)
        : null
    return { ...found, link }
  }

  async updateEstimate(id: string, patch: drafts.EstimatePatch): Promise<Result<records.EstimateDetail>> {
    const changed = await this.host.write(() => drafts.updateEstimate(this.host.db, id, patch, this.host.clock.now()))
    return changed.ok ? { ok: true, value: (await this.getEstimate(id))! } : changed
  }

  deleteEstimate(id: string): Promise<Result<void>> {
    return this.host.write(() => drafts.deleteEstimate(this.host.db, id))
  }

  /** The percent a new estimate for this lead or client is taxed at (the business's default for a lead). */
  taxRate(subject: { lead_id?: string; org_client_id?: string }): number {
    if (subject.org_client_id) return taxRateFor(this.host.db, subject.org_client_id)
    return this.host.db.select({ r: profile.defaultTaxRate }).from(profile).where(eq(profile.id, 1)).get()?.r ?? 0
  }

  /** The lead whose details make the client card a lead's estimate is sent to; null when it has a client already. */
  leadContact(id: string): Result<LeadContact | null> {
    return attempt(() => {
      const row = records.estimateRow(this.host.db, id)
      if (!row) throw notFound('estimate')
      if (!row.leadId || row.orgClientId) return null
      const lead = this.leads.getLead(row.leadId)
      if (!lead) throw notFound('lead')
      const { first_name, last_name, email, phone, source } = lead
      return { lead_id: lead.id, first_name, last_name, email, phone, source }
    })
  }

  /** Gives a lead's estimate the client card the Worker made or found for the lead. */
  async attachClient(id: string, orgClientId: string): Promise<Result<void>> {
    return this.host.write(() => drafts.attachClient(this.host.db, id, orgClientId, this.host.clock.now()))
  }

  /** Sends the estimate with a new link; the estimate as it is now and the message. */
  async sendEstimate(
    id: string,
    channel?: EstimateChannel,
  ): Promise<Result<{ estimate: records.EstimateDetail; message: EstimateMessage }>> {
    const sent = await sendEstimate(this.host, this.deps.portal, id, channel)
    return sent.ok ? { ok: true, value: { estimate: (await this.getEstimate(id))!, message: sent.value } } : sent
  }

  /** The homeowner's page behind a link's hash; null for any hash no estimate has now. */
  linkView(hash: string): view.EstimateLinkView | null {
    return view.linkView(this.host.db, hash, this.host.clock.now())
  }

  /** The homeowner approves (typed name) or declines (reason) through the link; a replay changes nothing. */
  answer(hash: string, answer: answers.Answer): Promise<Result<answers.Answered>> {
    return this.host.write(() => answers.answerByLink(this.host.db, hash, answer, this.host.clock.now()))
  }

  /** Books the approved estimate as a job with its lines (409 unless approved, or when already booked). */
  bookJob(
    id: string,
    input: booking.EstimateBooking,
    author: Author,
  ): Promise<Result<{ job: ReturnType<typeof booking.bookEstimate>['job']; estimate_id: string }>> {
    return this.host.write(() => booking.bookEstimate(this.host.db, id, input, author, this.host.clock.now()))
  }

  /** The estimate's lead while it is not converted yet (the Worker converts it on approval or booking), else null. */
  leadToConvert(id: string): string | null {
    const row = records.estimateRow(this.host.db, id)
    return row ? answers.leadToConvert(this.host.db, row) : null
  }
}
