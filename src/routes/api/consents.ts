/** /api/v1/clients/{id}/consents: a client's consent to texts, email and marketing, with the reason. */
import { Hono } from 'hono'
import { z } from 'zod'
import { peopleDb } from '../../db'
import type { AppEnv } from '../../env'
import { notFound } from '../../errors'
import { jsonBody } from '../../http/validate'
import { setConsent, targetOf } from '../../people/consent'
import { messagingOf } from '../../messaging/remote'

export const consentPatch = z
  .object({
    email_opt_in: z.boolean().optional(),
    sms_opt_in: z.boolean().optional(),
    marketing_email_opt_in: z.boolean().optional(),
    reason: z.string().trim().min(1, 'say why consent changed').max(300),
  })
  .refine((v) => v.email_opt_in !== undefined || v.sms_opt_in !== undefined || v.marketing_email_opt_in !== undefined, {
    message: 'give email_opt_in, sms_opt_in or marketing_email_opt_in',
    path: ['email_opt_in'],
  })

export const consentsApi = new Hono<AppEnv>().post('/:id/consents', jsonBody(consentPatch), async (c) => {
  const client = await c.get('org').getClient(c.req.param('id'))
  if (!client) throw notFound('client')
  const { reason, ...change } = c.req.valid('json')
  const consents = await setConsent(peopleDb(c.env.PEOPLE), targetOf(client), c.get('organization').id, change, reason)
  await messagingOf(c.get('org')).recordConsentChange(client.org_client_id, consents, reason, null)
  return c.json({ org_client_id: client.org_client_id, consents })
})
