/** The client's work with this business: the jobs and invoices cards on the client page. */
import type { Invoice } from '../../durable-objects/org/crm/invoices'
import { dateTime, longDate, money, words } from '../format'
import type { JobItem } from '../jobs'

/** The client's jobs, each linked, with its service, price and status. */
export function ClientJobs({ jobs, tz }: { jobs: JobItem[]; tz: string }) {
  return (
    <section class="card" id="client-jobs">
      <h2>Jobs</h2>
      {jobs.length === 0 ? (
        <p class="muted">No jobs yet.</p>
      ) : (
        <ul class="rows">
          {jobs.map(({ job, serviceName }) => (
            <li class="row">
              <div class="row-main">
                <a href={`/app/jobs/${job.id}`}>{dateTime(job.start_at, tz)}</a>
                <div class="muted small">
                  {serviceName ?? 'Job'} · {money(job.price_cents)}
                </div>
              </div>
              <span class={`badge badge-${job.status}`}>{words(job.status)}</span>
            </li>
          ))}
        </ul>
      )}
    </section>
  )
}

/** The client's invoices, each linked, with its total, due date and status (overdue when past due). */
export function ClientInvoices({ invoices }: { invoices: Invoice[] }) {
  return (
    <section class="card" id="client-invoices">
      <h2>Invoices</h2>
      {invoices.length === 0 ? (
        <p class="muted">No invoices yet.</p>
      ) : (
        <ul class="rows">
          {invoices.map((i) => (
            <li class="row">
              <div class="row-main">
                <a href={`/app/invoices/${i.id}`}>#{i.number}</a> · {money(i.total_cents)}
                <div class="muted small">Due {longDate(i.due_date)}</div>
              </div>
              <span class={`badge badge-${i.overdue ? 'overdue' : i.status}`}>{i.overdue ? 'overdue' : i.status}</span>
            </li>
          ))}
        </ul>
      )}
    </section>
  )
}
