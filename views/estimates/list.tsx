/** Estimates: the list with status filters and what is out for approval, and the rows a client's card shows. */
import type { Estimate } from '../../durable-objects/org/sales/estimates/records'
import type { EstimateStatus } from '../../durable-objects/org/schema'
import { longDate, money } from '../format'

export type EstimateFilter = EstimateStatus | undefined

const FILTERS: Array<{ id: EstimateFilter; label: string }> = [
  { id: undefined, label: 'All' },
  { id: 'draft', label: 'Draft' },
  { id: 'sent', label: 'Sent' },
  { id: 'approved', label: 'Approved' },
  { id: 'declined', label: 'Declined' },
  { id: 'expired', label: 'Expired' },
]

/** The badge of an estimate: its status, and "booked" once its approved work is a job. */
export const estimateState = (e: Pick<Estimate, 'status' | 'job_id'>) => (e.job_id ? 'booked' : e.status)

/** The shared badge colour each state reads as: out (blue), yes (green), no (red), over (grey). */
const BADGE: Record<string, string> = {
  draft: 'draft',
  sent: 'open',
  approved: 'paid',
  booked: 'completed',
  declined: 'overdue',
  expired: 'void',
}

/** An estimate's state as a badge. */
export function EstimateBadge({ estimate }: { estimate: Pick<Estimate, 'status' | 'job_id'> }) {
  const state = estimateState(estimate)
  return (
    <span class={`badge badge-${BADGE[state]}`} data-testid="estimate-status">
      {state}
    </span>
  )
}

/** Where a person's name links: the client's page, else the lead's. */
const subjectHref = (e: Estimate) => (e.org_client_id ? `/app/clients/${e.org_client_id}` : `/app/leads/${e.lead_id}`)

/** Estimates newest first, filtered by status, with the value out for approval and approved. */
export function EstimatesPage({ filter, items }: { filter: EstimateFilter; items: Estimate[] }) {
  const sum = (status: EstimateStatus) => items.reduce((s, e) => s + (e.status === status ? e.total_cents : 0), 0)
  return (
    <>
      <div class="page-head">
        <div>
          <h1>Estimates</h1>
          <p class="muted small" data-testid="estimate-totals">
            {items.length} shown · {money(sum('sent'))} awaiting an answer · {money(sum('approved'))} approved
          </p>
        </div>
        <div class="actions">
          <a class="button primary" href="/app/estimates/new">
            New estimate
          </a>
        </div>
      </div>
      <nav class="filters" aria-label="Filter by status">
        {FILTERS.map((f) => (
          <a
            href={f.id ? `/app/estimates?status=${f.id}` : '/app/estimates'}
            aria-current={f.id === filter ? 'page' : undefined}
          >
            {f.label}
          </a>
        ))}
      </nav>
      <table class="table invoices-table" data-testid="estimates">
        <thead>
          <tr>
            <th>Number</th>
            <th>For</th>
            <th>Valid until</th>
            <th>Status</th>
            <th class="num">Total</th>
          </tr>
        </thead>
        <tbody>
          {items.length === 0 ? (
            <tr class="empty-row">
              <td colspan={5}>No estimates here.</td>
            </tr>
          ) : (
            items.map((e) => (
              <tr data-estimate-id={e.id}>
                <td data-label="Number">
                  <a href={`/app/estimates/${e.id}`} class="strong">
                    #{e.number}
                  </a>
                </td>
                <td data-label="For">
                  <a href={subjectHref(e)}>{e.name}</a>
                  {e.org_client_id ? null : <span class="muted small"> · lead</span>}
                </td>
                <td data-label="Valid until">{e.valid_until ? longDate(e.valid_until) : '—'}</td>
                <td data-label="Status">
                  <EstimateBadge estimate={e} />
                </td>
                <td data-label="Total" class="num">
                  {money(e.total_cents)}
                </td>
              </tr>
            ))
          )}
        </tbody>
      </table>
    </>
  )
}

/** A client's estimates in its card on the client page (htmx loads it there). */
export function ClientEstimateRows({ items }: { items: Estimate[] }) {
  if (items.length === 0) return <p class="muted">No estimates yet.</p>
  return (
    <ul class="rows" data-testid="client-estimates">
      {items.map((e) => (
        <li class="row">
          <span class="row-main">
            <a href={`/app/estimates/${e.id}`}>#{e.number}</a>
            <span class="muted small"> · {e.valid_until ? `valid until ${longDate(e.valid_until)}` : ''}</span>
          </span>
          <EstimateBadge estimate={e} />
          <span>{money(e.total_cents)}</span>
        </li>
      ))}
    </ul>
  )
}
