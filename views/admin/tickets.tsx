/** /admin/tickets: every business's tickets, newest first, filtered by status and priority, each with its business and the assistant's summary. */
import type { DeskTicket } from '../../src/support/desk'
import { SelectField } from '../fields'
import { stamp } from '../format'
import { useSession } from '../layout'
import { PriorityBadge, StatusBadge } from '../support/thread'

export type DeskFilters = { status?: string | undefined; priority?: string | undefined }

const STATUS_FILTER = [
  { value: '', label: 'Any status' },
  { value: 'open', label: 'Open' },
  { value: 'pending', label: 'Pending (waiting on the business)' },
  { value: 'closed', label: 'Closed' },
]
const PRIORITY_FILTER = [
  { value: '', label: 'Any priority' },
  { value: 'high', label: 'High' },
  { value: 'normal', label: 'Normal' },
  { value: 'low', label: 'Low' },
]

/** One ticket in the desk's list. */
function DeskRow({ t, tz }: { t: DeskTicket; tz: string }) {
  return (
    <li class="row ticket-row" data-ticket={t.ticket_id} data-organization={t.organization_id}>
      <div class="row-main">
        <a href={`/admin/tickets/${t.ticket_id}`} class="strong">
          {t.subject}
        </a>{' '}
        <StatusBadge status={t.status} desk /> <PriorityBadge priority={t.priority} />
        <p class="muted small">
          <a href={`/admin/organizations/${t.organization_id}`}>{t.organization_name}</a> · {stamp(t.created_at, tz)}
          {t.assignee ? ` · ${t.assignee}` : ' · unassigned'}
        </p>
        {t.ai_summary ? (
          <p class="ticket-summary small" data-testid="ai-summary">
            {t.ai_summary}
            {t.suggested_priority ? <span class="muted"> (suggests {t.suggested_priority})</span> : null}
          </p>
        ) : null}
      </div>
    </li>
  )
}

export function DeskPage({ tickets, filters }: { tickets: DeskTicket[]; filters: DeskFilters }) {
  const tz = useSession().organization.timezone
  return (
    <>
      <div class="page-head">
        <div>
          <h1>Tickets</h1>
          <p class="muted">What businesses wrote to HomeBase, newest first.</p>
        </div>
      </div>
      <form method="get" action="/admin/tickets" class="desk-filters" data-testid="desk-filters">
        <SelectField label="Status" name="status" options={STATUS_FILTER} value={filters.status ?? ''} />
        <SelectField label="Priority" name="priority" options={PRIORITY_FILTER} value={filters.priority ?? ''} />
        <button type="submit">Filter</button>
      </form>
      {tickets.length === 0 ? (
        <p class="empty" data-testid="desk-empty">
          No tickets here.
        </p>
      ) : (
        <section class="card">
          <ul class="rows" data-testid="desk-tickets">
            {tickets.map((t) => (
              <DeskRow t={t} tz={tz} />
            ))}
          </ul>
        </section>
      )}
    </>
  )
}
