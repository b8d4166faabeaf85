/** /api/v1/templates: the business's wording of each message, per channel. */
import { Hono } from 'hono'
import { z } from 'zod'
import type { AppEnv } from '../../env'
import { notFound } from '../../errors'
import { jsonBody } from '../../http/validate'
import { DEFAULT_TEMPLATES } from '../../messaging/templates'
import { messagingOf } from '../../messaging/remote'

const templateKey = z.enum(Object.keys(DEFAULT_TEMPLATES) as [keyof typeof DEFAULT_TEMPLATES])
export const templatePut = z.object({ subject: z.string().max(300).default(''), body: z.string().max(1600) })

export const templatesApi = new Hono<AppEnv>()
  .get('/', async (c) => c.json({ items: await messagingOf(c.get('org')).listTemplates() }))
  .put('/:key/:channel', jsonBody(templatePut), async (c) => {
    const key = templateKey.safeParse(c.req.param('key'))
    const channel = z.enum(['sms', 'email']).safeParse(c.req.param('channel'))
    if (!key.success || !channel.success) throw notFound('template')
    return c.json(await messagingOf(c.get('org')).saveTemplate(key.data, channel.data, c.req.valid('json')))
  })
