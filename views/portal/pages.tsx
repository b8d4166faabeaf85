/** The portal's pages: one provider from a link, every provider after verifying, and single-action links. */
import type { PortalBusiness, PortalInvoice, PortalJob, PortalView } from '../../durable-objects/org/portal/view'
import type { Consent } from '../../src/people/consent'
import type { FormErrors, FormValues } from '../fields'
import { dateTime, money, phone } from '../format'
import { DetailsCard } from './details'
import { PortalCsrf, PortalLayout } from './layout'
import { InvoiceCard, JobCard, ProviderSection, type FormTarget } from './provider'

/** Where a verification code can go: the contact points on file, masked. */
export type VerifyOptions = { sms: string | null; email: string | null }

const Notice = ({ text }: { text?: string }) =>
  text ? (
    <p class="notice" role="status">
      {text}
    </p>
  ) : null

/** A link's page: one provider's visits and invoices, and the way to see every provider. */
export function HomePage(p: {
  view: PortalView
  target: FormTarget
  consent: Consent
  notice?: string
  verify: VerifyOptions | null
  signedIn: boolean
}) {
  const name = p.view.first_name ? `Hi ${p.view.first_name}` : 'Hello'
  return (
    <PortalLayout title={`${p.view.business.name} · your visits`}>
      <Notice text={p.notice} />
      <p class="hello">{name}, here is everything with</p>
      <ProviderSection view={p.view} target={p.target} consent={p.consent} heading="h1" />
      {p.signedIn ? (
        <section class="card">
          <h2>All your providers</h2>
          <p>
            <a class="button" href="/p/me">
              See every provider in one place
            </a>
          </p>
        </section>
      ) : p.verify ? (
        <VerifyCard base={p.target.base} options={p.verify} />
      ) : null}
    </PortalLayout>
  )
}

/** Offers a one-time code to a contact point on file; the homeowner never types a number. */
function VerifyCard({ base, options }: { base: string; options: VerifyOptions }) {
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

/** The details form as it comes back: what was typed, errors beside fields, the providers ticked. */
export type DetailsState = { values: FormValues; errors: FormErrors; ticked?: string[] }

/** Every provider of a verified homeowner, and the form to send them new details. */
export function MePage({
  providers,
  csrf,
  notice,
  details,
}: {
  providers: Array<{ view: PortalView; consent: Consent }>
  csrf: string
  notice?: string
  details?: DetailsState
}) {
  const names = providers.map(({ view }) => ({
    organization_id: view.business.organization_id,
    name: view.business.name,
  }))
  return (
    <PortalLayout title="Your home services" signedIn={{ csrf }}>
      <Notice text={notice} />
      {details && Object.values(details.errors).some(Boolean) ? (
        <p class="alert" role="alert">
          Your details were not saved. Please fix what is marked below.
        </p>
      ) : null}
      <h1>Your home services</h1>
      {providers.length === 0 ? (
        <p>No provider has you as a client yet.</p>
      ) : (
        <p class="muted">
          {providers.length === 1 ? 'One provider' : `${providers.length} providers`} that use HomeBase.
        </p>
      )}
      {providers.map(({ view, consent }) => (
        <div class="card">
          <ProviderSection
            view={view}
            consent={consent}
            target={{ base: `/p/me/${view.business.organization_id}`, csrf }}
          />
        </div>
      ))}
      {providers.length > 0 ? (
        <DetailsCard
          providers={names}
          csrf={csrf}
          values={details?.values ?? {}}
          errors={details?.errors ?? {}}
          ticked={details?.ticked}
        />
      ) : null}
    </PortalLayout>
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

/** The reschedule form: two preferred times on the homeowner's clock, and a note. */
export function ReschedulePage(p: {
  job: PortalJob
  business: PortalBusiness
  target: FormTarget
  back: string
  values: FormValues
  errors: FormErrors
}) {
  const field = (name: string, label: string) => (
    <div class={p.errors[name] ? 'field has-error' : 'field'}>
      <label for={name}>{label}</label>
      <input
        id={name}
        name={name}
        type="datetime-local"
        value={p.values[name]}
        required
        aria-invalid={p.errors[name] ? 'true' : undefined}
        aria-describedby={p.errors[name] ? `${name}-error` : undefined}
      />
      {p.errors[name] ? (
        <p class="error" id={`${name}-error`}>
          {p.errors[name]}
        </p>
      ) : null}
    </div>
  )
  return (
    <PortalLayout title="Ask for another time" signedIn={p.target.csrf ? { csrf: p.target.csrf } : null}>
      <section class="card">
        <h1>Ask for another time</h1>
        <p>
          Your visit with {p.business.name}: <strong>{dateTime(p.job.start_at, p.job.time_zone)}</strong>. Give two
          times that suit you; they will confirm one with you.
        </p>
        <form method="post" action={`${p.target.base}/jobs/${p.job.id}/reschedule`}>
          <PortalCsrf csrf={p.target.csrf} />
          {field('first', 'First choice')}
          {field('second', 'Second choice')}
          <div class="field">
            <label for="note">Anything they should know? (optional)</label>
            <textarea id="note" name="note" rows={3} maxlength={500}>
              {p.values['note'] ?? ''}
            </textarea>
          </div>
          <button type="submit" class="primary">
            Send my times
          </button>
        </form>
        <p>
          <a href={p.back}>Keep the visit as it is</a>
        </p>
      </section>
    </PortalLayout>
  )
}

/** How to pay when the business takes no card payments online (or Stripe is not answering). */
export function PayOfflinePage({
  business,
  invoice,
  problem,
  back,
}: {
  business: PortalBusiness
  invoice: PortalInvoice
  problem?: string
  back: string
}) {
  return (
    <PortalLayout title="How to pay">
      <section class="card">
        <h1>How to pay {business.name}</h1>
        {problem ? (
          <p class="alert" role="alert">
            {problem}
          </p>
        ) : null}
        <p>
          Invoice #{invoice.number}: <strong>{money(invoice.balance_cents)}</strong> to pay.
        </p>
        {business.payment_instructions ? (
          <p class="pre" data-testid="payment-instructions">
            {business.payment_instructions}
          </p>
        ) : (
          <p>{business.name} will tell you how they take payment.</p>
        )}
        {business.phone ? (
          <p>
            Questions? Call <a href={`tel:${business.phone}`}>{phone(business.phone)}</a>.
          </p>
        ) : null}
        <p>
          <a href={back}>Back</a>
        </p>
      </section>
    </PortalLayout>
  )
}

/** A "pay this invoice" link: that invoice and nothing else. */
export function PayLinkPage({
  business,
  invoice,
  target,
  notice,
}: {
  business: PortalBusiness
  invoice: PortalInvoice
  target: FormTarget
  notice?: string
}) {
  return (
    <PortalLayout title={`Invoice from ${business.name}`}>
      <Notice text={notice} />
      <h1>{business.name}</h1>
      <InvoiceCard invoice={invoice} target={target} />
    </PortalLayout>
  )
}

/** A "confirm this visit" link: that visit and its confirm button. */
export function ConfirmLinkPage({
  business,
  job,
  target,
  notice,
}: {
  business: PortalBusiness
  job: PortalJob
  target: FormTarget
  notice?: string
}) {
  return (
    <PortalLayout title={`Your visit with ${business.name}`}>
      <Notice text={notice} />
      <h1>{business.name}</h1>
      <JobCard job={{ ...job, can_reschedule: false, can_rate: false }} target={target} />
    </PortalLayout>
  )
}
