/** /app/support: the business's tickets to HomeBase, newest first, and the form to open a new one. */
import type { Ticket } from '../../src/support/tickets'
import { FormAlert, type FormErrors, type FormValues, SelectField, TextareaField } from '../fields'
import { stamp } from '../format'
import { CsrfField, Field, useSession } from '../layout'
import { StatusBadge } from './thread'

export const PRIORITY_OPTIONS = [
  { value: 'normal', label: 'Normal' },
  { value: 'high', label: 'High: we cannot work' },
  { value: 'low', label: 'Low: a question or an idea' },
]

/** The form that opens a ticket, filled back in with each error beside its field. */
export function NewTicketForm({ values = {}, errors = {} }: { values?: FormValues; errors?: FormErrors }) {
  return (
    <section class="card" id="new-ticket">
      <h2>New ticket</h2>
      <form method="post" action="/app/support" data-testid="new-ticket">
        <CsrfField />
        <FormAlert errors={errors} />
        <Field label="Subject" name="subject" value={values['subject']} error={errors['subject']} maxlength={200} />
        <TextareaField
          label="What happened, or what do you need?"
          name="body"
          rows={6}
          value={values['body']}
          error={errors['body']}
        />
        <SelectField
          label="Priority"
          name="priority"
          options={PRIORITY_OPTIONS}
          value={values['priority'] ?? 'normal'}
          error={errors['priority']}
        />
        <div class="form-actions">
          <button type="submit" class="primary">
            Send to HomeBase
          </button>
        </div>
      </form>
    </section>
  )
}

/** One ticket in the list. */
function TicketRow({ t, tz }: { t: Ticket; tz: string }) {
  const last = t.replies[t.replies.length - 1]
  return (
    <li class="row ticket-row" data-ticket={t.ticket_id}>
      <div class="row-main">
        <a href={`/app/support/${t.ticket_id}`} class="strong">
          {t.subject}
        </a>{' '}
        <StatusBadge status={t.status} />
        <p class="muted small">
          Opened {stamp(t.created_at, tz)} · {t.replies.length === 1 ? '1 reply' : `${t.replies.length} replies`}
          {last?.from === 'operator' ? ' · HomeBase answered' : ''}
        </p>
      </div>
    </li>
  )
}

export function SupportPage(p: { tickets: Ticket[]; values?: FormValues; errors?: FormErrors }) {
  const tz = useSession().organization.timezone
  return (
    <>
      <div class="page-head">
        <div>
          <h1>Help</h1>
          <p class="muted">Write to the people who run HomeBase. We answer here and by email.</p>
        </div>
      </div>
      <NewTicketForm values={p.values} errors={p.errors} />
      <section class="card">
        <h2>Your tickets</h2>
        {p.tickets.length === 0 ? (
          <p class="muted" data-testid="tickets-empty">
            No tickets yet.
          </p>
        ) : (
          <ul class="rows" data-testid="tickets">
            {p.tickets.map((t) => (
              <TicketRow t={t} tz={tz} />
            ))}
          </ul>
        )}
      </section>
    </>
  )
}
