/**
 * /app/schedule/availability?date=: the day's free slots in each connected CRM. For htmx a fragment
 * the booking form loads (it sends its `start` field, whose date then wins, so the slots follow
 * the date being picked); else a page, which the form links to when JavaScript is off.
 */
import { Hono } from 'hono'
import { AvailabilityPage } from '../../../views/schedule/availability-page'
import { type CrmDay, ScheduleAvailability } from '../../../views/schedule-availability'
import { fragment } from '../../../views/layout'
import type { AppEnv } from '../../env'
import { invalidInput } from '../../errors'
import { PROVIDER_LABELS, SCHEDULING_PROVIDERS } from '../../integrations/availability'
import { isIsoDate, localDate } from '../../time'
import { isHtmx, queryDate } from './forms'
import { connectionsOf } from '../../integrations/remote'

export const availabilityPages = new Hono<AppEnv>().get('/', async (c) => {
  const tz = c.get('organization').timezone
  c.header('Cache-Control', 'no-store')
  c.header('Vary', 'HX-Request')
  const start = c.req.query('start')
  // The booking form's date field, emptied: no day, no slots.
  if (start === '') return fragment(c, null)
  if (start !== undefined && !isIsoDate(start.slice(0, 10)))
    throw invalidInput([{ path: 'start', message: 'must begin with a real date written YYYY-MM-DD' }])
  const date = start?.slice(0, 10) ?? queryDate(c, 'date') ?? localDate(new Date(), tz)
  const org = c.get('org')
  const crms = (await connectionsOf(org).listConnections()).filter(
    (conn) => conn.status === 'connected' && SCHEDULING_PROVIDERS.includes(conn.provider),
  )
  const days = await Promise.all(
    crms.map(async (conn): Promise<CrmDay | null> => {
      const result = await connectionsOf(org).availability(conn.id, { date })
      // A connection without a usable token has no schedule to show.
      if (!result.ok) return null
      const label = PROVIDER_LABELS[conn.provider]
      return 'provider_error' in result.value
        ? { connectionId: conn.id, label, error: result.value.provider_error }
        : { connectionId: conn.id, label, slots: result.value.slots }
    }),
  )
  const shown = days.filter((d) => d !== null)
  return isHtmx(c)
    ? fragment(c, <ScheduleAvailability date={date} tz={tz} days={shown} />)
    : c.render(<AvailabilityPage date={date} tz={tz} days={shown} />, { title: 'Free times', active: 'schedule' })
})
