/** Staff pages for messaging: the log (and failed messages with retry), quiet hours and templates. */
import { Hono } from 'hono'
import { z } from 'zod'
import { MESSAGE_STATUSES } from '../../../durable-objects/org/schema'
import type { AppEnv } from '../../env'
import { notFound } from '../../errors'
import { requireCsrfToken, requireRole, requireSession } from '../../http/auth'
import { formatJobTime, formatMoney, render, type Channel } from '../../messaging/templates'
import { isClockTime } from '../../time'
import { MessageItem, MessagesPage, MessagingSettingsPage, TemplatePreview } from '../../../views/messages'

const filters = z.object({
  channel: z.enum(['sms', 'email']).optional().catch(undefined),
  status: z.enum(MESSAGE_STATUSES).optional().catch(undefined),
  purpose: z.string().max(40).optional().catch(undefined),
  org_client_id: z.string().max(100).optional().catch(undefined),
})

const formText = (v: unknown) => (typeof v === 'string' ? v : '')

export const messagesPages = new Hono<AppEnv>()
  .use('*', requireSession, requireCsrfToken)
  .get('/', async (c) => {
    const f = filters.parse(Object.fromEntries(Object.entries(c.req.query()).filter(([, v]) => v !== '')))
    const items = await c.get('org').listMessages({ ...f, limit: 200 })
    return c.html(<MessagesPage session={c.get('session')!} items={items} filters={f} />)
  })
  .post('/:id/retry', requireRole('owner', 'admin'), async (c) => {
    const id = c.req.param('id')
    if (!(await c.get('org').retryMessage(id))) throw notFound('failed message')
    if (!c.req.header('hx-request')) return c.redirect('/app/messages?status=failed', 303)
    const [row] = (await c.get('org').listMessages({ limit: 500 })).filter((m) => m.id === id)
    return c.html(<MessageItem session={c.get('session')!} message={row!} />)
  })

export const messagingSettingsPages = new Hono<AppEnv>()
  .use('*', requireSession, requireCsrfToken)
  .get('/', async (c) => {
    const org = c.get('org')
    return c.html(<MessagingSettingsPage session={c.get('session')!} settings={(await org.messagingSettings())!} templates={await org.listTemplates()} saved={c.req.query('saved') === '1'} />)
  })
  .post('/', requireRole('owner', 'admin'), async (c) => {
    const form = await c.req.parseBody()
    const start = formText(form['quiet_start'])
    const end = formText(form['quiet_end'])
    const org = c.get('org')
    if (!isClockTime(start) || !isClockTime(end)) {
      return c.html(<MessagingSettingsPage session={c.get('session')!} settings={(await org.messagingSettings())!} templates={await org.listTemplates()} error="Quiet hours need two times, HH:MM." />, 422)
    }
    await org.setMessagingSettings({ quiet_hours: { start, end } })
    return c.redirect('/app/settings/messaging?saved=1', 303)
  })
  .post('/templates/:key/:channel', requireRole('owner', 'admin'), async (c) => {
    const key = z.enum(['job_upcoming', 'invoice_due']).safeParse(c.req.param('key'))
    const channel = z.enum(['sms', 'email']).safeParse(c.req.param('channel'))
    if (!key.success || !channel.success) throw notFound('template')
    const form = await c.req.parseBody()
    await c.get('org').saveTemplate(key.data, channel.data, { subject: formText(form['subject']).slice(0, 300), body: formText(form['body']).slice(0, 1600) })
    return c.redirect(`/app/settings/messaging?saved=1#tpl-${key.data}-${channel.data}`, 303)
  })
  .post('/preview', async (c) => {
    const form = await c.req.parseBody()
    const { items } = await c.get('org').listClients({ limit: 1 })
    const sample = items[0]
    const org = c.get('organization')
    const vars = {
      first_name: sample?.first_name ?? 'Jordan',
      business_name: org.name,
      job_time: formatJobTime(new Date(Date.now() + 86_400_000).toISOString(), org.timezone),
      portal_link: `${c.env.PUBLIC_BASE_URL ?? new URL(c.req.url).origin}/p/…`,
      amount: formatMoney(14500),
      due_date: 'Fri, Dec 4',
    }
    const channel: Channel = formText(form['channel']) === 'email' ? 'email' : 'sms'
    return c.html(<TemplatePreview channel={channel} subject={render(formText(form['subject']), vars)} body={render(formText(form['body']), vars)}
      sample={sample ? `${sample.first_name ?? 'your client'}'s details` : 'example details'} />)
  })

