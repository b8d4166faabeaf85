/** The seed's own route names (`/functions/v1/...`), answering with the seed's shapes. */
import { Hono } from 'hono'
import { z } from 'zod'
import type { AppEnv } from '../../env'
import { notFound } from '../../errors'
import { jsonBody } from '../../http/validate'
import { createJob, createJobSchema } from '../../jobs/service'
import { contactUpdateSchema, updateContact, upsertPerson, upsertPersonSchema } from '../../people/service'

const propagateSchema = contactUpdateSchema.extend({ person_id: z.string().min(1).max(100) })

export const functionsApi = new Hono<AppEnv>()
  .post('/upsert-person', jsonBody(upsertPersonSchema), async (c) => {
    const result = await upsertPerson(c.env, c.get('organization'), c.req.valid('json'))
    return c.json(result, result.is_new ? 201 : 200)
  })
  .post('/propagate-contact-update', jsonBody(propagateSchema), async (c) => {
    const { person_id, ...update } = c.req.valid('json')
    return c.json(await updateContact(c.env, c.get('organization'), person_id, update))
  })
  .post(
    '/create-job-with-client',
    jsonBody(createJobSchema.and(z.object({ organization_id: z.string().max(100).optional() }))),
    async (c) => {
      const { organization_id, ...input } = c.req.valid('json')
      if (organization_id !== undefined && organization_id !== c.get('organization').id) throw notFound('organization')
      const { job } = await createJob(c.env, c.get('organization'), input)
      return c.json({ success: true, job }, 201)
    },
  )
  .post('/reminder-scheduler', async (c) => c.json(await c.get('org').runDueWork()))
