/** The schedule: a day, week or month of jobs in the business's time zone, with work that needs a time and moving jobs. */
import { longDate, shortDate, weekday } from './format'
import { useSession } from './layout'
import type { CalendarJob } from './schedule/calendar-job'
import { DayView } from './schedule/day'
import type { CardContext } from './schedule/job-card'
import { MonthView } from './schedule/month'
import { MoveDialog, type MoveState } from './schedule/move-dialog'
import { byId, type Person } from './schedule/people'
import { type CalendarQuery, type CalendarRange, scheduleUrl, stepped, UNASSIGNED, VIEWS } from './schedule/range'
import { type Unscheduled, UnscheduledPanel } from './schedule/unscheduled'
import { WeekView } from './schedule/week'

/** What a calendar shows: its days, their jobs (one person's with a filter), the team and the work that needs a time. */
export type CalendarView = {
  query: CalendarQuery
  range: CalendarRange
  today: string
  jobs: CalendarJob[]
  team: Person[]
  unscheduled: Unscheduled
}

export type CalendarProps = CalendarView & {
  /** What a move did, or why it was refused. */
  notice?: { text: string; error?: boolean; href?: string | undefined } | undefined
  /** A job just booked (its notice) or moved: highlighted. */
  booked?: string | undefined
  moved?: string | undefined
  /** A refused move: the form comes back open, filled in, with the reason. */
  move?: MoveState | undefined
}

const TAB_NAMES = { day: 'Day', week: 'Week', month: 'Month' } as const
const monthName = new Intl.DateTimeFormat('en-US', { timeZone: 'UTC', month: 'long', year: 'numeric' })

/** The whole page: the calendar, "Hide cancelled" (kept across calendar swaps) and the status line moves are read out in. */
export function SchedulePage(props: CalendarProps) {
  return (
    <>
      <div class="page-head">
        <h1>Schedule</h1>
        <div class="actions">
          <label class="hide-cancelled">
            <input type="checkbox" id="hide-cancelled" /> Hide cancelled
          </label>
          <a class="button primary" href="/app/jobs/new">
            New job
          </a>
        </div>
      </div>
      <Calendar {...props} />
      <p id="move-status" class="visually-hidden" role="status" aria-live="polite"></p>
    </>
  )
}

/** The calendar: what an htmx request (another view, day or person, a move) swaps. */
export function Calendar(props: CalendarProps) {
  const tz = useSession().organization.timezone
  const { query, range } = props
  const ctx: CardContext = { people: byId(props.team), highlight: props.moved ?? props.booked }
  const count = props.jobs.reduce((n, j) => n + (j.status === 'cancelled' ? 0 : 1), 0)
  const booked = props.booked ? props.jobs.find((j) => j.id === props.booked) : undefined
  const swap = {
    'hx-target:inherited': '#calendar',
    'hx-swap:inherited': 'outerHTML',
    'hx-push-url:inherited': 'true',
  }
  const link = (q: CalendarQuery) => ({ href: scheduleUrl(q), 'hx-get': scheduleUrl(q) })
  return (
    <div id="calendar" class={`calendar view-${query.view}`} data-view={query.view}>
      <div class="cal-bar">
        <p class="cal-range muted small" data-testid={query.view === 'week' ? 'week-range' : 'range'}>
          <strong>{rangeLabel(query, range)}</strong> · {count} {count === 1 ? 'job' : 'jobs'} · {tz}
        </p>
        <nav class="cal-tabs" aria-label="Calendar view" {...swap}>
          {VIEWS.map((view) => (
            <a
              class="cal-tab"
              {...link({ ...query, view })}
              aria-current={view === query.view ? 'page' : undefined}
              data-testid={`tab-${view}`}
            >
              {TAB_NAMES[view]}
            </a>
          ))}
        </nav>
        <nav class="week-nav cal-nav" aria-label="Dates" {...swap}>
          <a class="button" {...link(stepped(query, -1))} rel="prev">
            ← Prev
          </a>
          <a class="button" {...link({ ...query, date: props.today })}>
            Today
          </a>
          <a class="button" {...link(stepped(query, 1))} rel="next">
            Next →
          </a>
        </nav>
        <PersonFilter query={query} team={props.team} />
      </div>
      {props.notice ? (
        <p class={props.notice.error ? 'alert' : 'notice'} role="status" data-testid="move-notice">
          {props.notice.text}
          {props.notice.href ? (
            <>
              {' '}
              <a href={props.notice.href}>Show it</a>
            </>
          ) : null}
        </p>
      ) : null}
      {booked ? (
        <p class="notice" role="status" data-testid="booked">
          Booked {booked.service ?? 'a job'} for <strong>{booked.client}</strong> on {shortDate(booked.date)},{' '}
          {booked.time}. <a href={`/app/jobs/${booked.id}`}>Open the job</a>
        </p>
      ) : null}
      <UnscheduledPanel {...props.unscheduled} tz={tz} />
      {query.view === 'day' ? (
        <DayView date={range.first} jobs={props.jobs} team={props.team} query={query} ctx={ctx} />
      ) : query.view === 'week' ? (
        <WeekView days={range.days} jobs={props.jobs} today={props.today} query={query} ctx={ctx} />
      ) : (
        <MonthView days={range.days} jobs={props.jobs} today={props.today} query={query} ctx={ctx} />
      )}
      <MoveDialog team={props.team} query={query} state={props.move} />
    </div>
  )
}

/** "Thu, Mar 5, 2026", "Mar 2, 2026 – Mar 8, 2026" or "March 2026". */
function rangeLabel(query: CalendarQuery, range: CalendarRange): string {
  if (query.view === 'day') return `${weekday(range.first)}, ${longDate(range.first)}`
  if (query.view === 'week') return `${longDate(range.first)} – ${longDate(range.days[range.days.length - 1]!)}`
  return monthName.format(new Date(`${range.first}T00:00:00Z`))
}

/** Everyone's jobs, one person's, or those nobody works yet; a plain GET form that htmx sends on change. */
function PersonFilter({ query, team }: { query: CalendarQuery; team: Person[] }) {
  return (
    <form
      class="cal-filter"
      method="get"
      action="/app/schedule"
      hx-get="/app/schedule"
      hx-trigger="change, submit"
      hx-target="#calendar"
      hx-swap="outerHTML"
      hx-push-url="true"
    >
      <input type="hidden" name="view" value={query.view} />
      <input type="hidden" name="date" value={query.date} />
      <label for="cal-person">Whose jobs</label>
      <select id="cal-person" name="person">
        <option value="">Everyone</option>
        {team.map((p) => (
          <option value={p.id} selected={query.person === p.id}>
            {p.name}
          </option>
        ))}
        <option value={UNASSIGNED} selected={query.person === UNASSIGNED}>
          Unassigned
        </option>
      </select>
      <button type="submit">Show</button>
    </form>
  )
}
