/** A journey's settings card: name, trigger, stop conditions, quiet hours and re-entry. */
import type { Journey } from '../../durable-objects/org/journeys/definitions'
import { STOP_CONDITIONS } from '../../durable-objects/org/schema'
import { FormAlert, SelectField, type FormErrors, type FormValues } from '../fields'
import { CsrfField, Field } from '../layout'
import { sourceOptions, STOP_WORDS, triggerOptions } from './words'

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
