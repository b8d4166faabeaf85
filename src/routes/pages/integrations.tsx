/**
 * /app/integrations: the provider cards, connecting (OAuth with a session-bound state, or
 * ServiceTitan's client credentials), a business's own webhook secret, disconnecting, and the
 * OAuth callback itself (under /app so it carries the staff session).
 */
import { zValidator } from '@hono/zod-validator'
import { Hono, type Context } from 'hono'
import { z } from 'zod'
import { CRM_STOP_EVENTS, type SyncSettings } from '../../../durable-objects/org/integrations/connection-settings'
import { unwrap } from '../../../durable-objects/org/result'
import type { Provider } from '../../../durable-objects/org/schema'
import {
  type CardError,
  IntegrationsPage,
  PROVIDER_NAMES,
  ProviderCard,
  SchedulingConfig,
} from '../../../views/integrations/page'
import { ServiceMapForm, SyncSettingsForm } from '../../../views/integrations/settings'
import { fragment } from '../../../views/layout'
import { peopleDb } from '../../db'
import type { AppEnv } from '../../env'
import { AppError, notFound } from '../../errors'
import { ownerOrAdmin } from '../../http/auth'
import { appCredentials, authorizeUrl, OAUTH_PROVIDERS } from '../../integrations/oauth'
import { issueState, takeState } from '../../integrations/oauth-states'
import { integrationSchema } from '../api/integrations'
import { formBody, intoApi, isHtmx } from './forms'
import { connectFlowOf, connectionsOf } from '../../integrations/remote'

const oauthProvider = z.enum(OAUTH_PROVIDERS)
const anyProvider = z.enum(['jobber', 'housecallpro', 'servicetitan', 'quickbooks'])
const typed = z.string().trim().default('')

/** The provider in the path, or a 404 before anything else is read. */
const providerParam = zValidator('param', z.object({ provider: anyProvider }), (result) => {
  if (!result.success) throw notFound('integration')
})

const callbackQuery = z.object({
  state: z.string().max(200).optional(),
  code: z.string().max(4000).optional(),
  realmId: z.string().max(100).optional(),
  error: z.string().max(200).optional(),
  error_description: z.string().max(500).optional(),
})

/** A business's own webhook secret (and account id), read into the API's connection. */
const secretForm = (c: Context<AppEnv>) =>
  intoApi(
    z.object({
      webhook_secret: z
        .string()
        .default('')
        .refine((s) => s.length >= 8 && s.length <= 500, 'Paste the whole secret: 8 to 500 characters.'),
      account_id: typed.transform((v) => v.slice(0, 200)),
    }),
    (v) => ({
      provider: c.req.param('provider'),
      webhook_secret: v.webhook_secret,
      ...(v.account_id ? { account_id: v.account_id } : {}),
    }),
    integrationSchema,
  )

/** ServiceTitan's tenant, and the client id and secret together or not at all. */
const serviceTitanForm = z
  .object({
    tenant_id: typed.transform((v) => v.slice(0, 100)).refine(Boolean, 'Enter your ServiceTitan tenant id.'),
    client_id: typed.transform((v) => v.slice(0, 200)),
    client_secret: typed.transform((v) => v.slice(0, 500)),
  })
  .refine((v) => Boolean(v.client_id) === Boolean(v.client_secret), {
    message: 'Enter both the client id and the client secret, or neither.',
    path: ['client_id'],
  })

/** The page, with a notice or one card's error (then 422: a form came back). */
async function page(c: Context<AppEnv>, opts: { notice?: string; error?: CardError } = {}) {
  const cards = await connectionsOf(c.get('org')).integrationsOverview()
  if (opts.error) c.status(422)
  return c.render(<IntegrationsPage cards={cards} notice={opts.notice} error={opts.error} />, {
    title: 'Integrations',
    active: 'integrations',
  })
}

/** The first of a form's errors, shown on its provider's card beside the field it is about. */
function cardError(
  provider: Provider,
  form: CardError['form'],
  values: Record<string, string>,
  errors: Record<string, string | undefined>,
): CardError {
  const [field, message] = Object.entries(errors).find(([, m]) => m) ?? ['form', 'Check the form.']
  return { provider, form, field, message: message!, values }
}

