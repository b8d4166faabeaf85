/** /api/v1 messages, templates, consent and organization settings; the seed's reminder-scheduler. */
import { Hono } from 'hono'
import { z } from 'zod'
import { MESSAGE_STATUSES } from '../../durable-objects/org/schema'
import { peopleDb } from '../db'
import type { AppEnv } from '../env'
import { notFound } from '../errors'
import { clockTime, id } from '../http/schemas'
import { jsonBody, queryParams } from '../http/validate'
import { DEFAULT_TEMPLATES } from '../messaging/templates'
import { isTimeZone, showOrganization, updateOrganization } from '../organizations'
import { countryField, normalizeEmail, normalizePhone } from '../people/normalize'
import { setConsent, targetOf } from '../people/consent'

const messagesQuery = z.object({
  to: z.string().max(200).optional(),
  channel: z.enum(['sms', 'email']).optional(),
  status: z.enum(MESSAGE_STATUSES).optional(),
  purpose: z.string().max(40).optional(),
  org_client_id: id.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
})

export const organizationPatch = z.object({
  name: z.string().trim().min(1).max(120).optional(),
  timezone: z.string().refine(isTimeZone, 'is not a known time zone').optional(),
  country: countryField.optional(),
  google_review_url: z.url({ protocol: /^https?$/ }).max(500).nullable().optional(),
  phone: z.string().max(40).nullable().optional(),
  sms_from: z.string().max(40).nullable().optional(),
  quiet_hours: z.object({ start: clockTime, end: clockTime }).optional(),
  stripe_account_id: z.string().regex(/^acct_[A-Za-z0-9]+$/, 'must be a Stripe account id (acct_…)').nullable().optional(),
  payment_instructions: z.string().trim().max(1000).nullable().optional(),
  marketing_cap_per_day: z.int().min(1).max(20).optional(),
  campaign_batch_size: z.int().min(1).max(1000).optional(),
})

export const consentPatch = z.object({
  email_opt_in: z.boolean().optional(),
  sms_opt_in: z.boolean().optional(),
  marketing_email_opt_in: z.boolean().optional(),
  reason: z.string().trim().min(1, 'say why consent changed').max(300),
}).refine((v) => v.email_opt_in !== undefined || v.sms_opt_in !== undefined || v.marketing_email_opt_in !== undefined, {
  message: 'give email_opt_in, sms_opt_in or marketing_email_opt_in', path: ['email_opt_in'],
})

const templateKey = z.enum(Object.keys(DEFAULT_TEMPLATES) as [keyof typeof DEFAULT_TEMPLATES])
export const templatePut = z.object({ subject: z.string().max(300).default(''), body: z.string().max(1600) })

export const messagesApi = new Hono<AppEnv>()
  .get('/', queryParams(messagesQuery), async (c) => {
    const q = c.req.valid('query')
    // `to` is matched in its stored form: E.164 for phones, lower-case for email.
    const to = q.to === undefined ? undefined : normalizeEmail(q.to) ?? normalizePhone(q.to, c.get('organization').country) ?? q.to
    return c.json({ items: await c.get('org').listMessages({ ...q, to }) })
  })
  .post('/:id/retry', async (c) => {
    if (!(await c.get('org').retryMessage(c.req.param('id')))) throw notFound('failed message')
    return c.json({ success: true }, 202)
  })

export const templatesApi = new Hono<AppEnv>()
  .get('/', async (c) => c.json({ items: await c.get('org').listTemplates() }))
  .put('/:key/:channel', jsonBody(templatePut), async (c) => {
    const key = templateKey.safeParse(c.req.param('key'))
    const channel = z.enum(['sms', 'email']).safeParse(c.req.param('channel'))
    if (!key.success || !channel.success) throw notFound('template')
    return c.json(await c.get('org').saveTemplate(key.data, channel.data, c.req.valid('json')))
  })

export const organizationApi = new Hono<AppEnv>()
  .get('/', async (c) => c.json(await showOrganization(c.env, c.get('organization').id, c.get('org'))))
  .patch('/', jsonBody(organizationPatch), async (c) =>
    c.json(await updateOrganization(c.env, c.get('organization'), c.get('org'), c.req.valid('json'))))

export const consentsApi = new Hono<AppEnv>()
  .post('/:id/consents', jsonBody(consentPatch), async (c) => {
    const client = await c.get('org').getClient(c.req.param('id'))
    if (!client) throw notFound('client')
    const { reason, ...change } = c.req.valid('json')
    const consents = await setConsent(peopleDb(c.env.PEOPLE), targetOf(client), c.get('organization').id, change, reason)
    await c.get('org').recordConsentChange(client.org_client_id, consents, reason, null)
    return c.json({ org_client_id: client.org_client_id, consents })
  })

