/** POST /app/jobs/{id}/undo-complete: "Completed · Undo" on the job page, for ten minutes after completing. */
import { Hono } from 'hono'
import { unwrap } from '../../../../durable-objects/org/result'
import type { AppEnv } from '../../../env'
import { ID, isHtmx } from '../forms'
import { DONE, jobAnswer, jobDetail } from './detail'

export const jobCompletionPages = new Hono<AppEnv>().post(`/:id{${ID}}/undo-complete`, async (c) => {
  const id = c.req.param('id')
  const result = await c.get('org').undoJobCompletion(id)
  if (!result.ok && result.error.status === 404) unwrap(result)
  if (result.ok && !isHtmx(c)) return c.redirect(`/app/jobs/${id}?done=undone`, 303)
  if (result.ok) return jobAnswer(c, await jobDetail(c, result.value), { notice: DONE.undone })
  // Too late, or not completed: the page says why, with the job as it is.
  return jobAnswer(c, await jobDetail(c, await c.get('org').getJob(id)), { error: result.error.message }, 409)
})
