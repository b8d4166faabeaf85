/** The Hono application: every HTTP route, mounted by resource, and the one error mapper. */
import { Hono } from 'hono'
import { csrf } from 'hono/csrf'
import { HTTPException } from 'hono/http-exception'
import type { AppEnv } from './env'
import { AppError } from './errors'
import { requireApiKey } from './http/auth'
import { limitBodies } from './http/body-limit'
import { idempotency } from './http/idempotency'
import { appPages } from './routes/pages'
import { authPages } from './routes/pages/auth'
import { campaignPages } from './routes/pages/campaigns'
import { campaignsApi } from './routes/campaigns'
import { clientsApi } from './routes/clients'
import { functionsApi } from './routes/functions'
import { integrationPages } from './routes/pages/integrations'
import { integrationsApi } from './routes/integrations'
import { clientImportApi, importsApi } from './routes/imports'
import { importPages } from './routes/pages/imports'
import { messagesPages, messagingSettingsPages } from './routes/pages/messages'
import { outboxPages } from './routes/public/outbox'
import { journeyPages } from './routes/pages/journeys'
import { enrollmentsApi, eventsApi, journeysApi } from './routes/journeys'
import { auditLogApi, clientMergesApi, mergesApi } from './routes/merges'
import { mergePages } from './routes/pages/merges'
import { peopleApi } from './routes/people'
import { portalPages } from './routes/portal'
import { portalLinksApi } from './routes/portal-links'
import { paymentSettingsPages } from './routes/pages/settings'
import { taskPages } from './routes/pages/tasks'
import { qrScan, reviewFunnel } from './routes/public/reviews'
import { reviewPages } from './routes/pages/reviews'
import { feedbackApi, reviewRequestsApi, techsApi } from './routes/reviews'
import { consentsApi, messagesApi, organizationApi, templatesApi } from './routes/messaging'
import { rpcApi } from './routes/rpc'
import { crmWebhooks } from './routes/webhooks-crm'
import { stripeWebhooks } from './routes/webhooks-stripe'
import { twilioWebhooks } from './routes/webhooks-twilio'
import { unsubscribePages } from './routes/public/unsubscribe'
import { signupApi } from './routes/signup'
import { invoicesApi, jobsApi, paymentsApi, remindersApi, servicesApi, statsApi } from './routes/work'

export const app = new Hono<AppEnv>()

// Page forms must come from our own origin; API calls authenticate with keys instead.
for (const path of ['/login', '/signup', '/logout', '/invite/*', '/forgot', '/reset/*', '/app/*']) app.use(path, csrf())

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
app.route('/api/v1/invoices', invoicesApi)
app.route('/api/v1/payments', paymentsApi)
app.route('/api/v1/reminders', remindersApi)
app.route('/api/v1/stats', statsApi)
app.route('/api/v1/messages', messagesApi)
app.route('/api/v1/templates', templatesApi)
app.route('/api/v1/organization', organizationApi)
app.route('/api/v1/clients', consentsApi)
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
app.use('/functions/v1/*', requireApiKey)
app.route('/functions/v1', functionsApi)
app.use('/rest/v1/*', requireApiKey)
app.route('/rest/v1/rpc', rpcApi)

app.route('/webhooks/twilio', twilioWebhooks)
app.route('/webhooks/stripe', stripeWebhooks)
app.route('/webhooks', crmWebhooks)
app.route('/dev/outbox', outboxPages)
app.route('/p', portalPages)
app.route('/r', reviewFunnel)
app.route('/q', qrScan)
app.route('/u', unsubscribePages)
app.route('/', authPages)
app.route('/app/clients/import', importPages)
app.route('/app/clients', mergePages)
app.route('/app/tasks', taskPages)
app.route('/app/settings/payments', paymentSettingsPages)
app.route('/app/messages', messagesPages)
app.route('/app/settings/messaging', messagingSettingsPages)
app.route('/app/journeys', journeyPages)
app.route('/app/reviews', reviewPages)
app.route('/app/campaigns', campaignPages)
app.route('/app/integrations', integrationPages)
app.route('/app', appPages)

const JSON_PATHS = /^\/(api|functions|rest|webhooks)\//

app.notFound((c) => {
  if (JSON_PATHS.test(c.req.path)) return c.json({ error: { code: 'not_found', message: 'No such route.' } }, 404)
  return c.html(errorPage(404, 'This page does not exist.'), 404)
})

app.onError((err, c) => {
  const error = toAppError(err)
  if (error.status >= 500) console.error('unhandled error', c.req.method, c.req.path, err)
  if (error.retryAfterSeconds !== undefined) c.header('Retry-After', String(error.retryAfterSeconds))
  if (JSON_PATHS.test(c.req.path)) return c.json(error.toBody(), error.status)
  return c.html(errorPage(error.status, error.message), error.status)
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

function errorPage(status: number, message: string): string {
  const safe = message.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`)
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">` +
    `<title>${status} · HomeBase</title><link rel="stylesheet" href="/app.css"></head><body><main class="main"><section class="card narrow">` +
    `<h1>${status === 404 ? 'Not found' : 'Something is not right'}</h1><p>${safe}</p><p><a href="/app">Back to HomeBase</a></p></section></main></body></html>`
}
