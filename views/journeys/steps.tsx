/** The builder's steps: the list with previews and move/delete controls, and the form that adds or edits one step. */
import type { ClientRow } from '../../durable-objects/org/crm/clients'
import type { Journey, StepInput } from '../../durable-objects/org/journeys/definitions'
import {
  JOURNEY_VARIABLES,
  REVIEW_WORDING,
  wordingOf,
  type JourneyVars,
} from '../../durable-objects/org/journeys/wording'
import { BRANCH_CONDITIONS, MESSAGE_PURPOSES, type BranchTarget, type StepType } from '../../durable-objects/org/schema'
import { FormAlert, SelectField, type FormErrors, type FormValues } from '../fields'
import { personName, words } from '../format'
import { CsrfField, Field } from '../layout'

export type StepsProps = {
  journey: Journey
  clients: ClientRow[]
  /** The client whose details fill the previews, and those details. */
  sample: { id: string | null; vars: JourneyVars }
  /** The step whose form is open: its position, or `new` with the type being added. */
  open?: { position: number } | { adding: StepType }
  values?: FormValues
  errors?: FormErrors
  notice?: string
}

const ADDABLE: Array<{ type: StepType; label: string }> = [
  { type: 'sms', label: 'Text' },
  { type: 'email', label: 'Email' },
  { type: 'wait', label: 'Wait' },
  { type: 'review_request', label: 'Review request' },
  { type: 'branch', label: 'Branch' },
]

/** The steps section; every step edit answers with it. */
export function StepsSection(props: StepsProps) {
  const { journey: j, sample, open } = props
  const base = `/app/journeys/${j.id}`
  return (
    <section id="steps" class="card">
      <h2>
        Steps <span class="muted small">version {j.version}</span>
      </h2>
      {props.notice ? (
        <p class="notice" role="status">
          {props.notice}
        </p>
      ) : null}
      {j.status === 'active' ? (
        <p class="muted small">
          Changes apply to clients who enroll from now on; those already in it finish the version they started.
        </p>
      ) : null}
      <form
        method="get"
        action={base}
        class="inline-form"
        hx-get={`${base}/steps`}
        hx-target="#steps"
        hx-swap="outerHTML"
        hx-trigger="change"
      >
        <label for="preview-client">Preview with</label>
        <select id="preview-client" name="client">
          {props.clients.length === 0 ? <option value="">an example client</option> : null}
          {props.clients.map((c) => (
            <option value={c.org_client_id} selected={c.org_client_id === sample.id}>
              {personName(c)}
            </option>
          ))}
        </select>
        <noscript>
          <button type="submit">Show</button>
        </noscript>
      </form>
      {j.steps.length === 0 ? (
        <p class="empty">No steps yet. Add the first one below.</p>
      ) : (
        <ol class="rows" id="step-list">
          {j.steps.map((step, i) =>
            open && 'position' in open && open.position === i ? (
              <li class="row" data-step={i}>
                <StepForm {...props} step={step} position={i} />
              </li>
            ) : (
              <StepRow {...props} step={step} position={i} />
            ),
          )}
        </ol>
      )}
      {open && 'adding' in open ? (
        <StepForm {...props} step={blankStep(open.adding)} position={null} />
      ) : (
        // biome-ignore lint/a11y/useSemanticElements: a row of links, not form controls, so no fieldset
        <div class="button-row" role="group" aria-label="Add a step">
          {ADDABLE.map((a) => (
            <a
              class="button"
              href={`${base}?add=${a.type}&client=${sample.id ?? ''}`}
              hx-get={`${base}/steps/new?type=${a.type}&client=${sample.id ?? ''}`}
              hx-target="#steps"
              hx-swap="outerHTML"
              data-add={a.type}
            >
              + {a.label}
            </a>
          ))}
        </div>
      )}
      <p class="muted small">Variables: {JOURNEY_VARIABLES.map((v) => `{{${v}}}`).join(' ')}</p>
    </section>
  )
}

