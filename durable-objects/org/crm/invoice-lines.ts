/**
 * An invoice's lines and the money they make: the subtotal, the tax on the taxable lines at the
 * client's rate else the business's default, and the total. Each amount is computed exactly and
 * rounded half up once per invoice, never per line.
 */
import { asc, eq } from 'drizzle-orm'
import type { OrgDb } from '../db'
import { LINES_PER_STATEMENT, type LineItem, lineRows, type NewLineItem, toLine } from './line-items'
import { clientSettings, invoiceLineItems, jobLineItems, profile } from '../schema'

export type InvoiceMoney = { subtotal_cents: number; tax_cents: number; total_cents: number }

/** Quantities are counted in millionths and rates in thousandths of a percent, so every sum is an exact integer. */
const QUANTITY_SCALE = 1_000_000n
const RATE_SCALE = 1_000n

/** Rounds `n / d` half up (both non-negative). */
const halfUp = (n: bigint, d: bigint) => (n + d / 2n) / d

/** Σ quantity × unit price in millionths of a cent, exactly. */
function exactSum(lines: ReadonlyArray<Pick<NewLineItem, 'quantity' | 'unit_price_cents'>>): bigint {
  let scaled = 0n
  for (const l of lines) scaled += BigInt(Math.round(l.quantity * Number(QUANTITY_SCALE))) * BigInt(l.unit_price_cents)
  return scaled
}

/** A percent (10.25) in thousandths of a percent (10250). */
const milliPercent = (rate: number) => BigInt(Math.round(rate * Number(RATE_SCALE)))

/**
 * Subtotal = the lines' exact sum, rounded half up once; tax = the taxable lines' exact sum times
 * `ratePercent`, rounded half up once; total = subtotal + tax.
 */
export function invoiceMoney(
  lines: ReadonlyArray<Pick<NewLineItem, 'quantity' | 'unit_price_cents' | 'taxable'>>,
  ratePercent: number,
): InvoiceMoney {
  const subtotal = Number(halfUp(exactSum(lines), QUANTITY_SCALE))
  const taxable = exactSum(lines.filter((l) => l.taxable !== false))
  const tax = Number(halfUp(taxable * milliPercent(ratePercent), QUANTITY_SCALE * 100n * RATE_SCALE))
  return { subtotal_cents: subtotal, tax_cents: tax, total_cents: subtotal + tax }
}

/**
 * The percent charged on a client's taxable lines: the client's own rate, else the business's
 * default, else 0. All three are percents (10.25 is 10.25 %): the client's own rate as the client
 * API (0–30) and page take it (org migration 0019 turned the old fractions into percents), the
 * business's default and the invoice's rate.
 */
export function taxRateFor(db: OrgDb, orgClientId: string): number {
  const own = db
    .select({ rate: clientSettings.taxRate })
    .from(clientSettings)
    .where(eq(clientSettings.orgClientId, orgClientId))
    .get()?.rate
  if (own !== null && own !== undefined) return own
  return db.select({ rate: profile.defaultTaxRate }).from(profile).where(eq(profile.id, 1)).get()?.rate ?? 0
}

/** An invoice's lines in order (none for an invoice made from a total alone). */
export function invoiceLines(db: OrgDb, invoiceId: string): LineItem[] {
  return db
    .select()
    .from(invoiceLineItems)
    .where(eq(invoiceLineItems.invoiceId, invoiceId))
    .orderBy(asc(invoiceLineItems.position))
    .all()
    .map(toLine)
}

/** A job's lines as an invoice takes them (empty when the job has none). */
export function jobLinesToBill(db: OrgDb, jobId: string): NewLineItem[] {
  return db
    .select()
    .from(jobLineItems)
    .where(eq(jobLineItems.jobId, jobId))
    .orderBy(asc(jobLineItems.position))
    .all()
    .map((r) => ({
      description: r.description,
      quantity: r.quantity,
      unit_price_cents: r.unitPriceCents,
      service_id: r.serviceId,
      taxable: r.taxable,
    }))
}

/** Replaces an invoice's lines with `lines`; the caller keeps the invoice's amounts in step, in the same transaction. */
export function writeInvoiceLines(db: OrgDb, invoiceId: string, lines: NewLineItem[], now: Date): void {
  db.delete(invoiceLineItems).where(eq(invoiceLineItems.invoiceId, invoiceId)).run()
  const rows = lineRows(lines, now).map((r) => ({ ...r, invoiceId }))
  for (let i = 0; i < rows.length; i += LINES_PER_STATEMENT)
    db.insert(invoiceLineItems)
      .values(rows.slice(i, i + LINES_PER_STATEMENT))
      .run()
}
