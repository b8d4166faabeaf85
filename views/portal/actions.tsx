/** The portal's action pages: asking for another visit time, and how to pay when there is no card payment online. */
import type { PortalBusiness, PortalInvoice, PortalJob } from '../../durable-objects/org/portal/view'
import type { FormErrors, FormValues } from '../fields'
import { dateTime, money, phone } from '../format'
import { PortalCsrf, PortalLayout } from './layout'
import type { FormTarget } from './provider'

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
