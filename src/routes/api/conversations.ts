/**
 * Conversations (API.md "Conversations"): a one-off text or email from staff, a client's thread
 * (what we sent and what they answered), and the inbox of replies with how many are unread.
 */
import { Hono } from 'hono'
import { z } from 'zod'
import type { OrgObject } from '../../../durable-objects/org/org-object'
import type { AppEnv } from '../../env'
import { AppError, notFound } from '../../errors'
import { jsonBody, queryParams } from '../../http/validate'
import { withSentiment } from '../../sales/ai/sentiment'
import { messagingOf } from '../../messaging/remote'

/** Twilio's limit for one text's body. */
export const SMS_MAX = 1600

/** A one-off message: a text of at most 1600 characters, or an email (its subject defaults to "Message from {business}"). */
export const oneOffMessage = z
  .object({
    channel: z.enum(['sms', 'email']),
    body: z.string().trim().min(1, 'write the message').max(10_000),
    subject: z
      .string()
      .trim()
      .max(200)
      .regex(/^[^\r\n]*$/, 'is one line')
      .optional(),
  })
  .superRefine((v, ctx) => {
    if (v.channel === 'sms' && v.body.length > SMS_MAX)
      ctx.addIssue({ code: 'custom', path: ['body'], message: `a text is at most ${SMS_MAX} characters` })
  })

export type OneOffMessage = z.output<typeof oneOffMessage>

/** Why a one-off message did not go, in words for the person who wrote it. */
export function whyNotSent(reason: string, channel: 'sms' | 'email'): string {
  const kind = channel === 'sms' ? 'texts' : 'email'
  switch (reason) {
    case 'opted_out':
      return `Not sent: the client has opted out of ${kind}.`
    case 'no_phone':
      return 'Not sent: the client has no mobile number on file.'
    case 'no_email':
      return 'Not sent: the client has no email address on file.'
    case 'plan_limit':
      return "Not sent: over the plan's texts for this month (an owner can upgrade on the Billing page)."
    default:
      return `Not sent (${reason}).`
  }
}

/**
 * Sends a one-off message to a client now: transactional (staff are answering, so quiet hours do
 * not hold it) but never to someone who opted out of that channel, which is a 409 `not_sent`
 * saying why, with nothing sent. A client not on file is a 404.
 */
export async function sendOneOff(
  org: DurableObjectStub<OrgObject>,
  businessName: string,
  orgClientId: string,
  m: OneOffMessage,
): Promise<{ message_id: string }> {
  if (!(await org.getClient(orgClientId))) throw notFound('client')
  const sent = await org.sendRequestedMessage(orgClientId, {
    channel: m.channel,
    body: m.body,
    subject: m.channel === 'email' ? m.subject || `Message from ${businessName}` : undefined,
    purpose: 'one_off',
    dedupeKey: `one_off:${crypto.randomUUID()}`,
  })
  if ('skipped' in sent) {
    if (sent.skipped === 'client_deleted') throw notFound('client')
    throw new AppError(409, 'not_sent', whyNotSent(sent.skipped, m.channel))
  }
  return { message_id: sent.id }
}

/** /api/v1/clients/{id}/messages and /api/v1/clients/{id}/conversation. */
export const clientConversationApi = new Hono<AppEnv>()
  .post('/:id/messages', jsonBody(oneOffMessage), async (c) =>
    c.json(await sendOneOff(c.get('org'), c.get('organization').name, c.req.param('id'), c.req.valid('json')), 201),
  )
  .get('/:id/conversation', async (c) => {
    const items = await messagingOf(c.get('org')).conversation(c.req.param('id'))
    if (!items) throw notFound('client')
    return c.json({ items: await withSentiment(c.get('org'), items) })
  })

const inboxQuery = z.object({
  unread: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
})

/** /api/v1/inbox: clients who replied, newest conversation first; marking one read. */
export const inboxApi = new Hono<AppEnv>()
  .get('/', queryParams(inboxQuery), async (c) =>
    c.json({ items: await messagingOf(c.get('org')).inbox(c.req.valid('query')) }),
  )
  .post('/:id/read', async (c) => {
    const id = c.req.param('id')
    if (!(await messagingOf(c.get('org')).markConversationRead(id))) throw notFound('client')
    return c.json({ org_client_id: id, unread: 0 })
  })
