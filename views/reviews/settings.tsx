/** The review funnel's settings: the public review link, and why HomeBase offers no review gating. */
import { CsrfField, Field, useCanManage } from '../layout'
import { ReviewTabs } from './shared'

type Props = { url: string | null; value?: string; error?: string; saved?: boolean }

/** Why there is no switch to show the public link only to happy customers; said on this page and in Settings. */
export function NoGatingNote() {
  return (
    <p data-testid="no-gating">
      <strong>Why HomeBase does not offer review gating.</strong> Google's review policy forbids discouraging reviews or
      asking for them selectively, such as sending only happy customers to Google or hiding the link after a low rating.
      So everyone asked for a rating sees your public review link, before and after they rate, whatever the rating. A
      rating of 1 to 3 also offers a private "what went wrong" form and alerts the owners: in addition to the public
      link, never instead of it.
    </p>
  )
}

/** The settings card; saving swaps it in place. */
export function FunnelSettings({ url, value, error, saved }: Props) {
  const canEdit = useCanManage()
  return (
    <section class="card" id="review-funnel">
      <h2>Review funnel</h2>
      {saved ? (
        <p class="notice" role="status">
          Saved.
        </p>
      ) : null}
      <p>
        Public review link:{' '}
        {url ? (
          <a
            href={/^https?:\/\//.test(url) ? url : undefined}
            data-testid="google-review-url"
            rel="noreferrer"
            target="_blank"
          >
            {url}
          </a>
        ) : (
          <span class="muted">not set yet</span>
        )}
      </p>
      {canEdit ? (
        <form
          method="post"
          action="/app/reviews/settings"
          hx-post="/app/reviews/settings"
          hx-target="#review-funnel"
          hx-swap="outerHTML"
          novalidate
        >
          <CsrfField />
          <Field
            label="Google review link"
            name="google_review_url"
            type="url"
            value={value ?? url ?? ''}
            error={error}
            maxlength={500}
            placeholder="https://g.page/r/…/review"
            hint="The link Google gives you under “Ask for reviews”. Leave empty to remove it."
          />
          <button type="submit">Save review link</button>
        </form>
      ) : null}
      <NoGatingNote />
    </section>
  )
}

/** The settings card on its own page (links and forms without JavaScript). */
export function FunnelSettingsPage(props: Props) {
  return (
    <>
      <h1>Review funnel</h1>
      <ReviewTabs current="/app/reviews/settings" />
      <FunnelSettings {...props} />
    </>
  )
}
