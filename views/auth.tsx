/** Sign-in, sign-up and invite-acceptance pages. */
import { Field, Layout } from './layout'

export type FormErrors = Record<string, string | undefined>

export function LoginPage(props: { email?: string; error?: string; next?: string }) {
  return (
    <Layout title="Log in">
      <section class="card narrow">
        <h1>Log in</h1>
        {props.error ? <p class="alert" role="alert">{props.error}</p> : null}
        <form method="post" action="/login">
          <input type="hidden" name="next" value={props.next ?? '/app'} />
          <Field label="Email" name="email" type="email" value={props.email} required autocomplete="username" />
          <Field label="Password" name="password" type="password" required autocomplete="current-password" />
          <button type="submit" class="primary">Log in</button>
        </form>
        <p class="muted">New to HomeBase? <a href="/signup">Create your business account</a></p>
      </section>
    </Layout>
  )
}

export type SignupValues = { email?: string; organization_name?: string; timezone?: string; name?: string }

export function SignupPage(props: { values?: SignupValues; errors?: FormErrors; error?: string }) {
  const v = props.values ?? {}
  const e = props.errors ?? {}
  return (
    <Layout title="Sign up">
      <section class="card narrow">
        <h1>Start with HomeBase</h1>
        {props.error ? <p class="alert" role="alert">{props.error}</p> : null}
        <form method="post" action="/signup">
          <Field label="Business name" name="organization_name" value={v.organization_name} error={e.organization_name} required />
          <Field label="Your name" name="name" value={v.name} error={e.name} autocomplete="name" />
          <Field label="Email" name="email" type="email" value={v.email} error={e.email} required autocomplete="username" />
          <Field label="Password (10+ characters)" name="password" type="password" error={e.password} required autocomplete="new-password" />
          <Field label="Time zone" name="timezone" value={v.timezone ?? 'America/New_York'} error={e.timezone} />
          <button type="submit" class="primary">Create account</button>
        </form>
        <p class="muted">Already have an account? <a href="/login">Log in</a></p>
      </section>
    </Layout>
  )
}

export function InvitePage(props: { token: string; email: string; organizationName: string; hasAccount: boolean; error?: string }) {
  return (
    <Layout title="Join your team">
      <section class="card narrow">
        <h1>Join {props.organizationName}</h1>
        <p>You were invited as <strong>{props.email}</strong>.</p>
        {props.error ? <p class="alert" role="alert">{props.error}</p> : null}
        <form method="post" action={`/invite/${props.token}`}>
          {props.hasAccount ? null : <Field label="Your name" name="name" autocomplete="name" />}
          <Field label={props.hasAccount ? 'Your HomeBase password' : 'Choose a password (10+ characters)'} name="password" type="password" required
            autocomplete={props.hasAccount ? 'current-password' : 'new-password'} />
          <button type="submit" class="primary">Join</button>
        </form>
      </section>
    </Layout>
  )
}

export function InviteGonePage() {
  return (
    <Layout title="Invite not found">
      <section class="card narrow">
        <h1>This invite link no longer works</h1>
        <p>It may have expired or been used already. Ask the business owner for a new one.</p>
      </section>
    </Layout>
  )
}
