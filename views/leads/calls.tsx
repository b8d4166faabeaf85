/** Calls among activities: the "Log a call" form, and what a call's line adds (how it went, how long, the recording). */
import type { Activity } from '../../durable-objects/org/sales/leads/activities'
import {
  CALL_OUTCOMES,
  callOutcome,
  durationWords,
  linkLabel,
  OUTCOME_CHOICES,
} from '../../durable-objects/org/sales/calls/outcome'
import type { FlatData } from '../../durable-objects/org/schema'
import { FormAlert, type FormErrors, type FormValues, SelectField, TextareaField } from '../fields'
import { CsrfField, Field } from '../layout'

/** What the Log a call form needs: where it posts, and what came back when it was refused. */
export type CallFormProps = { action: string; values?: FormValues; errors?: FormErrors }

/** " · Missed · 3 min 12 s · Recording" after a call's kind on its line; nothing for other activities. */
export function CallFacts({ a }: { a: Pick<Activity, 'type' | 'summary' | 'duration_seconds' | 'url'> }) {
  const outcome = callOutcome(a)
  if (!outcome) return null
  return (
    <span class="call-facts" data-testid="call-facts" data-outcome={outcome}>
      {outcome === 'answered' ? '' : ` · ${OUTCOME_CHOICES[outcome].split(' (')[0]}`}
      {a.duration_seconds ? ` · ${durationWords(a.duration_seconds)}` : ''}
      {a.url ? (
        <>
          {' · '}
          <a href={a.url} target="_blank" rel="noopener noreferrer">
            {linkLabel(a.url)}
          </a>
        </>
      ) : null}
    </span>
  )
}

/** A timeline item of type `activity`: "Call · From them · 3 min 12 s · Recording: Call from +1…". */
export function ActivityEvent({ d }: { d: FlatData }) {
  const type = typeof d['activity_type'] === 'string' ? d['activity_type'] : 'activity'
  const summary = typeof d['summary'] === 'string' ? d['summary'] : ''
  const direction = d['direction'] === 'inbound' ? ' · From them' : d['direction'] === 'outbound' ? ' · From us' : ''
  const call = {
    type,
    summary,
    duration_seconds: typeof d['duration_seconds'] === 'number' ? d['duration_seconds'] : null,
    url: typeof d['url'] === 'string' ? d['url'] : null,
  }
  return (
    <>
      {type === 'call' ? 'Call' : type.charAt(0).toUpperCase() + type.slice(1).replace(/_/g, ' ')}
      {direction}
      <CallFacts a={call} />: <span class="pre">{summary}</span>
    </>
  )
}

/** The Log a call form: who called, how long, how it went, notes. Closed until opened, open again when refused. */
export function LogCallForm(p: CallFormProps) {
  const v = p.values ?? {}
  const e = p.errors ?? {}
  return (
    <details class="log-call" open={Object.keys(e).length > 0} data-testid="log-call">
      <summary>Log a call</summary>
      <form method="post" action={p.action} hx-post={p.action} hx-target="#activities" hx-swap="outerHTML" novalidate>
        <CsrfField />
        <FormAlert errors={e} />
        <div class="cols-2">
          <SelectField
            label="Who called"
            name="direction"
            id="f-call-direction"
            value={v['direction'] ?? 'inbound'}
            error={e['direction']}
            options={[
              { value: 'inbound', label: 'They called us' },
              { value: 'outbound', label: 'We called them' },
            ]}
          />
          <SelectField
            label="How it went"
            name="outcome"
            id="f-call-outcome"
            value={v['outcome'] ?? 'answered'}
            error={e['outcome']}
            options={CALL_OUTCOMES.map((o) => ({ value: o, label: OUTCOME_CHOICES[o] }))}
          />
        </div>
        <Field
          label="Minutes"
          name="duration_minutes"
          id="f-call-minutes"
          type="number"
          inputmode="decimal"
          min="0"
          max="1440"
          step="any"
          value={v['duration_minutes']}
          error={e['duration_minutes']}
        />
        <TextareaField
          label="Notes"
          name="notes"
          id="f-call-notes"
          value={v['notes']}
          error={e['notes']}
          rows={2}
          placeholder="Wants the gutters done before the rain; sending a quote."
        />
        <div class="form-actions">
          <button type="submit" class="primary">
            Log call
          </button>
        </div>
      </form>
    </details>
  )
}
