/**
 * Leads and their pipeline: lead statuses, leads, activities, one-way conversion to clients, the
 * conversion report and the public form's requests. Each method delegates to leads/*.ts; every
 * public method is callable from the Worker (src/sales/remote.ts), so expected failures come back
 * as Results.
 */
import { addDays, localDate, zonedTimeToUtc } from '../../../src/time'
import type { OrgHost } from '../host'
import { attempt, type Result } from '../result'
import * as activities from './leads/activities'
import * as boards from './leads/board'
import * as conversion from './leads/conversion'
import * as leads from './leads/leads'
import { type ListLeadsQuery, listLeads } from './leads/list'
import { conversionReport } from './leads/report'
import * as requests from './leads/requests'
import * as statuses from './leads/statuses'
import type { SalesDeps } from './module'

/** The default period of the conversion report, in days up to today. */
const REPORT_DAYS = 90

export class Leads {
  /** Leads being converted now (src/sales/conversion.ts claims one while it makes the client). */
  private readonly claims = new conversion.ConversionClaims()

  // The other domains are not needed yet: the CRM's writes that concern leads call leads/client-status.ts themselves.
  constructor(
    private readonly host: OrgHost,
    _deps: SalesDeps,
  ) {}

  // Lead statuses

  listStatuses(): statuses.LeadStatus[] {
    return statuses.listStatuses(this.host.db)
  }

  createStatus(input: statuses.NewLeadStatus): Promise<Result<statuses.LeadStatus>> {
    return this.host.write(() => statuses.createStatus(this.host.db, input))
  }

  updateStatus(id: string, patch: statuses.LeadStatusPatch): Promise<Result<statuses.LeadStatus>> {
    return this.host.write(() => statuses.updateStatus(this.host.db, id, patch))
  }

  deleteStatus(id: string): Promise<Result<{ deleted: true; id: string }>> {
    return this.host.write(() => statuses.deleteStatus(this.host.db, id))
  }

  // Leads

  createLead(input: leads.NewLead): Promise<Result<leads.Lead>> {
    return this.host.write(() => leads.createLead(this.host.db, input, this.host.clock.now()))
  }

  /** The lead with its status and activities; null when this business has no such lead. */
  getLead(id: string): leads.LeadDetail | null {
    return leads.getLeadDetail(this.host.db, id)
  }

  updateLead(id: string, patch: leads.LeadPatch, authorId: string | null = null): Promise<Result<leads.Lead>> {
    return this.host.write(() => leads.updateLead(this.host.db, id, patch, this.host.clock.now(), authorId))
  }

  listLeads(query: ListLeadsQuery): { items: leads.Lead[]; next_cursor: string | null } {
    return listLeads(this.host.db, query)
  }

  /** The pipeline board: every status with its count, value and first cards, in one indexed read. */
  board(query: boards.BoardQuery = {}): boards.BoardColumn[] {
    return boards.board(this.host.db, query)
  }

  /** Open leads to follow up before `untilIso`, the most overdue first (the dashboard's list). */
  followUpsDue(untilIso: string, limit = 50): boards.LeadCard[] {
    return boards.followUpsDue(this.host.db, untilIso, limit)
  }

  /** How many requests came from the public form since `sinceIso` (the dashboard's count). */
  countRequestsSince(sinceIso: string): number {
    return boards.countRequestsSince(this.host.db, sinceIso)
  }

  // Activities

  activityTypes(): activities.ActivityType[] {
    return activities.listActivityTypes(this.host.db)
  }

  addActivity(
    subject: activities.ActivitySubject,
    input: activities.NewActivity,
  ): Promise<Result<activities.Activity>> {
    return this.host.write(() => activities.addActivity(this.host.db, subject, input, this.host.clock.now()))
  }

  /** A lead's or client's activities, newest first; null when this business has no such lead or client. */
  activitiesOf(subject: activities.ActivitySubject): activities.Activity[] | null {
    return activities.activitiesOf(this.host.db, subject)
  }

  // Conversion (src/sales/conversion.ts drives it: claim, make the client, complete)

  /** Claims the lead for converting: 404 for none, 409 once converted or while another conversion runs. */
  startConversion(leadId: string): Result<leads.Lead> {
    return attempt(() => conversion.startConversion(this.host.db, this.claims, leadId, Date.now()))
  }

  /** Marks the claimed lead converted to the client, in one transaction, and lets go of the claim. */
  async completeConversion(
    leadId: string,
    orgClientId: string,
    authorId: string | null = null,
  ): Promise<Result<leads.Lead>> {
    try {
      return await this.host.write(() =>
        conversion.markConverted(this.host.db, leadId, orgClientId, this.host.clock.now(), authorId),
      )
    } finally {
      this.claims.release(leadId)
    }
  }

  /** Lets go of a claim whose client could not be made. */
  abandonConversion(leadId: string): void {
    this.claims.release(leadId)
  }

  /** client_lead_history: the leads this client came from, with their activities; null for no such client. */
  clientLeadHistory(orgClientId: string): conversion.LeadHistory[] | null {
    return conversion.clientLeadHistory(this.host.db, orgClientId)
  }

  /** The conversion report of the leads created from `from` to `to` (local dates, both included; default the last 90 days). */
  conversionReport(range: { from?: string; to?: string } = {}) {
    const tz = this.host.tz()
    const to = range.to ?? localDate(this.host.clock.now(), tz)
    const from = range.from ?? addDays(to, 1 - REPORT_DAYS)
    return conversionReport(this.host.db, {
      from,
      to,
      start: zonedTimeToUtc(from, '00:00', tz).toISOString(),
      end: zonedTimeToUtc(addDays(to, 1), '00:00', tz).toISOString(),
    })
  }

  // The public request form

  /** A request from /book/{slug}: the `web_form` lead and an email to each of `recipients`, sent at once. */
  async createRequest(input: requests.FormRequest, recipients: requests.StaffRecipient[]): Promise<Result<leads.Lead>> {
    const { emailFrom, baseUrl } = this.host.senders()
    const result = await this.host.write(() =>
      requests.createRequestLead(
        this.host.db,
        input,
        recipients,
        { from: emailFrom, appUrl: baseUrl },
        this.host.clock.now(),
      ),
    )
    if (!result.ok) return result
    await this.host.outbox.sends(result.value.sent)
    return { ok: true, value: result.value.lead }
  }
}
