/**
 * The time grid of the day and week views: an hour axis and columns (days or people) where each job
 * is placed by its start and end, overlapping jobs side by side. Each column's body is where a
 * dragged job is dropped (calendar.js reads its data-drop-* attributes).
 */
import type { Child } from 'hono/jsx'
import type { CalendarJob } from './calendar-job'
import { type CardContext, cardColor, cardHtml, cards } from './job-card'
import { lanes } from './lanes'

/** The hours the grid shows, in minutes since midnight; jobs outside are drawn at its top or bottom edge. */
export const GRID_FROM = 6 * 60
export const GRID_TO = 21 * 60
/** The shortest a job is drawn, in minutes, so a short one still shows its time and client. */
const SHORTEST = 30

export type GridColumn = {
  /** What the column is, for screen readers: "Mon, Mar 2" or "Dana Lee". */
  label: string
  head: Child
  /** Its jobs in start order. */
  jobs: CalendarJob[]
  /** Where a job dropped on it goes: the day, and in the day view the person (a user id or `unassigned`). */
  date: string
  person?: string
  /** `data-date` of a week's day column, `data-person` of a person's column. */
  attrs: Record<string, string>
  today?: boolean
}

const HOURS = Array.from({ length: (GRID_TO - GRID_FROM) / 60 }, (_, i) => GRID_FROM / 60 + i)
const hourLabel = (h: number) => `${h % 12 === 0 ? 12 : h % 12} ${h < 12 ? 'AM' : 'PM'}`

/** The grid; on phones (`phone`) its columns become a list by day, or it is hidden for the agenda. */
export function TimeGrid({
  columns,
  ctx,
  phone,
}: {
  columns: GridColumn[]
  ctx: CardContext
  phone: 'list' | 'hidden'
}) {
  return (
    <div class={`cal-scroll phone-${phone}`}>
      <div class="cal-grid" style={`--cols:${columns.length};--span:${GRID_TO - GRID_FROM}`}>
        <div class="cal-axis" aria-hidden="true">
          <div class="cal-head"></div>
          <div class="cal-hours">
            {HOURS.map((h) => (
              <span class="cal-hour" style={`--t:${h * 60 - GRID_FROM}`}>
                {hourLabel(h)}
              </span>
            ))}
          </div>
        </div>
        {columns.map((col) => (
          <section class={col.today ? 'cal-col is-today' : 'cal-col'} aria-label={col.label} {...col.attrs}>
            <header class="cal-head">{col.head}</header>
            <div
              class="cal-slots"
              data-drop-date={col.date}
              data-drop-person={col.person}
              data-from={GRID_FROM}
              data-to={GRID_TO}
            >
              {cards(placed(col.jobs, ctx))}
              {col.jobs.length === 0 ? <p class="cal-empty">No jobs</p> : null}
            </div>
          </section>
        ))}
      </div>
    </div>
  )
}

/** A column's jobs, each at its time, in lanes where they overlap. */
function placed(jobs: CalendarJob[], ctx: CardContext): string {
  const boxes = jobs.map((job) => {
    const top = Math.min(Math.max(job.start, GRID_FROM), GRID_TO - SHORTEST)
    return { top, bottom: Math.max(Math.min(job.end, GRID_TO), top + SHORTEST) }
  })
  const placed = lanes(boxes)
  let html = ''
  jobs.forEach((job, i) => {
    const { top, bottom } = boxes[i]!
    const { lane, lanes: count } = placed[i]!
    const side = count > 1 ? `;--lane:${lane};--lanes:${count}` : ''
    html += cardHtml(job, ctx, {
      tag: 'article',
      kind: 'cal-job',
      edge: job.start < GRID_FROM ? ' is-early' : job.start >= GRID_TO ? ' is-late' : '',
      style: `--t:${top - GRID_FROM};--l:${bottom - top};--c:${cardColor(job, ctx)}${side}`,
    })
  })
  return html
}
