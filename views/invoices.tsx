/** Invoices: the list with status filters and overdue rows marked, the new-invoice form, and an invoice with its payments. */
import type { ClientRow } from '../durable-objects/org/crm/clients'
import type { Invoice, PaymentRow } from '../durable-objects/org/crm/invoices'
import { ClientPicker } from './clients/picker'
import { FormAlert, SelectField, TextareaField, type FormErrors, type FormValues } from './fields'
import { dollarsInput, longDate, money, stamp, words } from './format'
import { CsrfField, Field, useSession } from './layout'

export type InvoiceItem = { invoice: Invoice; clientName: string }
export type InvoiceFilter = 'open' | 'overdue' | 'paid' | 'draft' | 'void' | undefined

const FILTERS: Array<{ id: InvoiceFilter; label: string }> = [
  { id: undefined, label: 'All' },
  { id: 'open', label: 'Open' },
  { id: 'overdue', label: 'Overdue' },
  { id: 'paid', label: 'Paid' },
  { id: 'draft', label: 'Draft' },
  { id: 'void', label: 'Void' },
]

/** The badge of an invoice: overdue wins over open. */
const state = (i: Invoice) => (i.overdue ? 'overdue' : i.status)

/** Invoices newest first, filtered by status, overdue ones marked. */
export function InvoicesPage({ filter, items }: { filter: InvoiceFilter; items: InvoiceItem[] }) {
  const balance = items.reduce((s, { invoice }) => s + (invoice.status === 'open' ? invoice.balance_cents : 0), 0)
  return (
    <>
      <div class="page-head">
        <div>
          <h1>Invoices</h1>
          <p class="muted small">
            {items.length} shown · {money(balance)} unpaid
          </p>
        </div>
        <div class="actions">
          <a class="button primary" href="/app/invoices/new">
            New invoice
          </a>
        </div>
      </div>
      <nav class="filters" aria-label="Filter by status">
        {FILTERS.map((f) => (
          <a
            href={f.id ? `/app/invoices?status=${f.id}` : '/app/invoices'}
            aria-current={f.id === filter ? 'page' : undefined}
          >
            {f.label}
          </a>
        ))}
      </nav>
      <table class="table invoices-table">
        <thead>
          <tr>
            <th>Number</th>
            <th>Client</th>
            <th>Due</th>
            <th>Status</th>
            <th class="num">Total</th>
            <th class="num">Balance</th>
          </tr>
        </thead>
        <tbody>
          {items.length === 0 ? (
            <tr class="empty-row">
              <td colspan={6}>No invoices here.</td>
            </tr>
          ) : (
            items.map(({ invoice: i, clientName }) => (
              <tr class={i.overdue ? 'is-overdue' : undefined} data-invoice-id={i.id}>
                <td data-label="Number">
                  <a href={`/app/invoices/${i.id}`} class="strong">
                    #{i.number}
                  </a>
                </td>
                <td data-label="Client">
                  <a href={`/app/clients/${i.org_client_id}`}>{clientName}</a>
                </td>
                <td data-label="Due">{longDate(i.due_date)}</td>
                <td data-label="Status">
                  <span class={`badge badge-${state(i)}`}>{state(i)}</span>
                </td>
                <td data-label="Total" class="num">
                  {money(i.total_cents)}
                </td>
                <td data-label="Balance" class="num">
                  {money(i.balance_cents)}
                </td>
              </tr>
            ))
          )}
        </tbody>
      </table>
    </>
  )
}

type NewInvoiceProps = { clients: ClientRow[]; values: FormValues; errors: FormErrors }

/** The new-invoice page around its form. */
export function NewInvoicePage(props: NewInvoiceProps) {
  return (
    <>
      <p class="crumbs">
        <a href="/app/invoices">Invoices</a> / New
      </p>
      <h1>New invoice</h1>
      <NewInvoiceForm {...props} />
    </>
  )
}

