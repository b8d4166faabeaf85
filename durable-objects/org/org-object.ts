/**
 * The ORG Durable Object: one per organization, the only reader and writer of its private data.
 * It is the RPC surface: one line per method the Worker calls. The CRM's methods, and the modules
 * below, are in its base class (org-crm-surface.ts).
 *
 * It is a façade: the constructor builds one host (database, the one write helper, clock, profile,
 * sender defaults, due-time index, outbox; see host.ts) and the domain modules (`<domain>/module.ts`), each
 * made from the slice of the host it needs. Every method delegates to one module; where one
 * domain's event moves another (a delivered or received SMS → a CRM note, a campaign sent now →
 * the due-work run) the calls are written out below, under "Across domains".
 */
import { callPublic } from './public-call'
import type { CrmJob } from '../../src/integrations/inbound/canonical'
import type { Keyword } from '../../src/messaging/keywords'
import type * as campaigns from './campaigns/campaigns'
import type * as deliveries from './messaging/deliveries'
import type { ChangeContext } from './integrations/apply-mappings'
import type * as stripe from './integrations/apply-stripe'
import type * as receipts from './integrations/receipts'
import type * as jobs from './crm/jobs'
import * as crmPush from './integrations/crm-push'
import type { InboundEmail } from './messaging/inbound'
import type { RequestedMessage } from './portal/module'
import type { SalesArea } from './sales/module'
import { unbookedEstimates } from './sales/estimates/unbooked'
import type { CampaignSettings, OrgProfile, OrgSettingsPatch, PaymentSettings, PlanLimits } from './settings'
import type { Result } from './result'
import { OrgCrmSurface } from './org-crm-surface'

export type { OrgProfile, OrgSettings, OrgSettingsPatch } from './settings'

export class OrgObject extends OrgCrmSurface {
  // Across domains: each reaction is a visible call, in the order it happens.

  /** A sent SMS also goes to the client's CRM. */
  async deliverySucceeded(messageId: string, provider: string, providerMessageId: string): Promise<void> {
    await this.messaging.deliverySucceeded(messageId, provider, providerMessageId)
    await this.host.outbox.pushes(this.connections.pushesForSent(messageId))
  }

  /** A `sends` batch's outcomes; the sent texts also go to the client's CRM. */
  async recordDeliveries(outcomes: deliveries.DeliveryOutcome[]): Promise<void> {
    await this.messaging.recordDeliveries(outcomes)
    const sent = outcomes.filter((o) => o.ok).flatMap((o) => this.connections.pushesForSent(o.id))
    await this.host.outbox.pushes(sent)
  }

  /** A received SMS also goes to the client's CRM, and an ordinary reply gets its tone read. */
  async recordInboundSms(from: string, body: string, keyword: Keyword | null): Promise<string | null> {
    const orgClientId = await this.messaging.recordInboundSms(from, body, keyword)
    if (orgClientId) await this.host.outbox.pushes(this.connections.pushesForReceived(orgClientId, body))
    if (orgClientId && keyword === null)
      await this.sales.assistant.readReply(orgClientId, { channel: 'sms', from, body })
    return orgClientId
  }

  async lastTextedAt(phone: string): Promise<string | null> {
    return this.messaging.lastTextedAt(phone)
  }

  /** A received email reply also goes to the client's CRM, as a received text does (once, not on a replay); its tone is read. */
  async recordInboundEmail(mail: InboundEmail): Promise<{ orgClientId: string; duplicate: boolean } | null> {
    const filed = await this.messaging.recordInboundEmail(mail)
    if (filed && !filed.duplicate) {
      await this.host.outbox.pushes(
        this.connections.pushesForReceived(filed.orgClientId, `Email "${mail.subject}":\n${mail.body}`),
      )
      await this.sales.assistant.readReply(filed.orgClientId, { channel: 'email', key: mail.key })
    }
    return filed
  }

  /** A Stripe payment recorded on one of our invoices also sends the client its receipt (they just paid: no quiet hours). */
  async applyStripePayment(payment: stripe.StripePayment) {
    const outcome = await this.integrations.applyStripePayment(payment, this.orgSettings.payment().stripe_account_id)
    if (outcome.ok && outcome.value.payment_id) await this.invoiceMessages.sendReceipt(outcome.value.payment_id, false)
    return outcome
  }

