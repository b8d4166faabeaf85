/** This business's messaging consent for a client: shown and changed with the reason recorded. */
import type { Consent } from '../../src/people/consent'
import { CsrfField } from '../layout'

export function ConsentCard(props: { clientId: string; consent: Consent; notice?: string; error?: string }) {
  const { consent } = props
  const action = `/app/clients/${props.clientId}/consents`
  return (
    <section class="card" id="client-consent" data-testid="consent">
      <h2>Messages</h2>
      <p>
        Texts <strong>{consent.sms_opt_in ? 'on' : 'off'}</strong> · Email{' '}
        <strong>{consent.email_opt_in ? 'on' : 'off'}</strong> · Offers by email{' '}
        <strong>{consent.email_opt_in && consent.marketing_email_opt_in ? 'on' : 'off'}</strong>
      </p>
      {props.notice ? (
        <p class="notice" role="status">
          {props.notice}
        </p>
      ) : null}
      <form method="post" action={action} hx-post={action} hx-target="#client-consent" hx-swap="outerHTML">
        <CsrfField />
        <div class="checks">
          <label>
            <input type="checkbox" name="sms_opt_in" value="on" checked={consent.sms_opt_in} /> Reminders and messages
            by text
          </label>
          <label>
            <input type="checkbox" name="email_opt_in" value="on" checked={consent.email_opt_in} /> By email
          </label>
          <label>
            <input type="checkbox" name="marketing_email_opt_in" value="on" checked={consent.marketing_email_opt_in} />{' '}
            Offers and news by email
          </label>
        </div>
        <div class={props.error ? 'field has-error' : 'field'}>
          <label for="consent-reason">Why is this changing?</label>
          <input
            id="consent-reason"
            name="reason"
            placeholder="e.g. Asked on the phone to stop texts"
            maxlength={300}
            required
            aria-invalid={props.error ? 'true' : undefined}
            aria-describedby={props.error ? 'consent-reason-error' : undefined}
          />
          {props.error ? (
            <p class="error" id="consent-reason-error">
              {props.error}
            </p>
          ) : null}
        </div>
        <button type="submit">Save</button>
      </form>
      <p class="hint">Replies of STOP or START by text change this on their own.</p>
    </section>
  )
}
