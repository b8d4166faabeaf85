/**
 * An invoice's page: its amounts, lines (read, or in the line editor), sending, voiding, the
 * record-payment form and its payments with a refund button each. Every action is a plain form
 * that swaps the whole panel under htmx.
 */
import type { InvoiceDocument } from '../../durable-objects/org/crm/invoice-detail'
import type { Invoice } from '../../durable-objects/org/crm/invoices'
import { FormAlert, SelectField, type FormErrors, type FormValues } from '../fields'
import { dollarsInput, longDate, money, personName, stamp, words } from '../format'
import { CsrfField, Field, useCanManage, useSession } from '../layout'
import { LinesEditor, type LinesEditorProps } from '../jobs/lines'
import { LinesSheet } from './sheet'

/** The badge of an invoice: overdue wins over open. */
export const invoiceState = (i: Invoice) => (i.overdue ? 'overdue' : i.status)

export type PanelProps = {
  doc: InvoiceDocument
  notice?: string | undefined
  error?: string | undefined
  /** The record-payment form as typed, with its errors. */
  values?: FormValues | undefined
  errors?: FormErrors | undefined
  /** The line editor, open: rows as typed (or the saved lines), with their errors. */
  editor?: Omit<LinesEditorProps, 'id' | 'action' | 'target'> | undefined
}

/** The whole page: crumbs, heading, print link and the panel. */
export function InvoicePage(props: PanelProps) {
  const i = props.doc.invoice
  return (
    <>
      <p class="crumbs">
        <a href="/app/invoices">Invoices</a> / #{i.number}
      </p>
      <div class="page-head">
        <h1>
          Invoice #{i.number} · <a href={`/app/clients/${i.org_client_id}`}>{personName(props.doc.client)}</a>
        </h1>
        <div class="actions">
          <a class="button" href={`/app/invoices/${i.id}/print`} data-testid="invoice-print">
            Print
          </a>
        </div>
      </div>
      {props.doc.account ? (
        <p class="muted" data-testid="invoice-account">
          Billed to <a href={`/app/accounts/${props.doc.account.id}`}>{props.doc.account.name}</a>
          {props.doc.account.billing_address.length > 0 ? ` · ${props.doc.account.billing_address.join(', ')}` : ''}
        </p>
      ) : null}
      <InvoicePanel {...props} />
    </>
  )
}

/** A form of the panel: posts to `/app/invoices/{id}/{what}`, or swaps the panel with the answer under htmx. */
const panelForm = (id: string, what: string) => ({
  method: 'post' as const,
  action: `/app/invoices/${id}/${what}`,
  'hx-post': `/app/invoices/${id}/${what}`,
  'hx-target': '#invoice-panel',
  'hx-swap': 'outerHTML',
})

/** Everything the invoice's actions change; each action swaps this panel. */
export function InvoicePanel({ doc, notice, error, values, errors, editor }: PanelProps) {
  const i = doc.invoice
  const tz = useSession().organization.timezone
  const canManage = useCanManage()
  const unpaid = i.status === 'open' || i.status === 'draft'
  return (
    <section id="invoice-panel" class={i.overdue ? 'stack is-overdue' : 'stack'}>
      {notice ? (
        <p class="notice" role="status">
          {notice}
        </p>
      ) : null}
      {error ? (
        <p class="alert" role="alert">
          {error}
        </p>
      ) : null}
      <div class="card">
        <div class="amounts">
          <div>
            <span class="muted small">Total</span>
            <strong data-testid="invoice-amount">{money(i.total_cents)}</strong>
          </div>
          <div>
            <span class="muted small">Paid</span>
            <strong data-testid="invoice-paid">{money(i.paid_cents)}</strong>
          </div>
          <div>
            <span class="muted small">Balance</span>
            <strong data-testid="invoice-balance">{money(i.balance_cents)}</strong>
          </div>
        </div>
        <dl class="facts">
          <dt>Status</dt>
          <dd>
            <span class={`badge badge-${invoiceState(i)}`} data-testid="invoice-status">
              {invoiceState(i)}
            </span>
          </dd>
          <dt>Due</dt>
          <dd>
            {longDate(i.due_date)}
            {i.overdue ? <strong class="danger-text"> · past due</strong> : null}
          </dd>
          <dt>Sent</dt>
          <dd data-testid="invoice-sent">{i.sent_at ? stamp(i.sent_at, tz) : 'Not sent yet'}</dd>
          {i.job_id ? (
            <>
              <dt>Job</dt>
              <dd>
                <a href={`/app/jobs/${i.job_id}`}>View job</a>
              </dd>
            </>
          ) : null}
          {i.paid_at ? (
            <>
              <dt>Paid</dt>
              <dd>{stamp(i.paid_at, tz)}</dd>
            </>
          ) : null}
          {i.notes ? (
            <>
              <dt>Notes</dt>
              <dd class="pre">{i.notes}</dd>
            </>
          ) : null}
        </dl>
      </div>
      {editor ? (
        <LinesEditor {...editor} id="invoice-lines" action={`/app/invoices/${i.id}/lines`} target="#invoice-panel">
          <p>
            <a
              href={`/app/invoices/${i.id}`}
              hx-get={`/app/invoices/${i.id}`}
              hx-target="#invoice-panel"
              hx-swap="outerHTML"
            >
              Cancel
            </a>
          </p>
        </LinesEditor>
      ) : (
        <section id="invoice-lines" class="card">
          <h2>Line items</h2>
          <LinesSheet lines={i.line_items} invoice={i} withPaid={false} showTaxable />
          {unpaid ? (
            <p>
              <a
                class="button"
                href={`/app/invoices/${i.id}?edit=lines#invoice-lines`}
                hx-get={`/app/invoices/${i.id}?edit=lines`}
                hx-target="#invoice-panel"
                hx-swap="outerHTML"
                data-testid="edit-lines"
              >
                {i.line_items.length > 0 ? 'Edit lines' : 'Bill line by line'}
              </a>
            </p>
          ) : null}
        </section>
      )}
      {unpaid ? <SendCard doc={doc} /> : null}
      {i.status === 'open' ? <PaymentForm invoice={i} values={values} errors={errors} /> : null}
      <Payments doc={doc} tz={tz} />
      {unpaid && canManage ? (
        <form
          {...panelForm(i.id, 'void')}
          class="card"
          hx-confirm={`Void invoice #${i.number}? It can no longer be paid and its reminders stop.`}
        >
          <CsrfField />
          <button type="submit" class="danger" data-testid="void-invoice">
            Void invoice
          </button>
        </form>
      ) : null}
    </section>
  )
}

