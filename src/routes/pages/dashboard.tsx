/** /app: the dashboard. */
import { Hono } from 'hono'
import type { AppEnv } from '../../env'
import { DashboardPage } from '../../../views/dashboard'
import { jobItems } from './lookups'

export const dashboardPages = new Hono<AppEnv>().get('/', async (c) => {
  const org = c.get('org')
  const [data, services] = await Promise.all([org.dashboard(), org.listServices()])
  const today = await jobItems(c, data.jobs_today, services)
  return c.render(<DashboardPage data={data} today={today} />, { title: 'Home', active: 'home' })
})
