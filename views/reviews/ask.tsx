/** "Ask for a review" on the client page: one click sends a review request by text or email. */
import { CsrfField } from '../layout'

export function AskForReview(props: { clientId: string; notice?: string; error?: string }) {
  return (
    <section class="card" id="ask-review" data-testid="ask-review">
      <h2>Reviews</h2>
      <p class="hint">Sends the rating page; everyone who rates sees your public review link.</p>
      {props.notice ? (
        <p class="notice" role="status">
          {props.notice}
        </p>
      ) : null}
      {props.error ? (
        <p class="error" role="alert">
          {props.error}
        </p>
      ) : null}
      <form
        method="post"
        action="/app/reviews/ask"
        hx-post="/app/reviews/ask"
        hx-target="#ask-review"
        hx-swap="outerHTML"
        class="actions"
      >
        <CsrfField />
        <input type="hidden" name="org_client_id" value={props.clientId} />
        <button type="submit" name="channel" value="sms">
          Ask for a review by text
        </button>
        <button type="submit" name="channel" value="email" class="secondary">
          By email
        </button>
      </form>
    </section>
  )
}