function StepRow(props: StepsProps & { step: StepInput; position: number }) {
  const { journey: j, step, position: i, sample } = props
  const base = `/app/journeys/${j.id}/steps/${i}`
  const action = (path: string, label: string, name: string, confirm?: string) => (
    <form
      method="post"
      action={`${base}/${path}`}
      hx-post={`${base}/${path}`}
      hx-target="#steps"
      hx-swap="outerHTML"
      hx-confirm={confirm}
    >
      <CsrfField />
      <input type="hidden" name="client" value={sample.id ?? ''} />
      <button type="submit" class={path === 'delete' ? 'danger' : undefined} aria-label={name}>
        {label}
      </button>
    </form>
  )
  return (
    <li class="row" data-step={i}>
      <div class="row-main">
        <div>
          <strong>
            {i + 1}. {stepTitle(step)}
          </strong>
        </div>
        <StepDetail step={step} vars={sample.vars} />
      </div>
      <div class="actions">
        <a
          class="button"
          href={`/app/journeys/${j.id}?edit=${i}&client=${sample.id ?? ''}`}
          hx-get={`${base}/edit?client=${sample.id ?? ''}`}
          hx-target="#steps"
          hx-swap="outerHTML"
        >
          Edit
        </a>
        {i > 0 ? action('up', '↑', `Move step ${i + 1} up`) : null}
        {i < j.steps.length - 1 ? action('down', '↓', `Move step ${i + 1} down`) : null}
        {action('delete', 'Delete', `Delete step ${i + 1}`, `Delete step ${i + 1}?`)}
      </div>
    </li>
  )
}

/** What a step does, in a few words. */
export function stepTitle(step: StepInput): string {
  switch (step.type) {
    case 'wait':
      return `Wait ${waitWords(step.delay_minutes)}`
    case 'sms':
      return `Text${step.purpose ? ` · ${words(step.purpose)}` : ''}`
    case 'email':
      return `Email${step.purpose ? ` · ${words(step.purpose)}` : ''}`
    case 'review_request':
      return `Ask for a review by ${step.channel === 'sms' ? 'text' : 'email'}`
    case 'branch':
      return `If ${conditionWords(step.condition).toLowerCase()}: ${targetWords(step.on_true)}; otherwise ${targetWords(step.on_false)}`
  }
}

function StepDetail({ step, vars }: { step: StepInput; vars: JourneyVars }) {
  if (step.type === 'wait' || step.type === 'branch') return null
  const w = wordingOf(step, vars)
  return (
    <div class="preview" data-testid="step-preview">
      {w.subject ? (
        <p>
          <strong>{w.subject}</strong>
        </p>
      ) : null}
      <p class={w.channel === 'sms' ? 'sms-bubble' : 'email-body pre'}>{w.body}</p>
    </div>
  )
}

/** "3 days", "2 h", "45 min". */
export function waitWords(minutes: number): string {
  if (minutes % 1440 === 0) return `${minutes / 1440} day${minutes === 1440 ? '' : 's'}`
  if (minutes % 60 === 0) return `${minutes / 60} h`
  return `${minutes} min`
}

function targetWords(t: BranchTarget | undefined): string {
  return t === 'end' ? 'end the journey' : typeof t === 'number' ? `go to step ${t + 1}` : 'go on'
}

function blankStep(type: StepType): StepInput {
  switch (type) {
    case 'wait':
      return { type, delay_minutes: 1440 }
    case 'sms':
      return { type, body: '' }
    case 'email':
      return { type, subject: '', body: '' }
    case 'review_request':
      return { type, channel: 'sms' }
    case 'branch':
      return { type, condition: 'review_left', on_true: 'end', on_false: 'continue' }
  }
}

/** The form values a step shows when its form opens. */
export function stepValues(step: StepInput): FormValues {
  switch (step.type) {
    case 'wait': {
      const unit = step.delay_minutes % 1440 === 0 ? 'days' : step.delay_minutes % 60 === 0 ? 'hours' : 'minutes'
      return { amount: String(step.delay_minutes / { days: 1440, hours: 60, minutes: 1 }[unit]), unit }
    }
    case 'sms':
      return { body: step.body, purpose: step.purpose ?? '' }
    case 'email':
      return { subject: step.subject, body: step.body, purpose: step.purpose ?? '' }
    case 'review_request':
      return { channel: step.channel, subject: step.subject ?? '', body: step.body ?? '' }
    case 'branch':
      return {
        condition: step.condition,
        on_true: String(step.on_true ?? 'continue'),
        on_false: String(step.on_false ?? 'continue'),
      }
  }
}

const PURPOSES = [{ value: '', label: 'General' }, ...MESSAGE_PURPOSES.map((p) => ({ value: p, label: words(p) }))]

