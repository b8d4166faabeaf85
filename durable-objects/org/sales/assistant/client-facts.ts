/**
 * What the assistant knows about one client, read from this business's own tables only (its card,
 * messages, replies, activities, jobs, estimates, invoices): never the people registry.
 */
import { and, asc, desc, eq, gte, inArray, isNull, lt, ne, type SQL, sql } from 'drizzle-orm'
import type { OrgDb } from '../../db'
import {
  accounts,
  activities,
  contacts,
  estimates,
  events,
  type FlatData,
  invoices,
  jobs,
  messages,
  orgClients,
  services,
} from '../../schema'
import { sentimentsOf } from './interactions'
import type { SentimentLabel } from './sentiment'

/** A logged call, note, meeting, email or text. */
export type ActivityFact = { type: string; direction: 'inbound' | 'outbound' | null; summary: string; at: string }
export type EstimateFact = { number: number; total_cents: number; status: 'draft' | 'sent'; sent_at: string | null }
export type InvoiceFact = { number: number; balance_cents: number; due_date: string }

export type ClientFacts = {
  subject: 'client'
  id: string
  name: string
  first_name: string
  status: string
  tags: string[]
  since: string
  account: string | null
  /** The latest contact either way: a message we sent, a reply, or a logged activity. */
  last_contact: { at: string; what: string } | null
  /** The client's latest reply, whether staff answered it since, and how it reads. */
  last_reply: {
    id: string
    at: string
    channel: 'sms' | 'email'
    body: string
    answered: boolean
    sentiment: SentimentLabel | null
  } | null
  next_visit: { start_at: string; service: string | null } | null
  last_visit: { start_at: string; service: string | null; status: string } | null
  open_estimate: EstimateFact | null
  overdue_invoices: InvoiceFact[]
  open_invoices: InvoiceFact[]
  activities: ActivityFact[]
}

/** Messages that reached (or are on their way to) the client: not skipped, not failed. */
const WENT = ['queued', 'sent', 'delivered'] as const

/** The facts of a live client of this business; null for an id it does not hold (or a merged card). */
export function clientFacts(db: OrgDb, id: string, now: Date, today: string): ClientFacts | null {
  const client = db
    .select({
      status: orgClients.status,
      tags: orgClients.tags,
      created_at: orgClients.createdAt,
      account_id: orgClients.accountId,
      first_name: contacts.firstName,
      last_name: contacts.lastName,
      email: contacts.primaryEmail,
      phone: contacts.primaryPhoneE164,
    })
    .from(orgClients)
    .innerJoin(contacts, eq(contacts.personId, orgClients.personId))
    .where(and(eq(orgClients.id, id), isNull(orgClients.mergedInto)))
    .get()
  if (!client) return null
  const name =
    [client.first_name, client.last_name].filter(Boolean).join(' ') || client.email || client.phone || 'the client'
  const account = client.account_id
    ? (db.select({ name: accounts.name }).from(accounts).where(eq(accounts.id, client.account_id)).get()?.name ?? null)
    : null
  const acts = recentActivities(db, id)
  const sent = db
    .select({ at: messages.createdAt, channel: messages.channel, purpose: messages.purpose })
    .from(messages)
    .where(and(eq(messages.orgClientId, id), inArray(messages.status, [...WENT])))
    .orderBy(desc(messages.createdAt))
    .limit(1)
    .get()
  const reply = lastReply(db, id)
  const answeredAt = lastAnswer(db, id)
  const contactsAt = [
    sent ? { at: sent.at, what: `our ${channelWord(sent.channel)}` } : null,
    reply ? { at: reply.at, what: `their ${channelWord(reply.channel)}` } : null,
    acts[0] ? { at: acts[0].at, what: activityWord(acts[0]) } : null,
  ].filter((x): x is { at: string; what: string } => x !== null)
  const last_contact = contactsAt.sort((a, b) => (a.at < b.at ? 1 : -1))[0] ?? null
  const { overdue, open } = unpaidInvoices(db, id, today)
  return {
    subject: 'client',
    id,
    name,
    first_name: client.first_name || name,
    status: client.status,
    tags: client.tags,
    since: client.created_at,
    account,
    last_contact,
    last_reply: reply
      ? {
          ...reply,
          answered: answeredAt !== null && answeredAt > reply.at,
          sentiment: sentimentsOf(db, [reply.id])[reply.id] ?? null,
        }
      : null,
    ...visits(db, id, now),
    open_estimate: openEstimate(db, eq(estimates.orgClientId, id)),
    overdue_invoices: overdue,
    open_invoices: open,
    activities: acts,
  }
}

export const channelWord = (channel: string) => (channel === 'email' ? 'email' : 'text')

/** "call (outbound)", "note". */
export const activityWord = (a: ActivityFact) => (a.direction ? `${a.type} (${a.direction})` : a.type)

