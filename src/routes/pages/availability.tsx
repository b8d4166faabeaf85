/** /app/schedule/availability?date=: the day's free slots in each connected CRM, a fragment for the booking form. */
import { Hono } from 'hono'
import { type CrmDay, ScheduleAvailability } from '../../../views/schedule-availability'
import { fragment } from '../../../views/layout'
import type { AppEnv } from '../../env'
import { PROVIDER_LABELS, SCHEDULING_PROVIDERS } from '../../integrations/availability'
import { localDate } from '../../time'
import { queryDate } from './forms'

export const availabilityPages = new Hono<AppEnv>().get('/', async (c) => {
  const tz = c.get('organization').timezone
  const date = queryDate(c, 'date') ?? localDate(new Date(), tz)
  const org = c.get('org')
  const crms = (await org.listConnections()).filter(
    (conn) => conn.status === 'connected' && SCHEDULING_PROVIDERS.includes(conn.provider),
  )
  const days = await Promise.all(
    crms.map(async (conn): Promise<CrmDay | null> => {
      const result = await org.availability(conn.id, { date })
      // A connection without a usable token has no schedule to show.
      if (!result.ok) return null
      const label = PROVIDER_LABELS[conn.provider]
      return 'provider_error' in result.value
        ? { connectionId: conn.id, label, error: result.value.provider_error }
        : { connectionId: conn.id, label, slots: result.value.slots }
    }),
  )
  c.header('Cache-Control', 'no-store')
  return fragment(c, <ScheduleAvailability date={date} tz={tz} days={days.filter((d) => d !== null)} />)
})
