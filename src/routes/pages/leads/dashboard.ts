/** What the dashboard shows of leads: follow-ups due by the end of today and this week's requests from the public form. */
import type { Context } from 'hono'
import type { DashboardLeads } from '../../../../views/leads/follow-ups'
import { mondayOf } from '../../../../views/schedule/range'
import type { AppEnv } from '../../../env'
import { sales } from '../../../sales/remote'
import { addDays, localDate, zonedTimeToUtc } from '../../../time'

/** How many follow-ups the card lists. */
const FOLLOW_UPS_SHOWN = 10

/** Follow-ups due before the end of today in the business's zone (overdue first), and the web requests since Monday. */
export async function dashboardLeads(c: Context<AppEnv>): Promise<DashboardLeads> {
  const tz = c.get('organization').timezone
  const now = new Date()
  const today = localDate(now, tz)
  const endOfToday = zonedTimeToUtc(addDays(today, 1), '00:00', tz).toISOString()
  const weekStart = zonedTimeToUtc(mondayOf(today), '00:00', tz).toISOString()
  const leads = sales(c.get('org')).leads
  const [followUps, count] = await Promise.all([
    leads.followUpsDue(endOfToday, FOLLOW_UPS_SHOWN),
    leads.countRequestsSince(weekStart),
  ])
  return { followUps, requests: count, tz, now: now.toISOString() }
}
