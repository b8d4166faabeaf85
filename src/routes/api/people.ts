/** /api/v1/people: the global registry, as seen by one organization. */
import { Hono } from 'hono'
import type { AppEnv } from '../../env'
import { jsonBody } from '../../http/validate'
import { contactUpdateSchema, getPerson, updateContact, upsertPerson, upsertPersonSchema } from '../../people/service'

export const peopleApi = new Hono<AppEnv>()
  .post('/upsert', jsonBody(upsertPersonSchema), async (c) => {
    const result = await upsertPerson(c.env, c.get('organization'), c.req.valid('json'))
    return c.json(result, result.is_new ? 201 : 200)
  })
  .post('/:id/contact', jsonBody(contactUpdateSchema), async (c) => {
    return c.json(await updateContact(c.env, c.get('organization'), c.req.param('id'), c.req.valid('json')))
  })
  .get('/:id', async (c) => c.json(await getPerson(c.env, c.get('organization'), c.req.param('id'))))
