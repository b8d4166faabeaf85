/** A lead's or client's brief: a card with a button that asks the assistant, and the brief it answers with. */
import type { Brief } from '../../durable-objects/org/sales/assistant/briefs'
import { stamp } from '../format'
import { CsrfField, useSession } from '../layout'

export type BriefSubject = 'clients' | 'leads'

/** Where the card's button posts: the assistant's page route for this lead or client. */
export const briefAction = (subject: BriefSubject, id: string) => `/app/assistant/${subject}/${id}/brief`

const PRIORITY_WORDS = { high: 'High priority', medium: 'Medium priority', low: 'Low priority' } as const

/**
 * The Brief card. Without a brief it offers the button; with one it shows the summary, the next
 * action and the priority, and the button asks again. htmx swaps the card in place; without
 * JavaScript the form posts and the brief comes back on a page of its own.
 */
export function BriefCard(p: {
  subject: BriefSubject
  id: string
  brief?: Pick<Brief, 'summary' | 'next_action' | 'priority'> & { model?: string }
  /** When the brief shown was made (a lead's stored one). */
  at?: string | null
}) {
  const action = briefAction(p.subject, p.id)
  const tz = useSession().organization.timezone
  return (
    <section class="card brief" id="brief" data-testid="brief">
      <link rel="stylesheet" href="/assistant.css" />
      <div class="brief-head">
        <h2>Brief</h2>
        {p.brief ? (
          <span class={`badge badge-priority-${p.brief.priority}`} data-testid="brief-priority">
            {PRIORITY_WORDS[p.brief.priority]}
          </span>
        ) : null}
      </div>
      {p.brief ? (
        <>
          <p class="brief-next" data-testid="brief-next-action">
            <strong>Next:</strong> {p.brief.next_action}
          </p>
          <p class="brief-summary" data-testid="brief-summary">
            {p.brief.summary}
          </p>
          <p class="muted small">
            {p.brief.model === 'homebase-builtin' || !p.brief.model
              ? 'From the record, by the built-in rules.'
              : `Written by ${p.brief.model} from the record.`}
            {p.at ? ` As of ${stamp(p.at, tz)}.` : ''} <a href="/app/assistant?kind=brief">Every brief asked</a>
          </p>
        </>
      ) : (
        <p class="muted">A summary of the history, the next best step and how urgent it is, from this record only.</p>
      )}
      <form method="post" action={action} hx-post={action} hx-target="#brief" hx-swap="outerHTML">
        <CsrfField />
        <button type="submit" class={p.brief ? undefined : 'primary'}>
          {p.brief ? 'Brief me again' : 'Brief me'}
        </button>
      </form>
    </section>
  )
}
