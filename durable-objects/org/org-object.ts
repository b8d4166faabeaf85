/** The ORG Durable Object: one per organization, the only reader and writer of its private data. */
import { DurableObject } from 'cloudflare:workers'
import { eq } from 'drizzle-orm'
import { drizzle } from 'drizzle-orm/durable-sqlite'
import { migrate } from 'drizzle-orm/durable-sqlite/migrator'
import migrations from '../../migrations/org/migrations.js'
import type { Env } from '../../src/env'
import type { PersonSnapshot } from '../../src/people/registry'
import * as clients from './clients'
import { applySnapshot } from './contacts'
import type { OrgDb } from './db'
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
    return this.write(() => jobs.createJob(this.db, input))
  }

  async updateJob(id: string, patch: jobs.JobPatch): Promise<Result<jobs.Job>> {
    return this.write(() => jobs.updateJob(this.db, id, patch))
  }

  async getJob(id: string): Promise<jobs.Job | null> {
    return jobs.getJob(this.db, id)
  }

  async listJobs(query: jobs.JobsQuery): Promise<jobs.Job[]> {
    return jobs.listJobs(this.db, query)
  }

  // Invoices and payments

  async createInvoice(input: invoices.NewInvoice): Promise<Result<invoices.Invoice>> {
    return this.write(() => invoices.createInvoice(this.db, input, this.tz()))
  }

  async updateInvoice(id: string, patch: invoices.InvoicePatch): Promise<Result<invoices.Invoice>> {
    return this.write(() => invoices.updateInvoice(this.db, id, patch, this.tz()))
  }

  async getInvoice(id: string): Promise<{ invoice: invoices.Invoice; payments: invoices.PaymentRow[] } | null> {
    return invoices.getInvoice(this.db, id, this.tz())
  }

  async listInvoices(query: invoices.InvoicesQuery): Promise<invoices.Invoice[]> {
    return invoices.listInvoices(this.db, query, this.tz())
  }

  async recordPayment(invoiceId: string, input: payments.NewPayment): Promise<Result<{ payment: invoices.PaymentRow; invoice: invoices.Invoice }>> {
    return this.write(() => payments.recordPayment(this.db, invoiceId, input, this.tz()))
  }

  async updatePayment(id: string, status: 'succeeded' | 'refunded'): Promise<Result<{ payment: invoices.PaymentRow; invoice: invoices.Invoice }>> {
    return this.write(() => payments.updatePayment(this.db, id, status, this.tz()))
  }

  // Reminders

  async listReminders(query: { status?: 'pending' | 'sent' | 'skipped'; limit: number }): Promise<reminders.ReminderRow[]> {
    return reminders.listReminders(this.db, query)
  }
}
