/** /app: the dashboard, with the first-run checklist until the business is set up (or the owner hides it). */
import { Hono } from 'hono'
import type { AppEnv } from '../../env'
import { requireRole } from '../../http/auth'
import { DashboardPage } from '../../../views/dashboard'
import { ChecklistHidden } from '../../../views/dashboard/checklist'
import { fragment } from '../../../views/layout'
import { isHtmx } from './forms'
import { dashboardLeads } from './leads/dashboard'
import { jobItems } from './lookups'

export const dashboardPages = new Hono<AppEnv>()
  .get('/', async (c) => {
    const org = c.get('org')
    const [data, services, checklist, leads] = await Promise.all([
      org.dashboard(),
      org.listServices({ include_archived: true }),
      org.setupChecklist(),
      dashboardLeads(c),
    ])
    const today = await jobItems(c, data.jobs_today, services)
    return c.render(<DashboardPage data={data} today={today} checklist={checklist} leads={leads} />, {
      title: 'Home',
      active: 'home',
    })
  })
  .post('/checklist/dismiss', requireRole('owner', 'admin'), async (c) => {
    await c.get('org').dismissSetupChecklist()
    return isHtmx(c) ? fragment(c, <ChecklistHidden />) : c.redirect('/app', 303)
  })
