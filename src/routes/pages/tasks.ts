/** /app/tasks: staff accept a homeowner's new time or close a request (new details) and go back where they were. */
import { Hono } from 'hono'
import { z } from 'zod'
import { unwrap } from '../../../durable-objects/org/result'
import type { AppEnv } from '../../env'
import { instant } from '../../http/schemas'
import { formBody, ID } from './forms'
import { portalOf } from '../../portal/remote'

/** Only a path under /app is followed back, so the form cannot send anyone elsewhere. */
const doneForm = z.object({
  back: z
    .string()
    .regex(/^\/app(\/[\w/-]*)?$/)
    .catch('/app'),
})

export const taskPages = new Hono<AppEnv>()
  .post(
    `/:id{${ID}}/done`,
    formBody(doneForm, (c) => c.redirect('/app', 303)),
    async (c) => {
      unwrap(await portalOf(c.get('org')).closeTask(c.req.param('id')))
      return c.redirect(c.req.valid('form').back, 303)
    },
  )
  .post(
    `/:id{${ID}}/accept`,
    formBody(doneForm.extend({ time: instant }), (c) => c.redirect('/app', 303)),
    async (c) => {
      const { time, back } = c.req.valid('form')
      unwrap(await c.get('org').acceptRescheduleRequest(c.req.param('id'), time))
      return c.redirect(back, 303)
    },
  )
