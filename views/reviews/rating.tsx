/**
 * The public rating page (`/r/{token}`). Google's policy forbids review gating, so the public
 * review link is on every version of this page, before and after rating, whatever the rating;
 * only the private "what went wrong" form is offered for 1–3.
 */
import type { Child } from 'hono/jsx'
import type { RatingView } from '../../durable-objects/org/reviews/rating'
import { TextareaField, type FormErrors, type FormValues } from '../fields'
import { BrandHeader, Field, Shell } from '../layout'

// Big tap targets for a thumb on a phone; works without JavaScript (plain radios and forms).
const CSS = `
.rating-main { max-width: 34rem; }
.stars { display: grid; grid-template-columns: repeat(5, minmax(0, 1fr)); gap: .4rem; margin: .4rem 0 1rem; }
.star-option { display: flex; flex-direction: column; align-items: center; justify-content: center; gap: .1rem; min-height: 4.6rem;
  border: 2px solid var(--line); border-radius: 12px; background: #fff; cursor: pointer; font-weight: 600; text-align: center; }
.star-option input { position: absolute; opacity: 0; width: 1px; height: 1px; }
.star-option:has(input:checked) { border-color: var(--brand); background: var(--ok-bg); color: var(--brand); }
.star-option:has(input:focus-visible) { outline: 3px solid var(--brand); outline-offset: 2px; }
.star-glyph { font-size: 1.5rem; line-height: 1; color: #d97706; }
.star-n { font-size: 1.15rem; line-height: 1.1; }
.star-word { font-size: .8rem; font-weight: 400; line-height: 1; }
.public-review .button { width: 100%; font-size: 1.05rem; min-height: 3rem; }
`

/** The page shell for people who are not staff: the business's name, no HomeBase navigation. */
export function PublicShell({ title, business, children }: { title: string; business?: string; children?: Child }) {
  return (
    <Shell
      title={business ? `${title} · ${business}` : title}
      css={CSS}
      unlisted
      main="main rating-main"
      header={<BrandHeader name={business} />}
    >
      {children}
    </Shell>
  )
}

export type RatingPageProps = {
  view: RatingView
  token: string
  /** Set on the answer to a rating. */
  justRated?: boolean
  /** A rating form that came back (anything but 1–5). */
  ratingError?: string
  /** A private feedback form that came back with errors. */
  feedback?: { values: FormValues; errors: FormErrors }
}

/** The rating page in every state: not rated yet, just rated, rated before, private feedback sent. */
export function RatingPage(p: RatingPageProps) {
  const { view } = p
  const low = view.rating !== null && view.rating <= 3
  return (
    <PublicShell title="How did we do?" business={view.business_name}>
      {view.rating === null || p.ratingError ? (
        <section class="card">
          <h1>How did we do?</h1>
          <RatingForm {...p} />
        </section>
      ) : (
        <section class="card" role="status">
          <h1>Thank you{p.justRated ? '' : ' again'}!</h1>
          <p data-testid="your-rating">
            You rated {view.business_name} <strong>{view.rating} out of 5</strong>.
          </p>
        </section>
      )}
      <PublicReview view={view} token={p.token} />
      {low && view.feedback_sent ? (
        <p class="notice" role="status" data-testid="feedback-sent">
          {view.business_name} has your private message. Thank you for telling them.
        </p>
      ) : null}
      {low && !view.feedback_sent ? <PrivateFeedback {...p} /> : null}
      {view.rating !== null && !p.ratingError ? (
        <details class="card edit">
          <summary>Change your rating</summary>
          <RatingForm {...p} />
        </details>
      ) : null}
    </PublicShell>
  )
}

