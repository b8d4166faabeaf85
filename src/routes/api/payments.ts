/** /api/v1/payments: marking a payment succeeded or refunded. */
import { Hono } from 'hono'
import { z } from 'zod'
import { unwrap } from '../../../durable-objects/org/result'
import type { AppEnv } from '../../env'
import { jsonBody } from '../../http/validate'

export const paymentsApi = new Hono<AppEnv>().patch(
  '/:id',
  jsonBody(z.object({ status: z.enum(['succeeded', 'refunded']) })),
  async (c) => c.json(unwrap(await c.get('org').updatePayment(c.req.param('id'), c.req.valid('json').status))),
)
