/**
 * A business's support tickets as its staff see them: open one, read the thread, reply (which
 * reopens a pending or closed ticket), close. Every read and change names the business, so
 * another business's ticket is simply not found; operators' internal notes never come back here.
 */
import { and, asc, desc, eq, inArray } from 'drizzle-orm'
import type { PeopleDb } from '../db'
import { notFound } from '../errors'
import { supportReplies, supportTickets } from '../people/schema'
import type { NewTicket } from './schemas'

export type TicketStatus = (typeof supportTickets.$inferSelect)['status']
export type TicketPriority = (typeof supportTickets.$inferSelect)['priority']

/** A reply as the business sees it. */
export type Reply = { body: string; from: 'business' | 'operator'; created_at: string }

/** A ticket as the business sees it (API.md's shape, plus the opening message and the last change). */
export type Ticket = {
  ticket_id: string
  subject: string
  body: string
  status: TicketStatus
  priority: TicketPriority
  created_at: string
  updated_at: string
  replies: Reply[]
}

type TicketRow = typeof supportTickets.$inferSelect
type ReplyRow = typeof supportReplies.$inferSelect

/** D1 takes at most 100 bound values a statement: replies are read for this many tickets at a time. */
const IDS_PER_QUERY = 90

/** The replies of `ticketIds`, oldest first, grouped by ticket; internal notes only when `internal`. */
export async function repliesOf(
  db: PeopleDb,
  ticketIds: string[],
  internal: boolean,
): Promise<Map<string, ReplyRow[]>> {
  const byTicket = new Map<string, ReplyRow[]>()
  for (let i = 0; i < ticketIds.length; i += IDS_PER_QUERY) {
    const ids = ticketIds.slice(i, i + IDS_PER_QUERY)
    const rows = await db
      .select()
      .from(supportReplies)
      .where(
        internal
          ? inArray(supportReplies.ticketId, ids)
          : and(inArray(supportReplies.ticketId, ids), eq(supportReplies.internal, false)),
      )
      .orderBy(asc(supportReplies.createdAt), asc(supportReplies.id))
      .all()
    for (const r of rows) byTicket.set(r.ticketId, [...(byTicket.get(r.ticketId) ?? []), r])
  }
  return byTicket
}

/** The business's view of a ticket and its replies (which must hold no internal note). */
function businessView(t: TicketRow, replies: ReplyRow[]): Ticket {
  return {
    ticket_id: t.id,
    subject: t.subject,
    body: t.body,
    status: t.status,
    priority: t.priority,
    created_at: t.createdAt,
    updated_at: t.updatedAt,
    replies: replies.filter((r) => !r.internal).map((r) => ({ body: r.body, from: r.from, created_at: r.createdAt })),
  }
}

/** The business's ticket row; 404 for an id it does not hold. */
async function ownRow(db: PeopleDb, organizationId: string, id: string): Promise<TicketRow> {
  const row = await db
    .select()
    .from(supportTickets)
    .where(and(eq(supportTickets.id, id), eq(supportTickets.organizationId, organizationId)))
    .get()
  if (!row) throw notFound('ticket')
  return row
}

/** Opens a ticket for the business, written by `openedBy` (a staff account); returns its id. */
export async function openTicket(
  db: PeopleDb,
  organizationId: string,
  openedBy: string,
  input: NewTicket,
  now: Date,
): Promise<string> {
  const id = crypto.randomUUID()
  const at = now.toISOString()
  await db
    .insert(supportTickets)
    .values({
      id,
      organizationId,
      openedBy,
      subject: input.subject,
      body: input.body,
      priority: input.priority ?? 'normal',
      lastReplyAt: at,
      lastReplyFrom: 'business',
      createdAt: at,
      updatedAt: at,
    })
    .run()
  return id
}

/** The business's tickets, newest first, each with its thread. */
export async function listTickets(
  db: PeopleDb,
  organizationId: string,
  filter: { status?: TicketStatus | undefined } = {},
  limit = 200,
): Promise<Ticket[]> {
  const rows = await db
    .select()
    .from(supportTickets)
    .where(
      and(
        eq(supportTickets.organizationId, organizationId),
        filter.status ? eq(supportTickets.status, filter.status) : undefined,
      ),
    )
    .orderBy(desc(supportTickets.createdAt), desc(supportTickets.id))
    .limit(limit)
    .all()
  const replies = await repliesOf(
    db,
    rows.map((r) => r.id),
    false,
  )
  return rows.map((r) => businessView(r, replies.get(r.id) ?? []))
}

/** One of the business's tickets with its thread; 404 for any other id. */
export async function getTicket(db: PeopleDb, organizationId: string, id: string): Promise<Ticket> {
  const row = await ownRow(db, organizationId, id)
  return businessView(row, (await repliesOf(db, [id], false)).get(id) ?? [])
}

/** The business answers on its ticket: the reply is kept and the ticket is open again (even when it was closed). */
export async function replyAsBusiness(
  db: PeopleDb,
  organizationId: string,
  id: string,
  authorId: string,
  body: string,
  now: Date,
): Promise<void> {
  await ownRow(db, organizationId, id)
  const at = now.toISOString()
  await db.batch([
    db
      .insert(supportReplies)
      .values({ id: crypto.randomUUID(), ticketId: id, from: 'business', authorId, body, createdAt: at }),
    db
      .update(supportTickets)
      .set({ status: 'open', closedAt: null, lastReplyAt: at, lastReplyFrom: 'business', updatedAt: at })
      .where(and(eq(supportTickets.id, id), eq(supportTickets.organizationId, organizationId))),
  ])
}

/** The business closes its ticket (closing a closed one changes nothing). */
export async function closeTicket(db: PeopleDb, organizationId: string, id: string, now: Date): Promise<void> {
  const row = await ownRow(db, organizationId, id)
  if (row.status === 'closed') return
  const at = now.toISOString()
  await db
    .update(supportTickets)
    .set({ status: 'closed', closedAt: at, updatedAt: at })
    .where(and(eq(supportTickets.id, id), eq(supportTickets.organizationId, organizationId)))
    .run()
}
