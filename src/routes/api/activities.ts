/** /api/v1/clients/{id}/activities (calls, notes, meetings, emails and texts logged on a client) and /lead-history (the leads it came from). */
import { Hono } from 'hono'
import { unwrap } from '../../../durable-objects/org/result'
import type { AppEnv } from '../../env'
import { notFound } from '../../errors'
import { jsonBody } from '../../http/validate'
import { clientActivitySchema, loggedCallOf } from '../../sales/call-schemas'
import { sales } from '../../sales/remote'

export const clientActivitiesApi = new Hono<AppEnv>()
  .post('/:id/activities', jsonBody(clientActivitySchema), async (c) => {
    const { duration_seconds, outcome, url, ...body } = c.req.valid('json')
    const subject = { org_client_id: c.req.param('id') }
    const authorId = c.get('session')?.accountId ?? null
    // A call goes through the calls area: its duration, outcome and link are kept, and it is pushed to the client's CRM.
    const activity = unwrap(
      body.type === 'call'
        ? await sales(c.get('org')).calls.logCall(
            subject,
            loggedCallOf({ ...body, duration_seconds, outcome, url }, authorId),
          )
        : await sales(c.get('org')).leads.addActivity(subject, { ...body, author_id: authorId }),
    )
    return c.json({ activity }, 201)
  })
  .get('/:id/activities', async (c) => {
    const items = await sales(c.get('org')).leads.activitiesOf({ org_client_id: c.req.param('id') })
    if (!items) throw notFound('client')
    return c.json({ items })
  })
  .get('/:id/lead-history', async (c) => {
    const items = await sales(c.get('org')).leads.clientLeadHistory(c.req.param('id'))
    if (!items) throw notFound('client')
    return c.json({ items })
  })
