/** Private feedback: what a rater told the business privately, the inbox that lists it, and its unread badge. */
import { count, desc, eq, isNull, sql } from 'drizzle-orm'
import { invalidInput } from '../../../src/errors'
import type { OrgDb } from '../db'
import { recordEvent } from '../events'
import { contacts, orgClients, privateFeedback, techs } from '../schema'
import { requestForLink, type ReviewRequestRow } from './requests'

export type FeedbackInput = {
  feedback: string
  callback_requested: boolean
  /** How to reach them, asked only when the request has no client (a QR scan). */
  customer_name?: string
  customer_email?: string
  customer_phone?: string
}

export type FeedbackItem = {
  id: string
  review_request_id: string | null
  org_client_id: string | null
  /** The client's name, else the name they gave. */
  name: string | null
  tech_id: string | null
  tech_name: string | null
  rating: number
  feedback: string
  callback_requested: boolean
  customer_email: string | null
  customer_phone: string | null
  /** The client's phone and email on file, for calling back. */
  client_phone: string | null
  client_email: string | null
  source: string
  read_at: string | null
  created_at: string
}

const columns = {
  id: privateFeedback.id,
  review_request_id: privateFeedback.reviewRequestId,
  org_client_id: privateFeedback.orgClientId,
  name: sql<
    string | null
  >`coalesce(nullif(trim(coalesce(${contacts.firstName}, '') || ' ' || coalesce(${contacts.lastName}, '')), ''), ${privateFeedback.customerName})`,
  tech_id: privateFeedback.techId,
  tech_name: techs.name,
  rating: privateFeedback.rating,
  feedback: privateFeedback.feedback,
  callback_requested: privateFeedback.callbackRequested,
  customer_email: privateFeedback.customerEmail,
  customer_phone: privateFeedback.customerPhone,
  client_phone: contacts.primaryPhoneE164,
  client_email: contacts.primaryEmail,
  source: privateFeedback.source,
  read_at: privateFeedback.readAt,
  created_at: privateFeedback.createdAt,
}

const withNames = (db: OrgDb) =>
  db
    .select(columns)
    .from(privateFeedback)
    .leftJoin(orgClients, eq(orgClients.id, privateFeedback.orgClientId))
    .leftJoin(contacts, eq(contacts.personId, orgClients.personId))
    .leftJoin(techs, eq(techs.id, privateFeedback.techId))

/**
 * Stores a rater's private feedback (one per request: sending again replaces it and makes it
 * unread) and notes it on the client's timeline. Null when the link names no such request.
 */
export function submitFeedback(
  db: OrgDb,
  id: string,
  orgClientId: string,
  input: FeedbackInput,
  now = new Date(),
): { item: FeedbackItem; request: ReviewRequestRow } | null {
  const r = requestForLink(db, id, orgClientId)
  if (!r) return null
  if (r.rating === null) throw invalidInput([{ path: 'rating', message: 'Choose a rating first.' }])
  const at = now.toISOString()
  const contact = r.orgClientId
    ? {}
    : {
        customerName: input.customer_name ?? null,
        customerEmail: input.customer_email ?? null,
        customerPhone: input.customer_phone ?? null,
      }
  const fields = {
    rating: r.rating,
    feedback: input.feedback,
    callbackRequested: input.callback_requested,
    ...contact,
    readAt: null,
    createdAt: at,
  }
  const existing = db
    .select({ id: privateFeedback.id })
    .from(privateFeedback)
    .where(eq(privateFeedback.reviewRequestId, r.id))
    .get()
  const feedbackId = existing?.id ?? crypto.randomUUID()
  if (existing) db.update(privateFeedback).set(fields).where(eq(privateFeedback.id, feedbackId)).run()
  else
    db.insert(privateFeedback)
      .values({
        id: feedbackId,
        reviewRequestId: r.id,
        orgClientId: r.orgClientId,
        techId: r.techId,
        source: r.channel,
        ...fields,
      })
      .run()
  recordEvent(
    db,
    'feedback',
    r.orgClientId,
    {
      feedback_id: feedbackId,
      review_request_id: r.id,
      rating: r.rating,
      feedback: input.feedback,
      callback_requested: input.callback_requested,
    },
    at,
  )
  return { item: getFeedback(db, feedbackId)!, request: r }
}

/** One piece of feedback, or null. */
export function getFeedback(db: OrgDb, id: string): FeedbackItem | null {
  return withNames(db).where(eq(privateFeedback.id, id)).get() ?? null
}

/** The inbox: private feedback, newest first. */
export function listFeedback(db: OrgDb, query: { limit: number; unread?: boolean }): FeedbackItem[] {
  return withNames(db)
    .where(query.unread ? isNull(privateFeedback.readAt) : undefined)
    .orderBy(desc(privateFeedback.createdAt))
    .limit(query.limit)
    .all()
}

/** Opens one piece of feedback: the first time marks it read. */
export function readFeedback(db: OrgDb, id: string, now = new Date()): FeedbackItem | null {
  const item = getFeedback(db, id)
  if (!item || item.read_at) return item
  const at = now.toISOString()
  db.update(privateFeedback).set({ readAt: at }).where(eq(privateFeedback.id, id)).run()
  return { ...item, read_at: at }
}

/** How many pieces of feedback nobody on staff has opened yet: the app's badge. */
export function unreadFeedbackCount(db: OrgDb): number {
  return db.select({ n: count() }).from(privateFeedback).where(isNull(privateFeedback.readAt)).get()?.n ?? 0
}
