/**
 * The due-work run: everything time-driven (reminders, journey steps, campaign batches, deferred
 * messages, the owners' alert digest) decided in one pass. Its steps cross domains, so they are
 * composed here, in order: recurring series book their next visits, campaigns due to start get their recipients, the reviews' alert digest
 * is written, then dispatch claims and decides every due message.
 */
import * as dispatch from './messaging/dispatch'
import type { OrgHost } from './host'
import type { Campaigns } from './campaigns/module'
import type { Crm } from './crm/module'
import { type ContextHost, dispatchContext } from './messaging/context'
import { unclaimedSends } from './messaging/deliveries'
import type { Reviews } from './reviews/module'
import { expireDueEstimates } from './sales/estimates/answers'

export type DueCounts = { sent: number; skipped: number; deferred: number }

export type DueWorkHost = ContextHost & Pick<OrgHost, 'run' | 'clock' | 'outbox'>

/** The domain steps a run takes before dispatch. */
export type DueSteps = {
  campaigns: Pick<Campaigns, 'startDue'>
  reviews: Pick<Reviews, 'sendDueDigest'>
  series: Pick<Crm, 'extendDueSeries'>
}

/** How many due clients a run prepares consent and signed links for (dispatch.runDueWork claims up to as many). */
const CLIENTS_PER_RUN = 500

export class DueWork {
  /**
   * Whether this instance has handed its sends over once. An object that restarted between a run's
   * decision and its `sendBatch` left those messages queued with no queue message to send them:
   * the first run of the next instance hands over every message still unclaimed. One already in
   * the queue is then there twice, and its claim sends it once.
   */
  private handedOver = false

  constructor(
    private readonly host: DueWorkHost,
    private readonly steps: DueSteps,
  ) {}

  /** Claims and decides what is due at `now` without handing the sends to the queue; returns their ids. */
  async decide(now: Date): Promise<DueCounts & { queued: string[] }> {
    await this.steps.series.extendDueSeries(now)
    await this.steps.campaigns.startDue(now)
    await this.host.run(() => expireDueEstimates(this.host.db, now))
    const digest = await this.steps.reviews.sendDueDigest(now)
    const done = await this.dispatch(now)
    return { ...done, queued: [...digest, ...done.queued] }
  }

  /** Decides what is due at `now` and enqueues each send; the due-time index follows every write. */
  async run(now: Date): Promise<DueCounts> {
    const stranded = this.handedOver ? [] : unclaimedSends(this.host.db)
    const { queued, ...counts } = await this.decide(now)
    await this.host.outbox.sends([...new Set([...stranded, ...queued])])
    this.handedOver = true
    return counts
  }

  /**
   * The cron's run: what is due by the tick's time `tick` (ISO), decided now. Messages are stamped
   * with the object's own clock; only a tick ahead of it (a message that arrived early) moves "now".
   */
  runForTick(tick: string | undefined): Promise<DueCounts> {
    const now = this.host.clock.now()
    const at = tick ? Date.parse(tick) : Number.NaN
    return this.run(at > now.getTime() ? new Date(at) : now)
  }

  /** Reminders, journey steps, campaign batches and deferred messages due at `now`, decided in one transaction. */
  private async dispatch(now: Date): Promise<dispatch.DispatchResult> {
    const { personIds, orgClientIds } = dispatch.dueRecipients(this.host.db, now, CLIENTS_PER_RUN)
    const ctx = await dispatchContext(this.host, now, personIds, orgClientIds)
    if (!ctx) return { sent: 0, skipped: 0, deferred: 0, queued: [] }
    return this.host.run(() => dispatch.runDueWork(this.host.db, ctx))
  }
}
