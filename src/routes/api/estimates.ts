/** /api/v1/estimates: quotes with lines and tax, sent for approval, booked as jobs. */
import { Hono } from 'hono'
import { z } from 'zod'
import { unwrap } from '../../../durable-objects/org/result'
import { ESTIMATE_STATUSES } from '../../../durable-objects/org/schema'
import { addressSchema } from '../../clients/service'
import { clock } from '../../clock'
import type { AppEnv } from '../../env'
import { invalidInput, notFound } from '../../errors'
import { id, instant, isoDate } from '../../http/schemas'
import { jsonBody, optionalJsonBody, queryParams } from '../../http/validate'
import { bookEstimate, sendEstimate } from '../../sales/estimate-service'
import { sales } from '../../sales/remote'
import { localDate } from '../../time'
import { lineItemSchema } from './job-lines'

/** An estimate's line: as an invoice's, one of it when the quantity is left out. */
const estimateLine = lineItemSchema.extend({ quantity: lineItemSchema.shape.quantity.default(1) })

/** An estimate's lines: 1 to 100. */
export const estimateLines = z
  .array(estimateLine)
  .min(1, 'must have at least one line')
  .max(100, 'must have at most 100 lines')

export const estimateSchema = z
  .object({
    lead_id: id.optional(),
    org_client_id: id.optional(),
    line_items: estimateLines,
    /** The last day the estimate stands, YYYY-MM-DD; 30 days from today when left out. */
    valid_until: isoDate.optional(),
    notes: z.string().max(5000).optional(),
    account_id: id.optional(),
  })
  .refine((v) => (v.lead_id === undefined) !== (v.org_client_id === undefined), {
    message: 'give exactly one of lead_id and org_client_id',
    path: ['org_client_id'],
  })

const estimatePatch = z.object({
  line_items: estimateLines.optional(),
  valid_until: isoDate.optional(),
  notes: z.string().max(5000).nullable().optional(),
})

const estimatesQuery = z.object({
  status: z.enum(ESTIMATE_STATUSES).optional(),
  lead_id: id.optional(),
  org_client_id: id.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(200),
})

const sendBody = z.object({ channel: z.enum(['sms', 'email']).optional() })

/** Booking the approved work: when, who, where (one of the client's properties or a new one), and whether to confirm it. */
export const bookingSchema = z.object({
  start_at: instant,
  end_at: instant.optional(),
  assigned_to: z.array(id).max(20).optional(),
  address_id: id.optional(),
  address: addressSchema.optional(),
  notes: z.string().max(5000).optional(),
  /** `false` books without telling the client (no confirmation). */
  notify: z.boolean().optional(),
})

/** 400 for a last day that has already passed in the business's zone. */
function checkValidUntil(validUntil: string | undefined, tz: string): void {
  if (validUntil !== undefined && validUntil < localDate(clock.now(), tz))
    throw invalidInput([{ path: 'valid_until', message: 'must be today or later' }])
}

export const estimatesApi = new Hono<AppEnv>()
  .post('/', jsonBody(estimateSchema), async (c) => {
    const input = c.req.valid('json')
    checkValidUntil(input.valid_until, c.get('organization').timezone)
    return c.json({ estimate: unwrap(await sales(c.get('org')).estimates.createEstimate(input)) }, 201)
  })
  .get('/', queryParams(estimatesQuery), async (c) =>
    c.json({ items: await sales(c.get('org')).estimates.listEstimates(c.req.valid('query')) }),
  )
  .get('/:id', async (c) => {
    const estimate = await sales(c.get('org')).estimates.getEstimate(c.req.param('id'))
    if (!estimate) throw notFound('estimate')
    return c.json(estimate)
  })
  .patch('/:id', jsonBody(estimatePatch), async (c) => {
    const patch = c.req.valid('json')
    checkValidUntil(patch.valid_until, c.get('organization').timezone)
    return c.json({ estimate: unwrap(await sales(c.get('org')).estimates.updateEstimate(c.req.param('id'), patch)) })
  })
  .delete('/:id', async (c) => {
    unwrap(await sales(c.get('org')).estimates.deleteEstimate(c.req.param('id')))
    return c.json({ deleted: true, id: c.req.param('id') })
  })
  .post('/:id/send', optionalJsonBody(sendBody), async (c) =>
    c.json(await sendEstimate(c.env, c.get('organization'), c.req.param('id'), c.req.valid('json').channel), 201),
  )
  .post('/:id/job', jsonBody(bookingSchema), async (c) =>
    c.json(await bookEstimate(c.env, c.get('organization'), c.req.param('id'), c.req.valid('json')), 201),
  )
