/**
 * Owner alerts for a rating of 1–3 and for written private feedback. Each is kept as a
 * `review_alerts` row; owners get at most one email per business an hour, listing every row not
 * sent yet: at once when the last alert email is an hour old, else as a digest when the hour is
 * up (the due-work loop sends it).
 */
import { asc, eq, inArray, isNull, max, min } from 'drizzle-orm'
import type { Owner } from '../../../src/reviews/owners'
import type { OrgDb } from '../db'
import { queueStaffEmail } from '../messaging/outgoing'
import { contacts, orgClients, privateFeedback, profile, reviewAlerts, reviewRequests, techs } from '../schema'
import { getFeedback, type FeedbackItem } from './feedback'
import type { ReviewRequestRow } from './requests'

/** Ratings at or below this alert the owners and offer the private form. */
export const LOW_RATING = 3

/** At most one alert email per business in this time. */
export const ALERT_GAP_MS = 60 * 60 * 1000

export type AlertKind = 'rating' | 'feedback'

export type AlertOptions = { from: string; appUrl: string }

/** Notes something to tell the owners about a request: once per request and kind (the id is both). */
export function recordAlert(db: OrgDb, requestId: string, kind: AlertKind, now: Date): void {
  db.insert(reviewAlerts)
    .values({ id: `${kind}:${requestId}`, reviewRequestId: requestId, kind, createdAt: now.toISOString() })
    .onConflictDoNothing()
    .run()
}

/** When the waiting alerts may go: an hour after the last alert email, or at once; null when none waits. */
export function nextDigestAt(db: OrgDb): string | null {
  const waiting = db
    .select({ at: min(reviewAlerts.createdAt) })
    .from(reviewAlerts)
    .where(isNull(reviewAlerts.sentAt))
    .get()?.at
  if (!waiting) return null
  const last = db
    .select({ at: max(reviewAlerts.sentAt) })
    .from(reviewAlerts)
    .get()?.at
  const free = last ? new Date(Date.parse(last) + ALERT_GAP_MS).toISOString() : waiting
  return free > waiting ? free : waiting
}

/**
 * When the waiting alerts may go at `now`, queues one email per owner listing them all (once per
 * digest: its key names the digest's first alert) and marks them sent. Returns the queued message ids.
 */
export function sendDueAlerts(db: OrgDb, owners: Owner[], opts: AlertOptions, now: Date): string[] {
  const due = nextDigestAt(db)
  if (due === null || due > now.toISOString()) return []
  const rows = db
    .select()
    .from(reviewAlerts)
    .where(isNull(reviewAlerts.sentAt))
    .orderBy(asc(reviewAlerts.createdAt), asc(reviewAlerts.id))
    .all()
  db.update(reviewAlerts)
    .set({ sentAt: now.toISOString() })
    .where(
      inArray(
        reviewAlerts.id,
        rows.map((r) => r.id),
      ),
    )
    .run()
  const items = digestItems(db, rows)
  if (items.length === 0) return []
  const { subject, body } = digestText(db, items, opts.appUrl)
  const key = `feedback_alert:${rows[0]!.id}`
  return owners
    .map((owner) =>
      queueStaffEmail(
        db,
        {
          to: owner.email,
          from: opts.from,
          subject,
          body,
          purpose: 'feedback_alert',
          dedupeKey: `${key}:${owner.account_id}`,
        },
        now,
      ),
    )
    .filter((id): id is string => id !== null)
}

type DigestItem = { request: ReviewRequestRow; feedback: FeedbackItem | null }

/**
 * What the waiting rows have to say, one item per request in the order they came: its written
 * feedback when there is some (it carries the rating), else its rating while that is still low.
 */
function digestItems(db: OrgDb, rows: Array<typeof reviewAlerts.$inferSelect>): DigestItem[] {
  const items: DigestItem[] = []
  for (const requestId of new Set(rows.map((r) => r.reviewRequestId))) {
    const request = db.select().from(reviewRequests).where(eq(reviewRequests.id, requestId)).get()
    if (!request) continue
    const withText = rows.some((r) => r.reviewRequestId === requestId && r.kind === 'feedback')
    const feedbackId = withText
      ? db
          .select({ id: privateFeedback.id })
          .from(privateFeedback)
          .where(eq(privateFeedback.reviewRequestId, requestId))
          .get()?.id
      : undefined
    const feedback = feedbackId ? getFeedback(db, feedbackId) : null
    if (feedback || (request.rating !== null && request.rating <= LOW_RATING)) items.push({ request, feedback })
  }
  return items
}

/** The email: one item says it in its own subject; several are listed under one. */
function digestText(db: OrgDb, items: DigestItem[], appUrl: string): { subject: string; body: string } {
  const business =
    db.select({ name: profile.name }).from(profile).where(eq(profile.id, 1)).get()?.name ?? 'your business'
  const parts = items.map((i) => itemText(db, business, i))
  const inbox = `Open the feedback inbox: ${appUrl}/app/reviews`
  if (parts.length === 1) return { subject: parts[0]!.subject, body: [...parts[0]!.lines, '', inbox].join('\n') }
  const lines = [`${parts.length} customers told ${business} something in the last hour:`]
  for (const [n, p] of parts.entries()) lines.push('', `${n + 1}. ${p.subject}`, ...p.lines)
  return { subject: `${parts.length} new low ratings and private feedback`, body: [...lines, '', inbox].join('\n') }
}

/** One rating or piece of feedback: its subject line and what it says. */
function itemText(
  db: OrgDb,
  business: string,
  { request: r, feedback: f }: DigestItem,
): { subject: string; lines: string[] } {
  const who = clientName(db, r.orgClientId) ?? f?.name ?? 'A customer'
  const tech = r.techId
    ? db.select({ name: techs.name }).from(techs).where(eq(techs.id, r.techId)).get()?.name
    : undefined
  const rating = f?.rating ?? r.rating ?? 0
  const how =
    r.channel === 'qr'
      ? `a QR code${tech ? ` (${tech})` : ''}`
      : `a request by ${r.channel === 'sms' ? 'text' : r.channel}`
  const lines = [`${who} rated ${business} ${rating} out of 5, from ${how}.`]
  if (f) {
    lines.push('', 'What they told you privately:', f.feedback || '(no text)')
    if (f.callback_requested) {
      const reach = [f.client_phone ?? f.customer_phone, f.client_email ?? f.customer_email].filter(Boolean).join(', ')
      lines.push('', `They asked for a call back${reach ? `: ${reach}` : '.'}`)
    }
  }
  return { subject: f ? `Private feedback from ${who} (${rating} of 5)` : `${rating}-star rating from ${who}`, lines }
}

/** A client's name as the organization has it, or null. */
function clientName(db: OrgDb, orgClientId: string | null): string | null {
  if (!orgClientId) return null
  const c = db
    .select({ first: contacts.firstName, last: contacts.lastName })
    .from(orgClients)
    .innerJoin(contacts, eq(contacts.personId, orgClients.personId))
    .where(eq(orgClients.id, orgClientId))
    .get()
  return c ? [c.first, c.last].filter(Boolean).join(' ') || null : null
}
