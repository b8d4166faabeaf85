/**
 * The operator console under /admin, for the accounts PLATFORM_ADMINS lists (src/http/operator.ts
 * answers 404 to anyone else). Pages render with c.render(); /admin/api answers JSON. An operator
 * sees businesses' figures, plans and tickets, never their clients' private data.
 */
import { Hono } from 'hono'
import type { AppEnv } from '../../env'
import { adminAnnouncementsPages } from './announcements'
import {
  adminMetricsApi,
  adminOrganizationsApi,
  adminOrganizationsCsvApi,
  adminOrganizationsPages,
} from './organizations'
import { adminTicketsApi, adminTicketsPages } from './tickets'
import { adminPlansPages } from './plans'
import { consoleRenderer } from '../../../views/admin/layout'

export const adminApi = new Hono<AppEnv>()
  .route('/organizations.csv', adminOrganizationsCsvApi)
  .route('/organizations', adminOrganizationsApi)
  .route('/metrics', adminMetricsApi)
  .route('/tickets', adminTicketsApi)

export const adminPages = new Hono<AppEnv>()
  .use('*', consoleRenderer)
  .route('/tickets', adminTicketsPages)
  .route('/announcements', adminAnnouncementsPages)
  .route('/plans', adminPlansPages)
  .route('/', adminOrganizationsPages)
