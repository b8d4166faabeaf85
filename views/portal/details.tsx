/** "Your details" on /p/me: a homeowner changes their name, phone, email or address and picks which providers get it. */
import type { FormErrors, FormValues } from '../fields'
import { PortalCsrf, PortalLayout } from './layout'

/** A provider the change can go to. */
export type DetailsProvider = { organization_id: string; name: string }

/** The form's fields a code page carries along unchanged. */
export const DETAIL_FIELDS = [
  'first_name',
  'last_name',
  'phone',
  'email',
  'address1',
  'address2',
  'city',
  'state',
  'postal',
] as const

/** The checkbox name of one provider. */
export const providerField = (organizationId: string) => `to_${organizationId}`

function Field(p: {
  name: string
  label: string
  values: FormValues
  errors: FormErrors
  type?: string
  autocomplete?: string
  inputmode?: 'numeric'
}) {
  const error = p.errors[p.name]
  return (
    <div class={error ? 'field has-error' : 'field'}>
      <label for={`d-${p.name}`}>{p.label}</label>
      <input
        id={`d-${p.name}`}
        name={p.name}
        type={p.type ?? 'text'}
        value={p.values[p.name] ?? ''}
        autocomplete={p.autocomplete}
        inputmode={p.inputmode}
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={error ? `d-${p.name}-error` : undefined}
      />
      {error ? (
        <p class="error" id={`d-${p.name}-error`}>
          {error}
        </p>
      ) : null}
    </div>
  )
}

/** The form: empty fields stay as they are; every provider is ticked until the homeowner unticks one (`ticked` absent). */
export function DetailsCard({
  providers,
  csrf,
  values,
  errors,
  ticked,
}: {
  providers: DetailsProvider[]
  csrf: string
  values: FormValues
  errors: FormErrors
  ticked?: string[]
}) {
  const props = { values, errors }
  return (
    <section class="card" id="details" aria-labelledby="details-h" data-testid="details">
      <h2 id="details-h">Your details</h2>
      <p class="muted">
        Moved, or got a new number? Fill in only what changed and pick who should know. A new phone or email gets a code
        first, to check it is yours.
      </p>
      {errors['form'] ? (
        <p class="alert" role="alert">
          {errors['form']}
        </p>
      ) : null}
      <form method="post" action="/p/me/details">
        <PortalCsrf csrf={csrf} />
        <Field name="first_name" label="First name" autocomplete="given-name" {...props} />
        <Field name="last_name" label="Last name" autocomplete="family-name" {...props} />
        <Field name="phone" label="Mobile phone" type="tel" autocomplete="tel" {...props} />
        <Field name="email" label="Email" type="email" autocomplete="email" {...props} />
        <Field name="address1" label="Street address" autocomplete="address-line1" {...props} />
        <Field name="address2" label="Apartment, unit (optional)" autocomplete="address-line2" {...props} />
        <Field name="city" label="City" autocomplete="address-level2" {...props} />
        <Field name="state" label="State" autocomplete="address-level1" {...props} />
        <Field name="postal" label="ZIP code" autocomplete="postal-code" inputmode="numeric" {...props} />
        <fieldset>
          <legend>Send the change to</legend>
          {providers.map((p) => (
            <div class="check">
              <input
                type="checkbox"
                id={`d-to-${p.organization_id}`}
                name={providerField(p.organization_id)}
                value="on"
                checked={!ticked || ticked.includes(p.organization_id)}
              />
              <label for={`d-to-${p.organization_id}`}>{p.name}</label>
            </div>
          ))}
          {errors['providers'] ? (
            <p class="error" role="alert">
              {errors['providers']}
            </p>
          ) : null}
        </fieldset>
        <button type="submit" class="primary">
          Save my details
        </button>
      </form>
    </section>
  )
}

/** Where a new phone or email is checked: one code box per new point; the change rides along in hidden fields. */
export function DetailsCodePage(p: {
  csrf: string
  values: FormValues
  points: Array<{ channel: 'sms' | 'email'; masked: string; error?: string }>
  problem?: string
}) {
  const carried = Object.entries(p.values).filter(
    ([k, v]) => v !== undefined && ((DETAIL_FIELDS as readonly string[]).includes(k) || k.startsWith('to_')),
  )
  const Hidden = () => (
    <>
      {carried.map(([k, v]) => (
        <input type="hidden" name={k} value={v} />
      ))}
    </>
  )
  const single = p.points.length === 1 ? p.points[0]! : null
  return (
    <PortalLayout title="Check your new details" signedIn={{ csrf: p.csrf }}>
      <section class="card">
        <h1>
          {single
            ? single.channel === 'sms'
              ? 'Check your new number'
              : 'Check your new email'
            : 'Check your new details'}
        </h1>
        {p.problem ? (
          <p class="alert" role="alert">
            {p.problem}
          </p>
        ) : null}
        <p>
          We sent a 6-digit code to {p.points.map((x) => x.masked).join(' and to ')}. It works for 10 minutes. Nothing
          changes until you type it.
        </p>
        <form method="post" action="/p/me/details">
          <PortalCsrf csrf={p.csrf} />
          <Hidden />
          <input type="hidden" name="step" value="code" />
          {p.points.map((x) => (
            <div class={x.error ? 'field has-error' : 'field'}>
              <label for={`code_${x.channel}`}>Code sent to {x.masked}</label>
              <input
                id={`code_${x.channel}`}
                name={`code_${x.channel}`}
                inputmode="numeric"
                autocomplete="one-time-code"
                pattern="[0-9]*"
                maxlength={6}
                required
                aria-invalid={x.error ? 'true' : undefined}
                aria-describedby={x.error ? `code_${x.channel}-error` : undefined}
              />
              {x.error ? (
                <p class="error" id={`code_${x.channel}-error`} role="alert">
                  {x.error}
                </p>
              ) : null}
            </div>
          ))}
          <button type="submit" class="primary">
            Check and save
          </button>
        </form>
        <form method="post" action="/p/me/details">
          <PortalCsrf csrf={p.csrf} />
          <Hidden />
          <button type="submit">Send me a new code</button>
        </form>
        <p>
          <a href="/p/me">Keep my details as they are</a>
        </p>
      </section>
    </PortalLayout>
  )
}
