/** The confirm step: the exact count, the message as its first recipient gets it, a test to yourself, then "Send now" or "Schedule". */
import type { CampaignConfirm } from '../../durable-objects/org/campaigns/confirm'
import type { FormErrors, FormValues } from '../fields'
import { CsrfField, Field, useCanManage, useSession } from '../layout'

type Props = {
  confirm: CampaignConfirm
  values: FormValues
  errors: FormErrors
  /** Why the send was not made (the audience changed since the page was shown). */
  notice?: string
  /** Where the last test went. */
  tested?: string
}

export function ConfirmPage({ confirm, values, errors, notice, tested }: Props) {
  const { campaign: c, preview: p, sample } = confirm
  const tz = useSession().organization.timezone
  // Sending reaches the whole segment: owners and admins only (the routes say 403 to anyone else).
  const canManage = useCanManage()
  const later = values['when'] === 'later'
  const n = p.will_receive
  const x = p.excluded
  return (
    <>
      <p class="crumbs">
        <a href="/app/campaigns">Campaigns</a> / <a href={`/app/campaigns/${c.id}`}>{c.name}</a> / Check and send
      </p>
      <h1>Check and send</h1>
      {notice ? (
        <p class="alert" role="alert" data-testid="confirm-notice">
          {notice}
        </p>
      ) : null}
      <section class="card" id="confirm-count">
        <h2>
          <span data-testid="confirm-count">{n}</span> {n === 1 ? 'client' : 'clients'} will receive this{' '}
          {c.channel === 'sms' ? 'text' : 'email'}
        </h2>
        <p class="muted small">
          {p.matched} {p.matched === 1 ? 'client matches' : 'clients match'} · left out: {x.opted_out} opted out ·{' '}
          {x.missing_contact} without {c.channel === 'sms' ? 'a mobile number' : 'an email'} · {x.capped} already had
          their marketing message today. Counted now, by the rule the send uses
          {later ? '; a scheduled campaign fixes its recipients when it starts' : ''}.
        </p>
      </section>
      <section class="card" id="confirm-message">
        <h2>The message</h2>
        {sample ? (
          <>
            <p class="muted small" data-testid="confirm-sample-to">
              As {sample.name} ({sample.to}) will get it:
            </p>
            {sample.subject !== null ? (
              <p>
                <strong data-testid="confirm-subject">{sample.subject}</strong>
              </p>
            ) : null}
            <p
              class={c.channel === 'sms' ? 'sms-bubble' : 'email-body'}
              style="white-space: pre-wrap"
              data-testid="confirm-body"
            >
              {sample.body}
            </p>
          </>
        ) : (
          <p class="muted" data-testid="confirm-body">
            Nobody in this segment would receive it now. Change the segment or wait until someone can.
          </p>
        )}
        <TestSendForm id={c.id} tested={tested} />
      </section>
      {canManage ? (
        <section class="card" id="confirm-send">
          <h2>Send it</h2>
          <div class="button-row">
            <form method="post" action={`/app/campaigns/${c.id}/send`}>
              <CsrfField />
              <input type="hidden" name="count" value={String(n)} />
              <button type="submit" class={later ? undefined : 'primary'} disabled={n === 0}>
                Send now to {n} {n === 1 ? 'client' : 'clients'}
              </button>
            </form>
          </div>
          <form method="post" action={`/app/campaigns/${c.id}/schedule`} class="stack" novalidate>
            <CsrfField />
            <Field
              label={`Or send it at (${tz})`}
              name="send_at"
              type="datetime-local"
              value={values['send_at']}
              error={errors['send_at']}
            />
            <button type="submit" class={later ? 'primary' : undefined}>
              Schedule
            </button>
          </form>
          <p class="muted small">
            <a href={`/app/campaigns/${c.id}`}>Not yet: keep it as a {c.status}</a>
          </p>
        </section>
      ) : (
        <p class="muted" data-testid="confirm-owner-sends">
          An owner or admin sends or schedules it.
        </p>
      )}
    </>
  )
}

/** "Send a test to me": the message as shown, emailed to you alone; with htmx the answer replaces the form. */
export function TestSendForm({ id, tested }: { id: string; tested?: string }) {
  return (
    <form
      id="campaign-test"
      method="post"
      action={`/app/campaigns/${id}/test`}
      hx-post={`/app/campaigns/${id}/test`}
      hx-swap="outerHTML"
    >
      <CsrfField />
      <button type="submit">Send a test to me</button>
      {tested ? (
        <span class="muted small" role="status" data-testid="test-sent">
          {' '}
          Sent a test to {tested}. It is not counted in the campaign.
        </span>
      ) : (
        <span class="muted small"> Goes to your own email, never to a client.</span>
      )}
    </form>
  )
}
