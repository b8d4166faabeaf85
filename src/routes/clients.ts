/** /api/v1/clients: an organization's clients. */
import { Hono } from 'hono'
import { z } from 'zod'
import { unwrap } from '../../durable-objects/org/result'
import { createClient, createClientSchema } from '../clients/service'
import { peopleDb } from '../db'
import type { AppEnv } from '../env'
import { notFound } from '../errors'
import { jsonBody, queryParams } from '../http/validate'
import { consentFor, targetOf } from '../people/consent'

const listQuery = z.object({
  q: z.string().max(100).optional(),
  status: z.enum(['lead', 'active', 'inactive']).optional(),
  tag: z.string().min(1).max(50).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(200).optional(),
})

export const patchClientSchema = z.object({
  status: z.enum(['lead', 'active', 'inactive']).optional(),
  tags: z.array(z.string().max(50)).max(50).optional(),
  notes: z.string().trim().min(1).max(10_000).optional(),
  settings: z.object({
    pricing_tier: z.string().trim().max(50).nullable().optional(),
    tax_rate: z.number().min(0).max(1).nullable().optional(),
    custom_fields: z.record(z.string().max(100), z.union([z.string().max(2000), z.number(), z.boolean(), z.null()])).optional(),
  }).optional(),
})

export const clientsApi = new Hono<AppEnv>()
  .post('/', jsonBody(createClientSchema), async (c) => {
    const result = await createClient(c.env, c.get('organization'), c.req.valid('json'))
    return c.json(result, result.created ? 201 : 200)
  })
  .get('/', queryParams(listQuery), async (c) => c.json(await c.get('org').listClients(c.req.valid('query'))))
  .get('/:id', async (c) => {
    const client = await c.get('org').getClient(c.req.param('id'))
    if (!client) throw notFound('client')
    const consents = await consentFor(peopleDb(c.env.PEOPLE), targetOf(client), c.get('organization').id)
    return c.json({ ...client, consents })
  })
  .patch('/:id', jsonBody(patchClientSchema), async (c) => {
    return c.json(unwrap(await c.get('org').updateClient(c.req.param('id'), c.req.valid('json'))))
  })
  .get('/:id/timeline', async (c) => {
    const items = await c.get('org').clientTimeline(c.req.param('id'))
    if (!items) throw notFound('client')
    return c.json({ items })
  })
