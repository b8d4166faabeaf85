/**
 * Conversations: one thread per client (what we sent, with its status, and what they answered, by
 * text and email), the inbox of clients who replied, and how far staff have read each thread.
 */
import { and, desc, eq, isNull, sql } from 'drizzle-orm'
import type { OrgDb } from '../db'
import { contacts, conversationReads, events, type FlatData, messages, type MessageStatus, orgClients } from '../schema'

/** How many messages a thread shows: the newest, oldest first. */
export const THREAD_LIMIT = 200

/** One message of a thread: `out` is ours (with its delivery status), `in` the client's reply. */
export type ConversationItem = {
  id: string
  direction: 'in' | 'out'
  channel: 'sms' | 'email'
  body: string
  /** An email's subject. */
  subject?: string | null
  created_at: string
  /** Ours only: queued, sent, delivered, failed, skipped or deferred, and why when not sent. */
  status?: MessageStatus
  reason?: string | null
  /** Ours only: what the message was for (`one_off`, `job_upcoming`, `invoice`…). */
  purpose?: string
}

/** A client in the inbox: their last message (either way) and how many replies nobody has read. */
export type InboxItem = {
  org_client_id: string
  last_message: ConversationItem
  unread: number
  last_reply_at: string
  client: {
    first_name: string | null
    last_name: string | null
    primary_email: string | null
    primary_phone_e164: string | null
  }
}

/** A reply: an inbound message event, its words in `body`. */
const inbound = and(eq(events.type, 'message'), sql`json_extract(${events.data}, '$.direction') = 'inbound'`)

/** True when the client is on file here (not merged into another card). */
export function isLiveClient(db: OrgDb, orgClientId: string): boolean {
  return !!db
    .select({ id: orgClients.id })
    .from(orgClients)
    .where(and(eq(orgClients.id, orgClientId), isNull(orgClients.mergedInto)))
    .get()
}

const sentColumns = {
  id: messages.id,
  channel: messages.channel,
  body: messages.body,
  subject: messages.subject,
  created_at: messages.createdAt,
  status: messages.status,
  reason: messages.reason,
  purpose: messages.purpose,
}

type SentRow = {
  id: string
  channel: 'sms' | 'email'
  body: string
  subject: string | null
  created_at: string
  status: MessageStatus
  reason: string | null
  purpose: string
}
type ReplyRow = { id: string; data: FlatData; created_at: string }

const asSent = (m: SentRow): ConversationItem => ({ ...m, direction: 'out' })

function asReply(e: ReplyRow): ConversationItem {
  return {
    id: e.id,
    direction: 'in',
    channel: e.data['channel'] === 'email' ? 'email' : 'sms',
    body: typeof e.data['body'] === 'string' ? e.data['body'] : '',
    ...(typeof e.data['subject'] === 'string' ? { subject: e.data['subject'] } : {}),
    created_at: e.created_at,
  }
}

/** Our newest `limit` messages to the client, newest first. */
function sentTo(db: OrgDb, orgClientId: string, limit: number): ConversationItem[] {
  return db
    .select(sentColumns)
    .from(messages)
    .where(eq(messages.orgClientId, orgClientId))
    .orderBy(desc(messages.createdAt))
    .limit(limit)
    .all()
    .map(asSent)
}

/** The client's newest `limit` replies, newest first. */
function repliesOf(db: OrgDb, orgClientId: string, limit: number): ConversationItem[] {
  return db
    .select({ id: events.id, data: events.data, created_at: events.createdAt })
    .from(events)
    .where(and(eq(events.orgClientId, orgClientId), inbound))
    .orderBy(desc(events.createdAt))
    .limit(limit)
    .all()
    .map(asReply)
}

/** The latest message either way of each of these clients (one statement per direction, whatever the count). */
function lastMessages(db: OrgDb, ids: string[]): Map<string, ConversationItem> {
  const list = JSON.stringify(ids)
  const sent = db.all<SentRow & { org_client_id: string }>(sql`
    select id, org_client_id, channel, body, subject, created_at, status, reason, purpose from (
      select m.*, row_number() over (partition by m.org_client_id order by m.created_at desc) as n
      from messages m where m.org_client_id in (select value from json_each(${list}))
    ) where n = 1`)
  const replies = db.all<{ id: string; org_client_id: string; data: string; created_at: string }>(sql`
    select id, org_client_id, data, created_at from (
      select e.*, row_number() over (partition by e.org_client_id order by e.created_at desc) as n
      from events e where e.org_client_id in (select value from json_each(${list}))
        and e.type = 'message' and json_extract(e.data, '$.direction') = 'inbound'
    ) where n = 1`)
  const last = new Map<string, ConversationItem>()
  const keep = (id: string, item: ConversationItem) => {
    const had = last.get(id)
    if (!had || item.created_at > had.created_at) last.set(id, item)
  }
  for (const m of sent) keep(m.org_client_id, asSent(m))
  for (const e of replies) keep(e.org_client_id, asReply({ ...e, data: JSON.parse(e.data) as FlatData }))
  return last
}

