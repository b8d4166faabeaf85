/** /app/tasks: staff close a homeowner's request (a new time, new details) and go back where they were. */
import { Hono } from 'hono'
import { unwrap } from '../../../durable-objects/org/result'
import type { AppEnv } from '../../env'
import { requireCsrfToken, requireSession } from '../../http/auth'
import { formStrings, ID } from './forms'

export const taskPages = new Hono<AppEnv>()
  .use('*', requireSession, requireCsrfToken)
  .post(`/:id{${ID}}/done`, async (c) => {
    unwrap(await c.get('org').closeTask(c.req.param('id')))
    const back = (await formStrings(c))['back'] ?? ''
    return c.redirect(/^\/app(\/[\w/-]*)?$/.test(back) ? back : '/app', 303)
  })
