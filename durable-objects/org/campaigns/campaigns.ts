/**
 * Campaigns: a message to a segment, sent now or at a time. Sending fixes the recipients (one
 * `campaign_sends` row each), then due work decides them in batches (run.ts); a send's status
 * after that follows its message. Cancelling skips what has not been handed to a provider.
 */
import { and, asc, desc, eq, inArray, lte, sql } from 'drizzle-orm'
import { conflict, notFound } from '../../../src/errors'
import type { OrgDb } from '../db'
import { campaigns, campaignSends, messages, type CampaignStatus, type Segment } from '../schema'
import { checkSegment, type Channel } from './segments'

export type NewCampaign = { name: string; channel: Channel; segment: Segment; subject?: string | null; body: string }

/** Where a campaign's sends stand; `pending` ones are not decided yet. */
export type Progress = {
  total: number
  pending: number
  queued: number
  sent: number
  delivered: number
  failed: number
  skipped: number
}

export type Campaign = {
  id: string
  name: string
  channel: Channel
  segment: Segment
  subject: string | null
  body: string
  status: CampaignStatus
  send_at: string | null
  total: number
  started_at: string | null
  finished_at: string | null
  cancelled_at: string | null
  created_at: string
  progress: Progress
}

export const SEND_STATUSES = ['pending', 'queued', 'sent', 'delivered', 'failed', 'skipped'] as const
export type SendStatus = (typeof SEND_STATUSES)[number]

/** One recipient's row: the client, where their send stands and why. */
export type CampaignSendRow = {
  org_client_id: string
  first_name: string | null
  last_name: string | null
  to: string | null
  status: SendStatus
  reason: string | null
  message_id: string | null
  updated_at: string
}

/** A send's status read through its message: deferred counts as queued (it goes later). */
const sendStatus = sql<SendStatus>`case
  when s.message_id is null then s.status
  when m.status in ('queued', 'deferred') then 'queued'
  else coalesce(m.status, s.status) end`

/** Creates a draft campaign. */
export function createCampaign(db: OrgDb, input: NewCampaign, now: Date): Campaign {
  checkSegment(db, input.segment)
  const id = crypto.randomUUID()
  const at = now.toISOString()
  db.insert(campaigns)
    .values({
      id,
      name: input.name,
      channel: input.channel,
      segment: input.segment,
      subject: input.channel === 'email' ? (input.subject ?? '') : null,
      body: input.body,
      status: 'draft',
      createdAt: at,
      updatedAt: at,
    })
    .run()
  return getCampaign(db, id)!
}

/** One campaign with its progress, or null. */
export function getCampaign(db: OrgDb, id: string): Campaign | null {
  const row = db.select().from(campaigns).where(eq(campaigns.id, id)).get()
  return row ? toCampaign(row, progressOf(db, id, row.total)) : null
}

/** Campaigns newest first, each with its progress. */
export function listCampaigns(db: OrgDb, limit = 200): Campaign[] {
  return db
    .select()
    .from(campaigns)
    .orderBy(desc(campaigns.createdAt))
    .limit(limit)
    .all()
    .map((row) => toCampaign(row, progressOf(db, row.id, row.total)))
}

/**
 * Sets when a draft or scheduled campaign starts sending (`at`, already no earlier than now).
 * One that is sending, sent or cancelled cannot be sent again.
 */
export function scheduleCampaign(db: OrgDb, id: string, at: string, now: Date): Campaign {
  const row = db.select({ status: campaigns.status }).from(campaigns).where(eq(campaigns.id, id)).get()
  if (!row) throw notFound('campaign')
  if (row.status !== 'draft' && row.status !== 'scheduled')
    throw conflict(`This campaign is ${row.status}; it cannot be sent again.`)
  db.update(campaigns)
    .set({ status: 'scheduled', sendAt: at, updatedAt: now.toISOString() })
    .where(eq(campaigns.id, id))
    .run()
  return getCampaign(db, id)!
}

/** Scheduled campaigns whose time has come, oldest first. */
export function dueToStart(db: OrgDb, now: Date): Array<{ id: string; channel: Channel; segment: Segment }> {
  return db
    .select({ id: campaigns.id, channel: campaigns.channel, segment: campaigns.segment })
    .from(campaigns)
    .where(and(eq(campaigns.status, 'scheduled'), lte(campaigns.sendAt, now.toISOString())))
    .orderBy(asc(campaigns.sendAt))
    .all()
}

/**
 * Fixes a due campaign's recipients: one pending send per member, the total, status `sending`
 * (`sent` at once when nobody matched). Does nothing unless it is still scheduled.
 */
