/** Checking it is the homeowner: the offer of a code, the page to type it, and an expired link's offer of a fresh one. */
import type { PortalBusiness } from '../../durable-objects/org/portal/view'
import { phone } from '../format'
import { PortalLayout } from './layout'

/** Where a verification code can go: the contact points on file, masked. */
export type VerifyOptions = { sms: string | null; email: string | null }

/** Offers a one-time code to a contact point on file; the homeowner never types a number. */
export function VerifyCard({ base, options }: { base: string; options: VerifyOptions }) {
  return (
    <section class="card" aria-labelledby="verify-h">
      <h2 id="verify-h">See all your providers in one place</h2>
      <p>
        Cleaner, plumber, landscaper: if they use HomeBase, you can see all their visits and invoices here. First we
        send you a 6-digit code to check it is you.
      </p>
      <form method="post" action={`${base}/verify`}>
        <fieldset>
          <legend>Send my code</legend>
          {options.sms ? (
            <div class="check">
              <input type="radio" id="via-sms" name="channel" value="sms" checked />
              <label for="via-sms">By text to {options.sms}</label>
            </div>
          ) : null}
          {options.email ? (
            <div class="check">
              <input type="radio" id="via-email" name="channel" value="email" checked={!options.sms} />
              <label for="via-email">By email to {options.email}</label>
            </div>
          ) : null}
        </fieldset>
        <button type="submit" class="primary">
          Send me a code
        </button>
      </form>
    </section>
  )
}

/** Where the homeowner types the code they were sent. */
export function CodePage({ base, via, error }: { base: string; via: string; error?: string }) {
  return (
    <PortalLayout title="Enter your code">
      <section class="card">
        <h1>Enter your code</h1>
        <p>We sent you a 6-digit code{via ? ` ${via}` : ''}. It works for 10 minutes.</p>
        <form method="post" action={`${base}/verify/code`}>
          <div class={error ? 'field has-error' : 'field'}>
            <label for="code">Your 6-digit code</label>
            <input
              id="code"
              name="code"
              inputmode="numeric"
              autocomplete="one-time-code"
              pattern="[0-9]*"
              maxlength={6}
              required
              aria-invalid={error ? 'true' : undefined}
              aria-describedby={error ? 'code-error' : undefined}
            />
            {error ? (
              <p class="error" id="code-error" role="alert">
                {error}
              </p>
            ) : null}
          </div>
          <button type="submit" class="primary">
            Check my code
          </button>
        </form>
        <p>
          <a href={base}>Back</a> · Didn’t get it? Go back and send a new one.
        </p>
      </section>
    </PortalLayout>
  )
}

/** An expired link: offer a fresh one to the contact on file, never to a number typed here. */
export function ExpiredPage({
  base,
  business,
  options,
}: {
  base: string
  business: PortalBusiness | null
  options: VerifyOptions
}) {
  const any = options.sms || options.email
  return (
    <PortalLayout title="This link has expired">
      <section class="card">
        <h1>This link has expired</h1>
        <p>For your safety, links stop working after a while.{any ? ' We can send you a new one.' : ''}</p>
        {any ? (
          <form method="post" action={`${base}/fresh`}>
            <fieldset>
              <legend>Send my new link</legend>
              {options.sms ? (
                <div class="check">
                  <input type="radio" id="fresh-sms" name="channel" value="sms" checked />
                  <label for="fresh-sms">By text to {options.sms}</label>
                </div>
              ) : null}
              {options.email ? (
                <div class="check">
                  <input type="radio" id="fresh-email" name="channel" value="email" checked={!options.sms} />
                  <label for="fresh-email">By email to {options.email}</label>
                </div>
              ) : null}
            </fieldset>
            <button type="submit" class="primary">
              Send me a new link
            </button>
          </form>
        ) : null}
        {business?.phone ? (
          <p>
            Or call {business.name} at <a href={`tel:${business.phone}`}>{phone(business.phone)}</a>.
          </p>
        ) : null}
      </section>
    </PortalLayout>
  )
}