/** The new-invoice form; a failed post comes back as this fragment, filled in, errors beside fields. */
export function NewInvoiceForm({ clients, values: v, errors: e }: NewInvoiceProps) {
  return (
    <form
      id="new-invoice"
      class="card form-card"
      method="post"
      action="/app/invoices"
      hx-post="/app/invoices"
      hx-target="this"
      hx-swap="outerHTML"
      novalidate
    >
      <CsrfField />
      <FormAlert errors={e} />
      {v['job_id'] ? <input type="hidden" name="job_id" value={v['job_id']} /> : null}
      <ClientPicker clients={clients} values={v} errors={e} allowNew={false} />
      <fieldset>
        <legend>Invoice</legend>
        <div class="cols-2">
          <Field
            label="Amount in dollars"
            name="amount"
            inputmode="decimal"
            value={v['amount']}
            error={e['amount']}
            placeholder="e.g. 150.00"
            required
          />
          <Field label="Due date" name="due_date" type="date" value={v['due_date']} error={e['due_date']} required />
        </div>
        <TextareaField label="Notes on the invoice" name="notes" value={v['notes']} error={e['notes']} rows={2} />
      </fieldset>
      <div class="form-actions">
        <button type="submit" class="primary">
          Create invoice
        </button>
        <a href="/app/invoices" class="button">
          Back to invoices
        </a>
      </div>
    </form>
  )
}

/** An invoice with its payments and the record-payment form (a failed payment comes back in it). */
export function InvoicePage(props: PanelProps) {
  const { item } = props
  return (
    <>
      <p class="crumbs">
        <a href="/app/invoices">Invoices</a> / #{item.invoice.number}
      </p>
      <h1>
        Invoice #{item.invoice.number} · <a href={`/app/clients/${item.invoice.org_client_id}`}>{item.clientName}</a>
      </h1>
      <InvoicePanel {...props} />
    </>
  )
}

type PanelProps = {
  item: InvoiceItem
  payments: PaymentRow[]
  notice?: string
  values?: FormValues
  errors?: FormErrors
}

/** The invoice's numbers, payments and the record-payment form; recording a payment swaps this panel. */
export function InvoicePanel({ item, payments, notice, values, errors }: PanelProps) {
  const i = item.invoice
  const tz = useSession().organization.timezone
  const e = errors ?? {}
  const v = values ?? { amount: dollarsInput(i.balance_cents), method: 'card' }
  return (
    <section id="invoice-panel" class={i.overdue ? 'stack is-overdue' : 'stack'}>
      {notice ? (
        <p class="notice" role="status">
          {notice}
        </p>
      ) : null}
      <div class="card">
        <div class="amounts">
          <div>
            <span class="muted small">Total</span>
            <strong>{money(i.total_cents)}</strong>
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
            <span class={`badge badge-${state(i)}`} data-testid="invoice-status">
              {state(i)}
            </span>
          </dd>
          <dt>Due</dt>
          <dd>
            {longDate(i.due_date)}
            {i.overdue ? <strong class="danger-text"> · past due</strong> : null}
          </dd>
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
      {i.status === 'open' ? (
        <form
          class="card"
          method="post"
          action={`/app/invoices/${i.id}/payments`}
          hx-post={`/app/invoices/${i.id}/payments`}
          hx-target="#invoice-panel"
          hx-swap="outerHTML"
          novalidate
        >
          <h2>Record a payment</h2>
          <CsrfField />
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
      ) : null}
      <div class="card">
        <h2>Payments</h2>
        {payments.length === 0 ? (
          <p class="muted">No payments yet.</p>
        ) : (
          <ul class="rows" data-testid="payments">
            {payments.map((p) => (
              <li class="row">
                <div class="row-main">
                  <strong>{money(p.amount_cents)}</strong> {p.method ? <span class="muted">by {p.method}</span> : null}
                  <div class="muted small">{stamp(p.captured_at ?? p.created_at, tz)}</div>
                </div>
                <span class={`badge badge-${p.status}`}>{p.status}</span>
              </li>
            ))}
          </ul>
        )}
      </div>
    </section>
  )
}
