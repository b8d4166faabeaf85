/** The schedule: one week of jobs by day, in the business's time zone. */
import { dateTime, longDate, shortDate, timeOf, words } from './format'
import type { JobItem } from './jobs'
import { useSession } from './layout'

export type ScheduleDay = { date: string; jobs: JobItem[] }

/** Who a job's crew are, and the jobs of theirs it overlaps, by job id. */
export type CrewOf = Record<string, { assigned_to: string[]; conflicts: string[] }>

/** Each team member's name and colour, by user id. */
export type TeamColors = Record<string, { name: string; color: string }>

export type ScheduleProps = {
  crews: CrewOf
  team: TeamColors
  today: string
  weekStart: string
  prevWeek: string
  nextWeek: string
  days: ScheduleDay[]
  booked?: JobItem
}

/** One week of jobs, a column per day (a list on phones), with week navigation. */
export function SchedulePage(props: ScheduleProps) {
  const tz = useSession().organization.timezone
  const last = props.days[props.days.length - 1]!.date
  const count = props.days.reduce((n, d) => n + d.jobs.filter((j) => j.job.status !== 'cancelled').length, 0)
  return (
    <>
      <div class="page-head">
        <div>
          <h1>Schedule</h1>
          <p class="muted small" data-testid="week-range">
            {longDate(props.weekStart)} – {longDate(last)} · {count} {count === 1 ? 'job' : 'jobs'} · {tz}
          </p>
        </div>
        <div class="actions">
          <a class="button primary" href="/app/jobs/new">
            New job
          </a>
        </div>
      </div>
      {props.booked ? (
        <p class="notice" role="status" data-testid="booked">
          Booked {props.booked.serviceName ?? 'a job'} for <strong>{props.booked.clientName}</strong> on{' '}
          {dateTime(props.booked.job.start_at, tz)}. <a href={`/app/jobs/${props.booked.job.id}`}>Open the job</a>
        </p>
      ) : null}
      <nav class="week-nav" aria-label="Weeks">
        <a class="button" href={`/app/schedule?week=${props.prevWeek}`} rel="prev">
          ← Prev
        </a>
        <a class="button" href="/app/schedule">
          This week
        </a>
        <a class="button" href={`/app/schedule?week=${props.nextWeek}`} rel="next">
          Next →
        </a>
      </nav>
      <ol class="week" data-testid="week">
        {props.days.map((day) => (
          <li class={day.date === props.today ? 'day is-today' : 'day'} data-date={day.date}>
            <div class="day-head">
              <h2>
                {shortDate(day.date)}
                {day.date === props.today ? <span class="today-tag">Today</span> : null}
              </h2>
              <a
                class="day-add"
                href={`/app/jobs/new?date=${day.date}`}
                aria-label={`New job on ${shortDate(day.date)}`}
              >
                + Add
              </a>
            </div>
            {day.jobs.length === 0 ? (
              <p class="day-empty">No jobs</p>
            ) : (
              <ul class="day-jobs">
                {day.jobs.map(({ job, clientName, serviceName }) => (
                  <li class={`job-chip job-${job.status}${job.id === props.booked?.job.id ? ' is-new' : ''}`}>
                    <a href={`/app/jobs/${job.id}`}>
                      <span class="job-time">{timeOf(job.start_at, tz)}</span>
                      <span class="job-client">{clientName}</span>
                      <span class="job-meta">
                        {serviceName ?? 'Job'}
                        {job.status !== 'scheduled' ? ` · ${words(job.status)}` : ''}
                      </span>
                      <Crew ids={props.crews[job.id]?.assigned_to ?? []} team={props.team} />
                      {job.status !== 'cancelled' && (props.crews[job.id]?.conflicts.length ?? 0) > 0 ? (
                        <span class="job-overlap" data-testid="overlap">
                          Overlaps another job of the crew
                        </span>
                      ) : null}
                    </a>
                  </li>
                ))}
              </ul>
            )}
          </li>
        ))}
      </ol>
    </>
  )
}

/** The crew as coloured initials, each with the person's name for screen readers and on hover. */
function Crew({ ids, team }: { ids: string[]; team: TeamColors }) {
  if (ids.length === 0) return null
  return (
    <span class="job-crew" data-testid="crew">
      {ids.map((id) => {
        const person = team[id] ?? { name: 'Someone who left', color: '#6b7280' }
        const initials = person.name
          .split(/[\s@.]+/)
          .filter(Boolean)
          .slice(0, 2)
          .map((w) => w[0]!.toUpperCase())
          .join('')
        return (
          <span class="crew-dot" style={`background:${person.color}`} title={person.name}>
            {initials}
            <span class="visually-hidden"> {person.name}</span>
          </span>
        )
      })}
    </span>
  )
}