/** The five latest activities of a lead or client, newest first. */
export function recentActivities(db: OrgDb, clientId: string | null, leadId?: string): ActivityFact[] {
  return db
    .select({
      type: activities.type,
      direction: activities.direction,
      summary: activities.summary,
      at: activities.occurredAt,
    })
    .from(activities)
    .where(clientId ? eq(activities.orgClientId, clientId) : eq(activities.leadId, leadId ?? ''))
    .orderBy(desc(activities.occurredAt))
    .limit(5)
    .all()
}

/** The client's latest reply (a text or email they sent, not a STOP or START). */
function lastReply(db: OrgDb, id: string) {
  const row = db
    .select({ id: events.id, data: events.data, at: events.createdAt })
    .from(events)
    .where(
      and(
        eq(events.orgClientId, id),
        eq(events.type, 'message'),
        sql`json_extract(${events.data}, '$.direction') = 'inbound'`,
        sql`json_extract(${events.data}, '$.keyword') is null`,
      ),
    )
    .orderBy(desc(events.createdAt))
    .limit(1)
    .get()
  if (!row) return null
  const data = row.data as FlatData
  const body = [data['subject'], data['body']].filter((v) => typeof v === 'string' && v).join(': ')
  return { id: row.id, at: row.at, channel: data['channel'] === 'email' ? ('email' as const) : ('sms' as const), body }
}

/**
 * When staff last answered the client: a message they wrote (`one_off`), or a call, meeting, email
 * or text they logged as outbound. Automatic reminders and journeys do not answer anyone.
 */
function lastAnswer(db: OrgDb, id: string): string | null {
  const wrote = db
    .select({ at: messages.createdAt })
    .from(messages)
    .where(and(eq(messages.orgClientId, id), eq(messages.purpose, 'one_off'), inArray(messages.status, [...WENT])))
    .orderBy(desc(messages.createdAt))
    .limit(1)
    .get()?.at
  const logged = db
    .select({ at: activities.occurredAt })
    .from(activities)
    .where(and(eq(activities.orgClientId, id), eq(activities.direction, 'outbound')))
    .orderBy(desc(activities.occurredAt))
    .limit(1)
    .get()?.at
  return (
    [wrote, logged]
      .filter((x): x is string => !!x)
      .sort()
      .at(-1) ?? null
  )
}

/** The next visit to come (not cancelled or completed) and the latest one before now (not cancelled). */
function visits(db: OrgDb, id: string, now: Date): Pick<ClientFacts, 'next_visit' | 'last_visit'> {
  const at = now.toISOString()
  const cols = { start_at: jobs.startAt, service: services.name, status: jobs.status }
  const next = db
    .select(cols)
    .from(jobs)
    .leftJoin(services, eq(services.id, jobs.serviceId))
    .where(and(eq(jobs.orgClientId, id), gte(jobs.startAt, at), inArray(jobs.status, ['scheduled', 'in_progress'])))
    .orderBy(asc(jobs.startAt))
    .limit(1)
    .get()
  const last = db
    .select(cols)
    .from(jobs)
    .leftJoin(services, eq(services.id, jobs.serviceId))
    .where(and(eq(jobs.orgClientId, id), lt(jobs.startAt, at), ne(jobs.status, 'cancelled')))
    .orderBy(desc(jobs.startAt))
    .limit(1)
    .get()
  return {
    next_visit: next ? { start_at: next.start_at, service: next.service } : null,
    last_visit: last ?? null,
  }
}

/** The estimate waiting on an answer (sent) before one still being written (draft), newest first. */
export function openEstimate(db: OrgDb, whose: SQL): EstimateFact | null {
  const row = db
    .select({
      number: estimates.number,
      total_cents: estimates.totalCents,
      status: estimates.status,
      sent_at: estimates.sentAt,
    })
    .from(estimates)
    .where(and(whose, inArray(estimates.status, ['sent', 'draft'])))
    .orderBy(sql`${estimates.status} = 'sent' desc`, desc(estimates.createdAt))
    .limit(1)
    .get()
  return row ? { ...row, status: row.status === 'sent' ? 'sent' : 'draft' } : null
}

/** Open invoices with a balance: those past their due date (oldest first) and the rest. */
function unpaidInvoices(db: OrgDb, id: string, today: string) {
  const rows = db
    .select({
      number: invoices.number,
      balance_cents: sql<number>`${invoices.totalCents} - ${invoices.paidCents}`,
      due_date: invoices.dueDate,
    })
    .from(invoices)
    .where(and(eq(invoices.orgClientId, id), eq(invoices.status, 'open')))
    .orderBy(asc(invoices.dueDate), asc(invoices.number))
    .all()
    .filter((i) => i.balance_cents > 0)
  return { overdue: rows.filter((i) => i.due_date < today), open: rows.filter((i) => i.due_date >= today) }
}
