/**
 * The ORG object's foundation: its storage, transactions, profile, and the due-work loop that
 * every time-driven feature (reminders, journey steps, campaign batches) runs through.
 * The RPC surface is layered on top by domain (crm, messaging, journeys, reviews, campaigns).
 */
import { DurableObject } from 'cloudflare:workers'
import { eq } from 'drizzle-orm'
import { drizzle } from 'drizzle-orm/durable-sqlite'
import { migrate } from 'drizzle-orm/durable-sqlite/migrator'
import migrations from '../../../migrations/org/migrations.js'
import type { Env } from '../../../src/env'
import { peopleDb } from '../../../src/db'
import { signLinkToken, signPortalToken } from '../../../src/messaging/portal-token'
import { consentsFor } from '../../../src/people/consent'
import { consentTargets } from '../cards'
import { organizations, orgSchedule } from '../../../src/people/schema'
import { enqueueSends } from '../../../src/queues/sends'
import type { OrgDb } from '../db'
import * as dispatch from '../dispatch'
import { attempt, type Result } from '../result'
import * as schema from '../schema'
import { ensureIndexed } from '../search'
import { platformNumber } from '../../../src/messaging/sender-number'

export type OrgProfile = {
  organization_id: string; name: string; country: string; timezone: string
  google_review_url?: string | null; phone?: string | null
}

export type DueCounts = { sent: number; skipped: number; deferred: number }

export class OrgBase extends DurableObject<Env> {
  protected readonly db: OrgDb
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

  /** Runs `fn` in one storage transaction; an expected failure rolls it back and comes back as data. */
  protected write<T>(fn: () => T): Result<T> {
    return this.ctx.storage.transactionSync(() => attempt(fn))
  }

  /**
   * A write that may add, move or drop due work (reminders, enrollments, campaigns): the
   * registry's index of this organization's next due time follows.
   */
  protected async change<T>(fn: () => T): Promise<Result<T>> {
    const result = this.write(fn)
    if (result.ok) await this.syncSchedule()
    return result
  }

  /** The business's time zone, for due dates and "today". */
  protected tz(): string {
    this.timezone ??= this.profileRow()?.timezone ?? 'America/New_York'
    return this.timezone
  }

  protected profileRow() {
    return this.db.select().from(schema.profile).where(eq(schema.profile.id, 1)).get() ?? null
  }

  /** Records who this object belongs to; called at sign-up and when the organization changes. */
  async setProfile(p: OrgProfile): Promise<void> {
    const row = {
      id: 1, organizationId: p.organization_id, name: p.name, country: p.country, timezone: p.timezone,
      ...(p.google_review_url !== undefined ? { googleReviewUrl: p.google_review_url } : {}),
      ...(p.phone !== undefined ? { phone: p.phone } : {}),
      updatedAt: new Date().toISOString(),
    }
    this.db.insert(schema.profile).values(row).onConflictDoUpdate({ target: schema.profile.id, set: row }).run()
    this.timezone = p.timezone
  }

  /**
   * Claims and decides everything due now (reminders, journey steps, campaign batches, deferred
   * messages), enqueues each send, and updates the registry's index of the next due time.
   */
  async runDueWork(now = new Date()): Promise<DueCounts> {
    const { queued, ...counts } = await this.decideDueWork(now)
    const p = this.profileRow()
    if (p) await enqueueSends(this.env, p.organizationId, queued)
    return counts
  }

  /**
   * The cron's run: what is due by the tick's time `tick` (ISO), decided now. Messages are stamped
   * with the object's own clock; only a tick ahead of it (a message that arrived early) moves "now".
   */
  async runDueWorkForTick(tick: string | undefined): Promise<DueCounts> {
    const now = new Date()
    const at = tick ? Date.parse(tick) : Number.NaN
    return this.runDueWork(at > now.getTime() ? new Date(at) : now)
  }

  /** Claims and decides what is due without handing the sends to the queue; returns their ids. */
  async decideDueWork(now = new Date()): Promise<DueCounts & { queued: string[] }> {
    const { personIds, orgClientIds } = dispatch.dueRecipients(this.db, now, 500)
    const ctx = await this.dispatchContext(now, personIds, orgClientIds)
    if (!ctx) return { sent: 0, skipped: 0, deferred: 0, queued: [] }
    const result = this.ctx.storage.transactionSync(() => dispatch.runDueWork(this.db, ctx))
    await this.syncSchedule()
    return result
  }