export function startSending(db: OrgDb, id: string, orgClientIds: string[], now: Date): void {
  const at = now.toISOString()
  const started = db
    .update(campaigns)
    .set({
      status: orgClientIds.length === 0 ? 'sent' : 'sending',
      total: orgClientIds.length,
      startedAt: at,
      updatedAt: at,
      ...(orgClientIds.length === 0 ? { finishedAt: at } : {}),
    })
    .where(and(eq(campaigns.id, id), eq(campaigns.status, 'scheduled')))
    .returning({ id: campaigns.id })
    .all()
  if (started.length === 0) return
  db.run(sql`insert or ignore into campaign_sends (campaign_id, org_client_id, status, updated_at)
    select ${id}, value, 'pending', ${at} from json_each(${JSON.stringify(orgClientIds)})`)
}

/**
 * Cancels a campaign: pending sends are skipped, and its messages not yet handed to a provider
 * (queued, or deferred by quiet hours) are skipped too, so the sends queue delivers nothing more.
 * A campaign whose every message has been handed over cannot be cancelled; cancelling a cancelled
 * one changes nothing.
 */
export function cancelCampaign(db: OrgDb, id: string, now: Date): Campaign {
  const row = db.select({ status: campaigns.status }).from(campaigns).where(eq(campaigns.id, id)).get()
  if (!row) throw notFound('campaign')
  if (row.status === 'cancelled') return getCampaign(db, id)!
  const waiting = db
    .select({ id: messages.id })
    .from(messages)
    .where(and(eq(messages.campaignId, id), inArray(messages.status, ['queued', 'deferred'])))
    .limit(1)
    .get()
  if (row.status === 'sent' && !waiting) throw conflict('This campaign has already been sent.')
  const at = now.toISOString()
  db.update(campaigns).set({ status: 'cancelled', cancelledAt: at, updatedAt: at }).where(eq(campaigns.id, id)).run()
  db.update(campaignSends)
    .set({ status: 'skipped', reason: 'cancelled', updatedAt: at })
    .where(and(eq(campaignSends.campaignId, id), eq(campaignSends.status, 'pending')))
    .run()
  db.update(messages)
    .set({ status: 'skipped', reason: 'campaign_cancelled', sendAfter: null, updatedAt: at })
    .where(and(eq(messages.campaignId, id), inArray(messages.status, ['queued', 'deferred'])))
    .run()
  return getCampaign(db, id)!
}

/** A campaign's sends, filtered by status, in the order they were fixed; null when there is no such campaign. */
export function listSends(
  db: OrgDb,
  id: string,
  query: { status?: SendStatus; limit: number },
): CampaignSendRow[] | null {
  if (!db.select({ id: campaigns.id }).from(campaigns).where(eq(campaigns.id, id)).get()) return null
  return db.all<CampaignSendRow>(sql`
    select s.org_client_id, k.first_name, k.last_name,
           coalesce(m."to", case when c.channel = 'sms' then k.primary_phone_e164 else k.primary_email end) as "to",
           ${sendStatus} as status, coalesce(m.reason, s.reason) as reason, s.message_id, coalesce(m.updated_at, s.updated_at) as updated_at
    from campaign_sends s
    join campaigns c on c.id = s.campaign_id
    left join messages m on m.id = s.message_id
    left join org_clients oc on oc.id = s.org_client_id
    left join contacts k on k.person_id = oc.person_id
    where s.campaign_id = ${id} and ${query.status ? sql`${sendStatus} = ${query.status}` : sql`1 = 1`}
    order by s.rowid limit ${query.limit}`)
}

/** Counts of a campaign's sends by status, read through their messages. */
export function progressOf(db: OrgDb, id: string, total: number): Progress {
  const rows = db.all<{ status: SendStatus; n: number }>(sql`
    select ${sendStatus} as status, count(*) as n from campaign_sends s left join messages m on m.id = s.message_id
    where s.campaign_id = ${id} group by 1`)
  const progress: Progress = { total, pending: 0, queued: 0, sent: 0, delivered: 0, failed: 0, skipped: 0 }
  for (const r of rows) progress[r.status] += r.n
  return progress
}

function toCampaign(row: typeof campaigns.$inferSelect, progress: Progress): Campaign {
  return {
    id: row.id,
    name: row.name,
    channel: row.channel,
    segment: row.segment,
    subject: row.subject,
    body: row.body,
    status: row.status,
    send_at: row.sendAt,
    total: row.total,
    started_at: row.startedAt,
    finished_at: row.finishedAt,
    cancelled_at: row.cancelledAt,
    created_at: row.createdAt,
    progress,
  }
}
