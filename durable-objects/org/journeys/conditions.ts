/** Branch conditions, judged for one enrollment since it started. */
import { and, eq, gte, isNotNull, ne } from 'drizzle-orm'
import type { OrgDb } from '../db'
import { type enrollments, events, invoices, reviewRequests, type BranchCondition } from '../schema'

type Enrollment = Pick<typeof enrollments.$inferSelect, 'orgClientId' | 'invoiceId' | 'enrolledAt' | 'triggerEventId'>

/**
 * review_left: the client has rated a review request; invoice_paid: the enrollment's invoice is
 * paid, or (without one) the client owes no open invoice; replied / job_booked: such an event
 * since the enrollment started, other than the one that started it.
 */
export function conditionHolds(db: OrgDb, e: Enrollment, condition: BranchCondition): boolean {
  switch (condition) {
    case 'review_left':
      return !!db
        .select({ id: reviewRequests.id })
        .from(reviewRequests)
        .where(and(eq(reviewRequests.orgClientId, e.orgClientId), isNotNull(reviewRequests.rating)))
        .limit(1)
        .get()
    case 'invoice_paid':
      if (e.invoiceId)
        return (
          db.select({ status: invoices.status }).from(invoices).where(eq(invoices.id, e.invoiceId)).get()?.status ===
          'paid'
        )
      return !db
        .select({ id: invoices.id })
        .from(invoices)
        .where(and(eq(invoices.orgClientId, e.orgClientId), eq(invoices.status, 'open')))
        .limit(1)
        .get()
    case 'replied':
    case 'job_booked':
      return !!db
        .select({ id: events.id })
        .from(events)
        .where(
          and(
            eq(events.orgClientId, e.orgClientId),
            eq(events.type, condition),
            gte(events.createdAt, e.enrolledAt),
            ne(events.id, e.triggerEventId ?? ''),
          ),
        )
        .limit(1)
        .get()
  }
}
