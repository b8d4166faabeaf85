/**
 * /app/schedule: a day, week or month of jobs in the business's time zone
 * (?view=day|week|month&date=YYYY-MM-DD&person=, and the older ?week=), and moving a job
 * (POST /app/schedule/move) by drag and drop, the arrow keys or its "Move" form.
 */
import { zValidator } from '@hono/zod-validator'
import type { Context } from 'hono'
import { Hono } from 'hono'
import { z } from 'zod'
import { Calendar, type CalendarProps, SchedulePage } from '../../../views/schedule'
import { fragment } from '../../../views/layout'
import { zoneClock } from '../../../views/schedule/calendar-job'
import type { MoveState } from '../../../views/schedule/move-dialog'
import { type CalendarQuery, rangeOf, scheduleUrl, VIEWS } from '../../../views/schedule/range'
import { shortDate } from '../../../views/format'
import { peopleDb } from '../../db'
import type { AppEnv } from '../../env'
import { AppError, notFound } from '../../errors'
import { assertOnTeam } from '../../team'
import { localDate } from '../../time'
import { formBody, formStrings, isHtmx, queryDate } from './forms'
import { loadCalendar } from './schedule/load'
import { calendarOf, crewOf, moveForm, movePatch } from './schedule/move'

const calendarQuery = z.object({
  view: z.enum(VIEWS).optional().catch(undefined),
  person: z.string().max(100).optional().catch(undefined),
  booked: z.string().max(100).optional().catch(undefined),
  moved: z.string().max(100).optional().catch(undefined),
})

/** The page's own stylesheet and script, beside the shared ones. */
const PAGE = { title: 'Schedule', active: 'schedule' as const, styles: ['/calendar.css'], scripts: ['/calendar.js'] }

/** Extra things a calendar shows after a move: what happened, the form again when refused. */
type Said = Pick<CalendarProps, 'notice' | 'booked' | 'moved' | 'move'>

/** The calendar for htmx, else the whole page, with `status`. */
async function answer(c: Context<AppEnv>, query: CalendarQuery, said: Said, status: 200 | 404 | 409 | 422 = 200) {
  const data = await loadCalendar(c, query)
  const props: CalendarProps = { ...data, ...said }
  // A moved job on this calendar is named in the notice; one it no longer shows keeps the notice it came with.
  const moved = said.moved ? data.jobs.find((j) => j.id === said.moved) : undefined
  if (moved) props.notice = { text: `Moved ${moved.client} to ${shortDate(moved.date)}, ${moved.time}.` }
  c.status(status)
  c.header('Vary', 'HX-Request')
  return isHtmx(c) ? fragment(c, <Calendar {...props} />, status) : c.render(<SchedulePage {...props} />, PAGE)
}

/** A refused move: the calendar with the form open again, filled in, the reason beside the field. */
async function refuse(c: Context<AppEnv>, move: MoveState, status: 404 | 409 | 422 = 422) {
  const today = localDate(new Date(), c.get('organization').timezone)
  return answer(c, calendarOf(move.values, today), { move }, status)
}

export const schedulePages = new Hono<AppEnv>()
  .get('/', zValidator('query', calendarQuery), async (c) => {
    const { view, person, booked, moved } = c.req.valid('query')
    const today = localDate(new Date(), c.get('organization').timezone)
    const date = queryDate(c, 'date') ?? queryDate(c, 'week') ?? today
    return answer(c, { view: view ?? 'week', date, person: person || undefined }, { booked, moved })
  })
  .post(
    '/move',
    formBody(moveForm, (c, values, errors) => refuse(c, { values, errors })),
    async (c) => {
      const form = c.req.valid('form')
      const tz = c.get('organization').timezone
      const values = await formStrings(c)
      const back = calendarOf(values, localDate(new Date(), tz))
      const change = movePatch(form, tz)
      if (!change.ok) return refuse(c, { values, errors: change.errors, confirmPast: change.past })
      try {
        await assertOnTeam(peopleDb(c.env.PEOPLE), c.get('organization').id, crewOf(form.person))
      } catch (error) {
        if (!(error instanceof AppError) || error.status !== 400) throw error
        return refuse(c, { values, errors: { person: 'Pick someone on your team.' } })
      }
      const result = await c.get('org').updateJob(form.job_id, change.patch)
      if (!result.ok) {
        if (result.error.status === 404 && !isHtmx(c)) throw notFound('job')
        const text = result.error.status === 404 ? 'That job no longer exists.' : result.error.message
        return answer(
          c,
          back,
          { notice: { text, error: true } },
          result.error.status === 400 ? 422 : result.error.status,
        )
      }
      const moved = result.value
      const at = zoneClock(tz)(moved.start_at)
      if (!isHtmx(c)) return c.redirect(`${scheduleUrl({ ...back, date: at.date })}&moved=${moved.id}`, 303)
      // A job moved off the calendar on screen is not on it any more: say where it went, and link there.
      const range = rangeOf(back)
      const shown = at.date >= range.first && at.date < range.end
      const where = scheduleUrl({ ...back, date: at.date })
      return answer(c, back, {
        moved: moved.id,
        notice: { text: `Moved to ${shortDate(at.date)}, ${at.time}.`, href: shown ? undefined : where },
      })
    },
  )
