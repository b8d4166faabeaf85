/**
 * Work that needs a time: homeowners' requests for another one and blocked jobs, each linking to
 * the job page that handles it, and approved estimates not booked yet, linking to the estimate's
 * page that books them.
 */
import type { TaskItem } from '../../durable-objects/org/portal/tasks'
import { dateTime, money, shortDate } from '../format'
import type { CalendarJob } from './calendar-job'

/** An approved estimate waiting for a date: whom it is for, its total and when it was approved. */
export type UnscheduledEstimate = {
  id: string
  number: number
  client: string
  total_cents: number
  approved_at: string | null
}

export type Unscheduled = { requests: TaskItem[]; blocked: CalendarJob[]; estimates: UnscheduledEstimate[] }

export function UnscheduledPanel({ requests, blocked, estimates, tz }: Unscheduled & { tz: string }) {
  const count = requests.length + blocked.length + estimates.length
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
        {estimates.map((e) => (
          <li class="row" data-testid="unscheduled-estimate" data-estimate={e.id}>
            <div class="row-main">
              <strong>{e.client}</strong> · Estimate #{e.number} · {money(e.total_cents)}{' '}
              <span class="badge badge-paid">Approved</span>
              {e.approved_at ? <div class="small">Approved {dateTime(e.approved_at, tz)}, not booked yet</div> : null}
            </div>
            <a class="button" href={`/app/estimates/${e.id}`}>
              Book
            </a>
          </li>
        ))}
      </ul>
    </details>
  )
}
