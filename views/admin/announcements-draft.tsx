/** /admin/announcements/{id}: a draft with how many owners it reaches and the confirm button; once sent, its counts. */
import type { Announcement } from '../../src/platform/announcements'
import { stamp } from '../format'
import { CsrfField, useSession } from '../layout'
import { audienceWords } from './announcements'

export type DraftProps = {
  announcement: Announcement
  /** Owners the audience reaches now, and how many of them opted out (a draft's count). */
  reach: { owners: number; opted_out: number }
  planNames: Record<string, string>
}

/** The confirm (or "send the rest") button. */
function SendForm({ id, label }: { id: string; label: string }) {
  return (
    <form method="post" action={`/admin/announcements/${id}/send`} class="button-row">
      <CsrfField />
      <button type="submit" class="primary" data-testid="send-announcement">
        {label}
      </button>
    </form>
  )
}

export function AnnouncementPage({ announcement: a, reach, planNames }: DraftProps) {
  const tz = useSession().organization.timezone
  const going = reach.owners - reach.opted_out
  return (
    <>
      <p class="crumbs">
        <a href="/admin/announcements">Announcements</a> ›
      </p>
      <div class="page-head">
        <div>
          <h1>{a.subject}</h1>
          <p class="muted" data-testid="audience">
            {audienceWords(a.audience, planNames)}
          </p>
        </div>
      </div>
      {a.sent_at ? (
        <section class="card" data-testid="sent">
          <h2>Sent {stamp(a.sent_at, tz)}</h2>
          <dl class="facts">
            <dt>Owners</dt>
            <dd data-testid="recipients">{a.recipients}</dd>
            <dt>Sent</dt>
            <dd data-testid="count-sent">{a.counts.sent}</dd>
            <dt>Skipped: opted out</dt>
            <dd data-testid="count-opted-out">{a.counts.opted_out}</dd>
            {a.counts.failed ? (
              <>
                <dt>Not delivered</dt>
                <dd>{a.counts.failed}</dd>
              </>
            ) : null}
          </dl>
          {a.counts.waiting ? (
            <>
              <p>{a.counts.waiting} still waiting: a few hundred go out at a time.</p>
              <SendForm id={a.announcement_id} label="Send the rest" />
            </>
          ) : null}
        </section>
      ) : (
        <section class="card" data-testid="confirm">
          <h2>Reaches</h2>
          <p>
            <span class="recipients-count" data-testid="reach">
              {reach.owners}
            </span>{' '}
            {reach.owners === 1 ? 'owner' : 'owners'}
            {reach.opted_out ? `, of whom ${reach.opted_out} opted out and will be skipped` : ''}.
          </p>
          <SendForm id={a.announcement_id} label={`Send to ${going} ${going === 1 ? 'owner' : 'owners'}`} />
          <p class="hint">
            Each owner gets one email, with a link to stop announcements. <a href="/admin/announcements">Back</a> to
            start over.
          </p>
        </section>
      )}
      <section class="card">
        <h2>Message</h2>
        <div class="thread-body">{a.body}</div>
      </section>
    </>
  )
}
