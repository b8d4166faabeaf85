/** The review-request log: every ask, its status, rating, whether the public link was followed, and when. */
import type { ReviewRequestItem } from '../../durable-objects/org/reviews/log'
import { REVIEW_REQUEST_STATUSES, type ReviewRequestStatus } from '../../durable-objects/org/schema'
import { stamp } from '../format'
import { channelLabel, ReviewTabs, Stars, StatusBadge } from './shared'
import { useSession } from '../layout'

/** The log page, filtered by status when one is chosen. */
export function RequestsPage({ items, status }: { items: ReviewRequestItem[]; status?: ReviewRequestStatus }) {
  const tz = useSession().organization.timezone
  const when = (at: string | null) => (at ? stamp(at, tz) : '—')
  return (
    <>
      <h1>Review requests</h1>
      <p class="muted">
        Each ask for a rating: sent by a journey, opened from a QR code, or made by staff. Status comes from its message
        until the link is opened (then: clicked).
      </p>
      <ReviewTabs current="/app/reviews/requests" />
      <nav class="filters" aria-label="Filter by status">
        <a href="/app/reviews/requests" aria-current={status ? undefined : 'page'}>
          All
        </a>
        {REVIEW_REQUEST_STATUSES.map((s) => (
          <a href={`/app/reviews/requests?status=${s}`} aria-current={status === s ? 'page' : undefined}>
            {s}
          </a>
        ))}
      </nav>
      {items.length === 0 ? (
        <p class="empty">No review requests{status ? ` with status ${status}` : ''} yet.</p>
      ) : (
        <table class="table" data-testid="review-requests">
          <thead>
            <tr>
              <th>Who</th>
              <th>Channel</th>
              <th>Status</th>
              <th>Rating</th>
              <th>Public link</th>
              <th>Asked</th>
              <th>Rated</th>
            </tr>
          </thead>
          <tbody>
            {items.map((r) => (
              <tr id={`rr-${r.id}`}>
                <td data-label="Name">
                  {r.org_client_id ? (
                    <a href={`/app/clients/${r.org_client_id}`}>{r.client_name ?? 'Client'}</a>
                  ) : (
                    <span class="muted">Walk-up (QR)</span>
                  )}
                  {r.tech_name ? <div class="muted small">{r.tech_name}</div> : null}
                </td>
                <td data-label="Channel">{channelLabel(r.channel)}</td>
                <td data-label="Status">
                  <StatusBadge status={r.status} />
                  {r.status === 'failed' && r.message_reason ? <div class="muted small">{r.message_reason}</div> : null}
                </td>
                <td data-label="Rating">
                  <Stars rating={r.rating} />
                  {r.has_feedback ? <div class="small">private feedback</div> : null}
                </td>
                <td data-label="Public link">
                  {r.public_clicked_at ? (
                    <span class="badge badge-active">clicked</span>
                  ) : (
                    <span class="muted">not clicked</span>
                  )}
                </td>
                <td data-label="Asked">{when(r.sent_at ?? r.created_at)}</td>
                <td data-label="Rated">{when(r.rated_at)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  )
}
