/** /api/v1/campaigns: create, preview a segment or a campaign, test-send to yourself, send now or later, follow progress per send, cancel. */
import { and, eq } from 'drizzle-orm'
import { type Context, Hono } from 'hono'
import { z } from 'zod'
import { SEND_STATUSES } from '../../../durable-objects/org/campaigns/campaigns'
import { unwrap } from '../../../durable-objects/org/result'
import { CLIENT_STATUSES } from '../../../durable-objects/org/crm/statuses'
import { sha256Hex } from '../../auth/crypto'
import { peopleDb } from '../../db'
import type { AppEnv } from '../../env'
import { AppError, notFound } from '../../errors'
import { cents, id, instant, isoDate } from '../../http/schemas'
import { jsonBody, optionalJsonBody, queryParams } from '../../http/validate'
import { accounts, apiKeys, memberships } from '../../people/schema'
import { campaignsOf } from '../../campaigns/remote'

/** Who a campaign goes to; unknown fields are refused so a misspelt filter never widens the audience. */
export const segmentSchema = z
  .strictObject({
    status: z.array(z.enum(CLIENT_STATUSES)).max(CLIENT_STATUSES.length).optional(),
    tags: z.array(z.string().trim().min(1).max(50)).max(50).optional(),
    last_job_before: isoDate.optional(),
    last_job_after: isoDate.optional(),
    service_id: id.optional(),
    ltv_min_cents: cents.optional(),
    ltv_max_cents: cents.optional(),
    opted_in: z.boolean().optional(),
  })
  .refine((s) => s.ltv_min_cents === undefined || s.ltv_max_cents === undefined || s.ltv_min_cents <= s.ltv_max_cents, {
    message: 'must not be more than ltv_max_cents',
    path: ['ltv_min_cents'],
  })

export const channelSchema = z.enum(['sms', 'email'])

/** A campaign: an email needs a subject; a text stays within 10 SMS segments. */
export const campaignSchema = z
  .object({
    name: z.string().trim().min(1).max(120),
    channel: channelSchema,
    segment: segmentSchema.default({}),
    subject: z
      .string()
      .trim()
      .max(200)
      .regex(/^[^\r\n]*$/, 'is one line')
      .optional(),
    body: z.string().trim().min(1).max(10_000),
  })
  .superRefine((c, ctx) => {
    if (c.channel === 'email' && !c.subject)
      ctx.addIssue({ code: 'custom', path: ['subject'], message: 'an email needs a subject' })
    if (c.channel === 'sms' && c.body.length > 1600)
      ctx.addIssue({ code: 'custom', path: ['body'], message: 'a text message must be at most 1600 characters' })
  })

export const previewSchema = z.object({ channel: channelSchema, segment: segmentSchema.default({}) })

export const sendSchema = z.object({ send_at: instant.optional() })

const sendsQuery = z.object({
  status: z.enum(SEND_STATUSES).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(500),
})

/**
 * The staff member a test goes to: the signed-in one on the pages, else whoever made the API key,
 * while they are still on the team. Never a client.
 */
export async function testRecipient(c: Context<AppEnv>): Promise<string> {
  const session = c.get('session')
  if (session) return session.email
  const key = c.req.header('authorization')?.match(/^Bearer\s+(\S+)$/i)?.[1] ?? c.req.header('apikey') ?? ''
  const holder = await peopleDb(c.env.PEOPLE)
    .select({ email: accounts.email })
    .from(apiKeys)
    .innerJoin(accounts, eq(accounts.id, apiKeys.createdBy))
    .innerJoin(
      memberships,
      and(eq(memberships.accountId, apiKeys.createdBy), eq(memberships.organizationId, apiKeys.organizationId)),
    )
    .where(and(eq(apiKeys.keyHash, await sha256Hex(key)), eq(apiKeys.organizationId, c.get('organization').id)))
    .get()
  if (!holder)
    throw new AppError(
      409,
      'no_test_recipient',
      'Whoever made this API key is no longer on the team; use a key of your own.',
    )
  return holder.email
}

export const campaignsApi = new Hono<AppEnv>()
  .post('/', jsonBody(campaignSchema), async (c) =>
    c.json(unwrap(await campaignsOf(c.get('org')).createCampaign(c.req.valid('json'))), 201),
  )
  .get('/', async (c) => c.json({ items: await campaignsOf(c.get('org')).listCampaigns() }))
  .post('/preview', jsonBody(previewSchema), async (c) => {
    const { segment, channel } = c.req.valid('json')
    return c.json(unwrap(await campaignsOf(c.get('org')).previewCampaign(segment, channel)))
  })
  .get('/:id', async (c) => {
    const campaign = await campaignsOf(c.get('org')).getCampaign(c.req.param('id'))
    if (!campaign) throw notFound('campaign')
    return c.json(campaign)
  })
  .get('/:id/preview', async (c) => {
    const confirm = await campaignsOf(c.get('org')).confirmCampaign(c.req.param('id'))
    if (!confirm) throw notFound('campaign')
    const { preview, sample } = unwrap(confirm)
    return c.json({ ...preview, sample })
  })
  .post('/:id/test', async (c) => {
    const to = await testRecipient(c)
    const sent = await campaignsOf(c.get('org')).sendTest(c.req.param('id'), to)
    if (!sent) throw notFound('campaign')
    return c.json({ ...unwrap(sent), to }, 201)
  })
  .post('/:id/send', optionalJsonBody(sendSchema), async (c) =>
    c.json(unwrap(await c.get('org').sendCampaign(c.req.param('id'), c.req.valid('json').send_at ?? null))),
  )
  .post('/:id/cancel', async (c) => c.json(unwrap(await campaignsOf(c.get('org')).cancelCampaign(c.req.param('id')))))
  .get('/:id/sends', queryParams(sendsQuery), async (c) => {
    const items = await campaignsOf(c.get('org')).listCampaignSends(c.req.param('id'), c.req.valid('query'))
    if (!items) throw notFound('campaign')
    return c.json({ items })
  })
