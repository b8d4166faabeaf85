/** The ORG Durable Object: one per organization, the only reader and writer of its private data. */
import { DurableObject } from 'cloudflare:workers'
import { eq } from 'drizzle-orm'
import { drizzle } from 'drizzle-orm/durable-sqlite'
import { migrate } from 'drizzle-orm/durable-sqlite/migrator'
import migrations from '../../migrations/org/migrations.js'
import type { Env } from '../../src/env'
import type { PersonSnapshot } from '../../src/people/registry'
import { peopleDb } from '../../src/db'
import type { Keyword } from '../../src/messaging/keywords'
import { signPortalToken } from '../../src/messaging/portal-token'
import type { OutgoingMessage } from '../../src/messaging/providers/types'
import type { Channel, Template, TemplateKey } from '../../src/messaging/templates'
import { consentsFor } from '../../src/people/registry'
import { orgSchedule } from '../../src/people/schema'
import { enqueueSends } from '../../src/queues/sends'
import * as deliveries from './deliveries'
import * as dispatch from './dispatch'
import { recordEvent } from './events'
import { recordInboundSms } from './inbound'
import * as templates from './templates'
import * as clients from './clients'
import { applySnapshot } from './contacts'
import type { OrgDb } from './db'
import * as imports from './imports'
import * as invoices from './invoices'
import * as jobs from './jobs'
import * as payments from './payments'
import * as reminders from './reminders'
import * as reports from './reports'
import { attempt, type Result } from './result'
import * as schema from './schema'
import { ensureIndexed } from './search'
import * as services from './services'

export type OrgProfile = { organization_id: string; name: string; country: string; timezone: string }

/**
 * Each method is one use case. Writes run in one storage transaction; expected failures
 * (404, 409, 400) come back as a `Result` for the Worker to unwrap.
 */
