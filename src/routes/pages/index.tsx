/** Staff pages under /app (session + CSRF), one route module per subject. */
import { Hono } from 'hono'
import type { AppEnv } from '../../env'
import { requireCsrfToken, requireSession } from '../../http/auth'
import { clientsPages, consentRoutes } from './clients'
import { dashboardPages } from './dashboard'
import { invoicesPages } from './invoices'
import { jobsPages } from './jobs'
import { schedulePages } from './schedule'
import { servicesPages } from './services'
import { settingsPages } from './settings'

export const appPages = new Hono<AppEnv>()
  .use('*', requireSession, requireCsrfToken)
  .route('/', dashboardPages)
  .route('/clients', clientsPages)
  .route('/clients', consentRoutes)
  .route('/schedule', schedulePages)
  .route('/jobs', jobsPages)
  .route('/invoices', invoicesPages)
  .route('/services', servicesPages)
  .route('/settings', settingsPages)
