/**
 * Every staff page under /app, one route module per resource. src/app.ts puts the staff session,
 * the CSRF check and the page renderer in front of all of them.
 */
import { Hono } from 'hono'
import type { AppEnv } from '../../env'
import { availabilityPages } from './availability'
import { campaignPages } from './campaigns'
import { clientsPages, consentRoutes } from './clients'
import { dashboardPages } from './dashboard'
import { importPages } from './imports'
import { integrationPages } from './integrations'
import { invoicesPages } from './invoices'
import { jobsPages } from './jobs'
import { journeyPages } from './journeys'
import { mergePages } from './merges'
import { messagesPages, messagingSettingsPages } from './messages'
import { reviewPages } from './reviews'
import { schedulePages } from './schedule'
import { seriesPages } from './series'
import { servicesPages } from './services'
import { settingsPages } from './settings'
import { exportPages } from './export'
import { taskPages } from './tasks'
import { leadsPages } from './leads'
import { estimatesPages } from './estimates'
import { accountsPages } from './accounts'
import { assistantPages } from './assistant'
import { billingPages } from './billing'
import { supportPages } from './support'

export const staffPages = new Hono<AppEnv>()
  .route('/', dashboardPages)
  .route('/clients/import', importPages)
  .route('/clients', mergePages)
  .route('/clients', clientsPages)
  .route('/clients', consentRoutes)
  .route('/schedule/availability', availabilityPages)
  .route('/schedule', schedulePages)
  .route('/jobs', jobsPages)
  .route('/series', seriesPages)
  .route('/invoices', invoicesPages)
  .route('/services', servicesPages)
  .route('/tasks', taskPages)
  .route('/messages', messagesPages)
  .route('/settings/messaging', messagingSettingsPages)
  .route('/settings', exportPages)
  .route('/settings', settingsPages)
  .route('/journeys', journeyPages)
  .route('/reviews', reviewPages)
  .route('/campaigns', campaignPages)
  .route('/integrations', integrationPages)
  .route('/leads', leadsPages)
  .route('/estimates', estimatesPages)
  .route('/accounts', accountsPages)
  .route('/assistant', assistantPages)
  .route('/billing', billingPages)
  .route('/support', supportPages)
