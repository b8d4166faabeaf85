/** The ORG object's core CRM: clients, services, jobs, invoices, payments, reminders, imports, reports. */
import * as clientList from './client-list'
import * as crews from './crews'
import * as clients from './clients'
import * as completion from './completion'
import type { OrgHost } from '../host'
import * as imports from './imports'
import * as invoiceDetail from './invoice-detail'
import * as invoices from './invoices'
import * as jobs from './jobs'
import * as lineItems from './line-items'
import * as payments from './payments'
import * as reminders from './reminders'
import * as reports from './reports'
import type { Result } from '../result'
import * as series from './series'
import * as services from './services'

export type CrmHost = Pick<OrgHost, 'db' | 'write' | 'run' | 'tz' | 'clock'>

export class Crm {
  constructor(private readonly host: CrmHost) {}

  // Clients

  createClient(input: clients.NewClient): Promise<clients.CreateClientResult> {
    return this.host.run(() => clients.createClient(this.host.db, input))
  }

  getClient(id: string): clients.ClientDetail | null {
    return clients.getClient(this.host.db, id)
  }

  updateClient(id: string, patch: clients.ClientPatch): Promise<Result<clients.ClientDetail>> {
    return this.host.write(() => clients.updateClient(this.host.db, id, patch))
  }

  listClients(query: clients.ListClientsQuery): { items: clients.ClientRow[]; next_cursor: string | null } {
    return clients.listClients(this.host.db, query)
  }

  /** The naming fields of many clients at once, by id. */
  clientNaming(ids: string[]): Record<string, clientList.ClientNaming> {
    return clientList.clientNaming(this.host.db, ids)
  }

  clientIdForPerson(personId: string): string | null {
    return clients.clientIdForPerson(this.host.db, personId)
  }

  clientTimeline(id: string): reports.TimelineItem[] | null {
    return reports.clientTimeline(this.host.db, id, this.host.tz())
  }

  clientStats(): reports.ClientStats {
    return reports.clientStats(this.host.db)
  }

  dashboard(): reports.Dashboard {
    return reports.dashboard(this.host.db, this.host.tz())
  }

  // Services

  createService(input: services.NewService): Promise<services.SavedService> {
    return this.host.run(() => services.createService(this.host.db, input))
  }

  listServices(query: services.ServicesQuery = {}): services.Service[] {
    return services.listServices(this.host.db, query)
  }

  updateService(id: string, patch: services.ServicePatch): Promise<Result<services.SavedService>> {
    return this.host.write(() => services.updateService(this.host.db, id, patch))
  }

  // Jobs

  /** create_job_with_optional_new_client, in one transaction; with `recurrence`, the job is the first visit of a series booked with it. */
  createJob(
    input: jobs.NewJob,
  ): Promise<Result<{ job: jobs.JobWithCrew; client_created: boolean; series_id: string | null }>> {
    return this.host.write(() => {
      const now = this.host.clock.now()
      const made = jobs.createJob(this.host.db, input, now)
      if (!input.recurrence) return { ...made, job: this.crewed(made.job), series_id: null }
      const id = series.startSeries(
        this.host.db,
        made.job,
        input.recurrence,
        this.host.tz(),
        input.assigned_to ?? [],
        now,
      )
      return { ...made, job: this.crewed(jobs.getJob(this.host.db, made.job.id)!), series_id: id }
    })
  }

  /** Changes a job; a visit of a series with `scope: "following"` changes it and every later visit. */
  updateJob(id: string, patch: jobs.JobPatch): Promise<Result<jobs.JobWithCrew>> {
    return this.host.write(() => {
      const now = this.host.clock.now()
      const job =
        patch.scope === 'following'
          ? series.updateFollowing(this.host.db, id, patch, now)
          : jobs.updateJob(this.host.db, id, patch, now)
      return this.crewed(job)
    })
  }

  /** Cancels a series from a visit on (default: from the next visit to come). */
  cancelSeries(id: string, fromJobId?: string): Promise<Result<{ series_id: string; cancelled: number }>> {
    return this.host.write(() => series.cancelSeries(this.host.db, id, fromJobId, this.host.clock.now()))
  }

  getSeries(id: string): series.Series | null {
    return series.getSeries(this.host.db, id, this.host.clock.now())
  }

  listSeries(query: { org_client_id?: string }): series.Series[] {
    return series.listSeries(this.host.db, query, this.host.clock.now())
  }

  /** The due-work run's step: books the visits of series whose horizon moved on. */
  extendDueSeries(now: Date): Promise<number> {
    return this.host.run(() => series.extendDueSeries(this.host.db, now))
  }

  getJob(id: string): jobs.JobWithCrew | null {
    const job = jobs.getJob(this.host.db, id)
    return job ? this.crewed(job) : null
  }

