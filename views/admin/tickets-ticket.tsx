/**
 * /admin/tickets/{id}: one ticket for operators — its business (linked to the business's console
 * page), the assistant's reading and log, the thread with internal notes highlighted, the reply and
 * note form, and status, priority and assignee.
 */
import type { TicketInteraction } from '../../src/support/assistant'
import type { DeskTicket, Operator } from '../../src/support/desk'
import { type FormErrors, type FormValues, SelectField, TextareaField } from '../fields'
import { stamp } from '../format'
import { CsrfField, useSession } from '../layout'
import { PriorityBadge, StatusBadge, Thread, type ThreadMessage } from '../support/thread'

export type DeskTicketProps = {
  ticket: DeskTicket
  operators: Operator[]
  interactions: TicketInteraction[]
  values?: FormValues
  errors?: FormErrors
  notice?: string
}

const STATUS_OPTIONS = [
  { value: 'open', label: 'Open' },
  { value: 'pending', label: 'Pending (waiting on the business)' },
  { value: 'closed', label: 'Closed' },
]
const PRIORITY_OPTIONS = [
  { value: 'high', label: 'High' },
  { value: 'normal', label: 'Normal' },
  { value: 'low', label: 'Low' },
]

function messagesOf(t: DeskTicket): ThreadMessage[] {
  const business = (who: string | null) => `${t.organization_name}${who ? ` (${who})` : ''}`
  return [
    { from: 'business', who: business(t.opened_by), body: t.body, at: t.created_at },
    ...t.replies.map((r) => ({
      from: r.from,
      who: r.from === 'business' ? business(r.author) : (r.author ?? 'HomeBase support'),
      body: r.body,
      at: r.created_at,
      internal: r.internal,
    })),
  ]
}

/** The assistant's reading and every call behind it. */
function AssistantCard({ t, interactions, tz }: { t: DeskTicket; interactions: TicketInteraction[]; tz: string }) {
  return (
    <section class="card" data-testid="assistant">
      <h2>Assistant</h2>
      <p class="ticket-summary" data-testid="ai-summary">
        {t.ai_summary ?? 'No summary yet.'}
      </p>
      {t.suggested_priority ? (
        <p class="small" data-testid="suggested-priority">
          Suggested priority: <PriorityBadge priority={t.suggested_priority} />
        </p>
      ) : null}
      {interactions.length ? (
        <details>
          <summary class="small">What it was asked ({interactions.length})</summary>
          {interactions.map((i) => (
            <div class="interaction" data-model={i.model}>
              <p class="muted small">
                {stamp(i.created_at, tz)} · {i.model}
              </p>
              <pre class="pre">{i.prompt}</pre>
              <pre class="pre">{i.response}</pre>
            </div>
          ))}
        </details>
      ) : null}
    </section>
  )
}

/** Everything below the crumbs (the htmx answer of each change). */
export function DeskTicketSection(p: DeskTicketProps) {
  const t = p.ticket
  const tz = useSession().organization.timezone
  const base = `/admin/tickets/${t.ticket_id}`
  const v = p.values ?? {}
  const swap = { 'hx-target': '#desk-ticket', 'hx-swap': 'outerHTML' }
  return (
    <section id="desk-ticket">
      <div class="page-head">
        <div>
          <h1>{t.subject}</h1>
          <p>
            From{' '}
            <a href={`/admin/organizations/${t.organization_id}`} data-testid="ticket-business">
              {t.organization_name}
            </a>{' '}
            · <StatusBadge status={t.status} desk /> <PriorityBadge priority={t.priority} />
          </p>
        </div>
      </div>
      {p.notice ? (
        <p class="notice" role="status">
          {p.notice}
        </p>
      ) : null}
      <AssistantCard t={t} interactions={p.interactions} tz={tz} />
      <Thread messages={messagesOf(t)} tz={tz} />
      <form method="post" action={`${base}/replies`} hx-post={`${base}/replies`} {...swap} class="card">
        <CsrfField />
        <TextareaField
          label="Answer"
          name="body"
          id="reply-body"
          rows={5}
          value={v['body']}
          error={p.errors?.['body']}
        />
        <div class="form-actions">
          <button type="submit" name="kind" value="reply" class="primary" data-testid="send-reply">
            Send to the business
          </button>
          <button type="submit" name="kind" value="note" data-testid="add-note">
            Save as internal note
          </button>
        </div>
        <p class="hint">The business gets your answer by email; an internal note is only for operators.</p>
      </form>
      <form method="post" action={base} hx-post={base} {...swap} class="card triage" data-testid="triage">
        <CsrfField />
        <SelectField label="Status" name="status" options={STATUS_OPTIONS} value={t.status} />
        <SelectField label="Priority" name="priority" options={PRIORITY_OPTIONS} value={t.priority} />
        <SelectField
          label="Assignee"
          name="assignee"
          options={[
            { value: '', label: 'Unassigned' },
            ...p.operators.map((o) => ({ value: o.email, label: o.email })),
          ]}
          value={t.assignee ?? ''}
          error={p.errors?.['assignee']}
        />
        <div class="form-actions">
          <button type="submit">Save</button>
        </div>
      </form>
    </section>
  )
}

export function DeskTicketPage(p: DeskTicketProps) {
  return (
    <>
      <p class="crumbs">
        <a href="/admin/tickets">Tickets</a> ›
      </p>
      <DeskTicketSection {...p} />
    </>
  )
}
