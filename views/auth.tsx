/** Sign-in, sign-up and invite-acceptance pages. */
import type { StaffSession } from '../src/auth/sessions'
import { Field } from './layout'

export type FormErrors = Record<string, string | undefined>

export function LoginPage(props: { email?: string; error?: string; next?: string; invite?: string }) {
  return (
    <section class="card narrow">
      <h1>Log in</h1>
      {props.invite ? <p>Log in to accept your invite.</p> : null}
      {props.error ? (
        <p class="alert" role="alert">
          {props.error}
        </p>
      ) : null}
      <form method="post" action="/login">
        <input type="hidden" name="next" value={props.next ?? '/app'} />
        {props.invite ? <input type="hidden" name="invite" value={props.invite} /> : null}
        <Field label="Email" name="email" type="email" value={props.email} required autocomplete="username" />
        <Field label="Password" name="password" type="password" required autocomplete="current-password" />
        <button type="submit" class="primary">
          Log in
        </button>
      </form>
      <p class="muted">
        <a href="/forgot">Forgot your password?</a>
      </p>
      <p class="muted">
        New to HomeBase? <a href="/signup">Create your business account</a>
      </p>
    </section>
  )
}

export type SignupValues = { email?: string; organization_name?: string; timezone?: string; name?: string }

export function SignupPage(props: { values?: SignupValues; errors?: FormErrors; error?: string }) {
  const v = props.values ?? {}
  const e = props.errors ?? {}
  return (
    <section class="card narrow">
      <h1>Start with HomeBase</h1>
      {props.error ? (
        <p class="alert" role="alert">
          {props.error}
        </p>
      ) : null}
      <form method="post" action="/signup">
        <Field
          label="Business name"
          name="organization_name"
          value={v.organization_name}
          error={e.organization_name}
          required
        />
        <Field label="Your name" name="name" value={v.name} error={e.name} autocomplete="name" />
        <Field
          label="Email"
          name="email"
          type="email"
          value={v.email}
          error={e.email}
          required
          autocomplete="username"
        />
        <Field
          label="Password (10+ characters)"
          name="password"
          type="password"
          error={e.password}
          required
          autocomplete="new-password"
        />
        <Field label="Time zone" name="timezone" value={v.timezone ?? 'America/New_York'} error={e.timezone} />
        <button type="submit" class="primary">
          Create account
        </button>
      </form>
      <p class="muted">
        Already have an account? <a href="/login">Log in</a>
      </p>
    </section>
  )
}

export type InviteView = { email: string; organizationName: string; hasAccount: boolean }

/**
 * Joining a team. A new person chooses a password here; an existing account never types one here:
 * signed in as the invited email it accepts with one button, otherwise it is sent to log in.
 */
export function InvitePage(props: {
  token: string
  invite: InviteView
  session?: StaffSession | null
  error?: string
}) {
  const { invite, session } = props
  const signedInAsInvited = session && session.email === invite.email
  return (
    <section class="card narrow">
      <h1>Join {invite.organizationName}</h1>
      <p>
        You were invited as <strong>{invite.email}</strong>.
      </p>
      {props.error ? (
        <p class="alert" role="alert">
          {props.error}
        </p>
      ) : null}
      {!invite.hasAccount ? (
        <form method="post" action={`/invite/${props.token}`}>
          <Field label="Your name" name="name" autocomplete="name" />
          <Field
            label="Choose a password (10+ characters)"
            name="password"
            type="password"
            required
            autocomplete="new-password"
          />
          <button type="submit" class="primary">
            Join
          </button>
        </form>
      ) : signedInAsInvited ? (
        <form method="post" action={`/invite/${props.token}`}>
          <input type="hidden" name="_csrf" value={session.csrfToken} />
          <button type="submit" class="primary">
            Join {invite.organizationName}
          </button>
        </form>
      ) : (
        <>
          <p>You already have a HomeBase account: sign in to accept.</p>
          {session ? <p class="muted">You are signed in as {session.email}, not as the invited account.</p> : null}
          <p>
            <a class="button primary" href={`/login?invite=${props.token}`}>
              Log in as {invite.email}
            </a>
          </p>
        </>
      )}
    </section>
  )
}

export function InviteGonePage() {
  return (
    <section class="card narrow">
      <h1>This invite link no longer works</h1>
      <p>It may have expired or been used already. Ask the business owner for a new one.</p>
    </section>
  )
}
