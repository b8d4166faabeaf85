/**
 * /app/inbox: clients who replied (unread first), one client's thread (opening it marks it read),
 * the nav's unread count, and a reply sent from a thread (here or on the client page), with or
 * without JavaScript; a reply that may not go says why beside the box. "Suggest a reply" fills the
 * box with the assistant's draft, which staff edit and send themselves; replies show their tone.
 */
import { type Context, Hono } from 'hono'
import { z } from 'zod'
import { ConversationCard } from '../../../views/clients/conversation'
import type { FormErrors, FormValues } from '../../../views/fields'
import { personName } from '../../../views/format'
import { InboxPage, ThreadPage, UnreadConversationsBadge } from '../../../views/inbox'
import { fragment } from '../../../views/layout'
import type { AppEnv } from '../../env'
import { AppError, notFound } from '../../errors'
import { unwrap } from '../../../durable-objects/org/result'
import { withSentiment } from '../../sales/ai/sentiment'
import { sales } from '../../sales/remote'
import { SMS_MAX, sendOneOff } from '../api/conversations'
import { formBody, ID, isHtmx } from './forms'
import { messagingOf } from '../../messaging/remote'

const page = (title: string) => ({ title, active: 'inbox' as const })

const replyForm = z
  .object({
    channel: z.enum(['sms', 'email'], { message: 'Pick text or email.' }),
    subject: z
      .string()
      .trim()
      .max(200, 'Keep the subject under 200 characters.')
      .regex(/^[^\r\n]*$/, 'Keep the subject on one line.')
      .optional(),
    body: z.string().trim().min(1, 'Write the message.').max(10_000, 'Keep it under 10,000 characters.'),
    back: z.enum(['client', 'inbox']).catch('inbox'),
  })
  .superRefine((v, ctx) => {
    if (v.channel === 'sms' && v.body.length > SMS_MAX)
      ctx.addIssue({ code: 'custom', path: ['body'], message: `A text is at most ${SMS_MAX} characters.` })
  })

/** "Suggest a reply": the reply box's channel and subject are kept; its words are replaced by the draft. */
const draftForm = z.object({
  channel: z.enum(['sms', 'email']).catch('sms'),
  subject: z.string().trim().max(200).optional().catch(undefined),
  back: z.enum(['client', 'inbox']).catch('inbox'),
})

/** Where a reply form comes back to: the thread it was sent from. */
const backTo = (back: string | undefined, id: string) =>
  `${back === 'client' ? `/app/clients/${id}` : `/app/inbox/${id}`}#conversation`

/**
 * The thread after a reply, or a reply that came back: htmx swaps the card; without JavaScript the
 * inbox thread page shows it (with the error beside the box).
 */
async function answer(
  c: Context<AppEnv>,
  id: string,
  form: { values?: FormValues; errors?: FormErrors; notice?: string; error?: string } = {},
  status: 200 | 409 | 422 = 200,
) {
  const org = c.get('org')
  const back = form.values?.['back'] === 'client' ? 'client' : 'inbox'
  const [client, thread] = await Promise.all([org.getClient(id), messagingOf(org).openConversation(id)])
  if (!client || !thread) throw notFound('client')
  const items = await withSentiment(org, thread)
  if (isHtmx(c)) return fragment(c, <ConversationCard clientId={id} items={items} back={back} {...form} />, status)
  c.status(status)
  return c.render(<ThreadPage client={client} items={items} {...form} />, page(personName(client)))
}

export const inboxPages = new Hono<AppEnv>()
  .get('/', async (c) => {
    const unreadOnly = c.req.query('unread') === 'true'
    const items = await messagingOf(c.get('org')).inbox({ unread: unreadOnly, limit: 100 })
    const last = await withSentiment(
      c.get('org'),
      items.map((i) => i.last_message),
    )
    const rows = items.map((i, n) => ({ ...i, last_message: last[n]! }))
    return c.render(<InboxPage items={rows} unreadOnly={unreadOnly} />, page('Inbox'))
  })
  .get('/badge', async (c) => {
    c.header('Cache-Control', 'no-store')
    return c.html(<UnreadConversationsBadge count={await messagingOf(c.get('org')).unreadConversations()} />)
  })
  .get(`/:id{${ID}}`, (c) => answer(c, c.req.param('id')))
  .post(
    `/:id{${ID}}/reply`,
    formBody(replyForm, (c, values, errors) => answer(c, c.req.param('id')!, { values, errors }, 422)),
    async (c) => {
      const id = c.req.param('id')
      const { back, ...message } = c.req.valid('form')
      try {
        await sendOneOff(c.get('org'), c.get('organization').name, id, message)
      } catch (error) {
        if (!(error instanceof AppError) || error.status !== 409) throw error
        const values = { channel: message.channel, subject: message.subject, body: message.body, back }
        return answer(c, id, { values, error: error.message }, 409)
      }
      if (!isHtmx(c)) return c.redirect(backTo(back, id), 303)
      return answer(c, id, { values: { channel: message.channel, back }, notice: 'Sent.' })
    },
  )
  .post(
    `/:id{${ID}}/draft`,
    formBody(draftForm, (c) => answer(c, c.req.param('id')!)),
    async (c) => {
      const id = c.req.param('id')
      const { channel, subject, back } = c.req.valid('form')
      const suggested = unwrap(
        await sales(c.get('org')).assistant.replyDraft(id, channel, c.get('session')?.accountId ?? null),
      )
      const values = { channel, subject, back, body: suggested.draft }
      return answer(c, id, { values, notice: 'A suggested reply is in the box: edit it, then send. Nothing went yet.' })
    },
  )
