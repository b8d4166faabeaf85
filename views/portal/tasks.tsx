/** Staff side of the portal: what homeowners asked for or changed (another time, new contact details), with "Move to …" and "Done". */
import type { TaskItem } from '../../durable-objects/org/portal/tasks'
import { dateTime } from '../format'
import { CsrfField, useSession } from '../layout'

/** What the task says the client did, after their name. */
const WORDING: Record<TaskItem['type'], string> = {
  reschedule_request: 'asks for another time',
  callback_request: 'asks for a call back',
  contact_changed: 'updated their contact details',
}

/** Open requests from homeowners; `back` is where "Done" returns to. */
export function OpenTasks({
  tasks,
  back,
  title = 'Requests from clients',
}: {
  tasks: TaskItem[]
  back: string
  title?: string
}) {
  if (tasks.length === 0) return null
  const tz = useSession().organization.timezone
  return (
    <section class="card" id="open-tasks" data-testid="open-tasks">
      <h2>
        {title} <span class="badge">{tasks.length}</span>
      </h2>
      <ul class="rows">
        {tasks.map((t) => (
          <li class="row" data-testid="task">
            <div class="row-main">
              <strong>
                <a href={`/app/clients/${t.org_client_id}`}>{t.client_name}</a>
              </strong>{' '}
              {WORDING[t.type]}
              {t.type === 'contact_changed' && t.note ? (
                <>
                  : <span data-testid="task-change">{t.note}</span>
                </>
              ) : null}
              {t.job_id && t.job_start_at ? (
                <>
                  {' '}
                  for the <a href={`/app/jobs/${t.job_id}`}>visit on {dateTime(t.job_start_at, tz)}</a>
                </>
              ) : null}
              {t.preferred_times.length ? (
                <div class="small">Prefers: {t.preferred_times.map((p) => dateTime(p, tz)).join(' or ')}</div>
              ) : null}
              {t.note && t.type !== 'contact_changed' ? <div class="muted small pre">“{t.note}”</div> : null}
            </div>
            {t.type === 'reschedule_request' && t.job_id
              ? t.preferred_times.map((time) => (
                  <form method="post" action={`/app/tasks/${t.id}/accept`}>
                    <CsrfField />
                    <input type="hidden" name="back" value={back} />
                    <input type="hidden" name="time" value={time} />
                    <button type="submit" class="primary" data-testid="accept-time">
                      Move to {dateTime(time, tz)}
                    </button>
                  </form>
                ))
              : null}
            <form method="post" action={`/app/tasks/${t.id}/done`}>
              <CsrfField />
              <input type="hidden" name="back" value={back} />
              <button type="submit">Done</button>
            </form>
          </li>
        ))}
      </ul>
    </section>
  )
}
