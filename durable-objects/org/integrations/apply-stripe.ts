/**
 * A Stripe payment for one of our invoices (Checkout or a Stripe invoice carrying our metadata):
 * the receipt and the payment in one transaction, so a replayed event or a second event for the
 * same Stripe object never pays twice.
 */
import { and, eq } from 'drizzle-orm'
import type { OrgDb } from '../db'
import { recordPayment } from '../crm/payments'
import { invoices, payments } from '../schema'
import { finishReceipt, storeReceipt } from './receipts'
import { recordSync } from './sync-log'

export type StripePayment = {
  event_id: string
  event_type: string
  /** Our invoice, from the Stripe object's metadata. */
  invoice_id: string
  amount_cents: number
  /** The currency the amount is in (`usd`); anything else is not counted. */
  currency: string | null
  /** The connected account the event came from (the event's `account`); it must be the business's own. */
  stripe_account: string | null
  /** The Stripe object that moved the money: the PaymentIntent, else the Stripe invoice or session. */
  external_id: string
  body: string
}

/** `payment_id`: the payment this event recorded, whose receipt the client is sent. */
export type StripeOutcome = { duplicate: boolean; recorded: boolean; reason?: string; payment_id?: string }

/**
 * Stores the event once and records its payment on our invoice, at most up to the balance. Only
 * money paid in dollars into the business's own connected account (`ownAccount`) counts: the
 * metadata naming our invoice can be written by anyone with a Stripe account.
 */
export function applyStripePayment(
  db: OrgDb,
  p: StripePayment,
  ownAccount: string | null,
  tz: string,
  now = new Date(),
): StripeOutcome {
  const stored = storeReceipt(
    db,
    { provider: 'stripe', connectionId: null, eventKey: p.event_id, topic: p.event_type, body: p.body },
    now.toISOString(),
  )
  if (stored.duplicate && !stored.retry) return { duplicate: true, recorded: false }
  const log = (status: 'ok' | 'skipped', detail: string) =>
    recordSync(db, {
      connectionId: null,
      provider: 'stripe',
      direction: 'inbound',
      step: 'apply',
      status,
      eventKey: p.event_id,
      topic: p.event_type,
      externalId: p.external_id,
      detail,
    })
  const ignore = (reason: string): StripeOutcome => {
    finishReceipt(db, stored.receipt_id, 'ignored', reason)
    log('skipped', reason)
    return { duplicate: stored.duplicate, recorded: false, reason }
  }
  if (!ownAccount || p.stripe_account !== ownAccount)
    return ignore(`paid to ${p.stripe_account ?? 'the platform account'}, not this business's Stripe account`)
  if (p.currency?.toLowerCase() !== 'usd') return ignore(`paid in ${p.currency ?? 'no currency'}, not usd`)
  const externalId = `stripe:${p.external_id}`
  const invoice = db.select().from(invoices).where(eq(invoices.id, p.invoice_id)).get()
  if (!invoice) return ignore(`no invoice ${p.invoice_id}`)
  const seen = db
    .select({ id: payments.id })
    .from(payments)
    .where(and(eq(payments.invoiceId, invoice.id), eq(payments.externalId, externalId)))
    .get()
  if (seen) return ignore(`${p.external_id} is already recorded`)
  if (invoice.status !== 'open') return ignore(`the invoice is ${invoice.status}`)
  const amount = Math.min(p.amount_cents, invoice.totalCents - invoice.paidCents)
  if (amount <= 0) return ignore('nothing left to pay')
  const { payment } = recordPayment(
    db,
    invoice.id,
    { amount_cents: amount, method: 'stripe', external_id: externalId, source: 'stripe' },
    tz,
    now,
  )
  finishReceipt(db, stored.receipt_id, 'processed', null, now.toISOString())
  log('ok', `payment of ${amount} cents recorded on invoice ${invoice.number}`)
  return { duplicate: stored.duplicate, recorded: true, payment_id: payment.id }
}