  /**
   * What a calendar page shows, in one call: the range's jobs (with crews and overlaps, only the
   * fields a calendar draws: a busy week is 500 of them), the blocked jobs and open requests that
   * need a time, approved estimates not booked yet, the services and the clients' names.
   */
  async calendar(q: { jobs: jobs.JobsQuery; blocked: jobs.JobsQuery; tasks: number; estimates?: number }) {
    const listed = this.crm.calendarRows(q.jobs)
    const blocked = this.crm.calendarRows({ ...q.blocked, status: 'blocked' })
    const tasks = this.portal.openTasks({ limit: q.tasks })
    const estimates = unbookedEstimates(this.host.db, q.estimates ?? 0)
    const naming = this.crm.clientNaming([...listed, ...blocked, ...estimates].map((j) => j.org_client_id))
    const services = this.crm.listServices({ include_archived: true })
    return { jobs: listed, blocked, tasks, estimates, services, naming }
  }

  /** Sends a draft or scheduled campaign at `sendAt`, or now when absent or past: then the first batch is decided and queued at once. */
  async sendCampaign(id: string, sendAt: string | null): Promise<Result<campaigns.Campaign>> {
    const now = this.host.clock.now()
    const { scheduled, dueNow } = await this.campaigns.schedule(id, sendAt, now)
    if (!dueNow) return scheduled
    await this.dueWork.run(now)
    return { ok: true, value: this.campaigns.getCampaign(id)! }
  }

  /** The sales domain (leads, estimates, accounts, the assistant) through one entry; the Worker calls it through src/sales/remote.ts. */
  async salesCall(area: SalesArea, method: string, args: unknown[]): Promise<unknown> {
    const result = await this.sales.call(area, method, args)
    // A client moved onto or off an account (not as it is made) has another company name in its CRMs.
    if (area === 'accounts' && method === 'setClientAccount' && args[2] === true && (result as Result<unknown>).ok)
      await crmPush.queueCustomerPushes(this.host, args[0] as string, { source: 'staff' }, 'updated')
    return result
  }

  /** Journeys (journeys/module.ts: definitions, steps, enrollments, raised events) through one entry; the Worker calls it through src/journeys/remote.ts. */
  async journeysCall(method: string, args: unknown[]): Promise<unknown> {
    return callPublic(this.journeys, 'journeys', method, args)
  }

  /** Campaigns (campaigns/module.ts) through one entry, but for sending (`sendCampaign` above runs the due work); the Worker calls it through src/campaigns/remote.ts. */
  async campaignsCall(method: string, args: unknown[]): Promise<unknown> {
    return callPublic(this.campaigns, 'campaigns', method, args, ['schedule'])
  }

  /** Connections to CRMs and accounting (integrations/connections-module.ts) through one entry; the Worker calls it through src/integrations/remote.ts. */
  async connectionsCall(method: string, args: unknown[]): Promise<unknown> {
    return callPublic(this.connections, 'connections', method, args)
  }

  /** Connecting and disconnecting a CRM (integrations/connect-module.ts) through one entry; the Worker calls it through src/integrations/remote.ts. */
  async connectFlowCall(method: string, args: unknown[]): Promise<unknown> {
    return callPublic(this.connectFlow, 'connect', method, args)
  }

  /** Messages, deliveries, conversations and templates (messaging/module.ts) through one entry; the Worker calls it through src/messaging/remote.ts. */
  async messagingCall(method: string, args: unknown[]): Promise<unknown> {
    return callPublic(this.messaging, 'messaging', method, args)
  }

  /** Duplicates and merges (merges/module.ts) through one entry; the Worker calls it through src/clients/remote.ts. */
  async mergesCall(method: string, args: unknown[]): Promise<unknown> {
    return callPublic(this.merges, 'merges', method, args)
  }

  /** Client cards and addresses (cards/module.ts) through one entry; the Worker calls it through src/clients/remote.ts. */
  async cardsCall(method: string, args: unknown[]): Promise<unknown> {
    return callPublic(this.cards, 'cards', method, args)
  }

  /** The homeowner portal (portal/module.ts) through one entry; the Worker calls it through src/portal/remote.ts. */
  async portalCall(method: string, args: unknown[]): Promise<unknown> {
    return callPublic(this.portal, 'portal', method, args)
  }

