/** /app/support/{id}: one ticket's conversation with HomeBase, the reply box and Close; htmx swaps the section in place. */
import type { Ticket } from '../../src/support/tickets'
import { type FormErrors, type FormValues, TextareaField } from '../fields'
import { CsrfField, useSession } from '../layout'
import { PriorityBadge, StatusBadge, Thread, type ThreadMessage } from './thread'

/** The business's thread: its own messages are "You" (or whoever on the team), HomeBase's are support's. */
function messagesOf(t: Ticket): ThreadMessage[] {
  return [
    { from: 'business', who: 'You', body: t.body, at: t.created_at },
    ...t.replies.map((r) => ({
      from: r.from,
      who: r.from === 'operator' ? 'HomeBase support' : 'You',
      body: r.body,
      at: r.created_at,
    })),
  ]
}

export type TicketSectionProps = { ticket: Ticket; values?: FormValues; errors?: FormErrors; notice?: string }

/** Everything below the crumbs: the head, the thread and the forms (the htmx answer of each change). */
export function TicketSection(p: TicketSectionProps) {
  const t = p.ticket
  const tz = useSession().organization.timezone
  const base = `/app/support/${t.ticket_id}`
  return (
    <section id="ticket" class="ticket">
      <div class="page-head">
        <div>
          <h1>{t.subject}</h1>
          <p>
            <StatusBadge status={t.status} /> <PriorityBadge priority={t.priority} label="Priority: " />
          </p>
        </div>
      </div>
      {p.notice ? (
        <p class="notice" role="status">
          {p.notice}
        </p>
      ) : null}
      <Thread messages={messagesOf(t)} tz={tz} />
      <form
        method="post"
        action={`${base}/replies`}
        hx-post={`${base}/replies`}
        hx-target="#ticket"
        hx-swap="outerHTML"
        class="card"
        data-testid="reply-form"
      >
        <CsrfField />
        <TextareaField
          label={t.status === 'closed' ? 'Reply (opens the ticket again)' : 'Reply'}
          name="body"
          id="reply-body"
          rows={4}
          value={p.values?.['body']}
          error={p.errors?.['body']}
        />
        <div class="form-actions">
          <button type="submit" class="primary">
            Send reply
          </button>
        </div>
      </form>
      {t.status === 'closed' ? (
        <p class="muted small">This ticket is closed. Reply above if you need more help.</p>
      ) : (
        <form
          method="post"
          action={`${base}/close`}
          hx-post={`${base}/close`}
          hx-target="#ticket"
          hx-swap="outerHTML"
          class="button-row"
        >
          <CsrfField />
          <button type="submit" data-testid="close-ticket">
            Close ticket: my problem is solved
          </button>
        </form>
      )}
    </section>
  )
}

export function TicketPage(p: TicketSectionProps) {
  return (
    <>
      <p class="crumbs">
        <a href="/app/support">Help</a> ›
      </p>
      <TicketSection {...p} />
    </>
  )
}
