/** Invoices (from a total alone, or from lines with tax) and their due-date reminders. Payments live in payments.ts. */
import { and, desc, eq, lt, sql, type SQL } from 'drizzle-orm'
import { conflict, notFound } from '../../../src/errors'
import { localDate } from '../../../src/time'
import type { OrgDb } from '../db'
import { recordEvent } from '../events'
import { invoiceLines, invoiceMoney, jobLinesToBill, taxRateFor, writeInvoiceLines } from './invoice-lines'
import { checkLineServices, type LineItem, type NewLineItem } from './line-items'
import { dropPendingReminders, scheduleInvoiceReminders } from './reminders'
import { invoices, jobs, orgClients, payments, type InvoiceStatus } from '../schema'

export type Invoice = {
  id: string
  number: number
  org_client_id: string
  job_id: string | null
  /** The lines' sum; null for an invoice made from a total alone. */
  subtotal_cents: number | null
  tax_cents: number
  /** The percent charged on the taxable lines (10.25); null for an invoice made from a total alone. */
  tax_rate: number | null
  total_cents: number
  paid_cents: number
  balance_cents: number
  status: InvoiceStatus
  due_date: string
  overdue: boolean
  notes: string | null
  paid_at: string | null
  /** When it was last sent to the client with its pay link. */
  sent_at: string | null
  created_at: string
}

/** An invoice with its lines, as one invoice is shown (lists leave the lines out). */
export type InvoiceWithLines = Invoice & { line_items: LineItem[] }

export type NewInvoice = {
  org_client_id: string
  job_id?: string | undefined
  /** Typed lines: the total is their subtotal plus tax. */
  line_items?: NewLineItem[] | undefined
  /** A total alone. Without it or lines, an invoice for a job starts from the job's lines (else its price). */
  total_cents?: number | undefined
  due_date: string
  notes?: string
  status?: 'draft' | 'open'
}

/** An invoice as the API shows it; `overdue` is judged by the date today in the business's zone. */
export function toInvoice(i: typeof invoices.$inferSelect, today: string): Invoice {
  return {
    id: i.id,
    number: i.number,
    org_client_id: i.orgClientId,
    job_id: i.jobId,
    subtotal_cents: i.subtotalCents,
    tax_cents: i.taxCents,
    tax_rate: i.taxRate,
    total_cents: i.totalCents,
    paid_cents: i.paidCents,
    balance_cents: Math.max(0, i.totalCents - i.paidCents),
    status: i.status,
    due_date: i.dueDate,
    overdue: i.status === 'open' && i.dueDate < today,
    notes: i.notes,
    paid_at: i.paidAt,
    sent_at: i.sentAt,
    created_at: i.createdAt,
  }
}

/** What an invoice bills: typed lines, else a total given, else the job's lines, else the job's price. */
function billing(
  db: OrgDb,
  input: NewInvoice,
): { lines: NewLineItem[]; rate: number | null; money: ReturnType<typeof invoiceMoney> | null; total: number } {
  const lines =
    input.line_items && input.line_items.length > 0
      ? input.line_items
      : input.total_cents === undefined && input.job_id
        ? jobLinesToBill(db, input.job_id)
        : []
  if (lines.length > 0) {
    const rate = taxRateFor(db, input.org_client_id)
    const money = invoiceMoney(lines, rate)
    return { lines, rate, money, total: money.total_cents }
  }
  const price = input.job_id
    ? db.select({ price: jobs.priceCents }).from(jobs).where(eq(jobs.id, input.job_id)).get()?.price
    : null
  return { lines, rate: null, money: null, total: input.total_cents ?? price ?? 0 }
}

/** Creates an invoice (open unless asked for a draft) with its lines and reminders. */
export function createInvoice(db: OrgDb, input: NewInvoice, tz: string, now = new Date()): InvoiceWithLines {
  const client = db
    .select({ accountId: orgClients.accountId })
    .from(orgClients)
    .where(eq(orgClients.id, input.org_client_id))
    .get()
  if (!client) throw notFound('client')
  if (input.job_id) {
    const job = db.select({ client: jobs.orgClientId }).from(jobs).where(eq(jobs.id, input.job_id)).get()
    if (!job || job.client !== input.org_client_id) throw notFound('job')
  }
  checkLineServices(db, input.line_items ?? [])
  const bill = billing(db, input)
  const number =
    (db
      .select({ n: sql<number | null>`max(${invoices.number})` })
      .from(invoices)
      .get()?.n ?? 1000) + 1
  const at = now.toISOString()
  const row = {
    id: crypto.randomUUID(),
    number,
    orgClientId: input.org_client_id,
    jobId: input.job_id ?? null,
    totalCents: bill.total,
    subtotalCents: bill.money?.subtotal_cents ?? null,
    taxCents: bill.money?.tax_cents ?? 0,
    taxRate: bill.rate,
    sentAt: null,
    paidCents: 0,
    status: input.status ?? ('open' as const),
    dueDate: input.due_date,
    notes: input.notes ?? null,
    paidAt: null,
    // A commercial client's invoice is billed to its account.
    accountId: client.accountId,
    createdAt: at,
    updatedAt: at,
  }
  db.insert(invoices).values(row).run()
  writeInvoiceLines(db, row.id, bill.lines, now)
  recordEvent(db, 'invoice_created', row.orgClientId, { invoice_id: row.id, number, total_cents: row.totalCents }, at)
  if (row.status === 'open') scheduleInvoiceReminders(db, row, tz, now)
  return { ...toInvoice(row, localDate(now, tz)), line_items: invoiceLines(db, row.id) }
}

