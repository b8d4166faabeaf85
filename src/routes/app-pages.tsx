/** Staff pages under /app (session + CSRF), one route module per subject. */
import { Hono } from 'hono'
import type { AppEnv } from '../env'
import { requireCsrfToken, requireSession } from '../http/auth'
import { clientsPages, consentRoutes } from './pages/clients'
import { dashboardPages } from './pages/dashboard'
import { invoicesPages } from './pages/invoices'
import { jobsPages } from './pages/jobs'
import { schedulePages } from './pages/schedule'
import { servicesPages } from './pages/services'
import { settingsPages } from './pages/settings'

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
