/** Everything a calendar shows, read with as few calls to the organization's object as its RPCs allow. */
import type { Context } from 'hono'
import type { CalendarRow } from '../../../../durable-objects/org/crm/jobs'
import type { CalendarView } from '../../../../views/schedule'
import { calendarJob, type Placing, zoneClock } from '../../../../views/schedule/calendar-job'
import { initials, type Person } from '../../../../views/schedule/people'
import { personName } from '../../../../views/format'
import { peopleDb } from '../../../db'
import type { AppEnv } from '../../../env'
import { notFound } from '../../../errors'
import { listTeam } from '../../../team'
import { addDays, localDate, zonedTimeToUtc } from '../../../time'
import { type CalendarQuery, rangeOf, UNASSIGNED } from '../../../../views/schedule/range'

/** The most jobs one calendar reads (a month of a very busy business). */
const MOST_JOBS = 5_000
/** Blocked jobs are looked for this many days back and ahead of today, at most this many. */
const BLOCKED_BACK = 30
const BLOCKED_AHEAD = 90
const BLOCKED_SHOWN = 20
/** Open requests from homeowners read for the Unscheduled panel. */
const TASKS_SHOWN = 50
/** Approved estimates not booked yet shown in the Unscheduled panel, the longest waiting first. */
const ESTIMATES_SHOWN = 20

/** The calendar's jobs (one person's with `person`), the team, and the work that needs a time. */
export async function loadCalendar(c: Context<AppEnv>, query: CalendarQuery): Promise<CalendarView> {
  const org = c.get('org')
  const tz = c.get('organization').timezone
  const today = localDate(new Date(), tz)
  const range = rangeOf(query)
  const at = (date: string) => zonedTimeToUtc(date, '00:00', tz).toISOString()
  const [{ jobs: listed, blocked, tasks, estimates, services, naming }, members] = await Promise.all([
    org.calendar({
      jobs: { from: at(range.first), to: at(range.end), limit: MOST_JOBS },
      blocked: {
        from: at(addDays(today, -BLOCKED_BACK)),
        to: at(addDays(today, BLOCKED_AHEAD)),
        limit: BLOCKED_SHOWN,
      },
      tasks: TASKS_SHOWN,
      estimates: ESTIMATES_SHOWN,
    }),
    listTeam(peopleDb(c.env.PEOPLE), c.get('organization').id),
  ])
  const team: Person[] = members.map((m) => {
    const name = m.name ?? m.email
    return { id: m.user_id, name, color: m.color, initials: initials(name) }
  })
  if (query.person && query.person !== UNASSIGNED && !team.some((p) => p.id === query.person))
    throw notFound('team member')
  const requests = tasks.filter((t) => t.type === 'reschedule_request' && t.job_id)
  const mine = query.person ? listed.filter(worksIt(query.person, new Set(team.map((p) => p.id)))) : listed
  const placing: Placing = {
    clients: new Map(Object.keys(naming).map((id) => [id, personName(naming[id]!)])),
    services: new Map(services.map((s) => [s.id, s.name])),
    clock: zoneClock(tz),
  }
  return {
    query,
    range,
    today,
    jobs: mine.map((job) => calendarJob(job, placing)),
    team,
    unscheduled: {
      requests,
      blocked: blocked.map((job) => calendarJob(job, placing)),
      estimates: estimates.map(({ org_client_id, ...e }) => ({
        ...e,
        client: placing.clients.get(org_client_id) ?? '',
      })),
    },
  }
}

/** Whether `person` works a job; `unassigned` picks jobs nobody on the team works. */
const worksIt = (person: string, team: Set<string>) => (job: CalendarRow) =>
  person === UNASSIGNED ? !job.assigned_to.some((id) => team.has(id)) : job.assigned_to.includes(person)
