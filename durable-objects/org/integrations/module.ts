/** The ORG object's inbound integrations: webhook receipts and applying CRM changes to clients, jobs, invoices and Stripe payments. */
import type { CrmInvoice, CrmJob, CrmPayment } from '../../../src/integrations/inbound/canonical'
import type { OrgHost } from '../host'
import * as clients from './apply-clients'
import * as invoices from './apply-invoices'
import * as jobs from './apply-jobs'
import type { ChangeContext } from './apply-mappings'
import * as stripe from './apply-stripe'
import { markEvent } from './connections'
import * as receipts from './receipts'
import { recordSync, type SyncEntry } from './sync-log'
import type { Result } from '../result'
import type { Provider } from '../schema'
import type { Connections } from './connections-module'

/** A connection as a webhook route sees it: enough to verify a delivery. */
export type WebhookTarget = receipts.WebhookConnection & { secret: string | null }

export type IntegrationsHost = Pick<OrgHost, 'db' | 'write' | 'run' | 'clock' | 'tz'>

export class Integrations {
  constructor(
    private readonly host: IntegrationsHost,
    /** A receipt names its connection: its secret verifies a delivery. */
    private readonly connections: Pick<Connections, 'webhookSecret'>,
  ) {}

  // Receiving

  /** The connection a webhook URL names, with its decrypted secret; null when there is none. */
  async webhookTarget(connectionId: string): Promise<WebhookTarget | null> {
    const connection = receipts.connectionForWebhook(this.host.db, connectionId)
    return connection ? { ...connection, secret: await this.connections.webhookSecret(connectionId) } : null
  }

  /**
   * Stores a verified delivery once (a replay comes back as a duplicate) and notes the connection's
   * last event. A delivery for a connection that is gone, disconnected or another provider's, or
   * verified with a secret since replaced, is refused with nothing stored: the Worker may have
   * verified it with a connection it remembered.
   */
  async receiveWebhook(input: receipts.NewReceipt): Promise<receipts.StoredReceipt> {
    const { connectionId } = input
    return this.host.run(() => {
      const at = this.host.clock.now().toISOString()
      const refused = connectionId ? receipts.refusal(this.host.db, { ...input, connectionId }) : null
      if (refused) return { receipt_id: '', duplicate: true, retry: false, at, refused }
      const stored = receipts.storeReceipt(this.host.db, input, at)
      // In the receipt's own transaction: one write per delivery.
      if (!stored.duplicate && connectionId) markEvent(this.host.db, connectionId, at)
      return stored
    })
  }

  /** Drops a receipt whose processing could not be queued. */
  forgetReceipt(id: string): Promise<void> {
    return this.host.run(() => receipts.forgetReceipt(this.host.db, id))
  }

  webhookReceipt(id: string): receipts.Receipt | null {
    return receipts.getReceipt(this.host.db, id)
  }

  finishReceipt(id: string, outcome: receipts.ReceiptOutcome, error: string | null): Promise<void> {
    return this.host.run(() =>
      receipts.finishReceipt(this.host.db, id, outcome, error, this.host.clock.now().toISOString()),
    )
  }

  /** One inbound step written to the sync log from the Worker (a fetch from the provider). */
  async logInbound(entry: SyncEntry): Promise<void> {
    await this.host.run(() => recordSync(this.host.db, entry, this.host.clock.now().toISOString()))
  }

  // Applying CRM changes, one transaction each

  mappedClient(provider: Provider, externalId: string): clients.MappedClient | null {
    return clients.mappedClient(this.host.db, provider, externalId)
  }

  applyCrmClient(ctx: ChangeContext, link: clients.CrmClientLink): Promise<Result<{ applied: boolean }>> {
    return this.host.write(() => clients.applyCrmClient(this.host.db, ctx, link))
  }

  applyCrmJob(ctx: ChangeContext, orgClientId: string | null, job: CrmJob): Promise<Result<{ job_id: string | null }>> {
    return this.host.write(() => jobs.applyCrmJob(this.host.db, ctx, orgClientId, job))
  }

  applyCrmInvoice(
    ctx: ChangeContext,
    orgClientId: string | null,
    invoice: CrmInvoice,
  ): Promise<Result<{ invoice_id: string | null }>> {
    return this.host.write(() => invoices.applyCrmInvoice(this.host.db, ctx, orgClientId, invoice, this.host.tz()))
  }

  applyCrmPayment(ctx: ChangeContext, payment: CrmPayment): Promise<Result<{ payment_id: string | null }>> {
    return this.host.write(() => invoices.applyCrmPayment(this.host.db, ctx, payment, this.host.tz()))
  }

  /** A Stripe payment on one of our invoices, with its receipt, in one transaction. */
  applyStripePayment(payment: stripe.StripePayment, ownAccount: string | null): Promise<Result<stripe.StripeOutcome>> {
    return this.host.write(() => stripe.applyStripePayment(this.host.db, payment, ownAccount, this.host.tz()))
  }
}
