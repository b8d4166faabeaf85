/** Journeys: the list with enrollment counts, a new journey (blank or from a starter), the builder page and its settings. */
import type { Journey, JourneySummary } from '../../durable-objects/org/journeys/definitions'
import type { Starter } from '../../durable-objects/org/journeys/starters'
import {
  JOURNEY_TRIGGERS,
  STOP_CONDITIONS,
  TRIGGER_SOURCES,
  type JourneyStatus,
} from '../../durable-objects/org/schema'
import { FormAlert, SelectField, type FormErrors, type FormValues } from '../fields'
import { words } from '../format'
import { StepsSection, stepTitle, type StepsProps } from './steps'
import { CsrfField, Field } from '../layout'

const TRIGGER_WORDS: Record<string, string> = {
  job_completed: 'A job is completed',
  invoice_paid: 'An invoice is paid',
  client_created: 'A client is added',
  lead_created: 'A lead is added',
  job_booked: 'A job is booked',
  manual: 'Started by hand or through the API',
}
const SOURCE_WORDS: Record<string, string> = {
  any: 'Any source',
  manual: 'HomeBase',
  jobber: 'Jobber',
  housecallpro: 'Housecall Pro',
  servicetitan: 'ServiceTitan',
  quickbooks: 'QuickBooks',
}
const STOP_WORDS: Record<string, string> = {
  job_booked: 'They book a job',
  replied: 'They reply',
  opted_out: 'They opt out',
  invoice_paid: 'They pay an invoice',
  review_left: 'They leave a review',
}

/** "A job is completed (Jobber)". */
export function triggerWords(j: Pick<JourneySummary, 'trigger_event' | 'trigger_source'>): string {
  return `${TRIGGER_WORDS[j.trigger_event] ?? words(j.trigger_event)}${j.trigger_source === 'any' ? '' : ` (${SOURCE_WORDS[j.trigger_source]})`}`
}

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

const triggerOptions = JOURNEY_TRIGGERS.map((t) => ({ value: t, label: TRIGGER_WORDS[t] ?? words(t) }))
const sourceOptions = TRIGGER_SOURCES.map((s) => ({ value: s, label: SOURCE_WORDS[s] ?? s }))

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

/** The form values of a journey's settings. */
export function settingsValues(j: Journey): FormValues {
  return {
    name: j.name,
    trigger_event: j.trigger_event,
    trigger_source: j.trigger_source,
    quiet_start: j.settings.quiet_hours?.start ?? '',
    quiet_end: j.settings.quiet_hours?.end ?? '',
    stop_on: j.settings.stop_on.join(','),
    reentry_mode: j.settings.reentry.mode,
    reentry_days: j.settings.reentry.mode === 'after_days' ? String(j.settings.reentry.days) : '180',
  }
}

/** Name, trigger and settings; saving answers with this card again. */
export function SettingsCard(props: { journey: Journey; values?: FormValues; errors?: FormErrors; notice?: string }) {
  const v = props.values ?? settingsValues(props.journey)
  const e = props.errors ?? {}
  const stops = (v['stop_on'] ?? '').split(',')
  const url = `/app/journeys/${props.journey.id}/settings`
  return (
    <form
      id="journey-settings"
      class="card"
      method="post"
      action={url}
      hx-post={url}
      hx-target="this"
      hx-swap="outerHTML"
      novalidate
    >
      <h2>Settings</h2>
      <CsrfField />
      {props.notice ? (
        <p class="notice" role="status">
          {props.notice}
        </p>
      ) : null}
      <FormAlert errors={e} />
      <Field label="Name" name="name" value={v['name']} error={e['name']} required />
      <div class="cols-2">
        <SelectField label="Starts when" name="trigger_event" value={v['trigger_event']} options={triggerOptions} />
        <SelectField label="From" name="trigger_source" value={v['trigger_source']} options={sourceOptions} />
      </div>
      <fieldset>
        <legend>Stop when</legend>
        <div class="checks">
          {STOP_CONDITIONS.map((s) => (
            <label>
              <input type="checkbox" name="stop_on" value={s} checked={stops.includes(s)} /> {STOP_WORDS[s]}
            </label>
          ))}
        </div>
      </fieldset>
      <fieldset>
        <legend>Quiet hours</legend>
        <p class="hint">
          No message of this journey goes out between these times on the client's clock. Leave both empty to use the
          business's.
        </p>
        <div class="cols-2">
          <Field label="From" name="quiet_start" type="time" value={v['quiet_start']} error={e['quiet_start']} />
          <Field label="Until" name="quiet_end" type="time" value={v['quiet_end']} error={e['quiet_end']} />
        </div>
      </fieldset>
      <fieldset>
        <legend>Enroll a client again</legend>
        <div class="cols-2">
          <SelectField
            label="Again"
            name="reentry_mode"
            value={v['reentry_mode']}
            options={[
              { value: 'after_days', label: 'After some days' },
              { value: 'never', label: 'Never: once per client' },
            ]}
          />
          <Field
            label="Days since the last time"
            name="reentry_days"
            type="number"
            inputmode="numeric"
            min="0"
            value={v['reentry_days']}
            error={e['reentry_days']}
          />
        </div>
      </fieldset>
      <button type="submit" class="primary">
        Save settings
      </button>
    </form>
  )
}
