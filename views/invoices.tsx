/** Invoices: the list with status filters and overdue rows marked, and the new-invoice form (an invoice's own page is in invoices/). */
import type { ClientRow } from '../durable-objects/org/crm/clients'
import type { Invoice } from '../durable-objects/org/crm/invoices'
import type { LineItem } from '../durable-objects/org/crm/line-items'
import { ClientPicker } from './clients/picker'
import { FormAlert, TextareaField, type FormErrors, type FormValues } from './fields'
import { longDate, money } from './format'
import { CsrfField, Field } from './layout'
import { invoiceState as state } from './invoices/page'
import { lineAmount, quantity } from './invoices/sheet'

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

type NewInvoiceProps = {
  clients: ClientRow[]
  values: FormValues
  errors: FormErrors
  /** The job's lines, which the invoice copies (with tax) instead of a typed amount. */
  jobLines?: LineItem[] | undefined
}

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
export function NewInvoiceForm({ clients, values: v, errors: e, jobLines }: NewInvoiceProps) {
  const fromJob = jobLines !== undefined && jobLines.length > 0
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
        {fromJob ? (
          <div data-testid="job-lines-to-bill">
            <input type="hidden" name="from_job" value="1" />
            <p class="muted small">
              The job's lines are copied to the invoice, with tax at the client's rate (else your default). You can edit
              them on the invoice.
            </p>
            <ul class="rows">
              {jobLines!.map((l) => (
                <li class="row">
                  <span class="row-main">
                    {quantity(l.quantity)} × {l.description}
                  </span>
                  <span>{money(lineAmount(l))}</span>
                </li>
              ))}
            </ul>
          </div>
        ) : (
          <div class="cols-2">
            <Field
              label="What for"
              name="description"
              value={v['description'] ?? 'Services'}
              error={e['description']}
              maxlength={200}
            />
            <Field
              label="Price in dollars, before tax"
              name="amount"
              inputmode="decimal"
              value={v['amount']}
              error={e['amount']}
              placeholder="e.g. 150.00"
              required
            />
            <div class="check">
              <input type="checkbox" id="f-taxable" name="taxable" value="1" checked={v['taxable'] !== undefined} />
              <label for="f-taxable">Taxable</label>
            </div>
          </div>
        )}
        <div class="cols-2">
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
