/**
 * The one send/skip/defer rule every outgoing message passes (decision 004): reminders, journey
 * steps, review requests, campaign sends, messages a homeowner asked for, staff alerts, and
 * deferred messages when their time comes. Pure: the caller reads the facts, this says what to do.
 */
import { nextAllowed, type QuietHours } from './quiet-hours'
import type { Channel } from './templates'

/** A person's consent as the organization sees it. */
export type Consent = { email_opt_in: boolean; sms_opt_in: boolean; marketing_email_opt_in?: boolean }

/** Consent of someone who has not said otherwise: both channels on. */
export const DEFAULT_CONSENT: Consent = { email_opt_in: true, sms_opt_in: true }

export type MessageFacts = {
  now: Date
  channel: Channel
  /** Where the message would go on `channel` (null: nowhere on file); null for a client who is gone. */
  recipient: { to: string | null } | null
  consent: Consent
  /** Transactional messages (reminders, receipts, codes, alerts) skip the marketing cap and need no unsubscribe link. */
  transactional: boolean
  /** Marketing email only: whether a signed unsubscribe link goes in it. */
  hasUnsubscribeLink: boolean
  /** The quiet hours on the recipient's clock, and the key that spreads the send when they end; null for none. */
  quiet: { hours: QuietHours; zone: string; spreadKey: string } | null
  /** When the marketing cap lets the next marketing message go; null while under it. */
  capFrees: Date | null
  /** A capped message waits for the cap to free (journeys, review requests) or is skipped (campaigns). */
  whenCapped: 'defer' | 'skip'
}

export type Verdict =
  | { status: 'queued' }
  | {
      status: 'skipped'
      reason: string
      /** The reason in words, kept as the message's `error` (plan_limit). */
      detail?: string
    }
  | { status: 'deferred'; until: Date; reason: string }

const skipped = (reason: string): Verdict => ({ status: 'skipped', reason })

/**
 * Skip with the reason (client_deleted, no_phone / no_email, opted_out, unsubscribed,
 * no_unsubscribe_link, capped); else defer until quiet hours end or the cap frees, whichever is
 * later (reason `quiet_hours until …` or `cap until …`); else queue.
 */
export function decide(f: MessageFacts): Verdict {
  if (!f.recipient) return skipped('client_deleted')
  if (!f.recipient.to) return skipped(f.channel === 'sms' ? 'no_phone' : 'no_email')
  if (!(f.channel === 'sms' ? f.consent.sms_opt_in : f.consent.email_opt_in)) return skipped('opted_out')
  const marketingEmail = !f.transactional && f.channel === 'email'
  // An unsubscribe link stops offers and news by email; reminders and receipts still come.
  if (marketingEmail && f.consent.marketing_email_opt_in === false) return skipped('unsubscribed')
  // Marketing email must carry a working unsubscribe link (it needs PORTAL_SIGNING_KEY to sign one).
  if (marketingEmail && !f.hasUnsubscribeLink) return skipped('no_unsubscribe_link')
  const capFrees = f.transactional ? null : f.capFrees
  if (capFrees && f.whenCapped === 'skip') return skipped('capped')
  const quietEnds = f.quiet ? nextAllowed(f.now, f.quiet.zone, f.quiet.hours, f.quiet.spreadKey) : null
  const waits = [quietEnds && quietEnds.getTime() > f.now.getTime() ? quietEnds : null, capFrees].filter(
    (d): d is Date => d !== null,
  )
  if (waits.length === 0) return { status: 'queued' }
  const until = new Date(Math.max(...waits.map((d) => d.getTime())))
  const why = capFrees && until.getTime() === capFrees.getTime() ? 'cap' : 'quiet_hours'
  return { status: 'deferred', until, reason: `${why} until ${until.toISOString()}` }
}
