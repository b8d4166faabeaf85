/** /api/v1 services, jobs, invoices, payments, reminders and stats. */
import { Hono } from 'hono'
import { z } from 'zod'
import { unwrap } from '../../durable-objects/org/result'
import { INVOICE_STATUSES, JOB_STATUSES } from '../../durable-objects/org/schema'
import type { AppEnv } from '../env'
import { notFound } from '../errors'
import { cents, id, instant, isoDate, positiveCents } from '../http/schemas'
import { jsonBody, queryParams } from '../http/validate'
import { createJob, createJobSchema } from '../jobs/service'

export const serviceSchema = z.object({
  name: z.string().trim().min(1).max(120),
  duration_minutes: z.number().int().min(1).max(24 * 60).optional(),
  price_cents: cents.optional(),
})

const jobsQuery = z.object({
  from: instant.optional(),
  to: instant.optional(),
  status: z.enum(JOB_STATUSES).optional(),
  org_client_id: id.optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(500),
})

export const jobPatch = z.object({
  status: z.enum(JOB_STATUSES).optional(),
  start_at: instant.optional(),
  end_at: instant.optional(),
  price_cents: cents.optional(),
  notes: z.string().max(5000).optional(),
})

export const invoiceSchema = z.object({
  org_client_id: id,
  job_id: id.optional(),
  total_cents: cents,
  due_date: isoDate,
  notes: z.string().max(5000).optional(),
  status: z.enum(['draft', 'open']).optional(),
})

const invoicePatch = z.object({
  status: z.enum(['open', 'void']).optional(),
  due_date: isoDate.optional(),
  total_cents: cents.optional(),
  notes: z.string().max(5000).optional(),
})

const invoicesQuery = z.object({
  status: z.enum(INVOICE_STATUSES).optional(),
  overdue: z.enum(['true', 'false']).transform((v) => v === 'true').optional(),
  org_client_id: id.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
})

export const paymentSchema = z.object({
  amount_cents: positiveCents,
  status: z.enum(['succeeded', 'pending']).optional(),
  method: z.string().trim().max(40).optional(),
  external_id: z.string().trim().min(1).max(200).optional(),
})

const remindersQuery = z.object({
  status: z.enum(['pending', 'sent', 'skipped']).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
})

export const servicesApi = new Hono<AppEnv>()
  .post('/', jsonBody(serviceSchema), async (c) => c.json(await c.get('org').createService(c.req.valid('json')), 201))
  .get('/', async (c) => c.json({ items: await c.get('org').listServices() }))

export const jobsApi = new Hono<AppEnv>()
  .post('/', jsonBody(createJobSchema), async (c) => {
    const { job } = await createJob(c.env, c.get('organization'), c.req.valid('json'))
    return c.json({ success: true, job }, 201)
  })
  .get('/', queryParams(jobsQuery), async (c) => c.json({ items: await c.get('org').listJobs(c.req.valid('query')) }))
  .get('/:id', async (c) => {
    const job = await c.get('org').getJob(c.req.param('id'))
    if (!job) throw notFound('job')
    return c.json(job)
  })
  .patch('/:id', jsonBody(jobPatch), async (c) => c.json(unwrap(await c.get('org').updateJob(c.req.param('id'), c.req.valid('json')))))

export const invoicesApi = new Hono<AppEnv>()
  .post('/', jsonBody(invoiceSchema), async (c) => c.json({ invoice: unwrap(await c.get('org').createInvoice(c.req.valid('json'))) }, 201))
  .get('/', queryParams(invoicesQuery), async (c) => c.json({ items: await c.get('org').listInvoices(c.req.valid('query')) }))
  .get('/:id', async (c) => {
    const found = await c.get('org').getInvoice(c.req.param('id'))
    if (!found) throw notFound('invoice')
    return c.json({ ...found.invoice, payments: found.payments })
  })
  .patch('/:id', jsonBody(invoicePatch), async (c) => c.json({ invoice: unwrap(await c.get('org').updateInvoice(c.req.param('id'), c.req.valid('json'))) }))
  .post('/:id/payments', jsonBody(paymentSchema), async (c) => {
    const recorded = unwrap(await c.get('org').recordPayment(c.req.param('id'), c.req.valid('json')))
    // A provider payment id already on the invoice: that payment again, nothing written.
    return recorded.duplicate ? c.json(recorded, 200) : c.json(recorded, 201)
  })

export const paymentsApi = new Hono<AppEnv>()
  .patch('/:id', jsonBody(z.object({ status: z.enum(['succeeded', 'refunded']) })), async (c) =>
    c.json(unwrap(await c.get('org').updatePayment(c.req.param('id'), c.req.valid('json').status))))

export const remindersApi = new Hono<AppEnv>()
  .get('/', queryParams(remindersQuery), async (c) => c.json({ items: await c.get('org').listReminders(c.req.valid('query')) }))

export const statsApi = new Hono<AppEnv>()
  .get('/clients', async (c) => c.json(await c.get('org').clientStats()))
