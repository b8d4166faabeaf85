/** The ORG object's homeowner portal: a client's public view, confirm, reschedule, rate, pay, requested messages, staff tasks. */
import { type Channel, formatJobTime } from '../../../src/messaging/templates'
import type { OrgHost } from '../host'
import { queueRequestedMessage, rewriteDeferredBody } from '../messaging/outgoing'
import { smsAllowance } from '../messaging/plan-limit'
import * as actions from './actions'
import * as details from './details'
import * as proof from './proof'
import * as sent from './sent'
import * as tasks from './tasks'
import * as view from './view'
import { attempt, type Result } from '../result'
import { consentsOf } from '../messaging/context'

/** A reschedule request accepted: where the visit is now, and whether the homeowner was told (else why not). */
export type AcceptedReschedule = {
  job_id: string
  start_at: string
  told: { message_id: string } | { skipped: string }
}

/**
 * A message to one client now. `sms_else_email` texts when it may and emails otherwise; `quiet`
 * waits out the quiet hours (for what staff caused, unlike a code the homeowner is waiting for).
 */
export type RequestedMessage = {
  channel: Channel | 'sms_else_email'
  subject?: string
  body: string
  purpose: string
  dedupeKey: string
  quiet?: boolean
}

export type PortalHost = Pick<
  OrgHost,
  'db' | 'env' | 'write' | 'run' | 'clock' | 'profile' | 'senders' | 'outbox' | 'planLimits'
>

export class Portal {
  constructor(private readonly host: PortalHost) {}

  portalView(orgClientId: string): view.PortalView | null {
    return view.portalView(this.host.db, orgClientId)
  }

  portalContact(orgClientId: string): view.PortalContact | null {
    return view.portalContact(this.host.db, orgClientId)
  }

  /** The client a homeowner account may open here: only where this business's card holds a point it proved; else null. */
  portalClientFor(personId: string, provenPoints: string[]): string | null {
    return proof.portalClientFor(this.host.db, personId, provenPoints)?.org_client_id ?? null
  }

  /** A homeowner's own change of their details, sent here; null (nothing written) where the account may not see the client. */
  applyHomeownerChange(
    personId: string,
    provenPoints: string[],
    change: details.HomeownerChange,
    accountId: string,
  ): Promise<Result<details.AppliedChange | null>> {
    return this.host.write(() => details.applyHomeownerChange(this.host.db, personId, provenPoints, change, accountId))
  }

  /** Confirming raises `job_confirmed`, which journeys may react to: the write keeps the due index in step. */
  confirmJobFromPortal(orgClientId: string, jobId: string): Promise<Result<{ confirmed_at: string }>> {
    return this.host.write(() => actions.confirmJob(this.host.db, orgClientId, jobId, this.host.clock.now()))
  }

  requestReschedule(
    orgClientId: string,
    jobId: string,
    input: { times: string[]; note?: string | null },
  ): Promise<Result<{ task_id: string }>> {
    return this.host.write(() =>
      actions.requestReschedule(this.host.db, orgClientId, jobId, input, this.host.clock.now()),
    )
  }

  openPortalReview(orgClientId: string, jobId: string): Promise<Result<string>> {
    return this.host.write(() => actions.openJobReview(this.host.db, orgClientId, jobId, this.host.clock.now()))
  }

  invoiceToPay(orgClientId: string, invoiceId: string): Result<actions.InvoiceToPay> {
    return attempt(() => actions.invoiceToPay(this.host.db, orgClientId, invoiceId, this.host.clock.now()))
  }

  /**
   * Queues what the homeowner asked for just now (a sign-in code, a fresh link) to the client's
   * contact on file: transactional and consent-checked. With `enqueue` the `sends` queue delivers
   * it; without, the caller delivers it at once (a code, whose text never enters the log).
   */
  async sendRequestedMessage(
    orgClientId: string,
    m: RequestedMessage,
    enqueue: boolean,
  ): Promise<{ id: string; channel: Channel; deferred_until?: string } | { skipped: string }> {
    const p = this.host.profile()
    const contact = this.portalContact(orgClientId)
    if (!p || !contact) return { skipped: 'client_deleted' }
    const consents = await consentsOf(this.host, p, [contact.person_id])
    const { smsFrom, emailFrom } = this.host.senders(p)
    const now = this.host.clock.now()
    const ctx = {
      now,
      timezone: p.timezone,
      consents,
      smsFrom,
      emailFrom,
      quiet: m.quiet ? { start: p.quietStart, end: p.quietEnd } : undefined,
      smsAllowance: smsAllowance(this.host.planLimits(), now, p.timezone),
    }
    const channels: Channel[] = m.channel === 'sms_else_email' ? ['sms', 'email'] : [m.channel]
    const result = await this.host.run(() => {
      let first: { skipped: string } | null = null
      for (const channel of channels) {
        const tried = queueRequestedMessage(this.host.db, ctx, { orgClientId, ...m, channel })
        if ('id' in tried) return { ...tried, channel }
        // A duplicate was already sent: never try the other channel then.
        if (tried.skipped === 'duplicate') return tried
        first ??= tried
      }
      return first!
    })
    if ('id' in result && enqueue && !result.deferred_until) await this.host.outbox.sends([result.id])
    return result
  }