function StepForm(props: StepsProps & { step: StepInput; position: number | null }) {
  const { journey: j, step, position, sample } = props
  const v = props.values ?? stepValues(step)
  const e = props.errors ?? {}
  const base = `/app/journeys/${j.id}/steps`
  const action = position === null ? base : `${base}/${position}`
  const preview = {
    'hx-post': `/app/journeys/${j.id}/preview`,
    'hx-trigger': 'input changed delay:300ms, load',
    'hx-target': '#step-preview',
    'hx-include': 'closest form',
  }
  const targets = [
    { value: 'continue', label: 'Go on to the next step' },
    { value: 'end', label: 'End the journey' },
    ...(position === null
      ? []
      : j.steps
          .map((_, k) => k)
          .filter((k) => k > position)
          .map((k) => ({ value: String(k), label: `Go to step ${k + 1}` }))),
  ]
  return (
    <form
      id="step-form"
      class="form-card"
      method="post"
      action={action}
      hx-post={action}
      hx-target="#steps"
      hx-swap="outerHTML"
      novalidate
    >
      <h3>
        {position === null ? 'New step' : `Step ${position + 1}`}: {words(step.type)}
      </h3>
      <CsrfField />
      <FormAlert errors={e} />
      <input type="hidden" name="type" value={step.type} />
      <input type="hidden" name="client" value={sample.id ?? ''} />
      {step.type === 'wait' ? (
        <div class="cols-2">
          <Field
            label="Wait for"
            name="amount"
            type="number"
            inputmode="numeric"
            min="1"
            value={v['amount']}
            error={e['amount']}
            required
          />
          <SelectField
            label="Unit"
            name="unit"
            value={v['unit']}
            options={['minutes', 'hours', 'days'].map((u) => ({ value: u, label: words(u) }))}
          />
        </div>
      ) : null}
      {step.type === 'branch' ? (
        <>
          <SelectField
            label="If the client"
            name="condition"
            value={v['condition']}
            options={BRANCH_CONDITIONS.map((c) => ({ value: c, label: conditionWords(c) }))}
          />
          <div class="cols-2">
            <SelectField label="Yes" name="on_true" value={v['on_true']} options={targets} error={e['on_true']} />
            <SelectField label="No" name="on_false" value={v['on_false']} options={targets} error={e['on_false']} />
          </div>
        </>
      ) : null}
      {step.type === 'review_request' ? (
        <SelectField
          label="Send by"
          name="channel"
          value={v['channel']}
          options={[
            { value: 'sms', label: 'Text' },
            { value: 'email', label: 'Email' },
          ]}
        />
      ) : null}
      {step.type === 'email' || step.type === 'review_request' ? (
        <div class={e['subject'] ? 'field has-error' : 'field'}>
          <label for="f-subject">Subject{step.type === 'review_request' ? ' (email only)' : ''}</label>
          <input
            id="f-subject"
            name="subject"
            value={v['subject']}
            maxlength={300}
            placeholder={step.type === 'review_request' ? REVIEW_WORDING.email.subject : undefined}
            {...preview}
          />
          {e['subject'] ? <p class="error">{e['subject']}</p> : null}
        </div>
      ) : null}
      {step.type === 'sms' || step.type === 'email' || step.type === 'review_request' ? (
        <div class={e['body'] ? 'field has-error' : 'field'}>
          <label for="f-body">Message</label>
          <textarea
            id="f-body"
            name="body"
            rows={step.type === 'sms' ? 3 : 6}
            maxlength={step.type === 'email' ? 10000 : 1600}
            placeholder={step.type === 'review_request' ? REVIEW_WORDING.sms.body : undefined}
            {...preview}
          >
            {v['body'] ?? ''}
          </textarea>
          {step.type === 'review_request' ? (
            <p class="hint">Leave it empty for the default wording. The review link is always added.</p>
          ) : null}
          {e['body'] ? <p class="error">{e['body']}</p> : null}
        </div>
      ) : null}
      {step.type === 'sms' || step.type === 'email' ? (
        <SelectField label="Purpose" name="purpose" value={v['purpose']} options={PURPOSES} />
      ) : null}
      {step.type !== 'wait' && step.type !== 'branch' ? (
        <div class="preview" id="step-preview" aria-live="polite"></div>
      ) : null}
      <div class="form-actions">
        <button type="submit" class="primary">
          {position === null ? 'Add step' : 'Save step'}
        </button>
        <a
          class="button"
          href={`/app/journeys/${j.id}`}
          hx-get={`${base}?client=${sample.id ?? ''}`}
          hx-target="#steps"
          hx-swap="outerHTML"
        >
          Cancel
        </a>
      </div>
    </form>
  )
}

/** "Has left a review", "Has paid the invoice"… */
export function conditionWords(c: string): string {
  return (
    {
      review_left: 'Has left a review',
      invoice_paid: 'Has paid the invoice',
      replied: 'Has replied',
      job_booked: 'Has booked a job',
    }[c] ?? words(c)
  )
}
