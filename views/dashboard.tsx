/** The signed-in home page: the setup checklist for a new business, the business at a glance, the coming week as a small chart. */
import type { Dashboard } from '../durable-objects/org/crm/reports'
import type { SetupChecklist } from '../durable-objects/org/setup'
import { BarChart } from './bar-chart'
import { moneyRounded, shortDate, timeOf, weekday, words } from './format'
import { useSession } from './layout'
import type { JobItem } from './jobs'
import { OpenTasks } from './portal/tasks'
import { SetupChecklistCard } from './dashboard/checklist'
import { type DashboardLeads, FollowUpsCard } from './leads/follow-ups'

/** The dashboard: the setup checklist, counts, lifetime value, jobs, invoices and the coming week. */
export function DashboardPage({
  data,
  today,
  checklist,
  leads,
}: {
  data: Dashboard
  today: JobItem[]
  checklist: SetupChecklist
  /** Follow-ups due today and this week's web requests. */
  leads?: DashboardLeads
}) {
  const { stats } = data
  const session = useSession()
  const tz = session.organization.timezone
  return (
    <>
      <div class="page-head">
        <div>
          <h1 data-testid="business-name">{session.organization.name}</h1>
          <p class="muted small">
            Signed in as {session.email} ({session.role}) · times shown in {tz}
          </p>
        </div>
        <div class="actions">
          <a class="button primary" href="/app/jobs/new">
            New job
          </a>
          <a class="button" href="/app/clients/new">
            New client
          </a>
        </div>
      </div>

      <SetupChecklistCard checklist={checklist} />

      <section class="tiles" aria-label="At a glance">
        <a class="tile" href="/app/clients" data-testid="tile-clients">
          <span class="tile-label">Clients</span>
          <span class="tile-n">{stats.total_clients}</span>
          <span class="tile-sub">
            {stats.active_clients} active · {stats.lead_clients} leads · {stats.inactive_clients} inactive
          </span>
        </a>
        <div class="tile" data-testid="tile-ltv">
          <span class="tile-label">Lifetime value</span>
          <span class="tile-n">{moneyRounded(stats.total_ltv_cents)}</span>
          <span class="tile-sub">{moneyRounded(stats.avg_ltv_cents)} average per client</span>
        </div>
        <a class="tile" href="/app/schedule" data-testid="tile-jobs">
          <span class="tile-label">Jobs</span>
          <span class="tile-n">
            {data.jobs_today.length} <small>today</small>
          </span>
          <span class="tile-sub">{data.jobs_this_week} in the next 7 days</span>
        </a>
        <a class="tile" href="/app/invoices?status=open" data-testid="tile-open">
          <span class="tile-label">Open invoices</span>
          <span class="tile-n">{moneyRounded(data.open_invoices.total_cents)}</span>
          <span class="tile-sub">{data.open_invoices.count} unpaid</span>
        </a>
        <a
          class={data.overdue_invoices.count ? 'tile tile-alert' : 'tile'}
          href="/app/invoices?status=overdue"
          data-testid="tile-overdue"
        >
          <span class="tile-label">Overdue</span>
          <span class="tile-n">{moneyRounded(data.overdue_invoices.total_cents)}</span>
          <span class="tile-sub">{data.overdue_invoices.count} past due</span>
        </a>
      </section>

      <OpenTasks tasks={data.open_tasks} back="/app" />

      {leads ? <FollowUpsCard {...leads} /> : null}

      <div class="grid-2">
        <section class="card">
          <h2>Next 7 days</h2>
          <WeekChart week={data.week} />
        </section>
        <section class="card">
          <h2>Today · {shortDate(data.today)}</h2>
          {today.length === 0 ? (
            <p class="muted">No jobs today.</p>
          ) : (
            <ul class="rows" data-testid="jobs-today">
              {today.map(({ job, clientName, serviceName }) => (
                <li class="row">
                  <div class="row-main">
                    <a href={`/app/jobs/${job.id}`}>
                      <strong>{timeOf(job.start_at, tz)}</strong> {clientName}
                    </a>
                    <div class="muted small">{serviceName ?? 'Job'}</div>
                  </div>
                  <span class={`badge badge-${job.status}`}>{words(job.status)}</span>
                </li>
              ))}
            </ul>
          )}
          <p>
            <a href="/app/schedule">Open the schedule →</a>
          </p>
        </section>
      </div>
    </>
  )
}

/** Jobs per day as bars, today first and highlighted; the numbers are also in the title for screen readers. */
export function WeekChart({ week }: { week: Dashboard['week'] }) {
  const summary = week.map((d) => `${weekday(d.date)} ${d.jobs}`).join(', ')
  const bars = week.map((d, i) => ({
    label: i === 0 ? 'Today' : weekday(d.date),
    value: d.jobs,
    caption: String(d.jobs),
    highlight: i === 0,
    sub: d.date.slice(8).replace(/^0/, ''),
  }))
  return <BarChart bars={bars} title={`Jobs per day: ${summary}`} titleId="week-chart-title" testId="week-chart" />
}
