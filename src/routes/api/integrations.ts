/** /api/v1/integrations: connections to CRMs and accounting, their status, sync log and a day's availability. Secrets never come back. */
import { Hono } from 'hono'
import { z } from 'zod'
import { syncSettingsPatch } from '../../../durable-objects/org/integrations/connection-settings'
import type { SyncRow } from '../../../durable-objects/org/integrations/sync-log'
import { unwrap } from '../../../durable-objects/org/result'
import { PROVIDERS } from '../../../durable-objects/org/schema'
import type { AppEnv } from '../../env'
import { AppError, notFound } from '../../errors'
import { isoDate } from '../../http/schemas'
import { jsonBody, queryParams } from '../../http/validate'
import { connectFlowOf, connectionsOf } from '../../integrations/remote'

const settingsSchema = z
  .object({
    tenant_id: z.string().trim().min(1).max(100).optional(),
    signature_header: z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9-]{1,100}$/, 'must be an HTTP header name')
      .transform((h) => h.toLowerCase())
      .optional(),
    signature_encoding: z.enum(['base64', 'hex']).optional(),
  })
  .strict()

export const integrationSchema = z.object({
  provider: z.enum(PROVIDERS),
  webhook_secret: z.string().min(8, 'must be at least 8 characters').max(500),
  account_id: z.string().trim().min(1).max(200).optional(),
  settings: settingsSchema.optional(),
})

/** `PATCH /api/v1/integrations/{id}`: the sync settings (seed 003's CRM settings). */
export const connectionPatch = z.object({ settings: syncSettingsPatch }).strict()

const logQuery = z.object({ limit: z.coerce.number().int().min(1).max(500).default(50) })

/** A day's availability: the date in the business's zone, optionally for a job type and a technician (the CRM's ids). */
export const availabilityQuery = z.object({
  date: isoDate,
  job_type_id: z.string().trim().min(1).max(100).optional(),
  technician_id: z.string().trim().min(1).max(100).optional(),
})

/** A sync-log row as the API shows it. */
export const logItem = (r: SyncRow) => ({
  id: r.id,
  connection_id: r.connectionId,
  provider: r.provider,
  direction: r.direction,
  step: r.step,
  status: r.status,
  event_key: r.eventKey,
  topic: r.topic,
  external_id: r.externalId,
  org_client_id: r.orgClientId,
  attempt: r.attempt,
  detail: r.detail,
  at: r.at,
})

export const integrationsApi = new Hono<AppEnv>()
  .post('/', jsonBody(integrationSchema), async (c) => {
    const view = unwrap(await connectFlowOf(c.get('org')).createConnection(c.req.valid('json')))
    return c.json({ ...view, connection_id: view.id, webhook_url: view.webhook_url }, 201)
  })
  .get('/', async (c) => c.json({ items: await connectionsOf(c.get('org')).listConnections() }))
  .get('/:id', async (c) => {
    const view = await connectionsOf(c.get('org')).getConnection(c.req.param('id'))
    if (!view) throw notFound('integration')
    return c.json(view)
  })
  .patch('/:id', jsonBody(connectionPatch), async (c) =>
    c.json(
      unwrap(await connectionsOf(c.get('org')).updateSyncSettings(c.req.param('id'), c.req.valid('json').settings)),
    ),
  )
  .delete('/:id', async (c) =>
    c.json(
      unwrap(await connectFlowOf(c.get('org')).disconnectConnection(c.req.param('id'), 'disconnected through the API')),
    ),
  )
  .get('/:id/log', queryParams(logQuery), async (c) => {
    const rows = await connectionsOf(c.get('org')).connectionLog(c.req.param('id'), c.req.valid('query').limit)
    if (!rows) throw notFound('integration')
    return c.json({ items: rows.map(logItem) })
  })
  .get('/:id/availability', queryParams(availabilityQuery), async (c) => {
    const answer = unwrap(await connectionsOf(c.get('org')).availability(c.req.param('id'), c.req.valid('query')))
    // The provider failed, not us: a 502 in the API's envelope, without the log of an unexpected error.
    if ('provider_error' in answer)
      return c.json(new AppError(502, 'provider_error', answer.provider_error).toBody(), 502)
    return c.json(answer)
  })
