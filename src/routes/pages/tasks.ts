/** /app/tasks: staff close a homeowner's request (a new time, new details) and go back where they were. */
import { Hono } from 'hono'
import { z } from 'zod'
import { unwrap } from '../../../durable-objects/org/result'
import type { AppEnv } from '../../env'
import { formBody, ID } from './forms'

/** Only a path under /app is followed back, so the form cannot send anyone elsewhere. */
const doneForm = z.object({
  back: z
    .string()
    .regex(/^\/app(\/[\w/-]*)?$/)
    .catch('/app'),
})

export const taskPages = new Hono<AppEnv>().post(
  `/:id{${ID}}/done`,
  formBody(doneForm, (c) => c.redirect('/app', 303)),
  async (c) => {
    unwrap(await c.get('org').closeTask(c.req.param('id')))
    return c.redirect(c.req.valid('form').back, 303)
  },
)
