/** A ticket's conversation, oldest first: the opening message and each reply, with who wrote it; internal notes marked. */
import { stamp } from '../format'

export type ThreadMessage = {
  from: 'business' | 'operator'
  /** Who it was, in the reader's words ("You", "HomeBase support", an email). */
  who: string
  body: string
  at: string
  internal?: boolean
}

const STATUS_WORDS = { open: 'Open', pending: 'Waiting for you', closed: 'Closed' } as const
const DESK_STATUS_WORDS = { open: 'Open', pending: 'Pending', closed: 'Closed' } as const

/** A ticket's status; the business reads `pending` as waiting for its answer. */
export function StatusBadge({ status, desk }: { status: 'open' | 'pending' | 'closed'; desk?: boolean }) {
  return (
    <span class={`badge badge-ticket-${status}`} data-testid="ticket-status" data-status={status}>
      {(desk ? DESK_STATUS_WORDS : STATUS_WORDS)[status]}
    </span>
  )
}

/** A priority as a badge. */
export function PriorityBadge({ priority, label }: { priority: 'low' | 'normal' | 'high'; label?: string }) {
  return (
    <span class={`badge badge-ticket-priority-${priority}`} data-priority={priority}>
      {label ?? ''}
      {priority === 'normal' ? 'Normal' : priority === 'high' ? 'High' : 'Low'}
    </span>
  )
}

/** The messages of a ticket as a list, each with its writer and time in `tz`. */
export function Thread({ messages, tz }: { messages: ThreadMessage[]; tz: string }) {
  return (
    <ol class="thread" data-testid="thread">
      {messages.map((m) => (
        <li
          class={`thread-item thread-${m.from}${m.internal ? ' thread-internal' : ''}`}
          data-from={m.from}
          data-internal={m.internal ? 'true' : undefined}
        >
          <p class="thread-meta small">
            <strong>{m.who}</strong>
            {m.internal ? <span class="badge badge-internal">Internal note</span> : null}
            <span class="muted"> · {stamp(m.at, tz)}</span>
          </p>
          <div class="thread-body">{m.body}</div>
        </li>
      ))}
    </ol>
  )
}
