/** Forgotten passwords: asking for a reset link, choosing the new password, a link that no longer works. */
import { RESET_MINUTES } from '../src/auth/password-resets'
import { Field } from './layout'

/** The request form; after a request it says the same thing whether or not the email has an account. */
export function ForgotPage(props: { email?: string; error?: string; sent?: boolean }) {
  return (
    <section class="card narrow">
      <h1>Reset your password</h1>
      {props.sent ? (
        <p role="status" data-testid="reset-sent">
          If an account exists for that email, we sent a link to choose a new password. It works for {RESET_MINUTES}{' '}
          minutes.
        </p>
      ) : (
        <p>Type the email you log in with. We will email you a link to choose a new password.</p>
      )}
      {props.error ? (
        <p class="alert" role="alert">
          {props.error}
        </p>
      ) : null}
      <form method="post" action="/forgot">
        <Field
          label="Email"
          name="email"
          type="email"
          value={props.sent ? undefined : props.email}
          required
          autocomplete="username"
        />
        <button type="submit" class="primary">
          {props.sent ? 'Send another link' : 'Email me a link'}
        </button>
      </form>
      <p class="muted">
        <a href="/login">Back to log in</a>
      </p>
    </section>
  )
}

/** The new-password form a reset link opens. */
export function ResetPage(props: { token: string; email: string; error?: string }) {
  return (
    <section class="card narrow">
      <h1>Choose a new password</h1>
      <p>
        For <strong>{props.email}</strong>. Every device signed in to this account will be signed out.
      </p>
      <form method="post" action={`/reset/${props.token}`}>
        <input type="hidden" name="username" value={props.email} autocomplete="username" />
        <Field
          label="New password (10+ characters)"
          name="password"
          type="password"
          error={props.error}
          required
          autocomplete="new-password"
        />
        <button type="submit" class="primary">
          Save and log in
        </button>
      </form>
    </section>
  )
}

/** A reset link that is unknown, used or past its 30 minutes. */
export function ResetGonePage(props: { reason: 'used' | 'expired' | 'unknown' }) {
  const why = {
    used: 'It was used already: each link works once.',
    expired: `It is more than ${RESET_MINUTES} minutes old.`,
    unknown: 'It is not a link we sent.',
  }[props.reason]
  return (
    <section class="card narrow">
      <h1>This reset link no longer works</h1>
      <p>{why}</p>
      <p>
        <a href="/forgot">Ask for a new link</a> or <a href="/login">log in</a>.
      </p>
    </section>
  )
}
