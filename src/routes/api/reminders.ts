/** /api/v1/reminders: the reminders the engine planned, sent or skipped. */
import { Hono } from 'hono'
import { z } from 'zod'
import type { AppEnv } from '../../env'
import { queryParams } from '../../http/validate'

const remindersQuery = z.object({
  status: z.enum(['pending', 'sent', 'skipped']).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
})

export const remindersApi = new Hono<AppEnv>().get('/', queryParams(remindersQuery), async (c) =>
  c.json({ items: await c.get('org').listReminders(c.req.valid('query')) }),
)
