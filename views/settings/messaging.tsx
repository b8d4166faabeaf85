/** Settings › Messaging: the number texts come from, with links to quiet hours, reminder wording and the message log. */
import { phone as formatPhone } from '../format'
import { CsrfField, Field, useCanManage } from '../layout'

type Props = { smsFrom: string | null; value?: string; error?: string; notice?: string }

/** The messaging section; saving the sender number swaps it in place. */
export function MessagingSection({ smsFrom, value, error, notice }: Props) {
  return (
    <section class="card" id="messaging">
      <h2>Messaging</h2>
      {notice ? (
        <p class="notice" role="status">
          {notice}
        </p>
      ) : null}
      <p class="muted">
        Texts are sent from {smsFrom ? <strong>{formatPhone(smsFrom)}</strong> : 'the HomeBase number'}.
      </p>
      {useCanManage() ? (
        <form
          method="post"
          action="/app/settings/sender"
          hx-post="/app/settings/sender"
          hx-target="#messaging"
          hx-swap="outerHTML"
          novalidate
        >
          <CsrfField />
          <Field
            label="Sender number"
            name="sms_from"
            type="tel"
            inputmode="tel"
            value={value ?? (smsFrom ? formatPhone(smsFrom) : '')}
            error={error}
            placeholder="(415) 555-0100"
            hint="Your own texting number (one no other business sends from). Leave it empty to use HomeBase's."
          />
          <button type="submit">Save sender number</button>
        </form>
      ) : null}
      <p>
        <a href="/app/settings/messaging">Reminders, quiet hours and message wording</a> ·{' '}
        <a href="/app/messages">Message log</a> · <a href="/app/messages?status=failed">Failed messages</a> ·{' '}
        <a href="/app/assistant">Assistant log (briefs, reply tones, drafts)</a>
      </p>
    </section>
  )
}
