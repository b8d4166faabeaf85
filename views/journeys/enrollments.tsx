/** A journey's enrollments: each client, where they are (step n of m), status, next step and history. */
import type { Journey } from '../../durable-objects/org/journeys/definitions'
import type { EnrollmentDetail } from '../../durable-objects/org/journeys/enrollments'
import { ENROLLMENT_STATUSES } from '../../durable-objects/org/schema'
import { stamp, words } from '../format'
import { StatusBadge } from './list'
import { useSession } from '../layout'

const BADGE: Record<string, string> = {
  active: 'scheduled',
  completed: 'completed',
  stopped: 'canceled',
  cancelled_crm_event: 'canceled',
  failed: 'overdue',
}
const STATUS_WORDS: Record<string, string> = {
  active: 'Active',
  completed: 'Completed',
  stopped: 'Stopped',
  cancelled_crm_event: 'Cancelled by CRM',
  failed: 'Failed',
}
const LOG_WORDS: Record<string, string> = {
  enrolled: 'Enrolled',
  ended: 'Ended',
  wait: 'Wait',
  sms: 'Text',
  email: 'Email',
  review_request: 'Review request',
  branch: 'Branch',
}
/** ISO instants in a history line, shown on the business's clock. */
const INSTANT = /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z/g

export function EnrollmentsPage(props: { journey: Journey; items: EnrollmentDetail[]; status?: string }) {
  const j = props.journey
  const tz = useSession().organization.timezone
  return (
    <>
      <p class="crumbs">
        <a href="/app/journeys">Journeys</a> / <a href={`/app/journeys/${j.id}`}>{j.name}</a> / Enrollments
      </p>
      <div class="page-head">
        <div>
          <h1>
            Enrollments <StatusBadge status={j.status} />
          </h1>
          <p class="muted">Times in {tz}. Enrollments that ended more than 90 days ago are archived.</p>
        </div>
      </div>
      <nav class="filters" aria-label="Filter by status">
        <a href={`/app/journeys/${j.id}/enrollments`} aria-current={!props.status ? 'page' : undefined}>
          All
        </a>
        {ENROLLMENT_STATUSES.map((s) => (
          <a
            href={`/app/journeys/${j.id}/enrollments?status=${s}`}
            aria-current={props.status === s ? 'page' : undefined}
          >
            {STATUS_WORDS[s]}
          </a>
        ))}
      </nav>
      {props.items.length === 0 ? (
        <p class="empty card">Nobody here yet. Clients enroll when the journey is active and its trigger happens.</p>
      ) : (
        <section class="card">
          <ul class="rows" data-testid="enrollments">
            {props.items.map((e) => (
              <li class="row" data-enrollment={e.id}>
                <div class="row-main">
                  <div>
                    <a class="strong" href={`/app/clients/${e.org_client_id}`}>
                      {e.client_name}
                    </a>{' '}
                    <span class={`badge badge-${BADGE[e.status]}`} data-testid="enrollment-status">
                      {STATUS_WORDS[e.status]}
                    </span>
                  </div>
                  <div class="small" data-testid="enrollment-position">
                    {e.status === 'active'
                      ? `Step ${Math.min(e.current_step + 1, e.step_count)} of ${e.step_count}`
                      : `${e.step_count} step${e.step_count === 1 ? '' : 's'}`}
                    {e.status === 'active' && e.next_step_at ? ` · next ${stamp(e.next_step_at, tz)}` : ''}
                    {e.end_reason ? ` · ${words(e.end_reason)}` : ''}
                    {` · enrolled ${stamp(e.enrolled_at, tz)} · version ${e.version}`}
                  </div>
                  <details>
                    <summary class="small">History ({e.history.length})</summary>
                    <ol class="timeline small">
                      {e.history.map((h) => (
                        <li>
                          <time datetime={h.at}>{stamp(h.at, tz)}</time>
                          <span>
                            {h.position === null ? '' : `Step ${h.position + 1} · `}
                            {LOG_WORDS[h.type] ?? words(h.type)}: {h.outcome.replace(INSTANT, (iso) => stamp(iso, tz))}
                            {h.message_id ? (
                              <>
                                {' '}
                                · <a href={`/app/messages?org_client_id=${e.org_client_id}`}>message</a>
                              </>
                            ) : null}
                          </span>
                        </li>
                      ))}
                    </ol>
                  </details>
                </div>
              </li>
            ))}
          </ul>
        </section>
      )}
    </>
  )
}
