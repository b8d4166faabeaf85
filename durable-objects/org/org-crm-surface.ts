/**
 * The ORG object's modules, made once per object, and its CRM surface: clients, services, jobs,
 * invoices, payments, reminders, imports, cards and addresses, and a client's links to CRMs. Each
 * method delegates to one module. OrgObject (org-object.ts) extends this class with what crosses
 * domains and the one entry of each other domain; RPC sees the two as one object.
 */
import { DurableObject } from 'cloudflare:workers'
import { migrate } from 'drizzle-orm/durable-sqlite/migrator'
import migrations from '../../migrations/org/migrations.js'
import type { Env } from '../../src/env'
import type * as addresses from './cards/addresses'
import type * as cards from './cards/cards'
import type * as clients from './crm/clients'
import { OrgHost } from './host'
import type * as imports from './crm/imports'
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
import { Messaging } from './messaging/module'
import { Portal } from './portal/module'
import { Reviews } from './reviews/module'
import { Sales } from './sales/module'
import { Settings } from './settings'
import type * as payments from './crm/payments'
import { ensureIndexed } from './crm/search'
import type * as services from './crm/services'
import { metricsSnapshot } from './crm/usage'

export type { OrgProfile, OrgSettings, OrgSettingsPatch } from './settings'

export abstract class OrgCrmSurface extends DurableObject<Env> {
  protected readonly host = new OrgHost(this.ctx, this.env)
  protected readonly orgSettings = new Settings(this.host, this.ctx.storage.kv)
  protected readonly crm = new Crm(this.host)
  protected readonly cards = new Cards(this.host)
  protected readonly merges = new Merges(this.host)
  protected readonly messaging = new Messaging(this.host)
  protected readonly journeys = new Journeys(this.host)
  protected readonly reviews = new Reviews(this.host)
  protected readonly campaigns = new Campaigns(this.host)
  protected readonly connectFlow = new ConnectFlow(this.host)
  protected readonly connections = new Connections(this.host)
  protected readonly integrations = new Integrations(this.host, this.connections)
  protected readonly clientLinks = new ClientLinks(this.host, this.connections)
  protected readonly portal = new Portal(this.host)
  protected readonly invoiceMessages = new InvoiceMessages(this.host, this.crm, this.portal)
  protected readonly sales = new Sales(this.host, {
    crm: this.crm,
    portal: this.portal,
    journeys: this.journeys,
    messaging: this.messaging,
  })
  protected readonly port = new DataPort(this.host)
  protected readonly dueWork = new DueWork(this.host, {
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
}
