/** The public one-click unsubscribe page behind a marketing email's link (/u/{token}). */

/** One button: a GET never unsubscribes, so link scanners that open the page change nothing. */
export function UnsubscribePage({ business, action }: { business: string; action: string }) {
  return (
    <section class="card narrow">
      <h1>Unsubscribe</h1>
      <p>
        Stop offers and news by email from <strong>{business}</strong>? Appointment reminders and receipts will still
        come. You can ask them to start again at any time.
      </p>
      <form method="post" action={action}>
        <button type="submit" class="primary">
          Unsubscribe
        </button>
      </form>
    </section>
  )
}

/** Shown after unsubscribing (also the answer to a mail client's one-click POST). */
export function UnsubscribedPage({ business }: { business: string }) {
  return (
    <section class="card narrow">
      <h1>You are unsubscribed</h1>
      <p data-testid="unsubscribed">
        {business} will not email you offers or news any more. You will still get appointment reminders and receipts.
      </p>
    </section>
  )
}

/** A link that is broken, expired or no longer belongs to a client. */
export function UnsubscribeLinkInvalid() {
  return (
    <section class="card narrow">
      <h1>This link is not valid</h1>
      <p>It may have expired. Reply to the email or contact the business to stop their emails.</p>
    </section>
  )
}
