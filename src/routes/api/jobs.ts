/** /api/v1/jobs: booking (with a new client if need be), listing, reading and changing jobs. */
import { clock } from '../../clock'
import { peopleDb } from '../../db'
import { assertOnTeam } from '../../team'
import { Hono } from 'hono'
import { z } from 'zod'
import { unwrap } from '../../../durable-objects/org/result'
import { JOB_STATUSES } from '../../../durable-objects/org/schema'
import type { AppEnv } from '../../env'
import { notFound } from '../../errors'
import { cents, id, instant } from '../../http/schemas'
import { jsonBody, queryParams } from '../../http/validate'
import { sendOnMyWay } from '../../jobs/on-my-way'
import { createJobSchema } from '../../jobs/service'
import { createJobWithCrm, crmBookingSchema } from '../../integrations/booking'

/** A booking may go onto a CRM's board too (`crm`): checked before anything is booked. */
export const createJobBody = createJobSchema.and(z.object({ crm: crmBookingSchema.optional() }))

/** A job status; the American spelling `canceled` is read as `cancelled`. */
const jobStatus = z.preprocess((v) => (v === 'canceled' ? 'cancelled' : v), z.enum(JOB_STATUSES))

const jobsQuery = z.object({
  from: instant.optional(),
  to: instant.optional(),
  status: jobStatus.optional(),
  org_client_id: id.optional(),
  series_id: id.optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(500),
})

/** How far behind now a move still counts as now (a form filled in a minute ago). */
const PAST_SLACK_MS = 5 * 60_000

export const PAST_MESSAGE = 'is in the past; send allow_past: true to move the visit there anyway'

/** A job's change; a new `start_at` more than five minutes ago needs `allow_past: true`. */
export const jobPatch = z
  .object({
    status: jobStatus.optional(),
    start_at: instant.optional(),
    end_at: instant.optional(),
    price_cents: cents.optional(),
    notes: z.string().max(5000).optional(),
    assigned_to: z.array(id).max(20).optional(),
    service_id: id.nullable().optional(),
    address_id: id.nullable().optional(),
    /** Moving a visit into the past is refused unless this says it is meant (a visit recorded late). */
    allow_past: z.boolean().optional(),
    /** For a visit of a series: change this visit only (default) or this and every later one. */
    scope: z.enum(['this', 'following']).optional(),
  })
  .refine(
    (v) => !v.start_at || v.allow_past === true || Date.parse(v.start_at) >= clock.now().getTime() - PAST_SLACK_MS,
    {
      path: ['start_at'],
      message: PAST_MESSAGE,
    },
  )

/** The arrival estimate, in minutes; 20 when not given. */
const onMyWay = z.object({ eta_minutes: z.int().min(1).max(240).default(20) })

export const jobsApi = new Hono<AppEnv>()
  .post('/', jsonBody(createJobBody), async (c) => {
    const { job, series_id, confirmation } = await createJobWithCrm(c.env, c.get('organization'), c.req.valid('json'))
    return c.json({ success: true, job, series_id, confirmation }, 201)
  })
  .get('/', queryParams(jobsQuery), async (c) => c.json({ items: await c.get('org').listJobs(c.req.valid('query')) }))
  .get('/:id', async (c) => {
    const job = await c.get('org').getJob(c.req.param('id'))
    if (!job) throw notFound('job')
    return c.json(job)
  })
  .post('/:id/on-my-way', jsonBody(onMyWay), async (c) =>
    c.json(await sendOnMyWay(c.env, c.get('organization'), c.req.param('id'), c.req.valid('json').eta_minutes), 201),
  )
  .patch('/:id', jsonBody(jobPatch), async (c) => {
    const patch = c.req.valid('json')
    await assertOnTeam(peopleDb(c.env.PEOPLE), c.get('organization').id, patch.assigned_to)
    return c.json(unwrap(await c.get('org').updateJob(c.req.param('id'), patch)))
  })
