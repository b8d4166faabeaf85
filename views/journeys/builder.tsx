/** The journey builder page: its status controls, steps and settings side by side. */
import type { Journey } from '../../durable-objects/org/journeys/definitions'
import type { FormErrors, FormValues } from '../fields'
import { CsrfField } from '../layout'
import { StatusBadge } from './list'
import { SettingsCard } from './settings'
import { StepsSection, type StepsProps } from './steps'
import { triggerWords } from './words'

export type BuilderProps = StepsProps & {
  settings?: { values?: FormValues; errors?: FormErrors; notice?: string }
  statusError?: string
}

/** The builder: status controls, settings and steps. */
export function JourneyPage(props: BuilderProps) {
  const j = props.journey
  return (
    <>
      <p class="crumbs">
        <a href="/app/journeys">Journeys</a> / {j.name}
      </p>
      <div class="page-head">
        <div>
          <h1>
            {j.name} <StatusBadge status={j.status} />
          </h1>
          <p class="muted">
            {triggerWords(j)} · {j.counts.active} active · {j.counts.completed} completed ·{' '}
            {j.counts.stopped + j.counts.cancelled_crm_event + j.counts.failed} stopped
          </p>
        </div>
        <div class="actions">
          <a class="button" href={`/app/journeys/${j.id}/enrollments`}>
            Enrollments
          </a>
          <StatusButton journey={j} />
        </div>
      </div>
      {props.statusError ? (
        <p class="alert" role="alert">
          {props.statusError}
        </p>
      ) : null}
      {j.status === 'paused' ? (
        <p class="notice">
          Paused: clients in this journey wait where they are. Resuming sends any step that came due meanwhile (outside
          quiet hours).
        </p>
      ) : null}
      <div class="grid-2">
        <StepsSection {...props} />
        <SettingsCard journey={j} {...props.settings} />
      </div>
    </>
  )
}

function StatusButton({ journey: j }: { journey: Journey }) {
  const [status, label] =
    j.status === 'active' ? ['paused', 'Pause'] : j.status === 'paused' ? ['active', 'Resume'] : ['active', 'Activate']
  return (
    <form method="post" action={`/app/journeys/${j.id}/status`}>
      <CsrfField />
      <input type="hidden" name="status" value={status} />
      <button type="submit" class={status === 'active' ? 'primary' : undefined} data-testid="status-button">
        {label}
      </button>
    </form>
  )
}