/** The checkboxes of the sync settings form: a box left unticked is a setting turned off. */
async function syncSettingsForm(c: Context<AppEnv>): Promise<Partial<SyncSettings>> {
  const form = await c.req.parseBody({ all: true })
  const list = ([] as unknown[]).concat(form['stop_journeys_on'] ?? [])
  return {
    sync_messages: form['sync_messages'] === 'on',
    sync_calls: form['sync_calls'] === 'on',
    push_new_clients: form['push_new_clients'] === 'on',
    stop_journeys_on: CRM_STOP_EVENTS.filter((e) => list.includes(e)),
  }
}

/** The service map form: `job_type:<id>` → a service id, or empty for none. */
async function serviceMapForm(c: Context<AppEnv>): Promise<Record<string, string>> {
  const form = await c.req.parseBody()
  const map: Record<string, string> = {}
  for (const [key, value] of Object.entries(form)) {
    const jobType = key.startsWith('job_type:') ? key.slice('job_type:'.length).trim() : ''
    if (jobType && typeof value === 'string' && value.trim()) map[jobType.slice(0, 100)] = value.trim()
  }
  return map
}

function noticeOf(q: Record<string, string>): string | undefined {
  const named = (p: string | undefined) => PROVIDER_NAMES[anyProvider.safeParse(p).data ?? 'jobber']
  if (q.connected) return `${named(q.connected)} is connected.`
  if (q.failed) return `${named(q.failed)} did not connect: see the card for why.`
  if (q.disconnected) return `${named(q.disconnected)} is disconnected.`
  if (q.saved) return `${named(q.saved)} webhook secret saved.`
  if (q.settings) return `${named(q.settings)} sync settings saved.`
  return undefined
}

