/** The day view: a time grid with a column per team member and one for jobs nobody works yet; an agenda on phones. */
import { type CalendarJob, clockLabel } from './calendar-job'
import { type CardContext, cardHtml, cards } from './job-card'
import type { Person } from './people'
import { type CalendarQuery, scheduleUrl, UNASSIGNED } from './range'
import { type GridColumn, TimeGrid } from './time-grid'

export function DayView(props: {
  date: string
  jobs: CalendarJob[]
  team: Person[]
  query: CalendarQuery
  ctx: CardContext
}) {
  const { date, query } = props
  // A job is in the column of each of its crew on the team; with nobody of the team, in Unassigned.
  const columnsOf = new Map<string, CalendarJob[]>([
    ...props.team.map((p) => [p.id, []] as [string, CalendarJob[]]),
    [UNASSIGNED, []],
  ])
  for (const job of props.jobs) {
    let placed = false
    for (const id of job.crew) {
      const list = columnsOf.get(id)
      if (list) {
        list.push(job)
        placed = true
      }
    }
    if (!placed) columnsOf.get(UNASSIGNED)!.push(job)
  }
  const people: Array<{ id: string; name: string; color: string }> = [
    ...props.team,
    { id: UNASSIGNED, name: 'Unassigned', color: '#94a3b8' },
  ].filter((p) => !query.person || p.id === query.person)
  const columns: GridColumn[] = people.map((p) => {
    const jobs = columnsOf.get(p.id) ?? []
    return {
      label: p.name,
      date,
      person: p.id,
      attrs: { 'data-person': p.id },
      jobs,
      head: (
        <h2 class="person-head">
          <span class="person-dot" style={`background:${p.color}`}></span>
          <a href={scheduleUrl({ view: 'day', date, person: p.id })}>{p.name}</a>{' '}
          <span class="muted small">{jobs.length}</span>
        </h2>
      ),
    }
  })
  return (
    <>
      <TimeGrid columns={columns} ctx={props.ctx} phone="hidden" />
      <Agenda jobs={props.jobs} ctx={props.ctx} />
    </>
  )
}

/** The day as a list by time (phones): time, client, service and crew of each job. */
function Agenda({ jobs, ctx }: { jobs: CalendarJob[]; ctx: CardContext }) {
  if (jobs.length === 0) return <p class="agenda agenda-empty">No jobs this day.</p>
  return (
    <ol class="agenda" data-testid="agenda">
      {cards(
        jobs
          .map((job) =>
            cardHtml(job, ctx, { tag: 'li', kind: 'agenda-job', time: `${job.time} – ${clockLabel(job.end % 1440)}` }),
          )
          .join(''),
      )}
    </ol>
  )
}