/** The client's thread, oldest first (the newest `limit` messages); null for a client not on file. */
export function conversation(db: OrgDb, orgClientId: string, limit = THREAD_LIMIT): ConversationItem[] | null {
  if (!isLiveClient(db, orgClientId)) return null
  const both = [...sentTo(db, orgClientId, limit), ...repliesOf(db, orgClientId, limit)]
  both.sort((a, b) => (a.created_at < b.created_at ? -1 : a.created_at > b.created_at ? 1 : 0))
  return both.slice(-limit)
}

/** A reply counted by the inbox: the `replied` event of a text or email (not STOP or HELP, not one raised by the API). */
const reply = sql`e.type = 'replied' and json_extract(e.data, '$.channel') is not null`

/**
 * Clients who replied, the latest conversation first; with `unread`, only those with replies
 * after staff last read the thread.
 */
export function inbox(db: OrgDb, q: { unread?: boolean; limit: number }): InboxItem[] {
  const rows = db.all<{ id: string; last_reply_at: string; unread: number }>(sql`
    select e.org_client_id as id, max(e.created_at) as last_reply_at,
      sum(e.created_at > coalesce(r.read_at, '')) as unread,
      max(max(e.created_at), coalesce((select max(m.created_at) from messages m where m.org_client_id = e.org_client_id), '')) as last_at
    from events e
    join org_clients c on c.id = e.org_client_id and c.merged_into is null
    left join conversation_reads r on r.org_client_id = e.org_client_id
    where ${reply}
    group by e.org_client_id
    ${q.unread ? sql`having unread > 0` : sql``}
    order by last_at desc
    limit ${q.limit}`)
  if (rows.length === 0) return []
  const ids = rows.map((r) => r.id)
  const last = lastMessages(db, ids)
  const clients = new Map(
    db
      .select({
        id: orgClients.id,
        first_name: contacts.firstName,
        last_name: contacts.lastName,
        primary_email: contacts.primaryEmail,
        primary_phone_e164: contacts.primaryPhoneE164,
      })
      .from(orgClients)
      .innerJoin(contacts, eq(contacts.personId, orgClients.personId))
      .where(sql`${orgClients.id} in (select value from json_each(${JSON.stringify(ids)}))`)
      .all()
      .map(({ id, ...naming }) => [id, naming]),
  )
  return rows.flatMap((r) => {
    const last_message = last.get(r.id)
    const client = clients.get(r.id)
    if (!last_message || !client) return []
    return [{ org_client_id: r.id, last_message, unread: r.unread, last_reply_at: r.last_reply_at, client }]
  })
}

/** How many clients have replies nobody has read: the count beside Inbox in the nav. */
export function unreadConversations(db: OrgDb): number {
  return (
    db.get<{ n: number }>(sql`
      select count(distinct e.org_client_id) as n from events e
      join org_clients c on c.id = e.org_client_id and c.merged_into is null
      left join conversation_reads r on r.org_client_id = e.org_client_id
      where ${reply} and e.created_at > coalesce(r.read_at, '')`)?.n ?? 0
  )
}

/** Marks the client's thread read up to `now`; false for a client not on file. */
export function markRead(db: OrgDb, orgClientId: string, now: Date): boolean {
  if (!isLiveClient(db, orgClientId)) return false
  const at = now.toISOString()
  db.insert(conversationReads)
    .values({ orgClientId, readAt: at })
    .onConflictDoUpdate({ target: conversationReads.orgClientId, set: { readAt: at } })
    .run()
  return true
}

/** The thread as staff open it: returned like `conversation`, and marked read when a reply was unread. */
export function openConversation(db: OrgDb, orgClientId: string, now: Date): ConversationItem[] | null {
  const items = conversation(db, orgClientId)
  if (!items) return null
  const read = db
    .select({ at: conversationReads.readAt })
    .from(conversationReads)
    .where(eq(conversationReads.orgClientId, orgClientId))
    .get()
  if (items.some((i) => i.direction === 'in' && i.created_at > (read?.at ?? ''))) markRead(db, orgClientId, now)
  return items
}
