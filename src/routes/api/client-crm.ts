/** /api/v1/clients/{id}/crm: the client's CRM links (seed 003's contact mappings, made visible), linking by hand and "sync now". */
import { Hono } from 'hono'
import { z } from 'zod'
import { unwrap } from '../../../durable-objects/org/result'
import type { AppEnv } from '../../env'
import { jsonBody, optionalJsonBody } from '../../http/validate'

/** `POST /api/v1/clients/{id}/crm`: which connection and which of its customers. */
export const crmLinkSchema = z
  .object({
    connection_id: z.string().trim().min(1).max(100),
    external_id: z.string().trim().min(1).max(200),
  })
  .strict()

const syncSchema = z.object({ connection_id: z.string().trim().min(1).max(100).optional() }).strict()

export const clientCrmApi = new Hono<AppEnv>()
  .get('/:id/crm', async (c) => c.json({ links: unwrap(await c.get('org').clientCrmLinks(c.req.param('id'))) }))
  .post('/:id/crm', jsonBody(crmLinkSchema), async (c) =>
    c.json(unwrap(await c.get('org').linkClientToCrm(c.req.param('id'), c.req.valid('json'))), 201),
  )
  .post('/:id/crm/sync', optionalJsonBody(syncSchema), async (c) => {
    const { connection_id } = c.req.valid('json')
    return c.json(unwrap(await c.get('org').syncClientToCrm(c.req.param('id'), connection_id)), 202)
  })
  .delete('/:id/crm/:connectionId', async (c) => {
    unwrap(await c.get('org').unlinkClientFromCrm(c.req.param('id'), c.req.param('connectionId')))
    return c.body(null, 204)
  })
