/** Duplicate client cards of one business: suggestions, merge and undo, as JSON and as pages. */
import { Hono } from 'hono'
import { z } from 'zod'
import { unwrap } from '../../../durable-objects/org/result'
import { API_AUTHOR } from '../../clients/intake'
import type { AppEnv } from '../../env'
import { id } from '../../http/schemas'
import { jsonBody, queryParams } from '../../http/validate'
import { mergesOf } from '../../clients/remote'

/** Who the audit log names for an API call: the API key (pages name the staff member), as card provenance does. */
const API_ACTOR = API_AUTHOR.by
export const mergeBody = z.object({ from_org_client_id: id })
const auditQuery = z.object({
  org_client_id: id.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
})

/** Mounted at /api/v1/clients before the clients API, so `/duplicates` and `/{id}/merge` are found here. */
export const clientMergesApi = new Hono<AppEnv>()
  .get('/duplicates', async (c) => c.json({ items: await mergesOf(c.get('org')).findDuplicates() }))
  .post('/:id/merge', jsonBody(mergeBody), async (c) => {
    return c.json(
      unwrap(
        await mergesOf(c.get('org')).mergeClients(c.req.param('id'), c.req.valid('json').from_org_client_id, API_ACTOR),
      ),
    )
  })

/** /api/v1/merges */
export const mergesApi = new Hono<AppEnv>()
  .get('/', async (c) => c.json({ items: await mergesOf(c.get('org')).listMerges() }))
  .post('/:id/undo', async (c) => c.json(unwrap(await mergesOf(c.get('org')).undoMerge(c.req.param('id'), API_ACTOR))))

/** /api/v1/audit-log: who merged and unmerged which cards, newest first. */
export const auditLogApi = new Hono<AppEnv>().get('/', queryParams(auditQuery), async (c) =>
  c.json({ items: await mergesOf(c.get('org')).listAudit(c.req.valid('query')) }),
)
