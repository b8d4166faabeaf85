/** What the homeowner's page of an estimate shows: the business and its brand, the lines and totals, and the estimate's state. */
import { eq } from 'drizzle-orm'
import type { LineItem } from '../../crm/line-items'
import type { OrgDb } from '../../db'
import { type EstimateStatus, profile } from '../../schema'
import { rowByLink } from './answers'
import { estimateLines } from './records'

export type EstimateLinkView = {
  business: {
    name: string
    logo_text: string | null
    brand_color: string | null
    phone: string | null
    time_zone: string
  }
  estimate: {
    number: number
    /** `expired` as soon as its last day has ended, even before the due-work run marks it. */
    status: EstimateStatus
    line_items: LineItem[]
    subtotal_cents: number
    tax_cents: number
    tax_rate: number
    total_cents: number
    valid_until: string | null
    notes: string | null
    approved_at: string | null
    approved_name: string | null
    declined_at: string | null
    decline_reason: string | null
  }
}

/** The page behind a link's hash; null for a hash no estimate has now (old, changed or made up). */
export function linkView(db: OrgDb, hash: string, now: Date): EstimateLinkView | null {
  const row = rowByLink(db, hash)
  const p = db.select().from(profile).where(eq(profile.id, 1)).get()
  if (!row || !p) return null
  const lapsed = row.status === 'sent' && row.expiresAt !== null && Date.parse(row.expiresAt) <= now.getTime()
  return {
    business: {
      name: p.name,
      logo_text: p.logoText,
      brand_color: p.brandColor,
      phone: p.phone,
      time_zone: p.timezone,
    },
    estimate: {
      number: row.number,
      status: lapsed ? 'expired' : row.status,
      line_items: estimateLines(db, row.id),
      subtotal_cents: row.subtotalCents,
      tax_cents: row.taxCents,
      tax_rate: row.taxRate ?? 0,
      total_cents: row.totalCents,
      valid_until: row.validUntil,
      notes: row.notes,
      approved_at: row.approvedAt,
      approved_name: row.approvedName,
      declined_at: row.declinedAt,
      decline_reason: row.declineReason,
    },
  }
}
