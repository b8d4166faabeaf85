/** /u/announcements/{token}: an owner stops HomeBase's announcements (one button; a mail client's one-click POST does the same). */

export function AnnouncementsUnsubscribePage({ action }: { action: string }) {
  return (
    <section class="card narrow">
      <h1>Stop HomeBase announcements?</h1>
      <p>You will no longer get news from HomeBase by email. Replies to your support tickets still come.</p>
      <form method="post" action={action}>
        <button type="submit" class="primary">
          Unsubscribe
        </button>
      </form>
    </section>
  )
}

export function AnnouncementsUnsubscribedPage() {
  return (
    <section class="card narrow" data-testid="unsubscribed">
      <h1>You are unsubscribed</h1>
      <p>HomeBase will not send you announcements any more.</p>
    </section>
  )
}

export function AnnouncementsLinkInvalid() {
  return (
    <section class="card narrow">
      <h1>This link does not work</h1>
      <p>It may have been copied only in part. Open it again from the email.</p>
    </section>
  )
}