export class OrgObject extends DurableObject<Env> {
  private readonly db: OrgDb
  private timezone: string | null = null
  /** The next due time last written to the registry's index (undefined: not known yet). */
  private scheduledAt: string | null | undefined = undefined

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env)
    this.db = drizzle(ctx.storage, { schema })
    void ctx.blockConcurrencyWhile(async () => {
      migrate(this.db, migrations)
      ensureIndexed(this.db)
    })
  }

  private write<T>(fn: () => T): Result<T> {
    return this.ctx.storage.transactionSync(() => attempt(fn))
  }

  /** A write that may add, move or drop reminders: the registry's due index follows. */
  private async writeReminders<T>(fn: () => T): Promise<Result<T>> {
    const result = this.write(fn)
    if (result.ok) await this.syncSchedule()
    return result
  }

  /** The business's time zone, for due dates and "today". */
  private tz(): string {
    this.timezone ??= this.db.select({ tz: schema.profile.timezone }).from(schema.profile).where(eq(schema.profile.id, 1)).get()?.tz ?? 'America/New_York'
    return this.timezone
  }

  /** Records who this object belongs to; called at sign-up and when the organization changes. */
  async setProfile(p: OrgProfile): Promise<void> {
    const row = { id: 1, organizationId: p.organization_id, name: p.name, country: p.country, timezone: p.timezone, updatedAt: new Date().toISOString() }
    this.db.insert(schema.profile).values(row).onConflictDoUpdate({ target: schema.profile.id, set: row }).run()
    this.timezone = p.timezone
  }

  // Clients

  async createClient(input: clients.NewClient): Promise<clients.CreateClientResult> {
    return this.ctx.storage.transactionSync(() => clients.createClient(this.db, input))
  }

  async getClient(id: string): Promise<clients.ClientDetail | null> {
    return clients.getClient(this.db, id)
  }

  async updateClient(id: string, patch: clients.ClientPatch): Promise<Result<clients.ClientDetail>> {
    return this.write(() => clients.updateClient(this.db, id, patch))
  }

  async listClients(query: clients.ListClientsQuery): Promise<{ items: clients.ClientRow[]; next_cursor: string | null }> {
    return clients.listClients(this.db, query)
  }

  async countClientsByStatus(): Promise<Record<clients.ClientStatus, number>> {
    return clients.countByStatus(this.db)
  }

  async clientIdForPerson(personId: string): Promise<string | null> {
    return clients.clientIdForPerson(this.db, personId)
  }

  /** Refreshes the cached contact fields of a person; an older version never overwrites a newer one. */
  async applyPersonSnapshot(snapshot: PersonSnapshot): Promise<boolean> {
    return this.ctx.storage.transactionSync(() => applySnapshot(this.db, snapshot))
  }

  async clientTimeline(id: string): Promise<reports.TimelineItem[] | null> {
    return reports.clientTimeline(this.db, id, this.tz())
  }

  async clientStats(): Promise<reports.ClientStats> {
    return reports.clientStats(this.db)
  }

  async dashboard(): Promise<reports.Dashboard> {
    return reports.dashboard(this.db, this.tz())
  }

  // Services

  async createService(input: services.NewService): Promise<services.Service> {
    return services.createService(this.db, input)
  }

  async listServices(): Promise<services.Service[]> {
    return services.listServices(this.db)
  }

  // Jobs

  /** create_job_with_optional_new_client, in one transaction. */
  async createJob(input: jobs.NewJob): Promise<Result<{ job: jobs.Job; client_created: boolean }>> {
    return this.writeReminders(() => jobs.createJob(this.db, input))
  }

  async updateJob(id: string, patch: jobs.JobPatch): Promise<Result<jobs.Job>> {
    return this.writeReminders(() => jobs.updateJob(this.db, id, patch))
  }

  async getJob(id: string): Promise<jobs.Job | null> {
    return jobs.getJob(this.db, id)
  }

  async listJobs(query: jobs.JobsQuery): Promise<jobs.Job[]> {
    return jobs.listJobs(this.db, query)
  }

  // Invoices and payments

  async createInvoice(input: invoices.NewInvoice): Promise<Result<invoices.Invoice>> {
    return this.writeReminders(() => invoices.createInvoice(this.db, input, this.tz()))
  }

  async updateInvoice(id: string, patch: invoices.InvoicePatch): Promise<Result<invoices.Invoice>> {
    return this.writeReminders(() => invoices.updateInvoice(this.db, id, patch, this.tz()))
  }

  async getInvoice(id: string): Promise<{ invoice: invoices.Invoice; payments: invoices.PaymentRow[] } | null> {
    return invoices.getInvoice(this.db, id, this.tz())
  }

  async listInvoices(query: invoices.InvoicesQuery): Promise<invoices.Invoice[]> {
    return invoices.listInvoices(this.db, query, this.tz())
  }

  async recordPayment(invoiceId: string, input: payments.NewPayment): Promise<Result<{ payment: invoices.PaymentRow; invoice: invoices.Invoice }>> {
    return this.writeReminders(() => payments.recordPayment(this.db, invoiceId, input, this.tz()))
  }

  async updatePayment(id: string, status: 'succeeded' | 'refunded'): Promise<Result<{ payment: invoices.PaymentRow; invoice: invoices.Invoice }>> {
    return this.writeReminders(() => payments.updatePayment(this.db, id, status, this.tz()))
  }

  // Reminders

  async listReminders(query: { status?: 'pending' | 'sent' | 'skipped'; limit: number }): Promise<reminders.ReminderRow[]> {
    return reminders.listReminders(this.db, query)
  }

  // Messaging

  /**
   * Claims and decides everything due now (reminders, deferred messages), enqueues each send,
   * and updates the registry's index of when this organization next has work due.
   */
  async runDueWork(now = new Date()): Promise<{ sent: number; skipped: number; deferred: number }> {
    const { queued, ...counts } = await this.decideDueWork(now)
    const p = this.profileRow()
    if (p) await enqueueSends(this.env, p.organizationId, queued)
    return counts
  }

  /** Claims and decides what is due without handing the sends to the queue; returns their ids. */
  async decideDueWork(now = new Date()): Promise<{ sent: number; skipped: number; deferred: number; queued: string[] }> {
    const p = this.profileRow()
    if (!p) return { sent: 0, skipped: 0, deferred: 0, queued: [] }
    const { personIds, orgClientIds } = dispatch.dueRecipients(this.db, now, 500)
    const consents = await consentsFor(peopleDb(this.env.PEOPLE), personIds, p.organizationId)
    const portalLinks = await this.portalLinks(p.organizationId, orgClientIds)
    const result = this.ctx.storage.transactionSync(() => dispatch.runDueWork(this.db, {
      now, businessName: p.name, timezone: p.timezone, quiet: { start: p.quietStart, end: p.quietEnd },
      smsFrom: p.smsFrom ?? this.env.TWILIO_FROM_NUMBER ?? '+15005550006', emailFrom: this.env.EMAIL_FROM ?? 'HomeBase <reminders@homebase.test>',
      consents, portalLinks,
    }))
    await this.syncSchedule()
    return result
  }

  private profileRow() {
    return this.db.select().from(schema.profile).where(eq(schema.profile.id, 1)).get() ?? null
  }

  private async portalLinks(organizationId: string, orgClientIds: string[]): Promise<Record<string, string>> {
    const key = this.env.PORTAL_SIGNING_KEY
    if (!key) return {}
    const base = this.env.PUBLIC_BASE_URL ?? 'http://localhost:8787'
    const links: Record<string, string> = {}
    for (const id of orgClientIds) links[id] = `${base}/p/${await signPortalToken(key, organizationId, id)}`
    return links
  }

  /** Writes this organization's next due time to the registry's index when it changed. */
  async syncSchedule(): Promise<void> {
    const p = this.profileRow()
    if (!p) return
    const next = dispatch.nextDueAt(this.db)
    if (next === this.scheduledAt) return
    const db = peopleDb(this.env.PEOPLE)
    if (next === null) await db.delete(orgSchedule).where(eq(orgSchedule.organizationId, p.organizationId)).run()
    else await db.insert(orgSchedule).values({ organizationId: p.organizationId, nextDueAt: next })
      .onConflictDoUpdate({ target: orgSchedule.organizationId, set: { nextDueAt: next } }).run()
    this.scheduledAt = next
  }

  async startDelivery(messageId: string, statusCallbackUrl?: string): Promise<OutgoingMessage | null> {
    const p = this.profileRow()
    return p ? deliveries.startDelivery(this.db, messageId, p.organizationId, statusCallbackUrl) : null
  }

  async deliverySucceeded(messageId: string, provider: string, providerMessageId: string): Promise<void> {
    this.ctx.storage.transactionSync(() => deliveries.deliverySucceeded(this.db, messageId, provider, providerMessageId))
  }

  async deliveryFailed(messageId: string, error: string, final: boolean): Promise<void> {
    deliveries.deliveryFailed(this.db, messageId, error, final)
  }

  /** The dead-letter page's "retry": a failed message goes back in line. */
  async retryMessage(messageId: string): Promise<boolean> {
    const p = this.profileRow()
    if (!p || !deliveries.requeueFailed(this.db, messageId)) return false
    await enqueueSends(this.env, p.organizationId, [messageId])
    return true
  }

  async applyProviderStatus(providerMessageId: string, status: string, errorCode?: string): Promise<boolean> {
    return deliveries.applyProviderStatus(this.db, providerMessageId, status, errorCode)
  }

  async listMessages(query: deliveries.MessagesQuery): Promise<deliveries.MessageRow[]> {
    return deliveries.listMessages(this.db, query)
  }

  async recordInboundSms(personId: string, from: string, body: string, keyword: Keyword | null): Promise<string | null> {
    return this.ctx.storage.transactionSync(() => recordInboundSms(this.db, personId, from, body, keyword))
  }

  /** Notes a consent change on the client's timeline (the choice itself lives in the registry). */
  async recordConsentChange(orgClientId: string, consent: { sms_opt_in: boolean; email_opt_in: boolean }, reason: string, by: string | null): Promise<void> {
    recordEvent(this.db, 'consent_changed', orgClientId, { sms_opt_in: consent.sms_opt_in, email_opt_in: consent.email_opt_in, reason, by })
  }

  async listTemplates(): Promise<templates.TemplateRow[]> {
    return templates.listTemplates(this.db)
  }

  async saveTemplate(key: TemplateKey, channel: Channel, template: Template): Promise<templates.TemplateRow> {
    return templates.saveTemplate(this.db, key, channel, template)
  }

  /** Messaging settings: quiet hours and the organization's own SMS number. */
  async setMessagingSettings(settings: { quiet_hours?: { start: string; end: string }; sms_from?: string | null }): Promise<void> {
    this.db.update(schema.profile).set({
      ...(settings.quiet_hours ? { quietStart: settings.quiet_hours.start, quietEnd: settings.quiet_hours.end } : {}),
      ...(settings.sms_from !== undefined ? { smsFrom: settings.sms_from } : {}),
      updatedAt: new Date().toISOString(),
    }).where(eq(schema.profile.id, 1)).run()
  }

  async messagingSettings(): Promise<{ quiet_hours: { start: string; end: string }; sms_from: string | null; timezone: string } | null> {
    const p = this.profileRow()
    return p ? { quiet_hours: { start: p.quietStart, end: p.quietEnd }, sms_from: p.smsFrom, timezone: p.timezone } : null
  }

  // Imports

  async createImport(input: { id: string; total: number; batches: number }): Promise<void> {
    imports.createImport(this.db, input)
  }

  async getImport(id: string): Promise<imports.ImportState | null> {
    return imports.getImport(this.db, id)
  }

  /** One batch of an import's rows: every client written and the batch counted, in one transaction. */
  async importClients(batch: imports.ImportBatch): Promise<imports.ImportBatchResult> {
    return this.ctx.storage.transactionSync(() => imports.applyImportBatch(this.db, batch))
  }

  async loseImportBatch(importId: string, seq: number, rows: number[], message: string): Promise<void> {
    this.ctx.storage.transactionSync(() => imports.loseImportBatch(this.db, importId, seq, rows, message))
  }

  async failImport(importId: string): Promise<void> {
    imports.failImport(this.db, importId)
  }
}
