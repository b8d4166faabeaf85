/** The Hono application: every HTTP route, mounted by resource, and the one error mapper. */
import { Hono } from 'hono'
import { csrf } from 'hono/csrf'
import { HTTPException } from 'hono/http-exception'
import { ErrorPage } from '../views/error-page'
import { pageRenderer } from '../views/layout'
import type { AppEnv } from './env'
import { AppError } from './errors'
import { requireApiKey, requireCsrfToken, requireSession } from './http/auth'
import { limitBodies } from './http/body-limit'
import { idempotency } from './http/idempotency'
import { staffPages } from './routes/pages'
import { inboxPages } from './routes/pages/inbox'
import { authPages } from './routes/pages/auth'
import { campaignsApi } from './routes/api/campaigns'
import { clientsApi } from './routes/api/clients'
import { functionsApi } from './routes/api/functions'
import { integrationsApi } from './routes/api/integrations'
import { clientImportApi, importsApi } from './routes/api/imports'
import { outboxPages } from './routes/public/outbox'
import { enrollmentsApi, eventsApi, journeysApi } from './routes/api/journeys'
import { auditLogApi, clientMergesApi, mergesApi } from './routes/api/merges'
import { peopleApi } from './routes/api/people'
import { portalPages } from './routes/portal'
import { portalLinksApi } from './routes/api/portal-links'
import { qrScan, reviewFunnel } from './routes/public/reviews'
import { feedbackApi, reviewRequestsApi, techsApi } from './routes/api/reviews'
import { consentsApi } from './routes/api/consents'
import { clientConversationApi, inboxApi } from './routes/api/conversations'
import { messagesApi } from './routes/api/messages'
import { organizationApi } from './routes/api/organization'
import { tasksApi } from './routes/api/tasks'
import { teamApi } from './routes/api/team'
import { templatesApi } from './routes/api/templates'
import { rpcApi } from './routes/api/rpc'
import { crmWebhooks } from './routes/webhooks/crm'
import { emailWebhooks } from './routes/webhooks/email'
import { stripeWebhooks } from './routes/webhooks/stripe'
import { twilioWebhooks } from './routes/webhooks/twilio'
import { unsubscribePages } from './routes/public/unsubscribe'
import { announcementUnsubscribePages } from './routes/public/announcements-unsubscribe'
import { signupApi } from './routes/api/signup'
import { invoicesApi } from './routes/api/invoices'
import { jobsApi } from './routes/api/jobs'
import { seriesApi } from './routes/api/series'
import { jobLinesApi } from './routes/api/job-lines'
import { paymentsApi } from './routes/api/payments'
import { remindersApi } from './routes/api/reminders'
import { servicesApi } from './routes/api/services'
import { statsApi } from './routes/api/stats'
import { leadsApi, leadStatusesApi, reportsApi } from './routes/api/leads'
import { clientActivitiesApi } from './routes/api/activities'
import { clientCrmApi } from './routes/api/client-crm'
import { estimatesApi } from './routes/api/estimates'
import { accountsApi } from './routes/api/accounts'
import { aiInteractionsApi, clientBriefApi, leadBriefApi } from './routes/api/assistant'
import { bookPages } from './routes/public/book'
import { adminApi, adminPages } from './routes/admin'
import { plansApi } from './routes/api/plans'
import { supportApi } from './routes/api/support'
import { exportApi } from './routes/api/export'
import { requireOperator } from './http/operator'
import { estimatePages } from './routes/public/estimates'

export const app = new Hono<AppEnv>()

const SIGN_IN = ['/login', '/signup', '/logout', '/invite/*', '/forgot', '/reset/*']

// Page forms must come from our own origin; API calls authenticate with keys instead.
for (const path of [...SIGN_IN, '/app/*', '/admin/*', '/e/*']) app.use(path, csrf())

app.use('*', limitBodies)

app.get('/healthz', (c) => c.json({ ok: true }))
app.get('/', (c) => c.redirect('/app', 302))

