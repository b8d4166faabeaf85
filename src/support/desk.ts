/**
 * The operators' support desk: every business's tickets with the assistant's reading, replies
 * (emailed to the business and setting the ticket pending) and internal notes (emailed to nobody,
 * shown to no business), and triage: status, priority and an assignee who must be an operator.
 */
import { and, desc, eq, inArray } from 'drizzle-orm'
import type { PeopleDb } from '../db'
import type { Env } from '../env'
import { invalidInput, notFound } from '../errors'
import { isOperator, platformAdmins } from '../http/operator'
import { accounts, organizations, supportReplies, supportTickets } from '../people/schema'
import { emailOperatorReply } from './emails'
import type { DeskQuery, TicketPatch } from './schemas'
import { repliesOf, type TicketPriority, type TicketStatus } from './tickets'

/** A reply as operators see it: internal notes marked, and who wrote it. */
export type DeskReply = {
  body: string
  from: 'business' | 'operator'
  internal: boolean
  author: string | null
  created_at: string
}

/** A ticket as operators see it: the business's view plus the business, the assignee and the assistant's reading. */
export type DeskTicket = {
  ticket_id: string
  organization_id: string
  organization_name: string
  subject: string
  body: string
  status: TicketStatus
  priority: TicketPriority
  assignee: string | null
  ai_summary: string | null
  suggested_priority: TicketPriority | null
  opened_by: string | null
  created_at: string
  updated_at: string
  replies: DeskReply[]
}

export type Operator = { account_id: string; email: string }

const ticketColumns = {
  row: supportTickets,
  organizationName: organizations.name,
  assigneeEmail: accounts.email,
}

/** The emails of `ids`' accounts, by id. */
async function emailsOf(db: PeopleDb, ids: string[]): Promise<Map<string, string>> {
  const found = new Map<string, string>()
  const unique = [...new Set(ids)]
  for (let i = 0; i < unique.length; i += 90) {
    const rows = await db
      .select({ id: accounts.id, email: accounts.email })
      .from(accounts)
      .where(inArray(accounts.id, unique.slice(i, i + 90)))
      .all()
    for (const r of rows) found.set(r.id, r.email)
  }
  return found
}

/** Tickets with their business, assignee and whole thread (internal notes included). */
async function withThreads(
  db: PeopleDb,
  rows: Array<{
    row: typeof supportTickets.$inferSelect
    organizationName: string | null
    assigneeEmail: string | null
  }>,
): Promise<DeskTicket[]> {
  const replies = await repliesOf(
    db,
    rows.map((r) => r.row.id),
    true,
  )
  const authors = await emailsOf(db, [
    ...rows.map((r) => r.row.openedBy),
    ...[...replies.values()].flat().map((r) => r.authorId),
  ])
  return rows.map(({ row: t, organizationName, assigneeEmail }) => ({
    ticket_id: t.id,
    organization_id: t.organizationId,
    organization_name: organizationName ?? '',
    subject: t.subject,
    body: t.body,
    status: t.status,
    priority: t.priority,
    assignee: assigneeEmail,
    ai_summary: t.aiSummary,
    suggested_priority: t.suggestedPriority,
    opened_by: authors.get(t.openedBy) ?? null,
    created_at: t.createdAt,
    updated_at: t.updatedAt,
    replies: (replies.get(t.id) ?? []).map((r) => ({
      body: r.body,
      from: r.from,
      internal: r.internal,
      author: authors.get(r.authorId) ?? null,
      created_at: r.createdAt,
    })),
  }))
}

/** Every business's tickets, newest first, filtered by status, priority or business. */
export async function listDesk(db: PeopleDb, q: Partial<DeskQuery> = {}, limit = 200): Promise<DeskTicket[]> {
  const rows = await db
    .select(ticketColumns)
    .from(supportTickets)
    .leftJoin(organizations, eq(organizations.id, supportTickets.organizationId))
    .leftJoin(accounts, eq(accounts.id, supportTickets.assignee))
    .where(
      and(
        q.status ? eq(supportTickets.status, q.status) : undefined,
        q.priority ? eq(supportTickets.priority, q.priority) : undefined,
        q.organization_id ? eq(supportTickets.organizationId, q.organization_id) : undefined,
      ),
    )
    .orderBy(desc(supportTickets.createdAt), desc(supportTickets.id))
    .limit(limit)
    .all()
  return withThreads(db, rows)
}

