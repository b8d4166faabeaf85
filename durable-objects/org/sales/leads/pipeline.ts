/**
 * The pipeline moving by itself: a lead whose estimate goes out moves to the business's
 * "Estimate sent" step (the default status `ls_estimate_sent`) when it sits in an earlier open
 * step. A business that removed that step, or a lead moved past it by hand, stays where it is.
 */
import type { OrgDb } from '../../db'
import { getLead, updateLead } from './leads'
import { getStatus } from './statuses'

export const ESTIMATE_SENT_STATUS = 'ls_estimate_sent'

export function moveOnEstimateSent(db: OrgDb, leadId: string, now: Date): void {
  const lead = getLead(db, leadId)
  const target = getStatus(db, ESTIMATE_SENT_STATUS)
  if (!lead || lead.is_converted || !target || target.kind !== 'open') return
  const current = getStatus(db, lead.status_id)
  if (current?.kind !== 'open' || current.position >= target.position) return
  updateLead(db, leadId, { status_id: target.id }, now, null)
}
