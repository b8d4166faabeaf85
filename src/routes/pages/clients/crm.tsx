/**
 * The client's CRM card (/app/clients/{id}/crm): the card itself (a fragment for htmx, else its
 * own page), "Sync now", unlinking, searching the CRM's customers and linking one.
 */
import { type Context, Hono } from 'hono'
import { z } from 'zod'
import type { Failure } from '../../../../durable-objects/org/result'
import { CRM_PROVIDERS } from '../../../../durable-objects/org/integrations/push-targets'
import { CrmCard, type CrmCardProps, type CrmSearch } from '../../../../views/clients/crm-card'
import { personName } from '../../../../views/format'
import { fragment } from '../../../../views/layout'
import type { AppEnv } from '../../../env'
import { notFound } from '../../../errors'
import { requireRole } from '../../../http/auth'
import { searchCustomers } from '../../../integrations/customer-search'
import { ID, isHtmx } from '../forms'
import { page } from './render'
import { connectionsOf } from '../../../integrations/remote'

/** How many sync-log rows of the client the card shows. */
const LOG_ROWS = 8

const linkForm = z.object({
  connection_id: z.string().trim().min(1).max(100),
  external_id: z.string().trim().min(1).max(200),
})
const connectionForm = z.object({ connection_id: z.string().trim().min(1).max(100) })
const searchQuery = z.object({
  connection_id: z.string().trim().min(1).max(100),
  q: z.string().trim().max(100).default(''),
})

/** The card with everything it shows, plus what the action said. */
async function card(
  c: Context<AppEnv>,
  id: string,
  said: Pick<CrmCardProps, 'notice' | 'error' | 'search'> = {},
  status: 200 | 404 | 409 | 422 | 502 = 200,
) {
  const org = c.get('org')
  const client = await org.getClient(id)
  if (!client) throw notFound('client')
  const [connections, links, log] = await Promise.all([
    connectionsOf(org).listConnections(),
    org.clientCrmLinks(id),
    org.clientSyncLog(id, LOG_ROWS),
  ])
  const live = connections.filter(
    (k) => k.status !== 'disconnected' && (CRM_PROVIDERS as readonly string[]).includes(k.provider),
  )
  const props: CrmCardProps = {
    clientId: id,
    connections: live,
    links: links.ok ? links.value : [],
    log,
    tz: c.get('organization').timezone,
    defaultQuery: client.primary_phone_e164 ?? client.primary_email ?? personName(client),
    canRelink: RELINKERS.includes(c.get('session')?.role ?? ''),
    ...said,
  }
  c.header('Vary', 'HX-Request')
  if (isHtmx(c)) return fragment(c, <CrmCard {...props} />, status)
  c.status(status)
  return c.render(
    <>
      <p class="crumbs">
        <a href="/app/clients">Clients</a> / <a href={`/app/clients/${id}`}>{personName(client)}</a> / CRM
      </p>
      <CrmCard {...props} />
    </>,
    page(`${personName(client)}: CRM`),
  )
}

/** A form's fields, or a 422 card saying what is missing. */
async function fields<T extends z.ZodType>(c: Context<AppEnv>, schema: T): Promise<z.infer<T> | null> {
  const parsed = schema.safeParse(await c.req.parseBody())
  return parsed.success ? parsed.data : null
}

/** What the card says after an action that went to its page without htmx. */
const NOTICES: Record<string, string> = {
  linked: 'Linked to the CRM customer.',
  unlinked: 'Unlinked from the CRM customer.',
  synced: 'Sync started.',
}

/** After an action: its page again (303) without htmx, or the card with what it said. */
function done(c: Context<AppEnv>, id: string, what: keyof typeof NOTICES, notice = NOTICES[what]!) {
  if (!isHtmx(c)) return c.redirect(`/app/clients/${id}/crm?done=${what}`, 303)
  return card(c, id, { notice })
}

const failed = (c: Context<AppEnv>, id: string, e: Failure) => {
  if (e.status === 404 && e.message === 'No such client.') throw notFound('client')
  return card(c, id, { error: e.message }, e.status === 400 ? 422 : e.status)
}

/**
 * Who may search the CRM and link or unlink a client: not techs, who see the link and may sync it.
 * A wrong link sends the client's texts to another CRM customer.
 */
const RELINKERS = ['owner', 'admin', 'member']
const mayRelink = requireRole('owner', 'admin', 'member')

export const crmPages = new Hono<AppEnv>()
  .get(`/:id{${ID}}/crm`, async (c) => {
    const notice = NOTICES[c.req.query('done') ?? '']
    return card(c, c.req.param('id'), notice ? { notice } : {})
  })
  .get(`/:id{${ID}}/crm/search`, mayRelink, async (c) => {
    const id = c.req.param('id')
    const q = searchQuery.safeParse(c.req.query())
    if (!q.success) return card(c, id, { error: 'Choose a CRM to search.' }, 422)
    const org = c.get('org')
    const connection = await connectionsOf(org).getConnection(q.data.connection_id)
    if (!connection) throw notFound('integration')
    const search: CrmSearch = { connectionId: connection.id, q: q.data.q, hits: null }
    if (q.data.q.length < 2) return card(c, id, { search: { ...search, error: 'Type at least two characters.' } })
    const token = await connectionsOf(org).accessToken(connection.id)
    if (!token)
      return card(c, id, {
        search: { ...search, error: 'This CRM has no usable token: reconnect it on Integrations.' },
      })
    try {
      const hits = await searchCustomers(c.env, connection.provider, token, connection.settings, q.data.q)
      return card(c, id, { search: { ...search, hits } })
    } catch (error) {
      console.warn('crm search', connection.provider, error)
      return card(
        c,
        id,
        { search: { ...search, error: 'The CRM did not answer the search. Try again in a moment.' } },
        502,
      )
    }
  })
  .post(`/:id{${ID}}/crm/link`, mayRelink, async (c) => {
    const id = c.req.param('id')
    const form = await fields(c, linkForm)
    if (!form) return card(c, id, { error: 'Choose a customer to link.' }, 422)
    const result = await c.get('org').linkClientToCrm(id, form)
    return result.ok ? done(c, id, 'linked') : failed(c, id, result.error)
  })
  .post(`/:id{${ID}}/crm/unlink`, mayRelink, async (c) => {
    const id = c.req.param('id')
    const form = await fields(c, connectionForm)
    if (!form) return card(c, id, { error: 'Choose a CRM.' }, 422)
    const result = await c.get('org').unlinkClientFromCrm(id, form.connection_id)
    return result.ok ? done(c, id, 'unlinked') : failed(c, id, result.error)
  })
  .post(`/:id{${ID}}/crm/sync`, async (c) => {
    const id = c.req.param('id')
    const form = await fields(c, connectionForm)
    const result = await c.get('org').syncClientToCrm(id, form?.connection_id)
    if (!result.ok) return failed(c, id, result.error)
    const n = result.value.queued
    return done(
      c,
      id,
      'synced',
      n === 0 ? 'In sync: nothing new to send.' : `Sync started: ${n} text${n === 1 ? '' : 's'} on the way.`,
    )
  })