export const integrationPages = new Hono<AppEnv>()
  .get('/', async (c) => page(c, { notice: noticeOf(c.req.query()) }))
  .get('/oauth/callback', ownerOrAdmin, async (c) => {
    const q = callbackQuery.parse(c.req.query())
    const session = c.get('session')!
    const state = q.state
      ? await takeState(peopleDb(c.env.PEOPLE), q.state, { id: session.id, organizationId: session.organization.id })
      : null
    if (!state)
      throw new AppError(
        400,
        'invalid_state',
        'This connect link has expired, was already used, or was started in another session. Start again from Integrations.',
      )
    const org = c.get('org')
    if (q.error || !q.code) {
      await connectFlowOf(org).failOAuth(
        state.connectionId,
        `authorization refused: ${q.error_description ?? q.error ?? 'no code returned'}`,
      )
      return c.redirect(`/app/integrations?failed=${state.provider}`, 303)
    }
    const view = unwrap(
      await connectFlowOf(org).completeOAuth(state.connectionId, { code: q.code, realmId: q.realmId }),
    )
    return c.redirect(
      `/app/integrations?${view.status === 'connected' ? 'connected' : 'failed'}=${state.provider}#card-${state.provider}`,
      303,
    )
  })
  .post(
    '/servicetitan/connect',
    ownerOrAdmin,
    formBody(serviceTitanForm, (c, values, errors) =>
      page(c, {
        error: cardError(
          'servicetitan',
          'connect',
          { tenant_id: values['tenant_id'] ?? '', client_id: values['client_id'] ?? '' },
          errors,
        ),
      }),
    ),
    async (c) => {
      const { tenant_id, client_id, client_secret } = c.req.valid('form')
      const result = await connectFlowOf(c.get('org')).connectServiceTitan({
        tenant_id,
        ...(client_id ? { client_id, client_secret } : {}),
      })
      if (!result.ok) {
        const message = result.error.issues?.[0]?.message ?? result.error.message
        return page(c, {
          error: {
            provider: 'servicetitan',
            form: 'connect',
            field: 'client_id',
            message,
            values: { tenant_id, client_id },
          },
        })
      }
      return c.redirect(
        `/app/integrations?${result.value.status === 'connected' ? 'connected' : 'failed'}=servicetitan#card-servicetitan`,
        303,
      )
    },
  )
  .post('/:provider/connect', ownerOrAdmin, providerParam, async (c) => {
    const p = oauthProvider.parse(c.req.valid('param').provider)
    if (!appCredentials(c.env, p)) {
      return page(c, {
        error: {
          provider: p,
          form: 'card',
          message: `HomeBase's ${PROVIDER_NAMES[p]} app is not set up here (its client id and secret are missing). Use your own app's webhook secret below instead.`,
        },
      })
    }
    const session = c.get('session')!
    const connection = await connectFlowOf(c.get('org')).startOAuth(p)
    const state = await issueState(peopleDb(c.env.PEOPLE), {
      organizationId: session.organization.id,
      sessionId: session.id,
      provider: p,
      connectionId: connection.id,
    })
    return c.redirect(authorizeUrl(c.env, p, state), 303)
  })
  .post(
    '/:provider/webhook-secret',
    ownerOrAdmin,
    providerParam,
    formBody(secretForm, (c, values, errors) => {
      const provider = anyProvider.parse(c.req.param('provider'))
      return page(c, {
        error: {
          ...cardError(provider, 'secret', { account_id: (values['account_id'] ?? '').trim().slice(0, 200) }, errors),
        },
      })
    }),
    async (c) => {
      const connection = c.req.valid('form')
      unwrap(await connectFlowOf(c.get('org')).createConnection(connection))
      return c.redirect(`/app/integrations?saved=${connection.provider}#card-${connection.provider}`, 303)
    },
  )
  .post('/:id/disconnect', ownerOrAdmin, async (c) => {
    const org = c.get('org')
    const view = unwrap(
      await connectFlowOf(org).disconnectConnection(c.req.param('id'), `disconnected by ${c.get('session')!.email}`),
    )
    if (!c.req.header('hx-request')) return c.redirect(`/app/integrations?disconnected=${view.provider}`, 303)
    const card = (await connectionsOf(org).integrationsOverview()).find((o) => o.provider === view.provider)!
    return fragment(c, <ProviderCard card={card} />)
  })
  .get('/:id/config', async (c) => {
    const org = c.get('org')
    const connection = await connectionsOf(org).getConnection(c.req.param('id'))
    const kinds = connection ? await connectionsOf(org).schedulingConfig(connection.id) : null
    if (!connection || !kinds) throw notFound('integration')
    const services = (await org.listServices({})).map((s) => ({ id: s.id, name: s.name }))
    const config = (
      <SchedulingConfig
        provider={connection.provider}
        kinds={kinds}
        tz={c.get('organization').timezone}
        mapping={{ connection, services }}
      />
    )
    c.header('Vary', 'HX-Request')
    if (isHtmx(c)) return fragment(c, config)
    return c.render(
      <>
        <p class="crumbs">
          <a href={`/app/integrations#card-${connection.provider}`}>Integrations</a> /{' '}
          {PROVIDER_NAMES[connection.provider]}
        </p>
        <section class="card">{config}</section>
      </>,
      { title: `${PROVIDER_NAMES[connection.provider]} scheduling settings`, active: 'integrations' },
    )
  })
  .post('/:id/settings', ownerOrAdmin, async (c) => {
    const org = c.get('org')
    const view = unwrap(await connectionsOf(org).updateSyncSettings(c.req.param('id'), await syncSettingsForm(c)))
    if (!isHtmx(c)) return c.redirect(`/app/integrations?settings=${view.provider}#card-${view.provider}`, 303)
    return fragment(c, <SyncSettingsForm connection={view} canManage notice="Sync settings saved." />)
  })
  .post('/:id/service-map', ownerOrAdmin, async (c) => {
    const org = c.get('org')
    const id = c.req.param('id')
    const result = await connectionsOf(org).updateSyncSettings(id, { service_map: await serviceMapForm(c) })
    if (!result.ok && result.error.status !== 400) unwrap(result)
    const connection = result.ok ? result.value : await connectionsOf(org).getConnection(id)
    if (!connection) throw notFound('integration')
    if (!isHtmx(c) && result.ok)
      return c.redirect(`/app/integrations?settings=${connection.provider}#card-${connection.provider}`, 303)
    const kinds = (await connectionsOf(org).schedulingConfig(id)) ?? []
    const services = (await org.listServices({})).map((s) => ({ id: s.id, name: s.name }))
    const form = (
      <ServiceMapForm
        connection={connection}
        jobTypes={kinds.find((k) => k.kind === 'job_types')?.items ?? []}
        services={services}
        canManage
        notice={result.ok ? 'Service map saved.' : undefined}
        error={result.ok ? undefined : 'A service chosen is no longer offered: choose another.'}
      />
    )
    if (isHtmx(c)) return fragment(c, form, result.ok ? 200 : 422)
    c.status(422)
    return c.render(form, { title: 'Service map', active: 'integrations' })
  })