function RatingForm({ view, token, ratingError }: RatingPageProps) {
  return (
    <form method="post" action={`/r/${token}`} data-testid="rating-form">
      <fieldset>
        <legend>Your rating of {view.business_name}, from 1 (poor) to 5 (excellent)</legend>
        {ratingError ? (
          <p class="error" role="alert">
            {ratingError}
          </p>
        ) : null}
        <div class="stars">
          {[1, 2, 3, 4, 5].map((n) => (
            <label class="star-option" for={`rating-${n}`}>
              <input
                type="radio"
                id={`rating-${n}`}
                name="rating"
                value={String(n)}
                required
                checked={view.rating === n}
              />
              <span class="star-glyph" aria-hidden="true">
                ★
              </span>
              <span class="star-n">{n}</span>
              <span class="star-word">{n === 1 ? 'star' : 'stars'}</span>
            </label>
          ))}
        </div>
      </fieldset>
      <button type="submit" class="primary">
        {view.rating === null ? 'Send my rating' : 'Change my rating'}
      </button>
    </form>
  )
}

/** The business's public review link, the same for everyone. */
function PublicReview({ view, token }: { view: RatingView; token: string }) {
  return (
    <section class="card public-review" id="public-review">
      <h2>Review {view.business_name} publicly</h2>
      {view.google_review_url ? (
        <>
          <p>Anyone can leave a public review on Google. It helps other people choose.</p>
          <a class="button primary" href={`/r/${token}/google`} data-testid="public-review-link">
            Write a review on Google
          </a>
        </>
      ) : (
        <p data-testid="no-public-review">{view.business_name} has not added a public review page yet.</p>
      )}
    </section>
  )
}

/** The private form offered with a rating of 1–3, next to (never instead of) the public link. */
function PrivateFeedback({ view, token, feedback }: RatingPageProps) {
  const values = feedback?.values ?? {}
  const errors = feedback?.errors ?? {}
  return (
    <section class="card" id="private-feedback">
      <h2>Tell {view.business_name} directly</h2>
      <p class="muted">
        This message goes only to {view.business_name}. It does not replace a public review: you can do both.
      </p>
      <form method="post" action={`/r/${token}/feedback`} data-testid="private-feedback-form">
        <TextareaField
          label="Tell us what went wrong"
          name="feedback"
          rows={5}
          value={values['feedback']}
          error={errors['feedback']}
        />
        <div class="checks">
          <label>
            <input type="checkbox" name="callback" value="yes" checked={values['callback'] === 'yes'} /> Please call me
            back
          </label>
        </div>
        {view.has_client ? null : (
          <>
            <p class="hint">So they can reach you (optional):</p>
            <Field
              label="Your name"
              name="name"
              value={values['name']}
              error={errors['name']}
              autocomplete="name"
              maxlength={100}
            />
            <Field
              label="Phone"
              name="phone"
              type="tel"
              value={values['phone']}
              error={errors['phone']}
              autocomplete="tel"
              maxlength={40}
            />
            <Field
              label="Email"
              name="email"
              type="email"
              value={values['email']}
              error={errors['email']}
              autocomplete="email"
              maxlength={200}
            />
          </>
        )}
        <button type="submit" class="primary">
          Send to {view.business_name}
        </button>
      </form>
    </section>
  )
}

/** A QR code's rating over the daily limit for one address: nothing was recorded; the public link still stands. */
export function RatingLimitPage({ view, token }: { view: RatingView; token: string }) {
  return (
    <PublicShell title="Thanks, we have your ratings" business={view.business_name}>
      <section class="card" role="status" data-testid="rating-limit">
        <h1>Thanks, we have your ratings for today</h1>
        <p>
          {view.business_name} already has 3 ratings from this code on your connection today, so this one was not
          counted. Thank you for taking the time.
        </p>
      </section>
      <PublicReview view={view} token={token} />
    </PublicShell>
  )
}

/** A review or QR link that is unknown, tampered with or expired. */
export function LinkExpiredPage({ text }: { text: string }) {
  return (
    <PublicShell title="This link has expired">
      <section class="card">
        <h1>This link has expired</h1>
        <p>{text}</p>
      </section>
    </PublicShell>
  )
}
