/** What the review pages share: their tabs, stars and the status badge. */
import type { ReviewRequestStatus } from '../../durable-objects/org/schema'

const TABS = [
  { href: '/app/reviews', label: 'Feedback inbox' },
  { href: '/app/reviews/requests', label: 'Review requests' },
  { href: '/app/reviews/techs', label: 'Techs & QR codes' },
  { href: '/app/reviews/settings', label: 'Settings' },
] as const

/** The review section's tabs; `current` is the href of the page shown. */
export function ReviewTabs({ current }: { current: (typeof TABS)[number]['href'] }) {
  return (
    <nav class="filters" aria-label="Reviews">
      {TABS.map((t) => (
        <a href={t.href} aria-current={t.href === current ? 'page' : undefined}>
          {t.label}
        </a>
      ))}
    </nav>
  )
}

/** "★★☆☆☆ 2" with the number spelled out for screen readers. */
export function Stars({ rating }: { rating: number | null }) {
  if (rating === null) return <span class="muted">not rated</span>
  return (
    <span class="stars-text" title={`${rating} out of 5`}>
      <span aria-hidden="true">
        {'★'.repeat(rating)}
        {'☆'.repeat(5 - rating)}
      </span>{' '}
      {rating}
      <span class="muted">/5</span>
    </span>
  )
}

const BADGE: Record<ReviewRequestStatus, string> = {
  scheduled: 'badge badge-scheduled',
  sent: 'badge badge-msg-sent',
  delivered: 'badge badge-completed',
  failed: 'badge badge-msg-failed',
  clicked: 'badge badge-active',
}

/** A review request's status as a badge. */
export const StatusBadge = ({ status }: { status: ReviewRequestStatus }) => <span class={BADGE[status]}>{status}</span>

/** "3.7" from an average, "—" without one. */
export const average = (n: number | null) => (n === null ? '—' : n.toFixed(1))

const CHANNELS: Record<string, string> = { sms: 'Text', email: 'Email', qr: 'QR code', portal: 'Portal' }

/** How a review request reached the person, in words. */
export const channelLabel = (channel: string) => CHANNELS[channel] ?? channel
