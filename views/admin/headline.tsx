/** The console's headline: the platform's figures as tiles, MRR, signups and churn as weekly charts, and "Recompute now" with its progress. */
import type { PlatformDay, PlatformFigures, WeekCounts } from '../../src/platform/figures'
import type { RunProgress } from '../../src/platform/metrics-job'
import { type Bar, BarChart } from '../bar-chart'
import { moneyRounded } from '../format'
import { CsrfField } from '../layout'
import { ago } from './parts'

/** "$12.3k" for a chart's caption. */
const compact = (cents: number) =>
  cents >= 100_000 ? `$${(cents / 100_000).toFixed(cents >= 1_000_000 ? 0 : 1)}k` : moneyRounded(cents)

/** "3/9" from YYYY-MM-DD. */
const monthDay = (date: string) => `${Number(date.slice(5, 7))}/${Number(date.slice(8, 10))}`

/** MRR at the end of each week: the last daily row on or before it (0 before the first). */
function mrrBars(history: PlatformDay[], weeks: WeekCounts[]): Bar[] {
  return weeks.map((w, i) => {
    const end = i + 1 < weeks.length ? weeks[i + 1]!.week_start : '9999-12-31'
    const last = history.filter((d) => d.day < end).at(-1)
    const cents = last?.mrr_cents ?? 0
    return { label: monthDay(w.week_start), value: cents, caption: compact(cents), highlight: i === weeks.length - 1 }
  })
}

export function Headline(props: {
  figures: PlatformFigures
  history: PlatformDay[]
  weeks: WeekCounts[]
  lastRun: string | null
  progress: RunProgress | null
  now: Date
}) {
  const { figures: f, weeks } = props
  const counts = (pick: (w: WeekCounts) => number): Bar[] =>
    weeks.map((w, i) => ({
      label: monthDay(w.week_start),
      value: pick(w),
      caption: String(pick(w)),
      highlight: i === weeks.length - 1,
    }))
  return (
    <section aria-labelledby="headline-title" id="metrics">
      <h2 id="headline-title" class="visually-hidden">
        The platform at a glance
      </h2>
      <div class="tiles" data-testid="headline">
        <div class="tile" data-testid="tile-organizations">
          <span class="tile-label">Businesses</span>
          <span class="tile-n">{f.organizations}</span>
          <span class="tile-sub">{f.signups_30d} signed up in 30 days</span>
        </div>
        <div class="tile" data-testid="tile-subscriptions">
          <span class="tile-label">Subscriptions</span>
          <span class="tile-n">{f.active_subscriptions}</span>
          <span class="tile-sub">active or trialing; {f.paying} paying</span>
        </div>
        <div class="tile" data-testid="tile-mrr">
          <span class="tile-label">MRR</span>
          <span class="tile-n">{moneyRounded(f.mrr_cents)}</span>
          <span class="tile-sub">{moneyRounded(f.mrr_cents * 12)} a year</span>
        </div>
        <div class={f.churned_30d ? 'tile tile-alert' : 'tile'} data-testid="tile-churn">
          <span class="tile-label">Churned</span>
          <span class="tile-n">{f.churned_30d}</span>
          <span class="tile-sub">canceled in 30 days</span>
        </div>
      </div>
      <div class="grid-2 console-charts">
        <BarChart
          bars={mrrBars(props.history, weeks)}
          title={`MRR at the end of each of the last ${weeks.length} weeks`}
          titleId="chart-mrr"
          testId="chart-mrr"
          gap={4}
          note="MRR by week (from the daily figures)"
        />
        <BarChart
          bars={counts((w) => w.signups)}
          title={`Signups in each of the last ${weeks.length} weeks`}
          titleId="chart-signups"
          testId="chart-signups"
          gap={4}
          note="Signups per week"
        />
        <BarChart
          bars={counts((w) => w.churned)}
          title={`Businesses that canceled in each of the last ${weeks.length} weeks`}
          titleId="chart-churn"
          testId="chart-churn"
          gap={4}
          note="Cancellations per week"
        />
      </div>
      <div class="button-row">
        <form method="post" action="/admin/metrics/refresh" hx-post="/admin/metrics/refresh" hx-target="#run">
          <CsrfField />
          <button type="submit">Recompute now</button>
        </form>
        <div id="run">
          {props.progress ? (
            <RunProgressPart progress={props.progress} />
          ) : (
            <p class="muted small">
              {props.lastRun
                ? `Figures per business computed ${ago(props.lastRun, props.now)} (daily after 03:00 UTC).`
                : 'Figures per business have not been computed yet.'}
            </p>
          )}
        </div>
      </div>
    </section>
  )
}

/** A run's progress; while it goes on, it asks again every second. */
export function RunProgressPart({ progress: p }: { progress: RunProgress }) {
  const done = p.done >= p.total
  const url = `/admin/metrics/progress?since=${encodeURIComponent(p.since)}`
  return (
    <div
      data-testid="run-progress"
      hx-get={done ? undefined : url}
      hx-trigger={done ? undefined : 'load delay:1s'}
      hx-target="this"
      hx-swap="outerHTML"
    >
      <progress max={Math.max(p.total, 1)} value={Math.min(p.done, p.total)}>
        {p.done} of {p.total}
      </progress>{' '}
      {done ? (
        <span class="small">
          Recomputed {p.total} businesses. <a href="/admin">Show the new figures</a>
        </span>
      ) : (
        <span class="small">
          Recomputing: {p.done} of {p.total} businesses. <a href={url}>Check again</a>
        </span>
      )}
    </div>
  )
}
