/** The seed's PostgREST-style RPCs (`/rest/v1/rpc/...`): bare arrays and objects, no `items` wrapper. */
import { Hono } from 'hono'
import { z } from 'zod'
import type { AppEnv } from '../../env'
import { notFound } from '../../errors'
import { id } from '../../http/schemas'
import { jsonBody } from '../../http/validate'
import { sales } from '../../sales/remote'
import { isoDate } from '../../http/schemas'

/** `p_org_id` must name the key's own organization; another one is simply not found. */
const orgParam = z.object({ p_org_id: id })

export const rpcApi = new Hono<AppEnv>()
  .post('/client_timeline', jsonBody(z.object({ p_org_client_id: id })), async (c) => {
    const items = await c.get('org').clientTimeline(c.req.valid('json').p_org_client_id)
    if (!items) throw notFound('client')
    return c.json(items)
  })
  .post('/client_stats', jsonBody(orgParam), async (c) => {
    if (c.req.valid('json').p_org_id !== c.get('organization').id) throw notFound('organization')
    return c.json(await c.get('org').clientStats())
  })
  .post('/search_clients', jsonBody(orgParam.extend({ p_query: z.string().max(100) })), async (c) => {
    const { p_org_id, p_query } = c.req.valid('json')
    if (p_org_id !== c.get('organization').id) throw notFound('organization')
    const { items } = await c.get('org').listClients({ q: p_query, limit: 50 })
    return c.json(items)
  })
  .post('/client_lead_history', jsonBody(z.object({ p_org_client_id: id })), async (c) => {
    const items = await sales(c.get('org')).leads.clientLeadHistory(c.req.valid('json').p_org_client_id)
    if (!items) throw notFound('client')
    return c.json(items)
  })
  .post(
    '/lead_conversion_summary',
    jsonBody(z.object({ p_from: isoDate.optional(), p_to: isoDate.optional() })),
    async (c) => {
      const { p_from, p_to } = c.req.valid('json')
      const report = await sales(c.get('org')).leads.conversionReport({ from: p_from, to: p_to })
      return c.json(report.by_status)
    },
  )
