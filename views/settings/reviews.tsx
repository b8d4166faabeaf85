/** Settings › Reviews: the public review link everyone asked for a rating is offered, and why nothing is asked without it. */
import { NoGatingNote } from '../reviews/settings'
import { CsrfField, Field, useCanManage } from '../layout'

type Props = { url: string | null; value?: string; error?: string; notice?: string }

/** Said wherever review requests are set up while the business has no public review link. */
export function MissingReviewLink() {
  return (
    <p class="alert" role="alert" data-testid="review-link-missing">
      No review request goes out until you add your public review link: journey review steps and campaigns that ask for
      a review are skipped (“no public review link”), and “Ask for a review” is refused.{' '}
      <a href="/app/settings#reviews">Add it in Settings</a>.
    </p>
  )
}

/** The reviews section; saving swaps it in place. */
export function ReviewsSection({ url, value, error, notice }: Props) {
  return (
    <section class="card" id="reviews">
      <h2>Reviews</h2>
      {notice ? (
        <p class="notice" role="status">
          {notice}
        </p>
      ) : null}
      {url ? (
        <p>
          Public review link:{' '}
          <a href={url} data-testid="google-review-url" rel="noreferrer" target="_blank">
            {url}
          </a>
        </p>
      ) : (
        <MissingReviewLink />
      )}
      {useCanManage() ? (
        <form
          method="post"
          action="/app/settings/reviews"
          hx-post="/app/settings/reviews"
          hx-target="#reviews"
          hx-swap="outerHTML"
          novalidate
        >
          <CsrfField />
          <Field
            label="Public review link"
            name="google_review_url"
            type="url"
            value={value ?? url ?? ''}
            error={error}
            maxlength={500}
            placeholder="https://g.page/r/…/review"
            hint="The link Google gives you under “Ask for reviews” (https://). Leave it empty to remove it."
          />
          <button type="submit">Save review link</button>
        </form>
      ) : null}
      <p>
        <a href="/app/reviews">Feedback inbox</a> · <a href="/app/reviews/requests">Review requests</a> ·{' '}
        <a href="/app/reviews/techs">Techs &amp; QR codes</a>
      </p>
      <NoGatingNote />
    </section>
  )
}
