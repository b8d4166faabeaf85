/** The feedback inbox: private feedback newest first, ratings by month (a small chart) and by tech; one piece of feedback opened. */
import type { FeedbackItem } from '../../durable-objects/org/reviews/feedback'
import type { MonthRatings, RatingsSummary } from '../../durable-objects/org/reviews/stats'
import { BarChart } from '../bar-chart'
import { phone, stamp } from '../format'
import { average, channelLabel, ReviewTabs, Stars } from './shared'
import { useSession } from '../layout'

/** The inbox page. */
export function InboxPage({ items, summary }: { items: FeedbackItem[]; summary: RatingsSummary }) {
  const tz = useSession().organization.timezone
  const unread = items.filter((f) => !f.read_at).length
  return (
    <>
      <h1>Reviews</h1>
      <p class="muted">
        What people told you privately after a rating of 1 to 3. Everyone asked for a rating also sees your public
        review link, whatever they rate.
      </p>
      <ReviewTabs current="/app/reviews" />
      <div class="grid-2">
        <section class="card">
          <h2>Private feedback {unread ? <span class="muted">{unread} unread</span> : null}</h2>
          {items.length === 0 ? (
            <p class="muted">No private feedback yet.</p>
          ) : (
            <ul class="rows" data-testid="feedback-rows">
              {items.map((f) => (
                <li class="row" id={`fb-${f.id}`}>
                  <div class="row-main">
                    <div>
                      {f.read_at ? null : (
                        <span class="badge badge-overdue" data-testid="unread-marker">
                          new
                        </span>
                      )}{' '}
                      <a href={`/app/reviews/feedback/${f.id}`} class="strong">
                        {f.name ?? 'A customer'}
                      </a>{' '}
                      · <Stars rating={f.rating} />
                      {f.callback_requested ? <span class="badge badge-lead">call back</span> : null}
                    </div>
                    {f.feedback ? (
                      <div class="message-body">
                        {f.feedback.length > 160 ? `${f.feedback.slice(0, 160)}…` : f.feedback}
                      </div>
                    ) : null}
                    <div class="muted small">
                      {stamp(f.created_at, tz)} · {channelLabel(f.source)}
                      {f.tech_name ? ` · ${f.tech_name}` : ''}
                    </div>
                  </div>
                </li>
              ))}
            </ul>
          )}
        </section>
        <div class="stack">
          <section class="card">
            <h2>Ratings by month</h2>
            <MonthChart months={summary.by_month} />
          </section>
          <section class="card">
            <h2>Ratings by tech</h2>
            {summary.by_tech.length === 0 ? (
              <p class="muted">No ratings yet.</p>
            ) : (
              <table class="table plain" data-testid="ratings-by-tech">
                <thead>
                  <tr>
                    <th>Tech</th>
                    <th class="num">Ratings</th>
                    <th class="num">Average</th>
                    <th class="num">1–3</th>
                  </tr>
                </thead>
                <tbody>
                  {summary.by_tech.map((t) => (
                    <tr>
                      <td data-label="Tech">{t.tech_name ?? 'No tech'}</td>
                      <td data-label="Ratings" class="num">
                        {t.ratings}
                      </td>
                      <td data-label="Average" class="num">
                        {average(t.average)}
                      </td>
                      <td data-label="1–3" class="num">
                        {t.low}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </section>
        </div>
      </div>
    </>
  )
}

const monthName = new Intl.DateTimeFormat('en-US', { timeZone: 'UTC', month: 'short' })

/** Ratings per month as bars, the latest highlighted and the average above each; the numbers are also in the title for screen readers. */
export function MonthChart({ months }: { months: MonthRatings[] }) {
  const label = (m: MonthRatings) => monthName.format(new Date(`${m.month}-01T00:00:00Z`))
  const summary = months
    .map((m) => `${label(m)} ${m.ratings} ratings${m.average === null ? '' : `, average ${average(m.average)}`}`)
    .join('; ')
  const bars = months.map((m, i) => ({
    label: label(m),
    value: m.ratings,
    caption: m.ratings ? `${m.ratings} · ${average(m.average)}★` : '0',
    highlight: i === months.length - 1,
  }))
  return (
    <BarChart
      bars={bars}
      title={`Ratings per month: ${summary}`}
      titleId="month-chart-title"
      testId="month-chart"
      gap={14}
      note="Bars: how many ratings; above them: the count and the average."
    />
  )
}

/** One piece of private feedback, opened (and so marked read). */
export function FeedbackPage({ item }: { item: FeedbackItem }) {
  const tz = useSession().organization.timezone
  const reachPhone = item.client_phone ?? item.customer_phone
  const reachEmail = item.client_email ?? item.customer_email
  return (
    <>
      <p class="crumbs">
        <a href="/app/reviews">Reviews</a> / Private feedback
      </p>
      <section class="card">
        <h1 data-testid="feedback-from">{item.name ?? 'A customer'}</h1>
        <p>
          <Stars rating={item.rating} /> · {stamp(item.created_at, tz)}
        </p>
        {item.callback_requested ? (
          <p class="notice" role="status">
            They asked for a call back.
          </p>
        ) : null}
        <h2>What they told you</h2>
        <p class="pre" data-testid="feedback-text">
          {item.feedback || '(no text)'}
        </p>
        <dl class="facts">
          {item.org_client_id ? (
            <>
              <dt>Client</dt>
              <dd>
                <a href={`/app/clients/${item.org_client_id}`}>{item.name ?? 'Open the client'}</a>
              </dd>
            </>
          ) : null}
          {reachPhone ? (
            <>
              <dt>Phone</dt>
              <dd>
                <a href={`tel:${reachPhone}`}>{phone(reachPhone)}</a>
              </dd>
            </>
          ) : null}
          {reachEmail ? (
            <>
              <dt>Email</dt>
              <dd>
                <a href={`mailto:${reachEmail}`}>{reachEmail}</a>
              </dd>
            </>
          ) : null}
          <dt>Asked by</dt>
          <dd>
            {channelLabel(item.source)}
            {item.tech_name ? ` · ${item.tech_name}` : ''}
          </dd>
          <dt>Read</dt>
          <dd>{item.read_at ? stamp(item.read_at, tz) : 'now'}</dd>
        </dl>
      </section>
    </>
  )
}

/** The unread count beside the Reviews link in the navigation; nothing when there is none. */
export function UnreadBadge({ count }: { count: number }) {
  if (count === 0) return null
  return (
    <span class="badge badge-overdue" data-testid="reviews-badge" title={`${count} unread private feedback`}>
      {count}
      <span class="visually-hidden"> unread</span>
    </span>
  )
}
