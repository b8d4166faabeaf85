/**
 * What was done on a job, line by line, and its subtotal; an invoice for the job starts from it.
 * As in Jobber, a job's lines stay editable after the visit is completed (that is when staff write
 * down what was really done); a cancelled job's are not (nothing was done), and changing the lines
 * never changes an invoice already made from them.
 */
import { asc, eq, inArray } from 'drizzle-orm'
import { conflict, notFound } from '../../../src/errors'
import type { OrgDb } from '../db'
import { jobLineItems, jobs, services } from '../schema'

/** One line as the API shows it. */
export type LineItem = {
  id: string
  description: string
  quantity: number
  unit_price_cents: number
  service_id: string | null
  taxable: boolean
}

/** A line as the API takes it (checked by the Worker: 1–200 characters, 0 < quantity ≤ 10,000, cents ≥ 0). */
export type NewLineItem = {
  description: string
  quantity: number
  unit_price_cents: number
  service_id?: string | null | undefined
  taxable?: boolean | undefined
}

export type JobLines = { items: LineItem[]; subtotal_cents: number }

/** Quantities are counted in millionths, so a subtotal is exact and rounded once. */
const QUANTITY_SCALE = 1_000_000n

/** The sum of quantity × unit price over the lines, rounded half up once (never per line). */
export function subtotalOf(lines: ReadonlyArray<Pick<LineItem, 'quantity' | 'unit_price_cents'>>): number {
  let scaled = 0n
  for (const l of lines) {
    scaled += BigInt(Math.round(l.quantity * Number(QUANTITY_SCALE))) * BigInt(l.unit_price_cents)
  }
  return Number((scaled + QUANTITY_SCALE / 2n) / QUANTITY_SCALE)
}

/** A stored line as the API shows it; job, invoice and estimate lines are stored alike. */
export const toLine = (
  r: Pick<
    typeof jobLineItems.$inferSelect,
    'id' | 'description' | 'quantity' | 'unitPriceCents' | 'serviceId' | 'taxable'
  >,
): LineItem => ({
  id: r.id,
  description: r.description,
  quantity: r.quantity,
  unit_price_cents: r.unitPriceCents,
  service_id: r.serviceId,
  taxable: r.taxable,
})

/** A job's lines in order with their subtotal; null for a job this business does not hold. */
export function jobLines(db: OrgDb, jobId: string): JobLines | null {
  if (!db.select({ id: jobs.id }).from(jobs).where(eq(jobs.id, jobId)).get()) return null
  const items = db
    .select()
    .from(jobLineItems)
    .where(eq(jobLineItems.jobId, jobId))
    .orderBy(asc(jobLineItems.position))
    .all()
    .map(toLine)
  return { items, subtotal_cents: subtotalOf(items) }
}

/**
 * Replaces a job's lines with `lines` (an empty list clears them). 404 for an unknown job or a
 * service that is not the business's; 409 for a cancelled job. The caller runs it in one transaction.
 */
export function replaceJobLines(db: OrgDb, jobId: string, lines: NewLineItem[], now = new Date()): JobLines {
  const job = db.select({ status: jobs.status }).from(jobs).where(eq(jobs.id, jobId)).get()
  if (!job) throw notFound('job')
  if (job.status === 'cancelled') throw conflict("A cancelled job's lines cannot be changed.")
  checkLineServices(db, lines)
  db.delete(jobLineItems).where(eq(jobLineItems.jobId, jobId)).run()
  const rows = lineRows(lines, now).map((r) => ({ ...r, jobId }))
  for (let i = 0; i < rows.length; i += LINES_PER_STATEMENT)
    db.insert(jobLineItems)
      .values(rows.slice(i, i + LINES_PER_STATEMENT))
      .run()
  return jobLines(db, jobId)!
}

/** 404 when a line names a service that is not the business's (archived ones still count). */
export function checkLineServices(db: OrgDb, lines: NewLineItem[]): void {
  const named = [...new Set(lines.map((l) => l.service_id).filter((s): s is string => !!s))]
  if (named.length === 0) return
  const known = db.select({ id: services.id }).from(services).where(inArray(services.id, named)).all()
  if (known.length !== named.length) throw notFound('service')
}

/** Nine columns a row: eleven rows keep a statement under the 100 bound parameters. */
export const LINES_PER_STATEMENT = 11

/** Lines as rows of a lines table (a job's or an invoice's), in their order; the caller adds whose they are. */
export function lineRows(lines: NewLineItem[], now: Date) {
  const at = now.toISOString()
  return lines.map((l, position) => ({
    id: crypto.randomUUID(),
    position,
    description: l.description,
    quantity: l.quantity,
    unitPriceCents: l.unit_price_cents,
    serviceId: l.service_id ?? null,
    taxable: l.taxable ?? true,
    createdAt: at,
  }))
}
