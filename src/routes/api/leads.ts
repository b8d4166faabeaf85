/** /api/v1/lead-statuses, /api/v1/leads (with activities and conversion) and /api/v1/reports/conversions. */
import { Hono } from 'hono'
import { unwrap } from '../../../durable-objects/org/result'
import { authorOf } from '../../clients/intake'
import type { AppEnv } from '../../env'
import { notFound } from '../../errors'
import { jsonBody, queryParams } from '../../http/validate'
import { convertLead } from '../../sales/conversion'
import {
  activitySchema,
  createLeadSchema,
  leadPatchSchema,
  leadStatusPatch,
  leadStatusSchema,
  listLeadsQuery,
  reportQuery,
} from '../../sales/lead-schemas'
import { createLead, leadsQuery, updateLead } from '../../sales/leads'
import { sales } from '../../sales/remote'

export const leadStatusesApi = new Hono<AppEnv>()
  .get('/', async (c) => c.json({ items: await sales(c.get('org')).leads.listStatuses() }))
  .post('/', jsonBody(leadStatusSchema), async (c) =>
    c.json(unwrap(await sales(c.get('org')).leads.createStatus(c.req.valid('json'))), 201),
  )
  .patch('/:id', jsonBody(leadStatusPatch), async (c) =>
    c.json(unwrap(await sales(c.get('org')).leads.updateStatus(c.req.param('id'), c.req.valid('json')))),
  )
  .delete('/:id', async (c) => c.json(unwrap(await sales(c.get('org')).leads.deleteStatus(c.req.param('id')))))

export const leadsApi = new Hono<AppEnv>()
  .get('/activity-types', async (c) => c.json({ items: await sales(c.get('org')).leads.activityTypes() }))
  .post('/', jsonBody(createLeadSchema), async (c) => {
    const lead = await createLead(c.env, c.get('organization'), c.req.valid('json'))
    return c.json({ lead_id: lead.id, lead }, 201)
  })
  .get('/', queryParams(listLeadsQuery), async (c) =>
    c.json(await sales(c.get('org')).leads.listLeads(leadsQuery(c.get('organization'), c.req.valid('query')))),
  )
  .get('/:id', async (c) => {
    const lead = await sales(c.get('org')).leads.getLead(c.req.param('id'))
    if (!lead) throw notFound('lead')
    return c.json(lead)
  })
  .patch('/:id', jsonBody(leadPatchSchema), async (c) =>
    c.json(
      await updateLead(
        c.env,
        c.get('organization'),
        c.req.param('id'),
        c.req.valid('json'),
        c.get('session')?.accountId ?? null,
      ),
    ),
  )
  .post('/:id/convert', async (c) => {
    const session = c.get('session')
    const { org_client_id, lead } = await convertLead(
      c.env,
      c.get('organization'),
      c.req.param('id'),
      authorOf(session),
      session?.accountId ?? null,
    )
    return c.json({ org_client_id, lead })
  })
  .post('/:id/activities', jsonBody(activitySchema), async (c) => {
    const activity = unwrap(
      await sales(c.get('org')).leads.addActivity(
        { lead_id: c.req.param('id') },
        { ...c.req.valid('json'), author_id: c.get('session')?.accountId ?? null },
      ),
    )
    return c.json({ activity }, 201)
  })
  .get('/:id/activities', async (c) => {
    const items = await sales(c.get('org')).leads.activitiesOf({ lead_id: c.req.param('id') })
    if (!items) throw notFound('lead')
    return c.json({ items })
  })

export const reportsApi = new Hono<AppEnv>().get('/conversions', queryParams(reportQuery), async (c) =>
  c.json(await sales(c.get('org')).leads.conversionReport(c.req.valid('query'))),
)
