/** Approved estimates not booked yet: work the business has won and still has to put on the calendar. */
import { and, asc, eq, isNotNull, isNull } from 'drizzle-orm'
import type { OrgDb } from '../../db'
import { estimates } from '../../schema'

export type UnbookedEstimate = {
  id: string
  number: number
  org_client_id: string
  total_cents: number
  approved_at: string | null
}

/** The oldest approvals first (they have waited longest), at most `limit`. */
export function unbookedEstimates(db: OrgDb, limit: number): UnbookedEstimate[] {
  if (limit <= 0) return []
  return db
    .select({
      id: estimates.id,
      number: estimates.number,
      org_client_id: estimates.orgClientId,
      total_cents: estimates.totalCents,
      approved_at: estimates.approvedAt,
    })
    .from(estimates)
    .where(and(eq(estimates.status, 'approved'), isNull(estimates.jobId), isNotNull(estimates.orgClientId)))
    .orderBy(asc(estimates.approvedAt), asc(estimates.number))
    .limit(limit)
    .all()
    .map((r) => ({ ...r, org_client_id: r.org_client_id! }))
}