  /**
   * What deciding messages for these clients needs from outside the transaction: the profile,
   * their people's consent (D1) and their signed links. Null before the profile exists.
   */
  protected async dispatchContext(now: Date, personIds: string[], orgClientIds: string[]): Promise<dispatch.DispatchContext | null> {
    const p = this.profileRow()
    if (!p) return null
    const consents = await consentsFor(peopleDb(this.env.PEOPLE), consentTargets(this.db, personIds), p.organizationId)
    const links = await this.linksFor(p.organizationId, orgClientIds)
    return {
      now, businessName: p.name, timezone: p.timezone, quiet: { start: p.quietStart, end: p.quietEnd },
      smsFrom: p.smsFrom ?? platformNumber(this.env), emailFrom: this.env.EMAIL_FROM ?? 'HomeBase <reminders@homebase.test>',
      consents, links, marketingCap: p.marketingCapPerDay, campaignBatchSize: p.campaignBatchSize,
      portalLinks: Object.fromEntries(Object.entries(links).map(([id, l]) => [id, l.portal])),
    }
  }

  /**
   * Signed links for each client a run may write to: the portal, a fresh review request (used
   * only if a review step runs), and one-click unsubscribe. Signing is async, the run is not,
   * so they are made beforehand.
   */
  protected async linksFor(organizationId: string, orgClientIds: string[]): Promise<Record<string, dispatch.ClientLinks>> {
    const key = this.env
    if (!key.PORTAL_SIGNING_KEY) {
      console.error('PORTAL_SIGNING_KEY is not set: messages that need a signed link (journeys, campaigns, portal links) cannot be written')
      return {}
    }
    const base = this.env.PUBLIC_BASE_URL ?? 'http://localhost:8787'
    const links: Record<string, dispatch.ClientLinks> = {}
    await Promise.all(orgClientIds.map(async (c) => {
      const reviewId = crypto.randomUUID()
      const [portal, review, unsubscribe] = await Promise.all([
        signPortalToken(key, organizationId, c),
        signLinkToken(key, { o: organizationId, c, p: 'review', r: reviewId }, 60),
        signLinkToken(key, { o: organizationId, c, p: 'unsubscribe' }, 365),
      ])
      links[c] = { portal: `${base}/p/${portal}`, review: { id: reviewId, url: `${base}/r/${review}` }, unsubscribe: `${base}/u/${unsubscribe}` }
    }))
    return links
  }

  /**
   * Keeps the registry's index of this organization's next due time in step, and never fails
   * the caller: the object's write has committed by now, so a D1 error here must not turn a
   * booked job into a 500 (a retry would book it twice). A failed write is retried by an alarm,
   * and the cron's sweep re-checks every organization's index in turn.
   */
  async syncSchedule(): Promise<void> {
    try {
      await this.writeSchedule()
    } catch (error) {
      this.scheduledAt = undefined
      console.error('org: could not update the due-time index; retrying in the background', error)
      await this.ctx.storage.setAlarm(Date.now() + SCHEDULE_RETRY_MS)
    }
  }

  /** The sweep's call: writes the index whatever was written last and notes when it was checked. Throws on a D1 error (the queue retries). */
  async checkSchedule(organizationId: string, now = new Date()): Promise<void> {
    this.scheduledAt = undefined
    await this.writeSchedule()
    await peopleDb(this.env.PEOPLE).update(organizations).set({ scheduleCheckedAt: now.toISOString() }).where(eq(organizations.id, organizationId)).run()
  }

  /** Retries an index write that failed; throwing here makes the runtime retry the alarm with backoff. */
  override async alarm(): Promise<void> {
    await this.writeSchedule()
  }

  /** Writes this organization's next due time to the registry's index when it changed. */
  private async writeSchedule(): Promise<void> {
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
}

/** How long after a failed index write the object tries again. */
const SCHEDULE_RETRY_MS = 30_000
