/** Payments: a succeeded payment adds to the invoice and the client's lifetime value; a refund takes it back. */
import { and, eq, sql } from 'drizzle-orm'
import { conflict, invalidInput, notFound } from '../../../src/errors'
import type { OrgDb } from '../db'
import { recordEvent } from '../events'
import { activateClient } from '../sales/leads/client-status'
import { getInvoice, toPayment, type Invoice, type PaymentRow } from './invoices'
import { dropPendingReminders, scheduleInvoiceReminders } from './reminders'
import { invoices, orgClients, payments, type FlatData } from '../schema'

export type NewPayment = {
  amount_cents: number
  status?: 'succeeded' | 'pending'
  method?: string
  external_id?: string
  /** Where the payment was recorded (a CRM, stripe); carried on its events so journeys can tell. */
  source?: string
}

export type RecordedPayment = { payment: PaymentRow; invoice: Invoice; duplicate?: true }

/**
 * Records a payment on an open invoice; a succeeded one may not exceed the balance. A provider's
 * payment id already on the invoice answers that payment with `duplicate: true` and writes nothing.
 */
export function recordPayment(
  db: OrgDb,
  invoiceId: string,
  input: NewPayment,
  tz: string,
  now = new Date(),
): RecordedPayment {
  const inv = db.select().from(invoices).where(eq(invoices.id, invoiceId)).get()
  if (!inv) throw notFound('invoice')
  if (input.external_id !== undefined) {
    const seen = db
      .select()
      .from(payments)
      .where(and(eq(payments.invoiceId, invoiceId), eq(payments.externalId, input.external_id)))
      .get()
    if (seen) return { payment: toPayment(seen), invoice: getInvoice(db, invoiceId, tz, now)!.invoice, duplicate: true }
  }
  if (inv.status !== 'open') throw conflict(`A ${inv.status} invoice takes no payments.`)
  const status = input.status ?? 'succeeded'
  if (status === 'succeeded' && input.amount_cents > inv.totalCents - inv.paidCents) {
    throw invalidInput([
      { path: 'amount_cents', message: `exceeds the balance of ${inv.totalCents - inv.paidCents} cents` },
    ])
  }
  const at = now.toISOString()
  const row = {
    id: crypto.randomUUID(),
    invoiceId,
    orgClientId: inv.orgClientId,
    amountCents: input.amount_cents,
    status,
    method: input.method ?? null,
    externalId: input.external_id ?? null,
    capturedAt: status === 'succeeded' ? at : null,
    refundedAt: null,
    createdAt: at,
  }
  db.insert(payments).values(row).run()
  if (status === 'succeeded') applySucceeded(db, invoiceId, row.id, row.amountCents, now, input.source)
  return { payment: toPayment(row), invoice: getInvoice(db, invoiceId, tz, now)!.invoice }
}

/** Marks a pending payment succeeded, or refunds a succeeded one. */
export function updatePayment(
  db: OrgDb,
  id: string,
  status: 'succeeded' | 'refunded',
  tz: string,
  now = new Date(),
): { payment: PaymentRow; invoice: Invoice } {
  const p = db.select().from(payments).where(eq(payments.id, id)).get()
  if (!p) throw notFound('payment')
  const at = now.toISOString()
  if (status === 'succeeded') {
    if (p.status !== 'pending') throw conflict(`A ${p.status} payment cannot succeed again.`)
    const inv = db.select().from(invoices).where(eq(invoices.id, p.invoiceId)).get()!
    if (inv.status !== 'open') throw conflict(`A ${inv.status} invoice takes no payments.`)
    if (p.amountCents > inv.totalCents - inv.paidCents)
      throw invalidInput([{ path: 'amount_cents', message: 'exceeds the balance' }])
    db.update(payments).set({ status: 'succeeded', capturedAt: at }).where(eq(payments.id, id)).run()
    applySucceeded(db, p.invoiceId, id, p.amountCents, now)
  } else {
    if (p.status !== 'succeeded') throw conflict(`A ${p.status} payment cannot be refunded.`)
    db.update(payments).set({ status: 'refunded', refundedAt: at }).where(eq(payments.id, id)).run()
    const inv = db.select().from(invoices).where(eq(invoices.id, p.invoiceId)).get()!
    db.update(invoices)
      .set({
        paidCents: sql`max(0, ${invoices.paidCents} - ${p.amountCents})`,
        ...(inv.status === 'paid' ? { status: 'open' as const, paidAt: null } : {}),
        updatedAt: at,
      })
      .where(eq(invoices.id, p.invoiceId))
      .run()
    db.update(orgClients)
      .set({ ltvCents: sql`max(0, ${orgClients.ltvCents} - ${p.amountCents})` })
      .where(eq(orgClients.id, p.orgClientId))
      .run()
    recordEvent(
      db,
      'payment_refunded',
      p.orgClientId,
      { payment_id: id, invoice_id: p.invoiceId, amount_cents: p.amountCents },
      at,
    )
    if (inv.status === 'paid')
      scheduleInvoiceReminders(db, { id: inv.id, orgClientId: inv.orgClientId, dueDate: inv.dueDate }, tz, now)
  }
  const payment = toPayment(db.select().from(payments).where(eq(payments.id, id)).get()!)
  return { payment, invoice: getInvoice(db, payment.invoice_id, tz, now)!.invoice }
}

/** Adds a succeeded amount; when the invoice is covered it is paid, its reminders dropped, `invoice_paid` raised. */
function applySucceeded(
  db: OrgDb,
  invoiceId: string,
  paymentId: string,
  amount: number,
  now: Date,
  source?: string,
): void {
  const from: FlatData = source ? { source } : {}
  const at = now.toISOString()
  db.update(invoices)
    .set({ paidCents: sql`${invoices.paidCents} + ${amount}`, updatedAt: at })
    .where(eq(invoices.id, invoiceId))
    .run()
  const inv = db.select().from(invoices).where(eq(invoices.id, invoiceId)).get()!
  db.update(orgClients)
    .set({ ltvCents: sql`${orgClients.ltvCents} + ${amount}` })
    .where(eq(orgClients.id, inv.orgClientId))
    .run()
  recordEvent(
    db,
    'payment_received',
    inv.orgClientId,
    { payment_id: paymentId, invoice_id: invoiceId, amount_cents: amount, ...from },
    at,
  )
  if (inv.paidCents >= inv.totalCents) {
    db.update(invoices).set({ status: 'paid', paidAt: at }).where(eq(invoices.id, invoiceId)).run()
    // Paid in full makes a "lead" client a customer.
    activateClient(db, inv.orgClientId, at)
    dropPendingReminders(db, { invoiceId })
    recordEvent(
      db,
      'invoice_paid',
      inv.orgClientId,
      { invoice_id: invoiceId, total_cents: inv.totalCents, ...from },
      at,
    )
  }
}
