/** The client's repeating visits on the client page: each series in words, its next visit, and cancelling the rest. */
import type { Series } from '../../durable-objects/org/crm/series'
import { dateTime } from '../format'
import { CsrfField } from '../layout'

export function ClientSeries({ series, clientId, tz }: { series: Series[]; clientId: string; tz: string }) {
  const running = series.filter((s) => s.upcoming > 0)
  return (
    <section class="card" id="client-series">
      <h2>Repeating visits</h2>
      {running.length === 0 ? (
        <p class="muted">
          None. <a href={`/app/jobs/new?client=${clientId}&repeat=weekly`}>Book repeating visits</a>
        </p>
      ) : (
        <ul class="rows">
          {running.map((s) => (
            <li class="row" data-testid="series">
              <div class="row-main">
                <strong>{s.summary}</strong>
                <div class="muted small">
                  {s.upcoming} {s.upcoming === 1 ? 'visit' : 'visits'} to come
                  {s.next_visit ? (
                    <>
                      {' · next '}
                      <a href={`/app/jobs/${s.next_visit.job_id}`}>{dateTime(s.next_visit.start_at, tz)}</a>
                    </>
                  ) : null}
                </div>
              </div>
              <form
                method="post"
                action={`/app/series/${s.id}/cancel`}
                hx-confirm="Cancel every visit still to come in this series? They stay listed as cancelled."
              >
                <CsrfField />
                <button type="submit" class="button small danger">
                  Cancel the rest
                </button>
              </form>
            </li>
          ))}
        </ul>
      )}
    </section>
  )
}
