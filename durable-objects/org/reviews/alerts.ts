/** The owner alert for a rating of 1–3 and for written private feedback: an email to every owner, through the engine. */
import { eq } from 'drizzle-orm'
import type { Owner } from '../../../src/reviews/owners'
import type { OrgDb } from '../db'
import { queueStaffEmail } from '../outgoing'
import { contacts, orgClients, profile, techs } from '../schema'
import type { FeedbackItem } from './feedback'
import type { ReviewRequestRow } from './requests'

/** Ratings at or below this alert the owners and offer the private form. */
export const LOW_RATING = 3

export type AlertOptions = { from: string; appUrl: string; now?: Date }

/**
 * Queues one alert email per owner: `feedback_alert:<request>` when the low rating arrives,
 * `feedback_alert:<request>:text` when written feedback does; owners after the first get
 * `:<account_id>` appended. Each key is sent at most once. Returns the queued message ids.
 */
export function queueFeedbackAlerts(db: OrgDb, owners: Owner[], request: ReviewRequestRow, item: FeedbackItem | null, opts: AlertOptions): string[] {
  const base = `feedback_alert:${request.id}${item ? ':text' : ''}`
  const { subject, body } = alertText(db, request, item, opts.appUrl)
  return owners.map((owner, i) => queueStaffEmail(db, {
    to: owner.email, from: opts.from, subject, body, purpose: 'feedback_alert', dedupeKey: i === 0 ? base : `${base}:${owner.account_id}`,
  }, opts.now)).filter((id): id is string => id !== null)
}

/** The alert's subject and plain-text body. */
function alertText(db: OrgDb, r: ReviewRequestRow, item: FeedbackItem | null, appUrl: string): { subject: string; body: string } {
  const business = db.select({ name: profile.name }).from(profile).where(eq(profile.id, 1)).get()?.name ?? 'your business'
  const who = clientName(db, r.orgClientId) ?? item?.name ?? 'A customer'
  const tech = r.techId ? db.select({ name: techs.name }).from(techs).where(eq(techs.id, r.techId)).get()?.name : undefined
  const rating = item?.rating ?? r.rating ?? 0
  const how = r.channel === 'qr' ? `a QR code${tech ? ` (${tech})` : ''}` : `a request by ${r.channel === 'sms' ? 'text' : r.channel}`
  const lines = [`${who} rated ${business} ${rating} out of 5, from ${how}.`]
  if (item) {
    lines.push('', 'What they told you privately:', item.feedback || '(no text)')
    if (item.callback_requested) {
      const reach = [item.client_phone ?? item.customer_phone, item.client_email ?? item.customer_email].filter(Boolean).join(', ')
      lines.push('', `They asked for a call back${reach ? `: ${reach}` : '.'}`)
    }
  }
  lines.push('', `Open the feedback inbox: ${appUrl}/app/reviews`)
  return {
    subject: item ? `Private feedback from ${who} (${rating} of 5)` : `${rating}-star rating from ${who}`,
    body: lines.join('\n'),
  }
}

/** A client's name as the organization has it, or null. */
function clientName(db: OrgDb, orgClientId: string | null): string | null {
  if (!orgClientId) return null
  const c = db.select({ first: contacts.firstName, last: contacts.lastName }).from(orgClients)
    .innerJoin(contacts, eq(contacts.personId, orgClients.personId)).where(eq(orgClients.id, orgClientId)).get()
  return c ? [c.first, c.last].filter(Boolean).join(' ') || null : null
}
