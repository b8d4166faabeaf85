/** The form that adds or edits one step of the builder, and the values it opens with. */
import type { StepInput } from '../../durable-objects/org/journeys/definitions'
import { REVIEW_WORDING } from '../../durable-objects/org/journeys/wording'
import { BRANCH_CONDITIONS, MESSAGE_PURPOSES, type StepType } from '../../durable-objects/org/schema'
import { FormAlert, SelectField, type FormValues } from '../fields'
import { words } from '../format'
import { CsrfField, Field } from '../layout'
import type { StepsProps } from './steps'
import { conditionWords } from './words'

/** What a new step of `type` starts as. */
export function blankStep(type: StepType): StepInput {
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

/** The step's form, for a new step (`position` null) or the step at `position`. */
export function StepForm(props: StepsProps & { step: StepInput; position: number | null }) {
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