export type InvoicePatch = {
  status?: 'open' | 'void'
  due_date?: string
  total_cents?: number
  notes?: string
  /** New lines: the subtotal, tax (at the invoice's rate, else the client's) and total follow. */
  line_items?: NewLineItem[]
}

/** The invoice's amounts after new lines: at its own rate (kept from when it was made), else the client's today. */
function relined(db: OrgDb, inv: typeof invoices.$inferSelect, lines: NewLineItem[]) {
  checkLineServices(db, lines)
  const rate = inv.taxRate ?? taxRateFor(db, inv.orgClientId)
  const money = invoiceMoney(lines, rate)
  return {
    subtotalCents: money.subtotal_cents,
    taxCents: money.tax_cents,
    taxRate: rate,
    totalCents: money.total_cents,
  }
}

/** Sends a draft (open), voids, or changes the due date, total or lines of an unpaid invoice. */
export function updateInvoice(
  db: OrgDb,
  id: string,
  patch: InvoicePatch,
  tz: string,
  now = new Date(),
): InvoiceWithLines {
  const inv = db.select().from(invoices).where(eq(invoices.id, id)).get()
  if (!inv) throw notFound('invoice')
  if (inv.status === 'paid' || inv.status === 'void') throw conflict(`A ${inv.status} invoice cannot be changed.`)
  if (patch.total_cents !== undefined && inv.subtotalCents !== null)
    throw conflict('This invoice is totalled from its lines: change its lines instead.')
  const amounts = patch.line_items ? relined(db, inv, patch.line_items) : null
  const total = amounts?.totalCents ?? patch.total_cents
  if (total !== undefined && total < inv.paidCents)
    throw conflict('The total cannot be less than what was already paid.')
  const status = patch.status ?? inv.status
  const dueDate = patch.due_date ?? inv.dueDate
  if (patch.line_items) writeInvoiceLines(db, id, patch.line_items, now)
  db.update(invoices)
    .set({
      status,
      dueDate,
      ...(patch.total_cents !== undefined ? { totalCents: patch.total_cents } : {}),
      ...(amounts ?? {}),
      ...(patch.notes !== undefined ? { notes: patch.notes } : {}),
      updatedAt: now.toISOString(),
    })
    .where(eq(invoices.id, id))
    .run()
  if (status === 'void') {
    dropPendingReminders(db, { invoiceId: id })
    recordEvent(db, 'invoice_voided', inv.orgClientId, { invoice_id: id }, now.toISOString())
  } else if (status === 'open' && (inv.status !== 'open' || dueDate !== inv.dueDate)) {
    scheduleInvoiceReminders(db, { id, orgClientId: inv.orgClientId, dueDate }, tz, now)
  }
  return invoiceWithPayments(db, id, tz, now)!.invoice
}

export type PaymentRow = {
  id: string
  invoice_id: string
  org_client_id: string
  amount_cents: number
  status: 'pending' | 'succeeded' | 'refunded'
  method: string | null
  captured_at: string | null
  refunded_at: string | null
  created_at: string
}

export const toPayment = (p: typeof payments.$inferSelect): PaymentRow => ({
  id: p.id,
  invoice_id: p.invoiceId,
  org_client_id: p.orgClientId,
  amount_cents: p.amountCents,
  status: p.status,
  method: p.method,
  captured_at: p.capturedAt,
  refunded_at: p.refundedAt,
  created_at: p.createdAt,
})

/** An invoice with its payments, or null. */
export function getInvoice(
  db: OrgDb,
  id: string,
  tz: string,
  now = new Date(),
): { invoice: Invoice; payments: PaymentRow[] } | null {
  const inv = db.select().from(invoices).where(eq(invoices.id, id)).get()
  if (!inv) return null
  const rows = db.select().from(payments).where(eq(payments.invoiceId, id)).orderBy(desc(payments.createdAt)).all()
  return { invoice: toInvoice(inv, localDate(now, tz)), payments: rows.map(toPayment) }
}

/** An invoice with its lines and payments, as one invoice is shown; null for an unknown id. */
export function invoiceWithPayments(
  db: OrgDb,
  id: string,
  tz: string,
  now = new Date(),
): { invoice: InvoiceWithLines; payments: PaymentRow[] } | null {
  const found = getInvoice(db, id, tz, now)
  return found && { ...found, invoice: { ...found.invoice, line_items: invoiceLines(db, id) } }
}

export type InvoicesQuery = { status?: InvoiceStatus; overdue?: boolean; org_client_id?: string; limit: number }

/** Invoices newest first; `overdue` keeps open ones past their due date. */
export function listInvoices(db: OrgDb, query: InvoicesQuery, tz: string, now = new Date()): Invoice[] {
  const today = localDate(now, tz)
  const where: SQL[] = []
  if (query.status) where.push(eq(invoices.status, query.status))
  if (query.overdue) where.push(eq(invoices.status, 'open'), lt(invoices.dueDate, today))
  if (query.org_client_id) where.push(eq(invoices.orgClientId, query.org_client_id))
  return db
    .select()
    .from(invoices)
    .where(and(...where))
    .orderBy(desc(invoices.createdAt))
    .limit(query.limit)
    .all()
    .map((i) => toInvoice(i, today))
}
