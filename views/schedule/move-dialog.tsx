/**
 * The one form that moves a job: calendar.js fills it from a drop, the arrow keys or a job's "Move"
 * button and sends it; a refused move (a time in the past, a person not on the team) comes back open
 * with the reason beside the field.
 */
import type { FormErrors, FormValues } from '../fields'
import { CsrfField, Field, useSession } from '../layout'
import type { Person } from './people'
import { type CalendarQuery, UNASSIGNED } from './range'

/** A move the server sends back: what was asked, why it was refused, and whether moving into the past may be confirmed. */
export type MoveState = { values: FormValues; errors: FormErrors; confirmPast?: boolean }

export function MoveDialog({
  team,
  query,
  state,
}: {
  team: Person[]
  query: CalendarQuery
  state?: MoveState | undefined
}) {
  const tz = useSession().organization.timezone
  const v = state?.values ?? {}
  const e = state?.errors ?? {}
  return (
    <dialog id="move-dialog" class="move-dialog" open={state ? true : undefined} aria-labelledby="move-title">
      <form
        id="move-form"
        method="post"
        action="/app/schedule/move"
        hx-post="/app/schedule/move"
        hx-target="#calendar"
        hx-swap="outerHTML"
      >
        <CsrfField />
        <input type="hidden" name="job_id" value={v['job_id']} />
        <input type="hidden" name="what" value={v['what']} />
        <input type="hidden" name="view" value={query.view} />
        <input type="hidden" name="date" value={query.date} />
        <input type="hidden" name="filter" value={query.person ?? ''} />
        <h2 id="move-title">
          Move <span id="move-what">{v['what'] || 'the visit'}</span>
        </h2>
        {e['form'] ? (
          <p class="alert" role="alert">
            {e['form']}
          </p>
        ) : null}
        <Field
          label={`New date and time (${tz})`}
          name="start_at"
          type="datetime-local"
          value={v['start_at']}
          error={e['start_at']}
          required
        />
        {state?.confirmPast ? (
          <label class="move-past">
            <input type="checkbox" name="allow_past" /> Move it into the past anyway
          </label>
        ) : null}
        <div class={e['person'] ? 'field has-error' : 'field'}>
          <label for="move-person">Who works it</label>
          <select id="move-person" name="person">
            <option value="">Keep the crew</option>
            {team.map((p) => (
              <option value={p.id} selected={v['person'] === p.id}>
                {p.name}
              </option>
            ))}
            <option value={UNASSIGNED} selected={v['person'] === UNASSIGNED}>
              Nobody yet (unassigned)
            </option>
          </select>
          {e['person'] ? <p class="error">{e['person']}</p> : null}
        </div>
        <div class="form-actions">
          <button type="submit" class="primary">
            Move
          </button>
          <button type="button" data-close>
            Cancel
          </button>
        </div>
      </form>
    </dialog>
  )
}
