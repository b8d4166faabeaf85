/** The ORG object's homeowner portal: a client's public view, confirm, reschedule, rate, pay, requested messages, staff tasks. */
import { peopleDb } from '../../../src/db'
import type { Channel } from '../../../src/messaging/templates'
import { consentsFor } from '../../../src/people/consent'
import { consentTargets } from '../cards'
import { enqueueSends } from '../../../src/queues/sends'
import { queueRequestedMessage } from '../outgoing'
import * as actions from '../portal/actions'
import * as details from '../portal/details'
import * as proof from '../portal/proof'
import * as settings from '../portal/settings'
import * as tasks from '../portal/tasks'
import * as view from '../portal/view'
import { attempt, type Result } from '../result'
import { OrgIntegrations } from './integrations'
import { platformNumber } from '../../../src/messaging/sender-number'

export type RequestedMessage = { channel: Channel; subject?: string; body: string; purpose: string; dedupeKey: string }

export class OrgPortal extends OrgIntegrations {
  async portalView(orgClientId: string): Promise<view.PortalView | null> {
    return view.portalView(this.db, orgClientId)
  }

  /** The phone and email this business's card holds for a person (what consent is keyed by), or null. */
  async consentTarget(personId: string): Promise<{ person_id: string; phone: string | null; email: string | null } | null> {
    return consentTargets(this.db, [personId])[0] ?? null
  }

  async portalContact(orgClientId: string): Promise<view.PortalContact | null> {
    return view.portalContact(this.db, orgClientId)
  }

  /** The client a homeowner account may open here: only where this business's card holds a point it proved; else null. */
  async portalClientFor(personId: string, provenPoints: string[]): Promise<string | null> {
    return proof.portalClientFor(this.db, personId, provenPoints)?.org_client_id ?? null
  }

  /** A homeowner's own change of their details, sent here; null (nothing written) where the account may not see the client. */
  async applyHomeownerChange(personId: string, provenPoints: string[], change: details.HomeownerChange, accountId: string): Promise<Result<details.AppliedChange | null>> {
    return this.change(() => details.applyHomeownerChange(this.db, personId, provenPoints, change, accountId))
  }

  /** Confirming raises `job_confirmed`, which journeys may react to: the due index follows. */
  async confirmJobFromPortal(orgClientId: string, jobId: string): Promise<Result<{ confirmed_at: string }>> {
    return this.change(() => actions.confirmJob(this.db, orgClientId, jobId))
  }

  async requestReschedule(orgClientId: string, jobId: string, input: { times: string[]; note?: string | null }): Promise<Result<{ task_id: string }>> {
    return this.change(() => actions.requestReschedule(this.db, orgClientId, jobId, input))
  }

  async openPortalReview(orgClientId: string, jobId: string): Promise<Result<string>> {
    return this.write(() => actions.openJobReview(this.db, orgClientId, jobId))
  }

  async invoiceToPay(orgClientId: string, invoiceId: string): Promise<Result<actions.InvoiceToPay>> {
    return attempt(() => actions.invoiceToPay(this.db, orgClientId, invoiceId))
  }

  /**
   * Queues what the homeowner asked for just now (a sign-in code, a fresh link) to the client's
   * contact on file: transactional and consent-checked. With `enqueue` the `sends` queue delivers
   * it; without, the caller delivers it at once (a code, whose text never enters the log).
   */
  async sendRequestedMessage(orgClientId: string, m: RequestedMessage, enqueue = true): Promise<{ id: string } | { skipped: string }> {
    const p = this.profileRow()
    const contact = await this.portalContact(orgClientId)
    if (!p || !contact) return { skipped: 'client_deleted' }
    const consents = await consentsFor(peopleDb(this.env.PEOPLE), consentTargets(this.db, [contact.person_id]), p.organizationId)
    const result = this.ctx.storage.transactionSync(() => queueRequestedMessage(this.db, {
      now: new Date(), timezone: p.timezone, consents,
      smsFrom: p.smsFrom ?? platformNumber(this.env), emailFrom: this.env.EMAIL_FROM ?? 'HomeBase <reminders@homebase.test>',
    }, { orgClientId, ...m }))
    if ('id' in result && enqueue) await enqueueSends(this.env, p.organizationId, [result.id])
    return result
  }

  // Staff side

  async openTasks(query: { jobId?: string; limit: number }): Promise<tasks.TaskItem[]> {
    return tasks.openTasks(this.db, query)
  }

  async closeTask(id: string): Promise<Result<void>> {
    return this.write(() => tasks.closeTask(this.db, id))
  }

  async paymentSettings(): Promise<settings.PaymentSettings> {
    return settings.paymentSettings(this.db)
  }

  async setPaymentSettings(patch: Partial<settings.PaymentSettings>): Promise<settings.PaymentSettings> {
    return settings.setPaymentSettings(this.db, patch)
  }
}
