/** /api/v1/clients: an organization's clients. */
import { Hono } from 'hono'
import { z } from 'zod'
import { createClient, createClientSchema } from '../clients/service'
import type { AppEnv } from '../env'
import { notFound } from '../errors'
import { jsonBody, queryParams } from '../http/validate'

const listQuery = z.object({
  status: z.enum(['lead', 'active', 'inactive']).optional(),
  tag: z.string().min(1).max(50).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(200).optional(),
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
    return c.json(client)
  })
