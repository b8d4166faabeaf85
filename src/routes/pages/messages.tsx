/** Staff pages for messaging: the log (and failed messages with retry), quiet hours and templates. */
import { Hono, type Context } from 'hono'
import { z } from 'zod'
import { MESSAGE_STATUSES } from '../../../durable-objects/org/schema'
import type { AppEnv } from '../../env'
import { notFound } from '../../errors'
import { ownerOrAdmin } from '../../http/auth'
import { formatJobTime, formatMoney, render } from '../../messaging/templates'
import { fragment } from '../../../views/layout'
import { MessageItem, MessagesPage, MessagingSettingsPage, TemplatePreview } from '../../../views/messages'
import { organizationPatch } from '../api/organization'
import { templatePut } from '../api/templates'
import { formBody, intoApi } from './forms'
import { messagingOf } from '../../messaging/remote'

const filters = z.object({
  channel: z.enum(['sms', 'email']).optional().catch(undefined),
  status: z.enum(MESSAGE_STATUSES).optional().catch(undefined),
  purpose: z.string().max(40).optional().catch(undefined),
  org_client_id: z.string().max(100).optional().catch(undefined),
})

/** Quiet hours as the two time inputs give them, read into the organization API's. */
const quietHoursForm = intoApi(
  z.object({ quiet_start: z.string().default(''), quiet_end: z.string().default('') }),
  (v) => ({ quiet_hours: { start: v.quiet_start, end: v.quiet_end } }),
  organizationPatch.pick({ quiet_hours: true }),
)

/** A template's wording, cut to what the API keeps (the fields' own limits in the browser). */
const templateForm = intoApi(
  z.object({ subject: z.string().default(''), body: z.string().default('') }),
  (v) => ({ subject: v.subject.slice(0, 300), body: v.body.slice(0, 1600) }),
  templatePut,
)

const previewForm = z.object({
  channel: z.enum(['sms', 'email']).catch('sms'),
  subject: z.string().default(''),
  body: z.string().default(''),
})

/** The messaging settings page; with an error (422) when a form came back. */
async function settingsPage(c: Context<AppEnv>, said: { saved?: boolean; error?: string } = {}) {
  const org = c.get('org')
  if (said.error) c.status(422)
  return c.render(
    <MessagingSettingsPage
      settings={(await org.messagingSettings())!}
      templates={await messagingOf(org).listTemplates()}
      {...said}
    />,
    { title: 'Messaging settings', active: 'settings' },
  )
}

export const messagesPages = new Hono<AppEnv>()
  .get('/', async (c) => {
    const f = filters.parse(Object.fromEntries(Object.entries(c.req.query()).filter(([, v]) => v !== '')))
    const items = await messagingOf(c.get('org')).listMessages({ ...f, limit: 200 })
    return c.render(<MessagesPage items={items} filters={f} />, { title: 'Messages', active: 'settings' })
  })
  .post('/:id/retry', ownerOrAdmin, async (c) => {
    const id = c.req.param('id')
    if (!(await messagingOf(c.get('org')).retryMessage(id))) throw notFound('failed message')
    if (!c.req.header('hx-request')) return c.redirect('/app/messages?status=failed', 303)
    const [row] = (await messagingOf(c.get('org')).listMessages({ limit: 500 })).filter((m) => m.id === id)
    return fragment(c, <MessageItem message={row!} />)
  })

export const messagingSettingsPages = new Hono<AppEnv>()
  .get('/', async (c) => settingsPage(c, { saved: c.req.query('saved') === '1' }))
  .post(
    '/',
    ownerOrAdmin,
    formBody(quietHoursForm, (c) => settingsPage(c, { error: 'Quiet hours need two times, HH:MM.' })),
    async (c) => {
      await c.get('org').setMessagingSettings(c.req.valid('form'))
      return c.redirect('/app/settings/messaging?saved=1', 303)
    },
  )
  .post(
    '/templates/:key/:channel',
    ownerOrAdmin,
    formBody(templateForm, (c) => settingsPage(c, { error: 'That message is too long.' })),
    async (c) => {
      const key = z.enum(['job_upcoming', 'invoice_due', 'estimate_sent']).safeParse(c.req.param('key'))
      const channel = z.enum(['sms', 'email']).safeParse(c.req.param('channel'))
      if (!key.success || !channel.success) throw notFound('template')
      await messagingOf(c.get('org')).saveTemplate(key.data, channel.data, c.req.valid('form'))
      return c.redirect(`/app/settings/messaging?saved=1#tpl-${key.data}-${channel.data}`, 303)
    },
  )
  .post(
    '/preview',
    formBody(previewForm, (c) => c.html('', 422)),
    async (c) => {
      const form = c.req.valid('form')
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
        estimate_number: '1001',
        valid_until: 'Fri, Dec 4',
      }
      return c.html(
        <TemplatePreview
          channel={form.channel}
          subject={render(form.subject, vars)}
          body={render(form.body, vars)}
          sample={sample ? `${sample.first_name ?? 'your client'}'s details` : 'example details'}
        />,
      )
    },
  )
