/**
 * Applying a CRM's invoices and payments through the invoices and payments domains, so
 * `invoice_paid` is raised with the provider as source. A payment is recorded once per provider
 * payment id, never beyond the balance; an invoice the CRM calls paid has its balance settled.
 */
import type { CrmInvoice, CrmPayment } from '../../../src/integrations/inbound/canonical'
import { localDate } from '../../../src/time'
import type { OrgDb } from '../db'
import { createInvoice, getInvoice, updateInvoice, type Invoice, type InvoicePatch } from '../crm/invoices'
import { getJob } from '../crm/jobs'
import { recordPayment } from '../crm/payments'
import { findMapping, isStale, linkMapping, logApply, type ChangeContext } from './apply-mappings'

/** Creates or updates the invoice mapped to the provider's; returns our invoice id (null when skipped). */
export function applyCrmInvoice(
  db: OrgDb,
  ctx: ChangeContext,
  orgClientId: string | null,
  inv: CrmInvoice,
  tz: string,
  now = new Date(),
): { invoice_id: string | null } {
  const mapping = findMapping(db, ctx.provider, 'invoice', inv.external_id)
  const skip = (detail: string, id: string | null = null) => {
    logApply(db, ctx, { status: 'skipped', externalId: inv.external_id, orgClientId, detail })
    return { invoice_id: id }
  }
  if (isStale(mapping, inv.updated_at)) return skip('invoice: older than the change already applied', mapping!.localId)
  let current = mapping ? (getInvoice(db, mapping.localId, tz, now)?.invoice ?? null) : null
  const done: string[] = []
  if (!current) {
    if (!orgClientId) return skip('invoice: not known here and the event names no client')
    if (inv.status === 'void') return skip('invoice: void and never seen before')
    current = create(db, ctx, orgClientId, inv, tz, now)
    done.push('created')
  }
  linkMapping(db, ctx, 'invoice', inv.external_id, current.id, inv.updated_at)
  if (current.status === 'paid' || current.status === 'void') {
    if (done.length === 0) return skip(`invoice: already ${current.status}`, current.id)
  } else {
    const patch = patchFor(current, inv)
    if (Object.keys(patch).length > 0) {
      current = updateInvoice(db, current.id, patch, tz, now)
      done.push(patch.status === 'void' ? 'voided' : 'updated')
    }
    if (inv.status === 'paid' && inv.settle && current.status === 'open' && current.balance_cents > 0) {
      recordPayment(
        db,
        current.id,
        {
          amount_cents: current.balance_cents,
          method: ctx.provider,
          external_id: `${ctx.provider}:invoice:${inv.external_id}`,
          source: ctx.provider,
        },
        tz,
        now,
      )
      done.push('paid')
    }
  }
  logApply(db, ctx, {
    status: 'ok',
    externalId: inv.external_id,
    orgClientId: current.org_client_id,
    detail: `invoice ${done.join(' and ') || 'unchanged'}`,
  })
  return { invoice_id: current.id }
}

function create(db: OrgDb, ctx: ChangeContext, orgClientId: string, inv: CrmInvoice, tz: string, now: Date): Invoice {
  const jobId = inv.job_external_id ? findMapping(db, ctx.provider, 'job', inv.job_external_id)?.localId : undefined
  const job = jobId ? getJob(db, jobId) : null
  return createInvoice(
    db,
    {
      org_client_id: orgClientId,
      job_id: job?.org_client_id === orgClientId ? job.id : undefined,
      total_cents: inv.total_cents,
      due_date: inv.due_date ?? localDate(now, tz),
      status: inv.status === 'draft' ? 'draft' : 'open',
    },
    tz,
    now,
  )
}

/** What the provider's state changes on an unpaid invoice: sent, voided, a new total or due date. */
function patchFor(current: Invoice, inv: CrmInvoice): InvoicePatch {
  if (inv.status === 'void') return { status: 'void' }
  const patch: InvoicePatch = {}
  if (current.status === 'draft' && inv.status !== 'draft') patch.status = 'open'
  if (inv.total_cents !== current.total_cents && inv.total_cents >= current.paid_cents)
    patch.total_cents = inv.total_cents
  if (inv.due_date && inv.due_date !== current.due_date) patch.due_date = inv.due_date
  return patch
}

/** Records the provider's payment on the mapped invoice once, capped at the balance. */
export function applyCrmPayment(
  db: OrgDb,
  ctx: ChangeContext,
  p: CrmPayment,
  tz: string,
  now = new Date(),
): { payment_id: string | null } {
  const skip = (detail: string) => {
    logApply(db, ctx, { status: 'skipped', externalId: p.external_id, detail })
    return { payment_id: null }
  }
  const known = findMapping(db, ctx.provider, 'payment', p.external_id)
  if (known) return skip('payment: already recorded')
  const invoiceId = findMapping(db, ctx.provider, 'invoice', p.invoice_external_id)?.localId
  let invoice = invoiceId ? getInvoice(db, invoiceId, tz, now)?.invoice : undefined
  if (!invoice) return skip(`payment: invoice ${p.invoice_external_id} is not known here`)
  if (invoice.status === 'draft') invoice = updateInvoice(db, invoice.id, { status: 'open' }, tz, now)
  if (invoice.status !== 'open') return skip(`payment: invoice already ${invoice.status}`)
  const amount = Math.min(p.amount_cents, invoice.balance_cents)
  if (amount <= 0) return skip('payment: nothing left to pay')
  const { payment } = recordPayment(
    db,
    invoice.id,
    {
      amount_cents: amount,
      method: ctx.provider,
      external_id: `${ctx.provider}:${p.external_id}`,
      source: ctx.provider,
    },
    tz,
    now,
  )
  linkMapping(db, ctx, 'payment', p.external_id, payment.id, null)
  const capped = amount < p.amount_cents ? ` (capped from ${p.amount_cents} at the balance)` : ''
  logApply(db, ctx, {
    status: 'ok',
    externalId: p.external_id,
    orgClientId: invoice.org_client_id,
    detail: `payment of ${amount} cents recorded${capped}`,
  })
  return { payment_id: payment.id }
}
