/** /api/v1/tasks: what homeowners asked for from the portal, accepting a new time, closing a request. */
import { Hono } from 'hono'
import { z } from 'zod'
import { unwrap } from '../../../durable-objects/org/result'
import type { AppEnv } from '../../env'
import { instant } from '../../http/schemas'
import { jsonBody, queryParams } from '../../http/validate'
import { portalOf } from '../../portal/remote'

const tasksQuery = z.object({ limit: z.coerce.number().int().min(1).max(500).default(100) })

export const tasksApi = new Hono<AppEnv>()
  .get('/', queryParams(tasksQuery), async (c) =>
    c.json({ items: await portalOf(c.get('org')).openTasks(c.req.valid('query')) }),
  )
  .post('/:id/accept', jsonBody(z.object({ start_at: instant })), async (c) =>
    c.json(unwrap(await c.get('org').acceptRescheduleRequest(c.req.param('id'), c.req.valid('json').start_at))),
  )
  .post('/:id/done', async (c) => {
    unwrap(await portalOf(c.get('org')).closeTask(c.req.param('id')))
    return c.json({ done: true })
  })