/** Send by text or email, and the "Set up payments" nudge when clients have no way to pay yet. */
function SendCard({ doc }: { doc: InvoiceDocument }) {
  const i = doc.invoice
  const { business, client } = doc
  return (
    <div class="card">
      <h2>Send to the client</h2>
      <p class="muted small">
        A message with a link where they see this invoice and pay it. Sending again sends a new message.
      </p>
      {!business.stripe_account_id && !business.payment_instructions ? (
        <p class="notice" data-testid="setup-payments">
          Clients cannot pay online yet, and the pay link does not say how to pay you.{' '}
          <a href="/app/settings#payments">Set up payments</a>
        </p>
      ) : null}
      <form {...panelForm(i.id, 'send')} class="button-row">
        <CsrfField />
        <button type="submit" name="channel" value="sms" class="primary" disabled={!client.phone}>
          Send by text
        </button>
        <button type="submit" name="channel" value="email" disabled={!client.email}>
          Send by email
        </button>
      </form>
    </div>
  )
}

/** Records a payment (a failed one comes back in it). */
function PaymentForm({ invoice: i, values, errors }: { invoice: Invoice; values?: FormValues; errors?: FormErrors }) {
  const e = errors ?? {}
  const v = values ?? { amount: dollarsInput(i.balance_cents), method: 'card' }
  return (
    <form {...panelForm(i.id, 'payments')} class="card" novalidate>
      <h2>Record a payment</h2>
      <CsrfField />
      <FormAlert errors={e} />
      <div class="cols-2">
        <Field
          label="Amount in dollars"
          name="amount"
          id="payment-amount"
          inputmode="decimal"
          value={v['amount']}
          error={e['amount']}
          required
        />
        <SelectField
          label="Method"
          name="method"
          id="payment-method"
          value={v['method']}
          error={e['method']}
          options={['card', 'cash', 'check', 'bank transfer', 'other'].map((m) => ({ value: m, label: words(m) }))}
        />
      </div>
      <button type="submit" class="primary">
        Record payment
      </button>
    </form>
  )
}

/** The payments, newest first; a succeeded one can be refunded. */
function Payments({ doc, tz }: { doc: InvoiceDocument; tz: string }) {
  const i = doc.invoice
  // Refunds change the books: owners and admins only (the route says 403 to anyone else).
  const canManage = useCanManage()
  return (
    <div class="card">
      <h2>Payments</h2>
      {doc.payments.length === 0 ? (
        <p class="muted">No payments yet.</p>
      ) : (
        <ul class="rows" data-testid="payments">
          {doc.payments.map((p) => (
            <li class="row" data-payment-id={p.id}>
              <div class="row-main">
                <strong>{money(p.amount_cents)}</strong> {p.method ? <span class="muted">by {p.method}</span> : null}
                <div class="muted small">
                  {stamp(p.captured_at ?? p.created_at, tz)}
                  {p.refunded_at ? ` · refunded ${stamp(p.refunded_at, tz)}` : ''}
                </div>
              </div>
              <span class={`badge badge-${p.status}`}>{p.status}</span>
              {p.status === 'succeeded' && canManage ? (
                <form
                  {...panelForm(i.id, `payments/${p.id}/refund`)}
                  hx-confirm={`Refund ${money(p.amount_cents)}? The invoice reopens for that amount. Return the money to the client yourself (or in Stripe).`}
                >
                  <CsrfField />
                  <button type="submit" class="link" data-testid="refund-payment">
                    Refund
                  </button>
                </form>
              ) : null}
            </li>
          ))}
        </ul>
      )}
    </div>
  )
}
