/** A job's crew: ticking team members on a form, and their names with their colours on a page. */
import type { TeamMember } from '../../src/team'

/** Who may be put on a job, as the forms show them. */
export type CrewMember = Pick<TeamMember, 'user_id' | 'name' | 'email' | 'color'>

const nameOf = (m: CrewMember) => m.name ?? m.email

/** A box to tick per team member (`assigned_to`); `crew_shown` tells an empty crew from a form without the field. */
export function CrewField(props: {
  team: CrewMember[]
  chosen: string[]
  error?: string | undefined
  idPrefix: string
}) {
  if (props.team.length === 0) return null
  const errorId = `${props.idPrefix}crew-error`
  return (
    <fieldset class={props.error ? 'checks crew-field has-error' : 'checks crew-field'}>
      <legend>Crew</legend>
      <input type="hidden" name="crew_shown" value="1" />
      {props.team.map((m) => (
        <label>
          <input
            type="checkbox"
            name="assigned_to"
            value={m.user_id}
            checked={props.chosen.includes(m.user_id)}
            aria-describedby={props.error ? errorId : undefined}
          />
          <span class="crew-dot" style={`background:${m.color}`} aria-hidden="true">
            {initials(nameOf(m))}
          </span>
          {nameOf(m)}
        </label>
      ))}
      {props.error ? (
        <p class="error" id={errorId}>
          {props.error}
        </p>
      ) : null}
    </fieldset>
  )
}

/** "Dana Reyes, Sam Ortiz" with their colours; "No one yet" for an empty crew. */
export function CrewNames({ ids, team }: { ids: string[]; team: CrewMember[] }) {
  if (ids.length === 0) return <span class="muted">No one yet</span>
  return (
    <span class="job-crew-names" data-testid="job-crew">
      {ids.map((id, i) => {
        const m = team.find((t) => t.user_id === id)
        return (
          <>
            {i > 0 ? ', ' : ''}
            <span class="crew-dot" style={`background:${m?.color ?? '#6b7280'}`} aria-hidden="true">
              {initials(m ? nameOf(m) : '?')}
            </span>{' '}
            {m ? nameOf(m) : 'Someone who left'}
          </>
        )
      })}
    </span>
  )
}

/** "DR" from "Dana Reyes" (a name or an email). */
export function initials(name: string): string {
  return name
    .split(/[\s@.]+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((w) => w[0]!.toUpperCase())
    .join('')
}
