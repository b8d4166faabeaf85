/** /api/v1/services: the business's services and their prices, in the owner's order; archived ones on request. */
import { Hono } from 'hono'
import { z } from 'zod'
import { unwrap } from '../../../durable-objects/org/result'
import type { AppEnv } from '../../env'
import { cents } from '../../http/schemas'
import { jsonBody, queryParams } from '../../http/validate'

const duration = z
  .number()
  .int()
  .min(1)
  .max(24 * 60)

export const serviceSchema = z.object({
  name: z.string().trim().min(1).max(120),
  duration_minutes: duration.optional(),
  price_cents: cents.optional(),
})

/** A change of a service: `active: false` archives it (old jobs keep it), `position` moves it in the order (0 first). */
export const servicePatch = z.object({
  name: z.string().trim().min(1).max(120).optional(),
  duration_minutes: duration.nullable().optional(),
  price_cents: cents.nullable().optional(),
  active: z.boolean().optional(),
  position: z.int().min(0).max(10_000).optional(),
})

const listQuery = z.object({
  include_archived: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional(),
})

export const servicesApi = new Hono<AppEnv>()
  .post('/', jsonBody(serviceSchema), async (c) => c.json(await c.get('org').createService(c.req.valid('json')), 201))
  .get('/', queryParams(listQuery), async (c) =>
    c.json({ items: await c.get('org').listServices(c.req.valid('query')) }),
  )
  .patch('/:id', jsonBody(servicePatch), async (c) =>
    c.json(unwrap(await c.get('org').updateService(c.req.param('id'), c.req.valid('json')))),
  )