  /** Webhook receipts and CRM changes (integrations/module.ts) through one entry; the Worker calls it through src/integrations/remote.ts. */
  async integrationsCall(method: string, args: unknown[]): Promise<unknown> {
    return callPublic(this.integrations, 'integrations', method, args)
  }

  /** The review funnel (reviews/module.ts: requests, ratings, feedback, techs, QR codes) through one entry; the Worker calls it through src/reviews/remote.ts. */
  async reviewsCall(method: string, args: unknown[]): Promise<unknown> {
    return callPublic(this.reviews, 'reviews', method, args)
  }

  /** A business's export pages and an export's import (export/module.ts), through one entry; the Worker calls it through src/export/remote.ts. */
  async dataPort(method: string, args: unknown[]): Promise<unknown> {
    return this.port.call(method, args)
  }

  // Profile and settings

  async setProfile(p: OrgProfile) {
    return this.orgSettings.setProfile(p)
  }
  async settings() {
    return this.orgSettings.read()
  }
  async updateSettings(profile: OrgProfile, patch: OrgSettingsPatch) {
    return this.orgSettings.update(profile, patch)
  }
  async messagingSettings() {
    return this.orgSettings.messaging()
  }
  async setMessagingSettings(settings: Pick<OrgSettingsPatch, 'quiet_hours'>) {
    return this.orgSettings.setMessaging({ quiet_hours: settings.quiet_hours })
  }
  async paymentSettings() {
    return this.orgSettings.payment()
  }
  async setPaymentSettings(patch: Partial<PaymentSettings>) {
    return this.orgSettings.setPayment(patch)
  }
  async campaignSettings() {
    return this.orgSettings.campaign()
  }
  async setCampaignSettings(settings: Partial<CampaignSettings>) {
    return this.orgSettings.setCampaign(settings)
  }
  async setupChecklist() {
    return this.orgSettings.checklist()
  }
  async dismissSetupChecklist() {
    return this.orgSettings.dismissChecklist()
  }
  /** The plan's limits, told by src/billing/limits.ts whenever the business's plan changes. */
  async setPlanLimits(limits: PlanLimits) {
    return this.orgSettings.setPlanLimits(limits)
  }
  /** What the plan counts since `periodStart` (an instant): the texts of messaging/plan-limit.ts. */
  async usage(periodStart: string) {
    return { sms_this_period: this.messaging.smsSentSince(periodStart) }
  }

  // Due work and the due-time index

  async runDueWork(now = this.host.clock.now()) {
    return this.dueWork.run(now)
  }
  async runDueWorkForTick(tick: string | undefined) {
    return this.dueWork.runForTick(tick)
  }
  async decideDueWork(now = this.host.clock.now()) {
    return this.dueWork.decide(now)
  }
  async syncSchedule(): Promise<void> {
    return this.host.schedule.sync()
  }
  async checkSchedule(organizationId: string, now = this.host.clock.now()): Promise<void> {
    return this.host.schedule.check(organizationId, now)
  }
  /** Retries an index write that failed; throwing here makes the runtime retry the alarm with backoff. */
  override async alarm(): Promise<void> {
    return this.host.schedule.write()
  }

  // Duplicates and merges

  // Messaging (deliverySucceeded, recordDeliveries, recordInboundSms and recordInboundEmail are above, with their CRM notes)

  // Connections to CRMs and accounting: connectionsCall and connectFlowCall (above)

  // Integrations: webhook receipts and CRM changes

  async finishReceipt(id: string, outcome: receipts.ReceiptOutcome, error: string | null = null) {
    return this.integrations.finishReceipt(id, outcome, error)
  }
  /** A visit the CRM moved answers the homeowner's open request as a move by staff does (they are told the new time). */
  async applyCrmJob(ctx: ChangeContext, orgClientId: string | null, job: CrmJob) {
    const asked = this.portal.openRescheduleRequests()
    const applied = await this.integrations.applyCrmJob(ctx, orgClientId, job)
    await this.portal.tellOfMoves(asked)
    return applied
  }

  // Portal

  async sendRequestedMessage(orgClientId: string, m: RequestedMessage, enqueue = true) {
    return this.portal.sendRequestedMessage(orgClientId, m, enqueue)
  }
  async acceptRescheduleRequest(taskId: string, time: string) {
    return this.portal.acceptReschedule(taskId, time)
  }
}
