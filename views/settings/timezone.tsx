/** The time-zone field: type a city, an IANA name or a US name ("Central"), and pick from the matching zones. */
import type { ZoneOption } from '../../src/timezones'

type Props = { value: string; error?: string; options: ZoneOption[] }

/**
 * A text field with a list of matching zones under it. Typing asks the server for the matches
 * (htmx), and a browser without JavaScript still gets the US zones; the server also reads a US
 * name typed in full ("Central" is America/Chicago).
 */
export function TimeZoneField({ value, error, options }: Props) {
  const described = ['tz-hint', error ? 'tz-error' : ''].filter(Boolean).join(' ')
  return (
    <div class={error ? 'field has-error' : 'field'}>
      <label for="f-timezone">Time zone</label>
      <input
        id="f-timezone"
        name="timezone"
        value={value}
        list="tz-options"
        autocomplete="off"
        required
        maxlength={64}
        hx-get="/app/settings/timezones"
        hx-trigger="input changed delay:250ms"
        hx-target="#tz-options"
        hx-swap="innerHTML"
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={described}
      />
      <datalist id="tz-options">
        <TimeZoneOptions options={options} />
      </datalist>
      <p class="hint" id="tz-hint">
        Type your city or “Central”, “Eastern”, “Mountain”, “Pacific”, “Arizona”, “Alaska” or “Hawaii”.
      </p>
      {error ? (
        <p class="error" id="tz-error">
          {error}
        </p>
      ) : null}
    </div>
  )
}

/** The zones as the list's options: the IANA name is what is saved, the label what people call it. */
export function TimeZoneOptions({ options }: { options: ZoneOption[] }) {
  return (
    <>
      {options.map((o) => (
        <option value={o.zone}>{o.label}</option>
      ))}
    </>
  )
}