  listJobs(query: jobs.JobsQuery): jobs.JobWithCrew[] {
    return jobs.withCrews(this.host.db, jobs.listJobs(this.host.db, query))
  }
  calendarRows(query: jobs.JobsQuery): jobs.CalendarRow[] {
    return jobs.calendarRows(this.host.db, query)
  }

  /** Someone left the team: off the crews of jobs still to come. */
  removeFromCrews(userId: string): Promise<Result<number>> {
    return this.host.write(() => crews.dropFromUpcomingCrews(this.host.db, userId, this.host.clock.now()))
  }

  /** Puts a job completed in the last ten minutes back to scheduled, undoing what completing started. */
  undoJobCompletion(id: string): Promise<Result<jobs.JobWithCrew>> {
    return this.host.write(() => {
      completion.undoCompletion(this.host.db, id, this.host.clock.now())
      return this.crewed(jobs.getJob(this.host.db, id)!)
    })
  }

  jobLineItems(jobId: string): lineItems.JobLines | null {
    return lineItems.jobLines(this.host.db, jobId)
  }

  replaceJobLineItems(jobId: string, lines: lineItems.NewLineItem[]): Promise<Result<lineItems.JobLines>> {
    return this.host.write(() => lineItems.replaceJobLines(this.host.db, jobId, lines, this.host.clock.now()))
  }

  private crewed(job: jobs.Job): jobs.JobWithCrew {
    return jobs.withCrews(this.host.db, [job])[0]!
  }

  // Invoices and payments

  createInvoice(input: invoices.NewInvoice): Promise<Result<invoices.InvoiceWithLines>> {
    return this.host.write(() => invoices.createInvoice(this.host.db, input, this.host.tz()))
  }

  updateInvoice(id: string, patch: invoices.InvoicePatch): Promise<Result<invoices.InvoiceWithLines>> {
    return this.host.write(() => invoices.updateInvoice(this.host.db, id, patch, this.host.tz()))
  }

  getInvoice(id: string): { invoice: invoices.InvoiceWithLines; payments: invoices.PaymentRow[] } | null {
    return invoices.invoiceWithPayments(this.host.db, id, this.host.tz())
  }

  /** An invoice with its client and the business, as its page and printout show them, in one read. */
  invoiceDocument(id: string): invoiceDetail.InvoiceDocument | null {
    return invoiceDetail.invoiceDocument(this.host.db, id, this.host.tz(), this.host.clock.now())
  }

  portalInvoiceLines(orgClientId: string, invoiceId: string): invoiceDetail.PortalInvoiceLines | null {
    return invoiceDetail.portalInvoiceLines(this.host.db, orgClientId, invoiceId, this.host.tz(), this.host.clock.now())
  }

  listInvoices(query: invoices.InvoicesQuery): invoices.Invoice[] {
    return invoices.listInvoices(this.host.db, query, this.host.tz())
  }

  recordPayment(invoiceId: string, input: payments.NewPayment): Promise<Result<payments.RecordedPayment>> {
    return this.host.write(() => payments.recordPayment(this.host.db, invoiceId, input, this.host.tz()))
  }

  updatePayment(
    id: string,
    status: 'succeeded' | 'refunded',
  ): Promise<Result<{ payment: invoices.PaymentRow; invoice: invoices.Invoice }>> {
    return this.host.write(() => payments.updatePayment(this.host.db, id, status, this.host.tz()))
  }

  // Reminders

  listReminders(query: { status?: 'pending' | 'sent' | 'skipped'; limit: number }): reminders.ReminderRow[] {
    return reminders.listReminders(this.host.db, query)
  }

  // Imports

  createImport(input: { id: string; total: number; batches: number }): Promise<void> {
    return this.host.run(() => imports.createImport(this.host.db, input))
  }

  getImport(id: string): imports.ImportState | null {
    return imports.getImport(this.host.db, id)
  }

  /** One batch of an import's rows: every client written and the batch counted, in one transaction. */
  importClients(batch: imports.ImportBatch): Promise<imports.ImportBatchResult> {
    return this.host.run(() => imports.applyImportBatch(this.host.db, batch))
  }

  /** A run of an import's batches, applied in order in one transaction. */
  importClientBatches(batches: imports.ImportBatch[]): Promise<imports.ImportBatchResult[]> {
    return this.host.run(() => imports.applyImportBatches(this.host.db, batches))
  }

  loseImportBatch(importId: string, seq: number, rows: number[], message: string): Promise<void> {
    return this.host.run(() => imports.loseImportBatch(this.host.db, importId, seq, rows, message))
  }

  failImport(importId: string): Promise<void> {
    return this.host.run(() => imports.failImport(this.host.db, importId))
  }
}
