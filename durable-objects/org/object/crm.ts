/** The ORG object's core CRM: clients, services, jobs, invoices, payments, reminders, imports. */
import * as clients from '../clients'
import * as imports from '../imports'
import * as invoices from '../invoices'
import * as jobs from '../jobs'
import * as payments from '../payments'
import * as reminders from '../reminders'
import * as reports from '../reports'
import type { Result } from '../result'
import * as services from '../services'
import { OrgBase } from './base'

export class OrgCrm extends OrgBase {
  // Clients

  async createClient(input: clients.NewClient): Promise<clients.CreateClientResult> {
    const result = this.ctx.storage.transactionSync(() => clients.createClient(this.db, input))
    await this.syncSchedule()
    return result
  }

  async getClient(id: string): Promise<clients.ClientDetail | null> {
    return clients.getClient(this.db, id)
  }

  async updateClient(id: string, patch: clients.ClientPatch): Promise<Result<clients.ClientDetail>> {
    return this.change(() => clients.updateClient(this.db, id, patch))
  }

  async listClients(query: clients.ListClientsQuery): Promise<{ items: clients.ClientRow[]; next_cursor: string | null }> {
    return clients.listClients(this.db, query)
  }

  async clientIdForPerson(personId: string): Promise<string | null> {
    return clients.clientIdForPerson(this.db, personId)
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
    return this.change(() => jobs.createJob(this.db, input))
  }

  async updateJob(id: string, patch: jobs.JobPatch): Promise<Result<jobs.Job>> {
    return this.change(() => jobs.updateJob(this.db, id, patch))
  }

  async getJob(id: string): Promise<jobs.Job | null> {
    return jobs.getJob(this.db, id)
  }

  async listJobs(query: jobs.JobsQuery): Promise<jobs.Job[]> {
    return jobs.listJobs(this.db, query)
  }

  // Invoices and payments

  async createInvoice(input: invoices.NewInvoice): Promise<Result<invoices.Invoice>> {
    return this.change(() => invoices.createInvoice(this.db, input, this.tz()))
  }

  async updateInvoice(id: string, patch: invoices.InvoicePatch): Promise<Result<invoices.Invoice>> {
    return this.change(() => invoices.updateInvoice(this.db, id, patch, this.tz()))
  }

  async getInvoice(id: string): Promise<{ invoice: invoices.Invoice; payments: invoices.PaymentRow[] } | null> {
    return invoices.getInvoice(this.db, id, this.tz())
  }

  async listInvoices(query: invoices.InvoicesQuery): Promise<invoices.Invoice[]> {
    return invoices.listInvoices(this.db, query, this.tz())
  }

  async recordPayment(invoiceId: string, input: payments.NewPayment): Promise<Result<payments.RecordedPayment>> {
    return this.change(() => payments.recordPayment(this.db, invoiceId, input, this.tz()))
  }

  async updatePayment(id: string, status: 'succeeded' | 'refunded'): Promise<Result<{ payment: invoices.PaymentRow; invoice: invoices.Invoice }>> {
    return this.change(() => payments.updatePayment(this.db, id, status, this.tz()))
  }

  // Reminders

  async listReminders(query: { status?: 'pending' | 'sent' | 'skipped'; limit: number }): Promise<reminders.ReminderRow[]> {
    return reminders.listReminders(this.db, query)
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