/** One ticket, whichever business opened it; 404 for an unknown id. */
export async function deskTicket(db: PeopleDb, id: string): Promise<DeskTicket> {
  const row = await db
    .select(ticketColumns)
    .from(supportTickets)
    .leftJoin(organizations, eq(organizations.id, supportTickets.organizationId))
    .leftJoin(accounts, eq(accounts.id, supportTickets.assignee))
    .where(eq(supportTickets.id, id))
    .get()
  if (!row) throw notFound('ticket')
  const [ticket] = await withThreads(db, [row])
  return ticket!
}

/** The operators who have an account (PLATFORM_ADMINS lists emails; only those who signed up can be assigned). */
export async function operators(env: Pick<Env, 'PLATFORM_ADMINS'>, db: PeopleDb): Promise<Operator[]> {
  const emails = [...platformAdmins(env)]
  if (emails.length === 0) return []
  return db
    .select({ account_id: accounts.id, email: accounts.email })
    .from(accounts)
    .where(and(inArray(accounts.email, emails.slice(0, 90)), eq(accounts.kind, 'staff')))
    .orderBy(accounts.email)
    .all()
}

/** The operator an assignee names (email or account id); 400 for anyone who is not one. */
async function operatorOf(env: Pick<Env, 'PLATFORM_ADMINS'>, db: PeopleDb, value: string): Promise<Operator> {
  const found = await db
    .select({ account_id: accounts.id, email: accounts.email })
    .from(accounts)
    .where(
      and(
        value.includes('@') ? eq(accounts.email, value.toLowerCase()) : eq(accounts.id, value),
        eq(accounts.kind, 'staff'),
      ),
    )
    .get()
  if (!found || !isOperator(env, found.email))
    throw invalidInput(
      [{ path: 'assignee', message: 'must be the email or account id of a HomeBase operator' }],
      'Only a HomeBase operator can be assigned a ticket.',
    )
  return found
}

/** Changes a ticket's status, priority or assignee; closing stamps when, reopening clears it. */
export async function updateTicket(
  env: Pick<Env, 'PLATFORM_ADMINS'>,
  db: PeopleDb,
  id: string,
  patch: TicketPatch,
  now: Date,
): Promise<DeskTicket> {
  const current = await deskTicket(db, id)
  const assignee =
    patch.assignee === undefined
      ? undefined
      : patch.assignee === null
        ? null
        : await operatorOf(env, db, patch.assignee)
  const at = now.toISOString()
  const statusChanged = patch.status !== undefined && patch.status !== current.status
  // The business sees status, priority and when they last changed; who works a ticket is the desk's own.
  const seen = statusChanged || (patch.priority !== undefined && patch.priority !== current.priority)
  await db
    .update(supportTickets)
    .set({
      ...(patch.status !== undefined ? { status: patch.status } : {}),
      ...(statusChanged ? { closedAt: patch.status === 'closed' ? at : null } : {}),
      ...(patch.priority !== undefined ? { priority: patch.priority } : {}),
      ...(assignee !== undefined ? { assignee: assignee?.account_id ?? null } : {}),
      ...(seen ? { updatedAt: at } : {}),
    })
    .where(eq(supportTickets.id, id))
    .run()
  return deskTicket(db, id)
}

/**
 * An operator's reply (the ticket waits on the business: pending, and the business is emailed)
 * or internal note (nothing else changes, nobody is emailed). Returns the reply's id.
 */
export async function replyAsOperator(
  env: Env,
  db: PeopleDb,
  id: string,
  authorId: string,
  input: { body: string; internal?: boolean | undefined },
  baseUrl: string,
  now: Date,
): Promise<string> {
  const t = await db.select().from(supportTickets).where(eq(supportTickets.id, id)).get()
  if (!t) throw notFound('ticket')
  const replyId = crypto.randomUUID()
  const at = now.toISOString()
  const internal = input.internal === true
  const insert = db
    .insert(supportReplies)
    .values({ id: replyId, ticketId: id, from: 'operator', authorId, body: input.body, internal, createdAt: at })
  if (internal) {
    await insert.run()
    return replyId
  }
  await db.batch([
    insert,
    db
      .update(supportTickets)
      .set({ status: 'pending', closedAt: null, lastReplyAt: at, lastReplyFrom: 'operator', updatedAt: at })
      .where(eq(supportTickets.id, id)),
  ])
  await emailOperatorReply(env, db, t, { id: replyId, body: input.body }, baseUrl)
  return replyId
}
