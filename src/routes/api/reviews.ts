/** /api/v1 review requests, private feedback, techs (team members) and their QR codes. */
import { type Context, Hono } from 'hono'
import { z } from 'zod'
import { unwrap } from '../../../durable-objects/org/result'
import { REVIEW_REQUEST_STATUSES } from '../../../durable-objects/org/schema'
import { peopleDb } from '../../db'
import type { AppEnv } from '../../env'
import { AppError, notFound } from '../../errors'
import { id } from '../../http/schemas'
import { jsonBody, queryParams } from '../../http/validate'
import { emailField } from '../../people/normalize'
import { ratingPath } from '../../reviews/links'
import { addTeamTech, getTeamTech, linkTeamTech, listTeamTechs } from '../../reviews/team-techs'
import { reviews } from '../../reviews/remote'

/** How long a rating-page link made through the API stays valid (as long as a journey's). */
const LINK_DAYS = 60

const requestsQuery = z.object({
  status: z.enum(REVIEW_REQUEST_STATUSES).optional(),
  org_client_id: id.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
})

/** `send: true` sends the request now by `channel` (sms or email); without it the link is only made. */
const newRequest = z
  .object({
    org_client_id: id,
    channel: z.enum(['sms', 'email', 'portal']).default('portal'),
    send: z.boolean().default(false),
  })
  .refine((r) => !r.send || r.channel !== 'portal', {
    message: 'a request that is sent goes by sms or email',
    path: ['channel'],
  })

const feedbackQuery = z.object({
  unread: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
})

/** A tech: someone on the team (`user_id`), or by name and email (an email not on the team is invited as a tech). */
export const newTech = z
  .object({
    name: z.string().trim().min(1).max(100).optional(),
    email: emailField.nullable().optional(),
    user_id: id.optional(),
  })
  .refine((t) => t.name !== undefined || t.user_id !== undefined, {
    message: 'is required unless user_id names someone on the team',
    path: ['name'],
  })
export const techPatch = z
  .object({ active: z.boolean().optional(), user_id: id.optional() })
  .refine((p) => p.active !== undefined || p.user_id !== undefined, {
    message: 'send active, user_id or both',
    path: ['active'],
  })
export const newQrCode = z.object({ label: z.string().trim().min(1).max(100) })

export const reviewRequestsApi = new Hono<AppEnv>()
  .get('/', queryParams(requestsQuery), async (c) =>
    c.json({ items: await reviews(c.get('org')).listReviewRequests(c.req.valid('query')) }),
  )
  .post('/', jsonBody(newRequest), async (c) => {
    if (!c.env.PORTAL_SIGNING_KEY)
      throw new AppError(503, 'unavailable', 'Review links are not configured (PORTAL_SIGNING_KEY).')
    const input = c.req.valid('json')
    if (input.send && input.channel !== 'portal')
      return c.json(unwrap(await reviews(c.get('org')).askForReview(input.org_client_id, input.channel)), 201)
    const requestId = unwrap(await reviews(c.get('org')).openReviewRequest(input.org_client_id, input.channel))
    const base = c.env.PUBLIC_BASE_URL ?? new URL(c.req.url).origin
    const url = `${base}${await ratingPath(c.env, c.get('organization').id, input.org_client_id, requestId, LINK_DAYS)}`
    return c.json({ review_request_id: requestId, url }, 201)
  })

export const feedbackApi = new Hono<AppEnv>().get('/', queryParams(feedbackQuery), async (c) => {
  const org = c.get('org')
  return c.json({
    items: await reviews(org).listFeedback(c.req.valid('query')),
    unread: await reviews(org).unreadFeedbackCount(),
  })
})

const team = (c: Context<AppEnv>) => [peopleDb(c.env.PEOPLE), c.get('organization').id, c.get('org')] as const

export const techsApi = new Hono<AppEnv>()
  .post('/', jsonBody(newTech), async (c) => {
    const base = c.env.PUBLIC_BASE_URL ?? new URL(c.req.url).origin
    const invitedBy = c.get('session')?.accountId ?? null
    const { tech, invite_url } = await addTeamTech(...team(c), c.req.valid('json'), invitedBy, base)
    return c.json({ ...tech, ...(invite_url ? { invite_url } : {}) }, 201)
  })
  .get('/', async (c) => c.json({ items: await listTeamTechs(...team(c)) }))
  .get('/:id', async (c) => {
    const tech = await getTeamTech(...team(c), c.req.param('id'))
    if (!tech) throw notFound('tech')
    return c.json(tech)
  })
  .patch('/:id', jsonBody(techPatch), async (c) => {
    const id = c.req.param('id')
    const { active, user_id: userId } = c.req.valid('json')
    // The member is checked before anything is written, so a refused link changes nothing.
    if (userId !== undefined) await linkTeamTech(...team(c), id, userId)
    if (active !== undefined) unwrap(await reviews(c.get('org')).setTechActive(id, active))
    const tech = await getTeamTech(...team(c), id)
    if (!tech) throw notFound('tech')
    return c.json(tech)
  })
  .post('/:id/qr-codes', jsonBody(newQrCode), async (c) => {
    const qr = unwrap(await reviews(c.get('org')).addQrCode(c.req.param('id'), c.req.valid('json').label))
    const base = c.env.PUBLIC_BASE_URL ?? new URL(c.req.url).origin
    return c.json({ ...qr, url: `${base}/q/${qr.code}` }, 201)
  })
