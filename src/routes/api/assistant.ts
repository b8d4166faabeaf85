/** The assistant: /api/v1/{leads,clients}/{id}/brief and /api/v1/ai-interactions. */
import { type Context, Hono } from 'hono'
import { z } from 'zod'
import { unwrap } from '../../../durable-objects/org/result'
import { AI_KINDS } from '../../../durable-objects/org/schema'
import type { AppEnv } from '../../env'
import { queryParams } from '../../http/validate'
import { sales } from '../../sales/remote'

/** Who asked: the signed-in staff member's account, or `api` for a call with an API key. */
export const requester = (c: Context<AppEnv>) => c.get('session')?.accountId ?? 'api'

export const leadBriefApi = new Hono<AppEnv>().post('/:id/brief', async (c) =>
  c.json(unwrap(await sales(c.get('org')).assistant.briefLead(c.req.param('id'), requester(c)))),
)

export const clientBriefApi = new Hono<AppEnv>().post('/:id/brief', async (c) =>
  c.json(unwrap(await sales(c.get('org')).assistant.briefClient(c.req.param('id'), requester(c)))),
)

export const interactionsQuery = z.object({
  kind: z.enum(AI_KINDS).optional(),
  subject_id: z.string().trim().min(1).max(100).optional(),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
})

export const aiInteractionsApi = new Hono<AppEnv>().get('/', queryParams(interactionsQuery), async (c) =>
  c.json(await sales(c.get('org')).assistant.listInteractions(c.req.valid('query'))),
)
