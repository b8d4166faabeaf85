/** /api/v1/messages: the message log, and retrying a message that failed. */
import { Hono } from 'hono'
import { z } from 'zod'
import { MESSAGE_STATUSES } from '../../../durable-objects/org/schema'
import type { AppEnv } from '../../env'
import { notFound } from '../../errors'
import { id } from '../../http/schemas'
import { queryParams } from '../../http/validate'
import { normalizeEmail, normalizePhone } from '../../people/normalize'
import { messagingOf } from '../../messaging/remote'

const messagesQuery = z.object({
  to: z.string().max(200).optional(),
  channel: z.enum(['sms', 'email']).optional(),
  status: z.enum(MESSAGE_STATUSES).optional(),
  purpose: z.string().max(40).optional(),
  org_client_id: id.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
})

export const messagesApi = new Hono<AppEnv>()
  .get('/', queryParams(messagesQuery), async (c) => {
    const q = c.req.valid('query')
    // `to` is matched in its stored form: E.164 for phones, lower-case for email.
    const to =
      q.to === undefined
        ? undefined
        : (normalizeEmail(q.to) ?? normalizePhone(q.to, c.get('organization').country) ?? q.to)
    return c.json({ items: await messagingOf(c.get('org')).listMessages({ ...q, to }) })
  })
  .post('/:id/retry', async (c) => {
    if (!(await messagingOf(c.get('org')).retryMessage(c.req.param('id')))) throw notFound('failed message')
    return c.json({ success: true }, 202)
  })
