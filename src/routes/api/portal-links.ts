/** `POST /api/v1/portal-links`: minting portal and single-purpose links (pay, confirm) for a client. */
import { Hono } from 'hono'
import { z } from 'zod'
import { unwrap } from '../../../durable-objects/org/result'
import type { AppEnv } from '../../env'
import { AppError, conflict, notFound } from '../../errors'
import { jsonBody } from '../../http/validate'
import { LINK_DAYS, portalLink, publicBase, signingKeys } from '../../portal/links'
import { portalOf } from '../../portal/remote'

const linkRequest = z
  .object({
    org_client_id: z.string().min(1).max(100),
    purpose: z.enum(['portal', 'pay', 'confirm']).default('portal'),
    invoice_id: z.string().min(1).max(100).optional(),
    job_id: z.string().min(1).max(100).optional(),
    days: z.number().int().min(1).max(90).default(LINK_DAYS),
  })
  .refine((v) => v.purpose !== 'pay' || v.invoice_id, { message: 'a pay link needs invoice_id', path: ['invoice_id'] })
  .refine((v) => v.purpose !== 'confirm' || v.job_id, { message: 'a confirm link needs job_id', path: ['job_id'] })

export const portalLinksApi = new Hono<AppEnv>().post('/', jsonBody(linkRequest), async (c) => {
  const input = c.req.valid('json')
  const org = c.get('org')
  const keys = signingKeys(c.env)
  if (!keys) throw new AppError(503, 'unavailable', 'Portal links are not configured (PORTAL_SIGNING_KEY).')
  if (!(await portalOf(org).portalContact(input.org_client_id))) throw notFound('client')
  let resource: string | undefined
  if (input.purpose === 'pay') {
    resource = unwrap(await portalOf(org).invoiceToPay(input.org_client_id, input.invoice_id!)).invoice.id
  } else if (input.purpose === 'confirm') {
    const job = (await portalOf(org).portalView(input.org_client_id))?.upcoming.find((j) => j.id === input.job_id)
    if (!job) throw notFound('job')
    if (!job.can_confirm) throw conflict('This visit cannot be confirmed any more.')
    resource = job.id
  }
  const url = await portalLink(
    keys,
    publicBase(c.env, c.req.url),
    { o: c.get('organization').id, c: input.org_client_id, p: input.purpose, r: resource },
    input.days,
  )
  return c.json(
    { url, purpose: input.purpose, expires_at: new Date(Date.now() + input.days * 86_400_000).toISOString() },
    201,
  )
})
