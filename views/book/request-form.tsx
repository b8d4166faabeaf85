/**
 * The business's public request form (/book/{slug}) and its answers: a plain form that works
 * without JavaScript on a phone, the thank-you, too many requests, and an unknown business.
 */
import type { Child } from 'hono/jsx'
import { FormAlert, type FormErrors, type FormValues, type Option, SelectField, TextareaField } from '../fields'
import { BrandHeader, Field, Shell } from '../layout'

// One column at any width; big targets; the honeypot is off-screen for people and screen readers.
const CSS = `
.book-main { max-width: 34rem; }
.book-main .form-actions .primary { width: 100%; min-height: 3rem; font-size: 1.05rem; }
.book-pair { display: grid; gap: 0 .75rem; grid-template-columns: 1fr; }
@media (min-width: 30rem) { .book-pair { grid-template-columns: 1fr 1fr; } }
.book-trap { position: absolute; left: -10000px; top: auto; width: 1px; height: 1px; overflow: hidden; }
`

/** The page shell of the form's pages: the business's name on top, no HomeBase navigation. */
export function BookShell({ title, business, children }: { title: string; business?: string; children?: Child }) {
  return (
    <Shell
      title={business ? `${title} · ${business}` : title}
      css={CSS}
      main="main book-main"
      header={<BrandHeader name={business ?? 'HomeBase'} />}
    >
      {children}
    </Shell>
  )
}

export type RequestFormProps = {
  business: string
  slug: string
  /** The business's active services, for the optional picker (left out when there are none). */
  services: Option[]
  /** The signed stamp of when this form was shown. */
  stamp: string
  values?: FormValues
  errors?: FormErrors
  /** A word above the form (a form shown too long ago, sent again). */
  notice?: string
}

/** The request form, filled back in with each error beside its field when it came back. */
export function RequestFormPage(p: RequestFormProps) {
  const v = p.values ?? {}
  const e = p.errors ?? {}
  return (
    <BookShell title="Request a quote" business={p.business}>
      <section class="card">
        <h1>Ask {p.business} for a quote</h1>
        <p class="muted">Tell us what you need and how to reach you. We will get back to you soon.</p>
        {p.notice ? (
          <p class="notice" role="status">
            {p.notice}
          </p>
        ) : null}
        <FormAlert errors={e} />
        <form method="post" action={`/book/${p.slug}`} data-testid="request-form" novalidate>
          <input type="hidden" name="stamp" value={p.stamp} />
          <div class="book-pair">
            <Field
              label="First name"
              name="first_name"
              value={v['first_name']}
              error={e['first_name']}
              required
              autocomplete="given-name"
              maxlength={100}
            />
            <Field
              label="Last name"
              name="last_name"
              value={v['last_name']}
              error={e['last_name']}
              autocomplete="family-name"
              maxlength={100}
            />
          </div>
          <Field
            label="Email"
            name="email"
            type="email"
            inputmode="email"
            value={v['email']}
            error={e['email']}
            autocomplete="email"
            hint="An email or a phone, so we can reach you."
          />
          <Field
            label="Phone"
            name="phone"
            type="tel"
            inputmode="tel"
            value={v['phone']}
            error={e['phone']}
            autocomplete="tel"
          />
          {p.services.length > 0 ? (
            <SelectField
              label="Service (optional)"
              name="service_id"
              options={[{ value: '', label: 'Not sure yet' }, ...p.services]}
              value={v['service_id']}
              error={e['service_id']}
            />
          ) : null}
          <TextareaField
            label="What do you need?"
            name="message"
            rows={5}
            value={v['message']}
            error={e['message']}
            placeholder="The job, the address or area, and when suits you."
          />
          {/* For bots only: people never see or reach this field, so anything in it marks a bot. */}
          <div class="book-trap" aria-hidden="true">
            <label for="f-website">Leave this empty</label>
            <input id="f-website" name="website" type="text" tabindex={-1} autocomplete="off" value="" />
          </div>
          <div class="form-actions">
            <button type="submit" class="primary">
              Send my request
            </button>
          </div>
        </form>
      </section>
    </BookShell>
  )
}

/** The answer to every request the form takes (and, the same, to what it quietly drops). */
export function RequestThanksPage({ business }: { business: string }) {
  return (
    <BookShell title="Request sent" business={business}>
      <section class="card" role="status">
        <h1>Thank you!</h1>
        <p data-testid="request-thanks">{business} has your request and will get back to you soon.</p>
      </section>
    </BookShell>
  )
}

/** Too many requests from one place, or to one business, in a short time. */
export function RequestLimitPage({ business, retryAfter }: { business: string; retryAfter: number }) {
  const minutes = Math.max(1, Math.ceil(retryAfter / 60))
  return (
    <BookShell title="Please wait" business={business}>
      <section class="card" role="alert">
        <h1>Please try again later</h1>
        <p data-testid="request-limit">
          {business} has had many requests in a short time. Try again in {minutes}{' '}
          {minutes === 1 ? 'minute' : 'minutes'}, or call them.
        </p>
      </section>
    </BookShell>
  )
}

/** A slug no business has. */
export function BookNotFoundPage() {
  return (
    <BookShell title="Not found">
      <section class="card">
        <h1>This page does not exist</h1>
        <p>Check the link the business gave you.</p>
      </section>
    </BookShell>
  )
}
