/** The seed's own route names (`/functions/v1/...`), answering with the seed's shapes. */
import { Hono } from 'hono'
import { z } from 'zod'
import type { AppEnv } from '../env'
import { jsonBody } from '../http/validate'
import { contactUpdateSchema, updateContact, upsertPerson, upsertPersonSchema } from '../people/service'

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
