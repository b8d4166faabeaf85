/** The ORG object's inbound integrations: webhook receipts and applying CRM changes to clients, jobs and invoices. */
import type { CrmInvoice, CrmJob, CrmPayment } from '../../../src/integrations/inbound/canonical'
import * as clients from '../integrations/apply-clients'
import * as invoices from '../integrations/apply-invoices'
import * as jobs from '../integrations/apply-jobs'
import type { ChangeContext } from '../integrations/apply-mappings'
import * as stripe from '../integrations/apply-stripe'
import * as receipts from '../integrations/receipts'
import { recordSync, type SyncEntry } from '../integrations/sync-log'
import type { Result } from '../result'
import type { Provider } from '../schema'
import { OrgConnections } from './connections'

/** A connection as a webhook route sees it: enough to verify a delivery. */
export type WebhookTarget = receipts.WebhookConnection & { secret: string | null }

export class OrgIntegrations extends OrgConnections {
  // Receiving

  /** The connection a webhook URL names, with its decrypted secret; null when there is none. */
  async webhookTarget(connectionId: string): Promise<WebhookTarget | null> {
    const connection = receipts.connectionForWebhook(this.db, connectionId)
    return connection ? { ...connection, secret: await this.webhookSecret(connectionId) } : null
  }

  /** Stores a verified delivery once (a replay comes back as a duplicate) and notes the connection's last event. */
  async receiveWebhook(input: receipts.NewReceipt): Promise<receipts.StoredReceipt> {
    const stored = this.ctx.storage.transactionSync(() => receipts.storeReceipt(this.db, input))
    if (!stored.duplicate && input.connectionId) await this.markEvent(input.connectionId, stored.at)
    return stored
  }

  /** Drops a receipt whose processing could not be queued. */
  async forgetReceipt(id: string): Promise<void> {
    receipts.forgetReceipt(this.db, id)
  }

  async webhookReceipt(id: string): Promise<receipts.Receipt | null> {
    return receipts.getReceipt(this.db, id)
  }

  async finishReceipt(id: string, outcome: receipts.ReceiptOutcome, error: string | null = null): Promise<void> {
    receipts.finishReceipt(this.db, id, outcome, error)
  }

  /** One inbound step written to the sync log from the Worker (a fetch from the provider). */
  async logInbound(entry: SyncEntry): Promise<void> {
    recordSync(this.db, entry)
  }

  // Applying CRM changes, one transaction each

  async mappedClient(provider: Provider, externalId: string): Promise<clients.MappedClient | null> {
    return clients.mappedClient(this.db, provider, externalId)
  }

  async applyCrmClient(ctx: ChangeContext, link: clients.CrmClientLink): Promise<Result<{ applied: boolean }>> {
    return this.change(() => clients.applyCrmClient(this.db, ctx, link))
  }

  async applyCrmJob(ctx: ChangeContext, orgClientId: string | null, job: CrmJob): Promise<Result<{ job_id: string | null }>> {
    return this.change(() => jobs.applyCrmJob(this.db, ctx, orgClientId, job))
  }

  async applyCrmInvoice(ctx: ChangeContext, orgClientId: string | null, invoice: CrmInvoice): Promise<Result<{ invoice_id: string | null }>> {
    return this.change(() => invoices.applyCrmInvoice(this.db, ctx, orgClientId, invoice, this.tz()))
  }

  async applyCrmPayment(ctx: ChangeContext, payment: CrmPayment): Promise<Result<{ payment_id: string | null }>> {
    return this.change(() => invoices.applyCrmPayment(this.db, ctx, payment, this.tz()))
  }

  /** A Stripe payment on one of our invoices, with its receipt, in one transaction. */
  async applyStripePayment(payment: stripe.StripePayment): Promise<Result<stripe.StripeOutcome>> {
    return this.change(() => stripe.applyStripePayment(this.db, payment, this.tz()))
  }
}
