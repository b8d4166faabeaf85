/** /api/v1/invoices: invoices (a total alone, or lines with tax), sending one with its pay link, and the payments recorded on them. */
import { Hono } from 'hono'
import { z } from 'zod'
import { unwrap } from '../../../durable-objects/org/result'
import { INVOICE_STATUSES } from '../../../durable-objects/org/schema'
import type { AppEnv } from '../../env'
import { notFound } from '../../errors'
import { cents, id, isoDate, positiveCents } from '../../http/schemas'
import { jsonBody, optionalJsonBody, queryParams } from '../../http/validate'
import { lineItemSchema } from './job-lines'

/** An invoice's lines: 1 to 100, each as a job's line is checked. */
export const invoiceLines = z
  .array(lineItemSchema)
  .min(1, 'must have at least one line')
  .max(100, 'must have at most 100 lines')

export const invoiceSchema = z
  .object({
    org_client_id: id,
    job_id: id.optional(),
    /** The total is their subtotal plus tax (the client's rate, else the business's default). */
    line_items: invoiceLines.optional(),
    /** A total alone; without it or lines, a job's invoice starts from the job's lines (else its price). */
    total_cents: cents.optional(),
    due_date: isoDate,
    notes: z.string().max(5000).optional(),
    status: z.enum(['draft', 'open']).optional(),
  })
  .refine((v) => v.total_cents !== undefined || v.job_id !== undefined || v.line_items !== undefined, {
    path: ['total_cents'],
    message: 'is required unless line_items or job_id is given',
  })
  .refine((v) => v.total_cents === undefined || v.line_items === undefined, {
    path: ['total_cents'],
    message: 'must be left out with line_items: the total is their subtotal plus tax',
  })

const invoicePatch = z
  .object({
    status: z.enum(['open', 'void']).optional(),
    due_date: isoDate.optional(),
    total_cents: cents.optional(),
    notes: z.string().max(5000).optional(),
    line_items: invoiceLines.optional(),
  })
  .refine((v) => v.total_cents === undefined || v.line_items === undefined, {
    path: ['total_cents'],
    message: 'must be left out with line_items: the total is their subtotal plus tax',
  })

const sendBody = z.object({ channel: z.enum(['sms', 'email']).optional() })

const invoicesQuery = z.object({
  status: z.enum(INVOICE_STATUSES).optional(),
  overdue: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional(),
  org_client_id: id.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
})

export const paymentSchema = z.object({
  amount_cents: positiveCents,
  status: z.enum(['succeeded', 'pending']).optional(),
  method: z.string().trim().max(40).optional(),
  external_id: z.string().trim().min(1).max(200).optional(),
})

export const invoicesApi = new Hono<AppEnv>()
  .post('/', jsonBody(invoiceSchema), async (c) =>
    c.json({ invoice: unwrap(await c.get('org').createInvoice(c.req.valid('json'))) }, 201),
  )
  .get('/', queryParams(invoicesQuery), async (c) =>
    c.json({ items: await c.get('org').listInvoices(c.req.valid('query')) }),
  )
  .get('/:id', async (c) => {
    const found = await c.get('org').getInvoice(c.req.param('id'))
    if (!found) throw notFound('invoice')
    return c.json({ ...found.invoice, payments: found.payments })
  })
  .patch('/:id', jsonBody(invoicePatch), async (c) =>
    c.json({ invoice: unwrap(await c.get('org').updateInvoice(c.req.param('id'), c.req.valid('json'))) }),
  )
  .post('/:id/send', optionalJsonBody(sendBody), async (c) =>
    c.json(unwrap(await c.get('org').sendInvoice(c.req.param('id'), c.req.valid('json').channel)), 201),
  )
  .post('/:id/payments', jsonBody(paymentSchema), async (c) => {
    const recorded = unwrap(await c.get('org').recordPayment(c.req.param('id'), c.req.valid('json')))
    // A provider payment id already on the invoice: that payment again, nothing written.
    return recorded.duplicate ? c.json(recorded, 200) : c.json(recorded, 201)
  })
