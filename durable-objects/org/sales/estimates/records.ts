/** Estimates as the API shows them, read by id, by filter and with the name of whom each is for. */
import { and, asc, desc, eq, type SQL } from 'drizzle-orm'
import { type LineItem, toLine } from '../../crm/line-items'
import { clientNaming } from '../../crm/client-list'
import type { OrgDb } from '../../db'
import { type EstimateStatus, estimateLineItems, estimates, leads } from '../../schema'

export type EstimateRow = typeof estimates.$inferSelect

/** One estimate as the API shows it; `name` is whom it is for (the client's name, else the lead's). */
export type Estimate = {
  id: string
  number: number
  status: EstimateStatus
  lead_id: string | null
  org_client_id: string | null
  account_id: string | null
  name: string
  subtotal_cents: number
  tax_cents: number
  /** Percent, as invoices. */
  tax_rate: number
  total_cents: number
  valid_until: string | null
  expires_at: string | null
  notes: string | null
  sent_at: string | null
  approved_at: string | null
  approved_name: string | null
  declined_at: string | null
  decline_reason: string | null
  expired_at: string | null
  job_id: string | null
  created_at: string
  updated_at: string
}

/** An estimate with its lines and, once sent, the homeowner's link (null before, or where it cannot be shown). */
export type EstimateDetail = Estimate & { line_items: LineItem[]; link: string | null }

export type EstimatesQuery = {
  status?: EstimateStatus | undefined
  lead_id?: string | undefined
  org_client_id?: string | undefined
  limit?: number | undefined
}

export const toEstimate = (r: EstimateRow, name: string): Estimate => ({
  id: r.id,
  number: r.number,
  status: r.status,
  lead_id: r.leadId,
  org_client_id: r.orgClientId,
  account_id: r.accountId,
  name,
  subtotal_cents: r.subtotalCents,
  tax_cents: r.taxCents,
  tax_rate: r.taxRate ?? 0,
  total_cents: r.totalCents,
  valid_until: r.validUntil,
  expires_at: r.expiresAt,
  notes: r.notes,
  sent_at: r.sentAt,
  approved_at: r.approvedAt,
  approved_name: r.approvedName,
  declined_at: r.declinedAt,
  decline_reason: r.declineReason,
  expired_at: r.expiredAt,
  job_id: r.jobId,
  created_at: r.createdAt,
  updated_at: r.updatedAt,
})

/** "Ann Lee", from a card or a lead; the email or phone when there is no name. */
function nameOf(n: {
  first_name: string | null
  last_name: string | null
  email?: string | null
  phone?: string | null
}): string {
  return [n.first_name, n.last_name].filter(Boolean).join(' ') || n.email || n.phone || 'Unnamed'
}

/** Whom each row is for, by estimate id: its client's name, else its lead's. */
function namesOf(db: OrgDb, rows: EstimateRow[]): Map<string, string> {
  const cards = clientNaming(
    db,
    rows.map((r) => r.orgClientId).filter((id): id is string => id !== null),
  )
  const leadIds = [...new Set(rows.filter((r) => !r.orgClientId && r.leadId).map((r) => r.leadId!))]
  const leadNames = new Map(
    leadIds.map((id) => {
      const l = db.select().from(leads).where(eq(leads.id, id)).get()
      return [id, l ? nameOf({ first_name: l.firstName, last_name: l.lastName, email: l.email, phone: l.phone }) : '']
    }),
  )
  return new Map(
    rows.map((r) => {
      const card = r.orgClientId ? cards[r.orgClientId] : undefined
      const name = card
        ? nameOf({ ...card, email: card.primary_email, phone: card.primary_phone_e164 })
        : (leadNames.get(r.leadId ?? '') ?? '')
      return [r.id, name || 'Unnamed']
    }),
  )
}

/** The row of an estimate; undefined for one this business does not hold. */
export function estimateRow(db: OrgDb, id: string): EstimateRow | undefined {
  return db.select().from(estimates).where(eq(estimates.id, id)).get()
}

/** An estimate's lines, in order. */
export function estimateLines(db: OrgDb, estimateId: string): LineItem[] {
  return db
    .select()
    .from(estimateLineItems)
    .where(eq(estimateLineItems.estimateId, estimateId))
    .orderBy(asc(estimateLineItems.position))
    .all()
    .map(toLine)
}

/** One estimate with its lines (the link is added by the caller); null for an unknown id. */
export function estimateWithLines(db: OrgDb, id: string): Omit<EstimateDetail, 'link'> | null {
  const row = estimateRow(db, id)
  if (!row) return null
  return { ...toEstimate(row, namesOf(db, [row]).get(row.id)!), line_items: estimateLines(db, id) }
}

/** Estimates newest first, filtered by status, lead or client. */
export function listEstimates(db: OrgDb, q: EstimatesQuery): Estimate[] {
  const where: SQL[] = []
  if (q.status) where.push(eq(estimates.status, q.status))
  if (q.lead_id) where.push(eq(estimates.leadId, q.lead_id))
  if (q.org_client_id) where.push(eq(estimates.orgClientId, q.org_client_id))
  const rows = db
    .select()
    .from(estimates)
    .where(where.length > 0 ? and(...where) : undefined)
    .orderBy(desc(estimates.createdAt), desc(estimates.number))
    .limit(q.limit ?? 200)
    .all()
  const names = namesOf(db, rows)
  return rows.map((r) => toEstimate(r, names.get(r.id)!))
}
