/**
 * /app/integrations: the provider cards, connecting (OAuth with a session-bound state, or
 * ServiceTitan's client credentials), a business's own webhook secret, disconnecting, and the
 * OAuth callback itself (under /app so it carries the staff session).
 */
import { Hono, type Context } from 'hono'
import { z } from 'zod'
import { unwrap } from '../../../durable-objects/org/result'
import type { Provider } from '../../../durable-objects/org/schema'
import { type CardError, IntegrationsPage, PROVIDER_NAMES, ProviderCard, SchedulingConfig } from '../../../views/integrations'
import { peopleDb } from '../../db'
import type { AppEnv } from '../../env'
import { AppError, notFound } from '../../errors'
import { requireCsrfToken, requireRole, requireSession } from '../../http/auth'
import { appCredentials, authorizeUrl, OAUTH_PROVIDERS } from '../../integrations/oauth'
import { issueState, takeState } from '../../integrations/oauth-states'

const oauthProvider = z.enum(OAUTH_PROVIDERS)
const anyProvider = z.enum(['jobber', 'housecallpro', 'servicetitan', 'quickbooks'])
const formText = (v: unknown) => (typeof v === 'string' ? v.trim() : '')

const callbackQuery = z.object({
  state: z.string().max(200).optional(),
  code: z.string().max(4000).optional(),
  realmId: z.string().max(100).optional(),
  error: z.string().max(200).optional(),
  error_description: z.string().max(500).optional(),
})

/** The page, with a notice or one card's error (then 422: a form came back). */
async function page(c: Context<AppEnv>, opts: { notice?: string; error?: CardError } = {}) {
  const cards = await c.get('org').integrationsOverview()
  return c.html(<IntegrationsPage session={c.get('session')!} cards={cards} notice={opts.notice} error={opts.error} />, opts.error ? 422 : 200)
}

function noticeOf(q: Record<string, string>): string | undefined {
  const named = (p: string | undefined) => PROVIDER_NAMES[anyProvider.safeParse(p).data ?? 'jobber']
  if (q.connected) return `${named(q.connected)} is connected.`
  if (q.failed) return `${named(q.failed)} did not connect: see the card for why.`
  if (q.disconnected) return `${named(q.disconnected)} is disconnected.`
  if (q.saved) return `${named(q.saved)} webhook secret saved.`
  return undefined
}

export const integrationPages = new Hono<AppEnv>()
  .use('*', requireSession, requireCsrfToken)
  .get('/', async (c) => page(c, { notice: noticeOf(c.req.query()) }))
  .get('/oauth/callback', requireRole('owner', 'admin'), async (c) => {
    const q = callbackQuery.parse(c.req.query())
    const session = c.get('session')!
    const state = q.state ? await takeState(peopleDb(c.env.PEOPLE), q.state, { id: session.id, organizationId: session.organization.id }) : null
    if (!state) throw new AppError(400, 'invalid_state', 'This connect link has expired, was already used, or was started in another session. Start again from Integrations.')
    const org = c.get('org')
    if (q.error || !q.code) {
      await org.failOAuth(state.connectionId, `authorization refused: ${q.error_description ?? q.error ?? 'no code returned'}`)
      return c.redirect(`/app/integrations?failed=${state.provider}`, 303)
    }
    const view = unwrap(await org.completeOAuth(state.connectionId, { code: q.code, realmId: q.realmId }))
    return c.redirect(`/app/integrations?${view.status === 'connected' ? 'connected' : 'failed'}=${state.provider}#card-${state.provider}`, 303)
  })
  .post('/:provider/connect', requireRole('owner', 'admin'), async (c) => {
    const provider = anyProvider.safeParse(c.req.param('provider'))
    if (!provider.success) throw notFound('integration')
    if (provider.data === 'servicetitan') return connectServiceTitan(c)
    const p = oauthProvider.parse(provider.data)
    if (!appCredentials(c.env, p)) {
      return page(c, { error: { provider: p, form: 'card', message: `HomeBase's ${PROVIDER_NAMES[p]} app is not set up here (its client id and secret are missing). Use your own app's webhook secret below instead.` } })
    }
    const session = c.get('session')!
    const connection = await c.get('org').startOAuth(p)
    const state = await issueState(peopleDb(c.env.PEOPLE), { organizationId: session.organization.id, sessionId: session.id, provider: p, connectionId: connection.id })
    return c.redirect(authorizeUrl(c.env, p, state), 303)
  })
  .post('/:provider/webhook-secret', requireRole('owner', 'admin'), async (c) => {
    const provider = anyProvider.safeParse(c.req.param('provider'))
    if (!provider.success) throw notFound('integration')
    const form = await c.req.parseBody()
    const secret = typeof form['webhook_secret'] === 'string' ? form['webhook_secret'] : ''
    const accountId = formText(form['account_id']).slice(0, 200)
    if (secret.length < 8 || secret.length > 500) {
      return page(c, { error: { provider: provider.data, form: 'secret', field: 'webhook_secret', message: 'Paste the whole secret: 8 to 500 characters.', values: { account_id: accountId } } })
    }
    unwrap(await c.get('org').createConnection({ provider: provider.data, webhook_secret: secret, ...(accountId ? { account_id: accountId } : {}) }))
    return c.redirect(`/app/integrations?saved=${provider.data}#card-${provider.data}`, 303)
  })
  .post('/:id/disconnect', requireRole('owner', 'admin'), async (c) => {
    const org = c.get('org')
    const view = unwrap(await org.disconnectConnection(c.req.param('id'), `disconnected by ${c.get('session')!.email}`))
    if (!c.req.header('hx-request')) return c.redirect(`/app/integrations?disconnected=${view.provider}`, 303)
    const card = (await org.integrationsOverview()).find((o) => o.provider === view.provider)!
    return c.html(<ProviderCard session={c.get('session')!} card={card} />)
  })
  .get('/:id/config', async (c) => {
    const org = c.get('org')
    const connection = await org.getConnection(c.req.param('id'))
    const kinds = connection ? await org.schedulingConfig(connection.id) : null
    if (!connection || !kinds) throw notFound('integration')
    return c.html(<SchedulingConfig provider={connection.provider} kinds={kinds} tz={c.get('session')!.organization.timezone} />)
  })

async function connectServiceTitan(c: Context<AppEnv>) {
  const form = await c.req.parseBody()
  const values = { tenant_id: formText(form['tenant_id']).slice(0, 100), client_id: formText(form['client_id']).slice(0, 200) }
  const secret = formText(form['client_secret']).slice(0, 500)
  const provider: Provider = 'servicetitan'
  if (!values.tenant_id) return page(c, { error: { provider, form: 'connect', field: 'tenant_id', message: 'Enter your ServiceTitan tenant id.', values } })
  if (Boolean(values.client_id) !== Boolean(secret)) {
    return page(c, { error: { provider, form: 'connect', field: 'client_id', message: 'Enter both the client id and the client secret, or neither.', values } })
  }
  const result = await c.get('org').connectServiceTitan({ tenant_id: values.tenant_id, ...(values.client_id ? { client_id: values.client_id, client_secret: secret } : {}) })
  if (!result.ok) return page(c, { error: { provider, form: 'connect', field: 'client_id', message: result.error.issues?.[0]?.message ?? result.error.message, values } })
  return c.redirect(`/app/integrations?${result.value.status === 'connected' ? 'connected' : 'failed'}=servicetitan#card-servicetitan`, 303)
}
