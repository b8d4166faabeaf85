/**
 * The ORG Durable Object: one per organization, the only reader and writer of its private data.
 * It is long because it is the RPC surface: one line per method the Worker calls.
 *
 * It is a façade: the constructor builds one host (database, the one write helper, clock, profile,
 * sender defaults, due-time index, outbox; see host.ts) and the domain modules (`<domain>/module.ts`), each
 * made from the slice of the host it needs. Every method delegates to one module; where one
 * domain's event moves another (a delivered or received SMS → a CRM note, a campaign sent now →
 * the due-work run) the calls are written out below, under "Across domains".
 */
import { callPublic } from './public-call'
import { DurableObject } from 'cloudflare:workers'
import { migrate } from 'drizzle-orm/durable-sqlite/migrator'
import migrations from '../../migrations/org/migrations.js'
import type { Env } from '../../src/env'
import type { CrmJob } from '../../src/integrations/inbound/canonical'
import type { Keyword } from '../../src/messaging/keywords'
import type * as addresses from './cards/addresses'
import type * as campaigns from './campaigns/campaigns'
import type * as cards from './cards/cards'
import type * as clients from './crm/clients'
import type * as deliveries from './messaging/deliveries'
import { OrgHost } from './host'
import type * as imports from './crm/imports'
import type { ChangeContext } from './integrations/apply-mappings'
import type * as stripe from './integrations/apply-stripe'
import type * as receipts from './integrations/receipts'
import type * as invoices from './crm/invoices'
import type * as jobs from './crm/jobs'
import type * as lineItems from './crm/line-items'
import { Campaigns } from './campaigns/module'
import { Cards } from './cards/module'
import { ConnectFlow } from './integrations/connect-module'
import { Connections } from './integrations/connections-module'
import { ClientLinks } from './integrations/client-links-module'
import * as crmBookings from './integrations/crm-bookings'
import * as crmPush from './integrations/crm-push'
import { Crm } from './crm/module'
import { type InvoiceChannel, InvoiceMessages } from './crm/invoice-messages'
import { DueWork } from './due-work'
import { DataPort } from './export/module'
import { Integrations } from './integrations/module'
import { Journeys } from './journeys/module'
import { Merges } from './merges/module'
import type { InboundEmail } from './messaging/inbound'
import { Messaging } from './messaging/module'
import { Portal, type RequestedMessage } from './portal/module'
import { Reviews } from './reviews/module'
import { Sales, type SalesArea } from './sales/module'
import { unbookedEstimates } from './sales/estimates/unbooked'
import {
  type CampaignSettings,
  type OrgProfile,
  type OrgSettingsPatch,
  type PaymentSettings,
  type PlanLimits,
  Settings,
} from './settings'
import type * as payments from './crm/payments'
import type { Result } from './result'
import { ensureIndexed } from './crm/search'
import type * as services from './crm/services'
import { metricsSnapshot } from './crm/usage'

export type { OrgProfile, OrgSettings, OrgSettingsPatch } from './settings'

