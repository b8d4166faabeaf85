/** The week view: a time grid with a column per day (a list by day on phones). */
import { shortDate } from '../format'
import type { CalendarJob } from './calendar-job'
import type { CardContext } from './job-card'
import { type CalendarQuery, scheduleUrl } from './range'
import { TimeGrid } from './time-grid'

/** Jobs by their local day. */
export function byDay(jobs: CalendarJob[]): Map<string, CalendarJob[]> {
  const days = new Map<string, CalendarJob[]>()
  for (const job of jobs) {
    const list = days.get(job.date)
    if (list) list.push(job)
    else days.set(job.date, [job])
  }
  return days
}

export function WeekView(props: {
  days: string[]
  jobs: CalendarJob[]
  today: string
  query: CalendarQuery
  ctx: CardContext
}) {
  const jobs = byDay(props.jobs)
  const columns = props.days.map((date) => {
    const name = shortDate(date)
    return {
      label: name,
      date,
      attrs: { 'data-date': date },
      today: date === props.today,
      jobs: jobs.get(date) ?? [],
      head: (
        <>
          <h2>
            <a href={scheduleUrl({ ...props.query, view: 'day', date })}>{name}</a>
            {date === props.today ? <span class="today-tag">Today</span> : null}
          </h2>
          <a class="day-add" href={`/app/jobs/new?date=${date}`} aria-label={`New job on ${name}`}>
            + Add
          </a>
        </>
      ),
    }
  })
  return <TimeGrid columns={columns} ctx={props.ctx} phone="list" />
}
