/**
 * What every part of the ORG object shares, built once in its constructor: the database, the one
 * way to write, the clock, the profile, the sender defaults, the due-time index and the outbox.
 * Each domain module (`<domain>/module.ts`) is made from the slice of this it needs (`Pick<OrgHost, …>`).
 */
import { eq } from 'drizzle-orm'
import { drizzle } from 'drizzle-orm/durable-sqlite'
import { Clock } from '../../src/clock'
import { peopleDb } from '../../src/db'
import type { Env } from '../../src/env'
import { platformNumber } from '../../src/messaging/sender-number'
import { organizations, orgSchedule } from '../../src/people/schema'
import { enqueueSends } from '../../src/queues/sends'
import type { OrgDb } from './db'
import { nextDueAt } from './messaging/dispatch'
import type { PushNote } from './integrations/push-targets'
import { attempt, type Result, unwrap } from './result'
import * as schema from './schema'
import { type PlanLimits, readPlanLimits } from './settings'

export { Clock }

export type ProfileRow = typeof schema.profile.$inferSelect

/** Where the organization's messages come from and where its links point. */
export type Senders = { smsFrom: string; emailFrom: string; baseUrl: string }

/** How long after a failed index write the object tries again. */
const SCHEDULE_RETRY_MS = 30_000

/**
 * The registry's index of this organization's next due time (D1 `org_schedule`), which the cron
 * reads to know whom to wake. Written only when the time changed since the last write.
 */
export class DueIndex {
  /** The next due time last written to the index (undefined: not known yet). */
  private writtenAt: string | null | undefined = undefined
  /** The due-version count that next due time was read at. */
  private writtenVersion = -1

  constructor(
    private readonly host: Pick<OrgHost, 'db' | 'env' | 'profile'>,
    private readonly storage: DurableObjectStorage,
  ) {}

  /**
   * Brings the index in step and never fails the caller: the object's write has committed by now,
   * so a D1 error here must not turn a booked job into a 500 (a retry would book it twice). A
   * failed write is retried by an alarm, and the cron's sweep re-checks every index in turn.
   */
  async sync(): Promise<void> {
    // Nothing that decides the next due time changed since it was last written (migration 0013's triggers count that).
    if (this.writtenAt !== undefined && this.version() === this.writtenVersion) return
    try {
      await this.write()
    } catch (error) {
      this.writtenAt = undefined
      console.error('org: could not update the due-time index; retrying in the background', error)
      // Real time, not the clock: the runtime fires alarms by the wall clock.
      await this.storage.setAlarm(Date.now() + SCHEDULE_RETRY_MS)
    }
  }

  /** The sweep's check: writes the index whatever was written last and notes when. Throws on a D1 error (the queue retries). */
  async check(organizationId: string, now: Date): Promise<void> {
    this.writtenAt = undefined
    await this.write()
    await peopleDb(this.host.env.PEOPLE)
      .update(organizations)
      .set({ scheduleCheckedAt: now.toISOString() })
      .where(eq(organizations.id, organizationId))
      .run()
  }

  /** Writes the next due time to the index when it changed; throws on a D1 error (the alarm's retry). */
  async write(): Promise<void> {
    const p = this.host.profile()
    if (!p) return
    const version = this.version()
    const next = nextDueAt(this.host.db)
    if (next === this.writtenAt) {
      this.writtenVersion = version
      return
    }
    const db = peopleDb(this.host.env.PEOPLE)
    if (next === null) await db.delete(orgSchedule).where(eq(orgSchedule.organizationId, p.organizationId)).run()
    else
      await db
        .insert(orgSchedule)
        .values({ organizationId: p.organizationId, nextDueAt: next })
        .onConflictDoUpdate({ target: orgSchedule.organizationId, set: { nextDueAt: next } })
        .run()
    this.writtenAt = next
    this.writtenVersion = version
  }

  /** How many writes so far could have moved the next due time. */
  private version(): number {
    return this.storage.sql.exec<{ n: number }>('select n from due_version where id = 1').one().n
  }
}

/** What leaves the object through queues: sends to deliver, and notes to push to the client's CRM. */
export class Outbox {
  constructor(private readonly host: Pick<OrgHost, 'env' | 'profile'>) {}

  /** Hands decided messages to the `sends` queue (nothing before the profile exists). */
  async sends(messageIds: string[]): Promise<void> {
    const p = this.host.profile()
    if (p && messageIds.length > 0) await enqueueSends(this.host.env, p.organizationId, messageIds)
  }

  /** Queues CRM pushes; a queue hiccup is logged and never fails the text itself. */
  async pushes(notes: PushNote[]): Promise<void> {
    const p = this.host.profile()
    if (!p || notes.length === 0) return
    try {
      await this.host.env.EVENTS.sendBatch(notes.map((n) => ({ body: { ...n, organization_id: p.organizationId } })))
    } catch (error) {
      console.error('connections: could not queue CRM pushes', error)
    }
  }
}

export class OrgHost {
  readonly db: OrgDb
  readonly clock = new Clock()
  readonly schedule: DueIndex
  readonly outbox: Outbox
  private readonly storage: DurableObjectStorage
  private timezone: string | null = null

  constructor(
    ctx: DurableObjectState,
    readonly env: Env,
  ) {
    this.storage = ctx.storage
    this.db = drizzle(ctx.storage, { schema })
    this.schedule = new DueIndex(this, ctx.storage)
    this.outbox = new Outbox(this)
  }

  /**
   * The one way to write: `fn` runs in one storage transaction (an expected failure rolls it back
   * and comes back as data), then the due-time index follows whatever `fn` added, moved or dropped.
   */
  async write<T>(fn: () => T): Promise<Result<T>> {
    const result = attempt(() => this.storage.transactionSync(fn))
    if (result.ok) await this.schedule.sync()
    return result
  }

  /** `write` for callers that answer with the value itself: an expected failure is thrown as its AppError. */
  async run<T>(fn: () => T): Promise<T> {
    return unwrap(await this.write(fn))
  }

  /** The organization's profile row; null before sign-up wrote it. */
  profile(): ProfileRow | null {
    return this.db.select().from(schema.profile).where(eq(schema.profile.id, 1)).get() ?? null
  }

  /** The business's time zone, for due dates and "today". */
  tz(): string {
    this.timezone ??= this.profile()?.timezone ?? 'America/New_York'
    return this.timezone
  }

  /** Called after the profile was written, so the next `tz()` reads it again. */
  forgetProfile(): void {
    this.timezone = null
  }

  /** The plan's limits (settings.ts keeps them); null until HomeBase told this object one. */
  planLimits(): PlanLimits | null {
    return readPlanLimits(this.storage.kv)
  }

  /** The sender defaults, in one place: the business's own number or the platform's, the email sender, the public base URL. */
  senders(p: ProfileRow | null = this.profile()): Senders {
    return {
      smsFrom: p?.smsFrom ?? platformNumber(this.env),
      emailFrom: this.env.EMAIL_FROM ?? 'HomeBase <reminders@homebase.test>',
      baseUrl: this.env.PUBLIC_BASE_URL ?? 'http://localhost:8787',
    }
  }
}
