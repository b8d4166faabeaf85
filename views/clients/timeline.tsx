/** A client's timeline: jobs, invoices, payments, notes and other events, newest first, with Revert on contact changes. */
import type { Card } from '../../durable-objects/org/cards/cards'
import type { TimelineItem } from '../../durable-objects/org/crm/reports'
import { stamp } from '../format'
import { CsrfField } from '../layout'
import { describe, str } from './events'

/** What the timeline needs to offer "Revert" on contact changes: the client, the page's CSRF token and the card as it is now. */
export type RevertContext = { clientId: string; card: Card | null }

const CARD_VALUE = {
  first_name: 'first_name',
  last_name: 'last_name',
  email: 'primary_email',
  phone: 'primary_phone_e164',
} as const

/**
 * The contact changes a revert would still put back: per field the newest change, while the card
 * still holds the value it set.
 */
function revertable(items: TimelineItem[], card: Card | null): Set<string> {
  const ids = new Set<string>()
  if (!card) return ids
  const seen = new Set<string>()
  for (const item of items) {
    if (item.type !== 'contact_changed') continue
    const field = str(item.data, 'field')
    if (seen.has(field)) continue
    seen.add(field)
    const key = CARD_VALUE[field as keyof typeof CARD_VALUE]
    const to = item.data['to']
    if (key && typeof to === 'string' && card[key] === to) ids.add(item.id)
  }
  return ids
}

/** The timeline card; changes on the client page swap it whole. With `revert`, the latest contact changes get a Revert button. */
export function Timeline({ items, tz, revert }: { items: TimelineItem[]; tz: string; revert?: RevertContext }) {
  const undoable = revert ? revertable(items, revert.card) : new Set<string>()
  // A reply is shown by its message line; the `replied` event beside it is for journeys.
  items = items.filter((item) => item.type !== 'replied')
  return (
    <section class="card" id="timeline">
      <h2>Timeline</h2>
      {items.length === 0 ? (
        <p class="muted">Nothing yet.</p>
      ) : (
        <ol class="timeline">
          {items.map((item) => (
            <li class={`tl tl-${item.type}`}>
              <time datetime={item.created_at}>{stamp(item.created_at, tz)}</time>
              <div>
                {describe(item, tz)}
                {revert && undoable.has(item.id) ? (
                  <>
                    {' '}
                    <RevertButton clientId={revert.clientId} eventId={item.id} />
                  </>
                ) : null}
              </div>
            </li>
          ))}
        </ol>
      )}
    </section>
  )
}

/** One click puts the change back; the contact card and this timeline come back refreshed. */
function RevertButton({ clientId, eventId }: { clientId: string; eventId: string }) {
  const action = `/app/clients/${clientId}/changes/${eventId}/revert`
  return (
    <form
      method="post"
      action={action}
      hx-post={action}
      hx-target="#client-contact"
      hx-swap="outerHTML"
      style="display:inline"
    >
      <CsrfField />
      <button type="submit" class="link" data-testid="revert">
        Revert
      </button>
    </form>
  )
}
