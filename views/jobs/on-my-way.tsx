/** "On my way" on the job page: one tap per arrival estimate texts the client; once sent, when it went. */
import { timeOf } from '../format'
import { CsrfField, useSession } from '../layout'

/** The arrival estimates offered, in minutes: one tap each. */
export const ETA_CHOICES = [10, 20, 30, 45] as const

/** The card's state: the text already sent for this visit (if any) and what the last tap says. */
export type OnMyWayState = {
  sent: { created_at: string; status: string } | null
  notice?: string | undefined
  error?: string | undefined
}

/** The card, swapped in place by each tap. */
export function OnMyWayCard({ jobId, clientName, state }: { jobId: string; clientName: string; state: OnMyWayState }) {
  const tz = useSession().organization.timezone
  const action = `/app/jobs/${jobId}/on-my-way`
  const { sent } = state
  return (
    <section id="on-my-way" class="card on-my-way" data-testid="on-my-way">
      <h2>On my way</h2>
      {state.notice ? (
        <p class="notice" role="status">
          {state.notice}
        </p>
      ) : null}
      {state.error ? (
        <p class="alert" role="alert">
          {state.error}
        </p>
      ) : null}
      {sent ? (
        <p data-testid="on-my-way-sent">
          Sent at {timeOf(sent.created_at, tz)}
          {sent.status === 'failed' ? ', but it could not be delivered.' : '.'}
        </p>
      ) : (
        <form method="post" action={action} hx-post={action} hx-target="#on-my-way" hx-swap="outerHTML">
          <CsrfField />
          <p class="muted">Text {clientName} that you are coming, arriving in about:</p>
          <div class="eta-choices">
            {ETA_CHOICES.map((minutes) => (
              <button type="submit" name="eta_minutes" value={String(minutes)} class="primary">
                {minutes} min
              </button>
            ))}
          </div>
        </form>
      )}
    </section>
  )
}