  /** The requested message written under `dedupeKey` (an "on my way" of a visit), or null when none went. */
  sentMessage(dedupeKey: string): sent.SentMessage | null {
    return sent.sentMessage(this.host.db, dedupeKey)
  }

  // Staff side

  openTasks(query: { jobId?: string; limit: number }): tasks.TaskItem[] {
    return tasks.openTasks(this.host.db, query)
  }

  closeTask(id: string): Promise<Result<void>> {
    return this.host.write(() => tasks.closeTask(this.host.db, id, this.host.clock.now()))
  }

  /**
   * Moves the visit to the time the homeowner offered and closes their request, then tells them
   * (by text, else email; consent checked, quiet hours waited out, once per request).
   */
  async acceptReschedule(taskId: string, time: string): Promise<Result<AcceptedReschedule>> {
    const moved = await this.host.write(() => tasks.acceptReschedule(this.host.db, taskId, time, this.host.clock.now()))
    if (!moved.ok) return moved
    const { jobId, orgClientId, startAt } = moved.value
    const told = await this.tellNewTime('reschedule_accepted', taskId, orgClientId, startAt)
    return {
      ok: true,
      value: { job_id: jobId, start_at: startAt, told: 'id' in told ? { message_id: told.id } : told },
    }
  }

  /** The open reschedule requests, taken before staff move a visit, so that `tellOfMoves` knows whom a move answers. */
  openRescheduleRequests(): tasks.AskedMove[] {
    return tasks.openRescheduleRequests(this.host.db)
  }

  /**
   * Tells each homeowner whose request a move by staff closed (the visit moved to a time of the
   * business's choosing) of the new time: as accepting does, once per request.
   */
  async tellOfMoves(asked: tasks.AskedMove[]): Promise<void> {
    for (const a of tasks.closedByMove(this.host.db, asked))
      await this.tellNewTime('reschedule_moved', a.id, a.orgClientId, a.startAt)
    await this.refreshHeldNotices()
  }

  /**
   * A notice of a new time still held for quiet hours says the time the visit has now: staff may
   * move it again before morning, and the homeowner must not be told a time that no longer holds.
   */
  private async refreshHeldNotices(): Promise<void> {
    const p = this.host.profile()
    const stale = p
      ? tasks.heldTimeNotices(this.host.db).flatMap((n) => {
          // Moved since: no longer the time they asked for, even if the notice was to say so.
          const body = newTimeBody('reschedule_moved', p, n.startAt)
          return n.body === body || n.body === newTimeBody(n.purpose, p, n.startAt) ? [] : [{ id: n.messageId, body }]
        })
      : []
    if (stale.length === 0) return
    const at = this.host.clock.now().toISOString()
    await this.host.run(() => {
      for (const n of stale) rewriteDeferredBody(this.host.db, n.id, n.body, at)
    })
  }

  /** The homeowner's answer to their request: the visit's new time, by text else email. */
  private tellNewTime(purpose: tasks.NewTimePurpose, taskId: string, orgClientId: string, startAt: string) {
    const p = this.host.profile()!
    const body = newTimeBody(purpose, p, startAt)
    return this.sendRequestedMessage(
      orgClientId,
      {
        channel: 'sms_else_email',
        subject: `${p.name}: your visit is moved`,
        body,
        purpose,
        dedupeKey: `${purpose}:${taskId}`,
        quiet: true,
      },
      true,
    )
  }
}

/** What a homeowner is told of their visit's new time. */
function newTimeBody(purpose: tasks.NewTimePurpose, p: { name: string; timezone: string }, startAt: string): string {
  const when = formatJobTime(startAt, p.timezone)
  return purpose === 'reschedule_accepted'
    ? `${p.name}: your visit is now ${when}, as you asked. Reply if that no longer works.`
    : `${p.name}: your visit is now ${when}. You asked for another time: reply if this one does not work for you.`
}
