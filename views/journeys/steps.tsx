/** The builder's step list: previews with the chosen client's details, move/delete controls, and the buttons that add a step. */
import type { ClientRow } from '../../durable-objects/org/crm/clients'
import type { Journey, StepInput } from '../../durable-objects/org/journeys/definitions'
import { JOURNEY_VARIABLES, wordingOf, type JourneyVars } from '../../durable-objects/org/journeys/wording'
import type { StepType } from '../../durable-objects/org/schema'
import type { FormErrors, FormValues } from '../fields'
import { personName } from '../format'
import { CsrfField } from '../layout'
import { ReviewLinkWarning } from './review-link'
import { blankStep, StepForm } from './step-form'
import { stepTitle } from './words'

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
      <ReviewLinkWarning journey={j} />
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