app.route('/api/v1/signup', signupApi)
app.use('/api/v1/*', async (c, next) => (c.req.path === '/api/v1/signup' ? next() : requireApiKey(c, next)))
app.use('/api/v1/*', idempotency)
app.route('/api/v1/people', peopleApi)
app.route('/api/v1/clients', clientMergesApi)
app.route('/api/v1/clients', clientsApi)
app.route('/api/v1/merges', mergesApi)
app.route('/api/v1/audit-log', auditLogApi)
app.route('/api/v1/services', servicesApi)
app.route('/api/v1/jobs', jobsApi)
app.route('/api/v1/series', seriesApi)
app.route('/api/v1/jobs', jobLinesApi)
app.route('/api/v1/invoices', invoicesApi)
app.route('/api/v1/payments', paymentsApi)
app.route('/api/v1/reminders', remindersApi)
app.route('/api/v1/stats', statsApi)
app.route('/api/v1/messages', messagesApi)
app.route('/api/v1/templates', templatesApi)
app.route('/api/v1/organization', organizationApi)
app.route('/api/v1/team', teamApi)
app.route('/api/v1/tasks', tasksApi)
app.route('/api/v1/clients', consentsApi)
app.route('/api/v1/clients', clientConversationApi)
app.route('/api/v1/inbox', inboxApi)
app.route('/api/v1/clients/import', clientImportApi)
app.route('/api/v1/imports', importsApi)
app.route('/api/v1/portal-links', portalLinksApi)
app.route('/api/v1/integrations', integrationsApi)
app.route('/api/v1/journeys', journeysApi)
app.route('/api/v1/events', eventsApi)
app.route('/api/v1/enrollments', enrollmentsApi)
app.route('/api/v1/review-requests', reviewRequestsApi)
app.route('/api/v1/feedback', feedbackApi)
app.route('/api/v1/techs', techsApi)
app.route('/api/v1/campaigns', campaignsApi)
app.route('/api/v1/lead-statuses', leadStatusesApi)
app.route('/api/v1/leads', leadBriefApi)
app.route('/api/v1/leads', leadsApi)
app.route('/api/v1/reports', reportsApi)
app.route('/api/v1/clients', clientActivitiesApi)
app.route('/api/v1/clients', clientCrmApi)
app.route('/api/v1/clients', clientBriefApi)
app.route('/api/v1/estimates', estimatesApi)
app.route('/api/v1/accounts', accountsApi)
app.route('/api/v1/ai-interactions', aiInteractionsApi)
app.route('/api/v1/plans', plansApi)
app.route('/api/v1/support/tickets', supportApi)
app.route('/api/v1', exportApi)
app.use('/functions/v1/*', requireApiKey)
app.route('/functions/v1', functionsApi)
app.use('/rest/v1/*', requireApiKey)
app.route('/rest/v1/rpc', rpcApi)

app.route('/webhooks/twilio', twilioWebhooks)
app.route('/webhooks/stripe', stripeWebhooks)
app.route('/webhooks/email', emailWebhooks)
app.route('/webhooks', crmWebhooks)
app.route('/dev/outbox', outboxPages)
app.route('/p', portalPages)
app.route('/r', reviewFunnel)
app.route('/q', qrScan)
// HomeBase's own pages render with c.render(); every /app request needs the staff session, and every change its CSRF token.
for (const path of [...SIGN_IN, '/u/*', '/book/*', '/e/*']) app.use(path, pageRenderer)
app.use('/app/*', requireSession, requireCsrfToken, pageRenderer)
app.route('/u/announcements', announcementUnsubscribePages)
app.route('/u', unsubscribePages)
app.route('/book', bookPages)
app.route('/e', estimatePages)
app.route('/', authPages)
app.route('/app/inbox', inboxPages)
// The operator console: 404 to anyone PLATFORM_ADMINS does not list, before anything is read.
app.use('/admin/*', requireOperator, requireCsrfToken)
app.use('/admin', requireOperator)
app.route('/admin/api', adminApi)
app.use('/admin', pageRenderer)
app.use('/admin/*', pageRenderer)
app.route('/admin', adminPages)
app.route('/app', staffPages)

const JSON_PATHS = /^\/(api|functions|rest|webhooks|admin\/api)\//

app.notFound((c) => {
  if (JSON_PATHS.test(c.req.path)) return c.json({ error: { code: 'not_found', message: 'No such route.' } }, 404)
  return c.html(ErrorPage({ status: 404, message: 'This page does not exist.' }), 404)
})

app.onError((err, c) => {
  const error = toAppError(err)
  if (error.status >= 500) console.error('unhandled error', c.req.method, c.req.path, err)
  if (error.retryAfterSeconds !== undefined) c.header('Retry-After', String(error.retryAfterSeconds))
  if (JSON_PATHS.test(c.req.path)) return c.json(error.toBody(), error.status)
  return c.html(ErrorPage({ status: error.status, message: error.message }), error.status)
})

/** Maps anything thrown to an AppError: ours as they are, Hono's by status, the rest as 500. */
function toAppError(err: Error): AppError {
  if (err instanceof AppError) return err
  if (err instanceof HTTPException) {
    if (err.status === 400) return new AppError(400, 'invalid_input', err.message || 'The request is not valid.')
    if (err.status === 403) return new AppError(403, 'forbidden', 'This request did not come from a HomeBase page.')
    return new AppError(err.status, 'error', err.message || 'Request failed.')
  }
  return new AppError(500, 'internal', 'Something went wrong on our side.')
}