export class OrgObject extends DurableObject<Env> {
  private readonly host = new OrgHost(this.ctx, this.env)
  private readonly orgSettings = new Settings(this.host, this.ctx.storage.kv)
  private readonly crm = new Crm(this.host)
  private readonly cards = new Cards(this.host)
  private readonly merges = new Merges(this.host)
  private readonly messaging = new Messaging(this.host)
  private readonly journeys = new Journeys(this.host)
  private readonly reviews = new Reviews(this.host)
  private readonly campaigns = new Campaigns(this.host)
  private readonly connectFlow = new ConnectFlow(this.host)
  private readonly connections = new Connections(this.host)
  private readonly integrations = new Integrations(this.host, this.connections)
  private readonly clientLinks = new ClientLinks(this.host, this.connections)
  private readonly portal = new Portal(this.host)
  private readonly invoiceMessages = new InvoiceMessages(this.host, this.crm, this.portal)
  private readonly sales = new Sales(this.host, {
    crm: this.crm,
    portal: this.portal,
    journeys: this.journeys,
    messaging: this.messaging,
  })
  private readonly port = new DataPort(this.host)
  private readonly dueWork = new DueWork(this.host, {
    campaigns: this.campaigns,
    reviews: this.reviews,
    series: this.crm,
  })

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env)
    void ctx.blockConcurrencyWhile(async () => {
      migrate(this.host.db, migrations)
      ensureIndexed(this.host.db)
    })
  }

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

  // CRM: clients, services, jobs, invoices, payments, reminders, imports

  async createClient(input: clients.NewClient) {
    const made = await this.crm.createClient(input)
    if (made.created) await crmPush.queueCustomerPushes(this.host, made.org_client_id, input.person.author, 'created')
    return made
  }
  async getClient(id: string) {
    return this.crm.getClient(id)
  }
  async updateClient(id: string, patch: clients.ClientPatch) {
    return this.crm.updateClient(id, patch)
  }
  async listClients(query: clients.ListClientsQuery) {
    return this.crm.listClients(query)
  }
  async clientNaming(ids: string[]) {
    return this.crm.clientNaming(ids)
  }
  async clientIdForPerson(personId: string) {
    return this.crm.clientIdForPerson(personId)
  }
  async clientTimeline(id: string) {
    return this.crm.clientTimeline(id)
  }
  async clientStats() {
    return this.crm.clientStats()
  }
  /** The platform's usage counts of this business (src/platform/metrics-job.ts): counts only, from indexes. */
  async metricsSnapshot(now: string, options: { periodStart?: string; weeks?: number } = {}) {
    return metricsSnapshot(this.host.db, new Date(now), options)
  }
  async dashboard() {
    return this.crm.dashboard()
  }
  async createService(input: services.NewService) {
    return this.crm.createService(input)
  }
  async listServices(query: services.ServicesQuery = {}) {
    return this.crm.listServices(query)
  }
  async updateService(id: string, patch: services.ServicePatch) {
    return this.crm.updateService(id, patch)
  }
  async createJob(input: jobs.NewJob) {
    const booked = await this.crm.createJob(input)
    if (booked.ok && booked.value.client_created && input.new_client)
      await crmPush.queueCustomerPushes(
        this.host,
        booked.value.job.org_client_id,
        input.new_client.person.author,
        'created',
      )
    return booked
  }
  async removeFromCrews(userId: string) {
    return this.crm.removeFromCrews(userId)
  }
  async updateJob(id: string, patch: jobs.JobPatch) {
    // A move closes the homeowner's open request for another time; they are told the new time.
    const asked = patch.start_at ? this.portal.openRescheduleRequests() : []
    const changed = await this.crm.updateJob(id, patch)
    if (changed.ok) await this.portal.tellOfMoves(asked)
    return changed
  }
  async cancelSeries(id: string, fromJobId?: string) {
    return this.crm.cancelSeries(id, fromJobId)
  }
  async getSeries(id: string) {
    return this.crm.getSeries(id)
  }
  async listSeries(query: { org_client_id?: string }) {
    return this.crm.listSeries(query)
  }
  async getJob(id: string) {
    return this.crm.getJob(id)
  }
  async listJobs(query: jobs.JobsQuery) {
    return this.crm.listJobs(query)
  }
  async undoJobCompletion(id: string) {
    return this.crm.undoJobCompletion(id)
  }
  async jobLineItems(jobId: string) {
    return this.crm.jobLineItems(jobId)
  }
  async replaceJobLineItems(jobId: string, lines: lineItems.NewLineItem[]) {
    return this.crm.replaceJobLineItems(jobId, lines)
  }
  async createInvoice(input: invoices.NewInvoice) {
    return this.crm.createInvoice(input)
  }
  async updateInvoice(id: string, patch: invoices.InvoicePatch) {
    return this.crm.updateInvoice(id, patch)
  }
  async getInvoice(id: string) {
    return this.crm.getInvoice(id)
  }
  async invoiceDocument(id: string) {
    return this.crm.invoiceDocument(id)
  }
  async portalInvoiceLines(orgClientId: string, invoiceId: string) {
    return this.crm.portalInvoiceLines(orgClientId, invoiceId)
  }
  async sendInvoice(id: string, channel?: InvoiceChannel) {
    return this.invoiceMessages.sendInvoice(id, channel)
  }
  async listInvoices(query: invoices.InvoicesQuery) {
    return this.crm.listInvoices(query)
  }
  async recordPayment(invoiceId: string, input: payments.NewPayment) {
    return this.invoiceMessages.recordPayment(invoiceId, input)
  }
  async updatePayment(id: string, status: 'succeeded' | 'refunded') {
    return this.invoiceMessages.updatePayment(id, status)
  }
  async listReminders(query: { status?: 'pending' | 'sent' | 'skipped'; limit: number }) {
    return this.crm.listReminders(query)
  }
  async createImport(input: { id: string; total: number; batches: number }) {
    return this.crm.createImport(input)
  }
  async getImport(id: string) {
    return this.crm.getImport(id)
  }
  async importClients(batch: imports.ImportBatch) {
    return this.crm.importClients(batch)
  }
  async importClientBatches(batches: imports.ImportBatch[]) {
    return this.crm.importClientBatches(batches)
  }
  async loseImportBatch(importId: string, seq: number, rows: number[], message: string) {
    return this.crm.loseImportBatch(importId, seq, rows, message)
  }
  async failImport(importId: string) {
    return this.crm.failImport(importId)
  }

  // Cards and addresses

  async changeContact(
    ref: { org_client_id?: string; person_id?: string },
    change: cards.ContactChange,
    author: cards.Author,
  ) {
    const changed = await this.cards.changeContact(ref, change, author)
    if (changed.ok) await crmPush.queueCustomerPushes(this.host, changed.value?.org_client_id, author, 'updated')
    return changed
  }
  async revertContactChange(orgClientId: string, eventId: string, author: cards.Author) {
    const reverted = await this.cards.revertContactChange(orgClientId, eventId, author)
    if (reverted.ok && reverted.value?.length)
      await crmPush.queueCustomerPushes(this.host, orgClientId, author, 'updated')
    return reverted
  }
  async addAddress(orgClientId: string, input: addresses.NewAddress, author: cards.Author) {
    const added = await this.cards.addAddress(orgClientId, input, author)
    if (added.ok) await crmPush.queueCustomerPushes(this.host, orgClientId, author, 'updated')
    return added
  }
  async changeAddress(orgClientId: string, addressId: string, patch: addresses.AddressPatch, author: cards.Author) {
    const changed = await this.cards.changeAddress(orgClientId, addressId, patch, author)
    if (changed.ok) await crmPush.queueCustomerPushes(this.host, orgClientId, author, 'updated')
    return changed
  }

  // Duplicates and merges

  // Messaging (deliverySucceeded, recordDeliveries, recordInboundSms and recordInboundEmail are above, with their CRM notes)

  // Connections to CRMs and accounting: connectionsCall and connectFlowCall (above)

  // A client's CRM links (integrations/client-links.ts)

  async clientCrmLinks(orgClientId: string) {
    return this.clientLinks.links(orgClientId)
  }
  async linkClientToCrm(orgClientId: string, link: { connection_id: string; external_id: string }) {
    return this.clientLinks.link(orgClientId, link)
  }
  async unlinkClientFromCrm(orgClientId: string, connectionId: string) {
    return this.clientLinks.unlink(orgClientId, connectionId)
  }
  async clientSyncLog(orgClientId: string, limit: number) {
    return this.clientLinks.syncLog(orgClientId, limit)
  }
  /** "Sync now": the client's recent texts go to its CRM customers from the events queue. */
  async syncClientToCrm(orgClientId: string, connectionId?: string) {
    const result = await this.clientLinks.syncNow(orgClientId, connectionId)
    if (result.ok) await this.host.outbox.pushes(result.value.pushes)
    return result.ok ? { ok: true as const, value: { queued: result.value.pushes.length } } : result
  }

  // Customers and bookings pushed to the CRM (integrations/crm-push.ts, crm-bookings.ts)

  /** The client as the CRM should have it; an unlinked one is claimed for creating (`claimed` false: another push is creating it). */
  async crmCustomerCard(connectionId: string, orgClientId: string) {
    const card = crmPush.customerCard(this.host.db, connectionId, orgClientId)
    if (!card) return null
    const claimed = card.external_id ? true : crmPush.claimCreate(connectionId, orgClientId, this.host.clock.now())
    return { ...card, claimed }
  }
  async releaseCrmCreate(connectionId: string, orgClientId: string) {
    crmPush.releaseCreate(connectionId, orgClientId)
  }
  async linkCrmPushed(connectionId: string, entity: 'client' | 'job', localId: string, externalId: string) {
    const now = this.host.clock.now()
    await this.host.run(() => crmPush.linkPushed(this.host.db, connectionId, entity, localId, externalId, now))
    if (entity === 'client') crmPush.releaseCreate(connectionId, localId)
  }
  async crmBookingJob(connectionId: string, jobId: string) {
    const job = crmBookings.bookingJob(this.host.db, jobId)
    const row = job ? this.connections.getConnection(connectionId) : null
    return job && row
      ? { ...job, external_id: crmPush.linkedId(this.host.db, connectionId, row.provider, 'job', jobId) }
      : null
  }
  async noteCrmBooking(msg: Parameters<typeof crmBookings.noteBookingQueued>[1], orgClientId: string) {
    const now = this.host.clock.now()
    return this.host.run(() => crmBookings.noteBookingQueued(this.host.db, msg, orgClientId, now))
  }
  async recordCrmStep(connectionId: string, step: crmPush.CrmStep) {
    const now = this.host.clock.now()
    return this.host.run(() => crmPush.recordCrmStep(this.host.db, connectionId, step, now))
  }
  async pendingCrmBooking(jobId: string) {
    return crmBookings.pendingBooking(this.host.db, jobId)
  }

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
