/** Staff side of the portal: requests homeowners made (another time for a visit), with "Done". */
import type { TaskItem } from '../../durable-objects/org/portal/tasks'
import type { StaffSession } from '../../src/auth/sessions'
import { dateTime } from '../format'
import { Csrf } from '../layout'

/** Open requests from homeowners; `back` is where "Done" returns to. */
export function OpenTasks({ session, tasks, back, title = 'Requests from clients' }: { session: StaffSession; tasks: TaskItem[]; back: string; title?: string }) {
  const tz = session.organization.timezone
  if (tasks.length === 0) return null
  return (
    <section class="card" id="open-tasks" data-testid="open-tasks">
      <h2>{title} <span class="badge">{tasks.length}</span></h2>
      <ul class="rows">
        {tasks.map((t) => (
          <li class="row" data-testid="task">
            <div class="row-main">
              <strong><a href={`/app/clients/${t.org_client_id}`}>{t.client_name}</a></strong>{' '}
              {t.type === 'reschedule_request' ? 'asks for another time' : 'asks for a call back'}
              {t.job_id && t.job_start_at ? <> for the <a href={`/app/jobs/${t.job_id}`}>visit on {dateTime(t.job_start_at, tz)}</a></> : null}
              {t.preferred_times.length ? <div class="small">Prefers: {t.preferred_times.map((p) => dateTime(p, tz)).join(' or ')}</div> : null}
              {t.note ? <div class="muted small pre">“{t.note}”</div> : null}
            </div>
            <form method="post" action={`/app/tasks/${t.id}/done`}>
              <Csrf session={session} />
              <input type="hidden" name="back" value={back} />
              <button type="submit">Done</button>
            </form>
          </li>
        ))}
      </ul>
    </section>
  )
}
