/** /api/v1/clients/{id}/activities (calls, notes, meetings, emails and texts logged on a client) and /lead-history (the leads it came from). */
import { Hono } from 'hono'
import { unwrap } from '../../../durable-objects/org/result'
import type { AppEnv } from '../../env'
import { notFound } from '../../errors'
import { jsonBody } from '../../http/validate'
import { activitySchema } from '../../sales/lead-schemas'
import { sales } from '../../sales/remote'

export const clientActivitiesApi = new Hono<AppEnv>()
  .post('/:id/activities', jsonBody(activitySchema), async (c) => {
    const activity = unwrap(
      await sales(c.get('org')).leads.addActivity(
        { org_client_id: c.req.param('id') },
        { ...c.req.valid('json'), author_id: c.get('session')?.accountId ?? null },
      ),
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
