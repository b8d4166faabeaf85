/** Journeys: the list with enrollment counts, and a new journey (blank or from a starter). */
import type { JourneySummary } from '../../durable-objects/org/journeys/definitions'
import type { Starter } from '../../durable-objects/org/journeys/starters'
import type { JourneyStatus } from '../../durable-objects/org/schema'
import { FormAlert, SelectField, type FormErrors, type FormValues } from '../fields'
import { CsrfField, Field } from '../layout'
import { stepTitle, triggerOptions, triggerWords } from './words'

/** Every journey with its status and how many clients are in it, done, or stopped. */
export function JourneysPage({ journeys }: { journeys: JourneySummary[] }) {
  return (
    <>
      <div class="page-head">
        <div>
          <h1>Journeys</h1>
          <p class="muted">Messages that follow what happens: a job completed, an invoice paid, a new lead.</p>
        </div>
        <a class="button primary" href="/app/journeys/new">
          New journey
        </a>
      </div>
      {journeys.length === 0 ? (
        <p class="empty card">
          No journeys yet. Start from a template: a thank-you, a review request, a rebooking reminder…
        </p>
      ) : (
        <table class="table card" data-testid="journeys">
          <thead>
            <tr>
              <th>Journey</th>
              <th>When</th>
              <th>Status</th>
              <th class="num">Active</th>
              <th class="num">Completed</th>
              <th class="num">Stopped</th>
            </tr>
          </thead>
          <tbody>
            {journeys.map((j) => (
              <tr data-journey={j.id}>
                <td data-label="Name">
                  <a class="strong" href={`/app/journeys/${j.id}`}>
                    {j.name}
                  </a>{' '}
                  <span class="muted small">
                    {j.step_count} step{j.step_count === 1 ? '' : 's'}
                  </span>
                </td>
                <td data-label="When">{triggerWords(j)}</td>
                <td data-label="Status">
                  <StatusBadge status={j.status} />
                </td>
                <td data-label="Active" class="num">
                  <a href={`/app/journeys/${j.id}/enrollments?status=active`}>{j.counts.active}</a>
                </td>
                <td data-label="Completed" class="num">
                  {j.counts.completed}
                </td>
                <td data-label="Stopped" class="num">
                  {j.counts.stopped + j.counts.cancelled_crm_event + j.counts.failed}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  )
}

export function StatusBadge({ status }: { status: JourneyStatus }) {
  return (
    <span
      class={`badge badge-${status === 'active' ? 'active' : status === 'paused' ? 'pending' : 'draft'}`}
      data-testid="journey-status"
    >
      {status}
    </span>
  )
}

/** A blank journey or one of the starters; either way it begins as a draft. */
export function NewJourneyPage(props: { starters: Starter[]; values?: FormValues; errors?: FormErrors }) {
  const v = props.values ?? {}
  const e = props.errors ?? {}
  return (
    <>
      <p class="crumbs">
        <a href="/app/journeys">Journeys</a> / New
      </p>
      <h1>New journey</h1>
      <div class="grid-2">
        {props.starters.map((s) => (
          <form class="card" method="post" action={`/app/journeys/from/${s.key}`} data-starter={s.key}>
            <CsrfField />
            <h2>{s.journey.name}</h2>
            <p class="muted">{s.description}</p>
            <p class="small">When: {triggerWords({ trigger_event: s.journey.trigger_event, trigger_source: 'any' })}</p>
            <ol class="small">
              {s.journey.steps.map((step) => (
                <li>{stepTitle(step)}</li>
              ))}
            </ol>
            <button type="submit">Use this template</button>
          </form>
        ))}
        <form class="card" method="post" action="/app/journeys" novalidate>
          <CsrfField />
          <h2>Start blank</h2>
          <FormAlert errors={e} />
          <Field
            label="Name"
            name="name"
            value={v['name']}
            error={e['name']}
            required
            placeholder="e.g. Thank you after a job"
          />
          <SelectField
            label="Starts when"
            name="trigger_event"
            value={v['trigger_event'] ?? 'job_completed'}
            options={triggerOptions}
            error={e['trigger_event']}
          />
          <button type="submit" class="primary">
            Create draft
          </button>
        </form>
      </div>
    </>
  )
}
