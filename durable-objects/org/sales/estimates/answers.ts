/**
 * An estimate's life after it is written: marked sent with its new link (raising `estimate_sent`),
 * approved with a typed name or declined with a reason from that link (each once, raising
 * `estimate_approved` / `estimate_declined`), and expired once its last day has ended.
 */
import { and, eq, lte, min } from 'drizzle-orm'
import { conflict, notFound } from '../../../../src/errors'
import { addDays, zonedTimeToUtc } from '../../../../src/time'
import type { OrgDb } from '../../db'
import { recordEvent } from '../../events'
import { estimates, leads } from '../../schema'
import { changeable } from './drafts'
import type { EstimateRow } from './records'
import { moveOnEstimateSent } from '../leads/pipeline'

export type Answer = { approve: { name: string } } | { decline: { reason?: string | null | undefined } }

/** What answering did: whether it changed anything (a replay or a settled estimate does not), and the lead still to convert. */
export type Answered = { changed: boolean; estimate_id: string; status: string; lead_to_convert: string | null }

/** The end of `validUntil` in the business's zone, as a UTC instant. */
export function expiresAtOf(validUntil: string, tz: string): string {
  return zonedTimeToUtc(addDays(validUntil, 1), '00:00', tz).toISOString()
}

/** The event data every estimate event carries. */
const eventData = (row: EstimateRow) => ({ estimate_id: row.id, number: row.number, total_cents: row.totalCents })

/** The estimate a send may go out for, with its client and its expiry: 404, or 409 saying why not. */
export function sendable(
  db: OrgDb,
  id: string,
  tz: string,
  now: Date,
): { row: EstimateRow; orgClientId: string; expiresAt: string } {
  const row = changeable(db, id, 'sent')
  if (!row.orgClientId) throw conflict('This estimate has no client to send it to yet.')
  if (!row.validUntil) throw conflict('Set the date the estimate is valid until before sending it.')
  const expiresAt = expiresAtOf(row.validUntil, tz)
  if (Date.parse(expiresAt) <= now.getTime())
    throw conflict('The estimate is only valid until a day that has passed. Change the date, then send it.')
  return { row, orgClientId: row.orgClientId, expiresAt }
}

/** Records a send: status `sent`, the new link's hash (the old link stops working), the expiry; `estimate_sent` when it was a draft. */
export function markSent(
  db: OrgDb,
  id: string,
  send: { hash: string; sentAt: string; expiresAt: string },
  tz: string,
  now: Date,
): void {
  const { row, orgClientId } = sendable(db, id, tz, now)
  const at = now.toISOString()
  db.update(estimates)
    .set({ status: 'sent', sentAt: send.sentAt, linkHash: send.hash, expiresAt: send.expiresAt, updatedAt: at })
    .where(eq(estimates.id, id))
    .run()
  if (row.status === 'draft') recordEvent(db, 'estimate_sent', orgClientId, eventData(row), at)
  if (row.status === 'draft' && row.leadId) moveOnEstimateSent(db, row.leadId, now)
}

/** The estimate a link's hash opens; undefined for any other hash (old, changed, made up). */
export function rowByLink(db: OrgDb, hash: string): EstimateRow | undefined {
  return db.select().from(estimates).where(eq(estimates.linkHash, hash)).get()
}

/** The lead of an estimate while it is not converted yet (the Worker converts it), else null. */
export function leadToConvert(db: OrgDb, row: Pick<EstimateRow, 'leadId'>): string | null {
  if (!row.leadId) return null
  const lead = db.select({ converted: leads.isConverted }).from(leads).where(eq(leads.id, row.leadId)).get()
  return lead && !lead.converted ? row.leadId : null
}

/** Expires one sent estimate whose last day has ended, with its event. */
function expire(db: OrgDb, row: EstimateRow, at: string): void {
  db.update(estimates)
    .set({ status: 'expired', expiredAt: at, updatedAt: at })
    .where(and(eq(estimates.id, row.id), eq(estimates.status, 'sent')))
    .run()
  if (row.orgClientId) recordEvent(db, 'estimate_expired', row.orgClientId, eventData(row), at)
}

/**
 * The homeowner's answer through the link. Only a sent estimate whose last day has not ended
 * takes one; anything else (answered, expired, a replay) changes nothing and says its state.
 */
export function answerByLink(db: OrgDb, hash: string, answer: Answer, now: Date): Answered {
  const row = rowByLink(db, hash)
  if (!row) throw notFound('estimate')
  const at = now.toISOString()
  const unchanged = (status: string): Answered => ({
    changed: false,
    estimate_id: row.id,
    status,
    lead_to_convert: status === 'approved' ? leadToConvert(db, row) : null,
  })
  if (row.status !== 'sent') return unchanged(row.status)
  // The due-work run may not have come by yet: the link honours the date all the same.
  if (row.expiresAt && Date.parse(row.expiresAt) <= now.getTime()) {
    expire(db, row, at)
    return unchanged('expired')
  }
  const orgClientId = row.orgClientId!
  if ('approve' in answer) {
    db.update(estimates)
      .set({ status: 'approved', approvedAt: at, approvedName: answer.approve.name, updatedAt: at })
      .where(eq(estimates.id, row.id))
      .run()
    recordEvent(db, 'estimate_approved', orgClientId, { ...eventData(row), approved_name: answer.approve.name }, at)
    return { changed: true, estimate_id: row.id, status: 'approved', lead_to_convert: leadToConvert(db, row) }
  }
  const reason = answer.decline.reason?.trim() || null
  db.update(estimates)
    .set({ status: 'declined', declinedAt: at, declineReason: reason, updatedAt: at })
    .where(eq(estimates.id, row.id))
    .run()
  recordEvent(db, 'estimate_declined', orgClientId, { ...eventData(row), reason }, at)
  return { changed: true, estimate_id: row.id, status: 'declined', lead_to_convert: null }
}

/** The due-work run's step: every sent estimate whose last day has ended becomes expired. */
export function expireDueEstimates(db: OrgDb, now: Date): number {
  const due = db
    .select()
    .from(estimates)
    .where(and(eq(estimates.status, 'sent'), lte(estimates.expiresAt, now.toISOString())))
    .all()
  const at = now.toISOString()
  for (const row of due) expire(db, row, at)
  return due.length
}

/** When the next sent estimate expires (part of the due-time index); null when none is out. */
export function nextEstimateExpiryAt(db: OrgDb): string | null {
  return (
    db
      .select({ at: min(estimates.expiresAt) })
      .from(estimates)
      .where(eq(estimates.status, 'sent'))
      .get()?.at ?? null
  )
}
