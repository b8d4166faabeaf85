/** The month view: a grid of days, each with its job count and first jobs; "+N more" opens the day. */
import { longDate } from '../format'
import type { CalendarJob } from './calendar-job'
import { type CardContext, cardHtml, cards } from './job-card'
import { type CalendarQuery, scheduleUrl } from './range'
import { byDay } from './week'

/** Jobs a day shows before "+N more". */
const SHOWN = 3
const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun']

export function MonthView(props: {
  days: string[]
  jobs: CalendarJob[]
  today: string
  query: CalendarQuery
  ctx: CardContext
}) {
  const jobs = byDay(props.jobs)
  const lead = (new Date(`${props.days[0]}T00:00:00Z`).getUTCDay() + 6) % 7
  const trail = (7 - ((lead + props.days.length) % 7)) % 7
  const blank = () => <div class="month-day is-blank" aria-hidden="true"></div>
  return (
    <div class="month" data-testid="month">
      <div class="month-weekdays" aria-hidden="true">
        {WEEKDAYS.map((d) => (
          <span>{d}</span>
        ))}
      </div>
      <div class="month-grid">
        {Array.from({ length: lead }, blank)}
        {props.days.map((date) => {
          const list = jobs.get(date) ?? []
          const count = list.filter((j) => j.status !== 'cancelled').length
          const day = scheduleUrl({ ...props.query, view: 'day', date })
          return (
            <section
              class={date === props.today ? 'month-day is-today' : 'month-day'}
              data-date={date}
              data-drop-date={date}
              aria-label={longDate(date)}
            >
              <header class="month-day-head">
                <a class="month-date" href={day}>
                  {Number(date.slice(8))}
                </a>
                {count > 0 ? (
                  <span class="month-count" data-testid="day-count">
                    {count} {count === 1 ? 'job' : 'jobs'}
                  </span>
                ) : null}
              </header>
              {list.length > 0 ? (
                <ul class="month-jobs">
                  {cards(
                    list
                      .slice(0, SHOWN)
                      .map((job) => cardHtml(job, props.ctx, { tag: 'li', kind: 'month-job', short: true }))
                      .join(''),
                  )}
                </ul>
              ) : null}
              {list.length > SHOWN ? (
                <a class="month-more" href={day}>
                  +{list.length - SHOWN} more
                </a>
              ) : null}
            </section>
          )
        })}
        {Array.from({ length: trail }, blank)}
      </div>
    </div>
  )
}
