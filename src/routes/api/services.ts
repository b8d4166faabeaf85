/** /api/v1/services: the business's services and their prices. */
import { Hono } from 'hono'
import { z } from 'zod'
import type { AppEnv } from '../../env'
import { cents } from '../../http/schemas'
import { jsonBody } from '../../http/validate'

export const serviceSchema = z.object({
  name: z.string().trim().min(1).max(120),
  duration_minutes: z
    .number()
    .int()
    .min(1)
    .max(24 * 60)
    .optional(),
  price_cents: cents.optional(),
})

export const servicesApi = new Hono<AppEnv>()
  .post('/', jsonBody(serviceSchema), async (c) => c.json(await c.get('org').createService(c.req.valid('json')), 201))
  .get('/', async (c) => c.json({ items: await c.get('org').listServices() }))
