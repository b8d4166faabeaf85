/** Work that needs a time: homeowners' requests for another one and blocked jobs, each linking to the job page that handles it. */
import type { TaskItem } from '../../durable-objects/org/portal/tasks'
import { dateTime, shortDate } from '../format'
import type { CalendarJob } from './calendar-job'

export function UnscheduledPanel({
  requests,
  blocked,
  tz,
}: {
  requests: TaskItem[]
  blocked: CalendarJob[]
  tz: string
}) {
  const count = requests.length + blocked.length
  if (count === 0) return null
  return (
    <details class="card unscheduled" data-testid="unscheduled" open>
      <summary>
        <h2>
          Unscheduled <span class="badge">{count}</span>
        </h2>
      </summary>
      <ul class="rows">
        {requests.map((t) => (
          <li class="row" data-testid="unscheduled-request">
            <div class="row-main">
              <strong>{t.client_name}</strong> asks for another time
              {t.job_start_at ? ` than ${dateTime(t.job_start_at, tz)}` : ''}
              {t.preferred_times.length ? (
                <div class="small">Prefers {t.preferred_times.map((p) => dateTime(p, tz)).join(' or ')}</div>
              ) : null}
            </div>
            <a class="button" href={`/app/jobs/${t.job_id}`}>
              Choose a time
            </a>
          </li>
        ))}
        {blocked.map((job) => (
          <li class="row" data-testid="unscheduled-blocked">
            <div class="row-main">
              <strong>{job.client}</strong> · {job.service ?? 'Job'} · {shortDate(job.date)} {job.time}{' '}
              <span class="badge badge-blocked">Blocked</span>
            </div>
            <a class="button" href={`/app/jobs/${job.id}`}>
              Open the job
            </a>
          </li>
        ))}
      </ul>
    </details>
  )
}
