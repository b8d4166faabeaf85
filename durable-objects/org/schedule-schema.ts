/**
 * Drizzle schema of an organization's schedule beyond single jobs: recurring series (an RFC 5545
 * rule the visits are made from), the line items done on a job and billed on an invoice, and how
 * far staff have read each client's conversation. Re-exported by `schema.ts`.
 */
import { sql } from 'drizzle-orm'
import { index, integer, real, sqliteTable, text } from 'drizzle-orm/sqlite-core'

const now = sql`(strftime('%Y-%m-%dT%H:%M:%fZ','now'))`

/**
 * A series of recurring visits. `rule` is RFC 5545 text (`DTSTART;TZID=…` and `RRULE:…`) read as
 * wall-clock time in `timezone`, so a 9:00 visit stays at 9:00 across daylight-saving changes.
 * Visits exist as jobs up to `generated_until`; `extend_at` is when the due-work run next makes
 * more (null once the rule has no more visits or the series was cancelled).
 */
export const jobSeries = sqliteTable(
  'job_series',
  {
    id: text('id').primaryKey(),
    orgClientId: text('org_client_id').notNull(),
    rule: text('rule').notNull(),
    timezone: text('timezone').notNull(),
    /** What each new visit is booked with. */
    serviceId: text('service_id'),
    addressId: text('address_id'),
    durationMinutes: integer('duration_minutes'),
    priceCents: integer('price_cents').notNull().default(0),
    notes: text('notes'),
    /** The crew's user ids, JSON. */
    assignedTo: text('assigned_to').notNull().default('[]'),
    generatedUntil: text('generated_until').notNull(),
    extendAt: text('extend_at'),
    cancelledAt: text('cancelled_at'),
    createdAt: text('created_at').notNull().default(now),
    updatedAt: text('updated_at').notNull().default(now),
  },
  (t) => [index('job_series_client_idx').on(t.orgClientId), index('job_series_extend_idx').on(t.extendAt)],
)

/** What was done on a job, line by line; an invoice for the job starts from these lines. */
export const jobLineItems = sqliteTable(
  'job_line_items',
  {
    id: text('id').primaryKey(),
    jobId: text('job_id').notNull(),
    position: integer('position').notNull(),
    description: text('description').notNull(),
    quantity: real('quantity').notNull().default(1),
    unitPriceCents: integer('unit_price_cents').notNull(),
    serviceId: text('service_id'),
    taxable: integer('taxable', { mode: 'boolean' }).notNull().default(true),
    createdAt: text('created_at').notNull().default(now),
  },
  (t) => [index('job_line_items_job_idx').on(t.jobId, t.position)],
)

/** An invoice's lines (the job's lines or typed); the invoice keeps its subtotal, tax and total. */
export const invoiceLineItems = sqliteTable(
  'invoice_line_items',
  {
    id: text('id').primaryKey(),
    invoiceId: text('invoice_id').notNull(),
    position: integer('position').notNull(),
    description: text('description').notNull(),
    quantity: real('quantity').notNull().default(1),
    unitPriceCents: integer('unit_price_cents').notNull(),
    serviceId: text('service_id'),
    taxable: integer('taxable', { mode: 'boolean' }).notNull().default(true),
    createdAt: text('created_at').notNull().default(now),
  },
  (t) => [index('invoice_line_items_invoice_idx').on(t.invoiceId, t.position)],
)

/** How far staff have read a client's conversation: replies after `read_at` are unread. */
export const conversationReads = sqliteTable('conversation_reads', {
  orgClientId: text('org_client_id').primaryKey(),
  readAt: text('read_at').notNull(),
})
