/** /app/schedule: a week of jobs by day in the business's time zone (?week=YYYY-MM-DD picks the week). */
import { peopleDb } from '../../db'
import { listTeam } from '../../team'
import { zValidator } from '@hono/zod-validator'
import { Hono } from 'hono'
import { z } from 'zod'
import type { AppEnv } from '../../env'
import { addDays, localDate, zonedTimeToUtc } from '../../time'
import { SchedulePage } from '../../../views/schedule'
import { queryDate } from './forms'
import { jobItems } from './lookups'

const weekQuery = z.object({
  booked: z.string().max(100).optional().catch(undefined),
})

/** The Monday of the week holding `date`. */
export function mondayOf(date: string): string {
  const dow = new Date(`${date}T00:00:00Z`).getUTCDay()
  return addDays(date, -((dow + 6) % 7))
}

export const schedulePages = new Hono<AppEnv>().get('/', zValidator('query', weekQuery), async (c) => {
  const tz = c.get('organization').timezone
  const { booked } = c.req.valid('query')
  const week = queryDate(c, 'week')
  const today = localDate(new Date(), tz)
  const monday = mondayOf(week ?? today)
  const dates = Array.from({ length: 7 }, (_, i) => addDays(monday, i))
  const jobs = await c.get('org').listJobs({
    from: zonedTimeToUtc(monday, '00:00', tz).toISOString(),
    to: zonedTimeToUtc(addDays(monday, 7), '00:00', tz).toISOString(),
    limit: 1000,
  })
  const [items, members] = await Promise.all([
    jobItems(c, jobs),
    listTeam(peopleDb(c.env.PEOPLE), c.get('organization').id),
  ])
  const crews = Object.fromEntries(jobs.map((j) => [j.id, { assigned_to: j.assigned_to, conflicts: j.conflicts }]))
  const team = Object.fromEntries(members.map((m) => [m.user_id, { name: m.name ?? m.email, color: m.color }]))
  const days = dates.map((date) => ({
    date,
    jobs: items.filter((i) => localDate(new Date(i.job.start_at), tz) === date),
  }))
  return c.render(
    <SchedulePage
      crews={crews}
      team={team}
      today={today}
      weekStart={monday}
      prevWeek={addDays(monday, -7)}
      nextWeek={addDays(monday, 7)}
      days={days}
      booked={items.find((i) => i.job.id === booked)}
    />,
    { title: 'Schedule', active: 'schedule' },
  )
})
