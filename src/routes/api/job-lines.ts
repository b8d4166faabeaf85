/** /api/v1/jobs/{id}: what was done on a job — its line items — and marking it complete, with ten minutes to undo. */
import { Hono } from 'hono'
import { z } from 'zod'
import { undoUntil } from '../../../durable-objects/org/crm/completion'
import type { JobWithCrew } from '../../../durable-objects/org/crm/jobs'
import { unwrap } from '../../../durable-objects/org/result'
import type { AppEnv } from '../../env'
import { notFound } from '../../errors'
import { id } from '../../http/schemas'
import { jsonBody } from '../../http/validate'

/** One line as invoices take it: what was done, how many, at what price each. */
export const lineItemSchema = z.object({
  description: z.string().trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters'),
  quantity: z.number().positive('must be more than zero').max(10_000, 'must be at most 10,000'),
  unit_price_cents: z
    .number()
    .int('must be whole cents')
    .min(0, 'must not be negative')
    .max(10_000_000, 'must be at most 10,000,000 cents'),
  service_id: id.nullable().optional(),
  taxable: z.boolean().optional(),
})

/** A job's lines, replaced all at once: 1 to 100 of them. */
export const lineItemsBody = z.object({
  items: z.array(lineItemSchema).min(1, 'must have at least one line').max(100, 'must have at most 100 lines'),
})

/** A job as the API shows it, with until when its completion can be undone (null unless completed). */
const withUndo = (job: JobWithCrew) => ({ ...job, undo_until: undoUntil(job) })

export const jobLinesApi = new Hono<AppEnv>()
  .get('/:id/line-items', async (c) => {
    const lines = await c.get('org').jobLineItems(c.req.param('id'))
    if (!lines) throw notFound('job')
    return c.json(lines)
  })
  .put('/:id/line-items', jsonBody(lineItemsBody), async (c) =>
    c.json(unwrap(await c.get('org').replaceJobLineItems(c.req.param('id'), c.req.valid('json').items))),
  )
  .delete('/:id/line-items', async (c) => c.json(unwrap(await c.get('org').replaceJobLineItems(c.req.param('id'), []))))
  .post('/:id/complete', async (c) => {
    const org = c.get('org')
    const before = await org.getJob(c.req.param('id'))
    if (!before) throw notFound('job')
    const job = unwrap(await org.updateJob(before.id, { status: 'completed' }))
    // 201 when this call completed it; 200 when it already was (nothing raised twice).
    return c.json(withUndo(job), before.status === 'completed' ? 200 : 201)
  })
  .post('/:id/undo-complete', async (c) =>
    c.json(withUndo(unwrap(await c.get('org').undoJobCompletion(c.req.param('id'))))),
  )
