/** /p/{token}: the homeowner portal's entry. The link is verified now; the portal pages come next. */
import { Hono } from 'hono'
import { verifyLinkToken } from '../messaging/portal-token'
import type { AppEnv } from '../env'
import { orgStub } from '../organizations'

export const portalPages = new Hono<AppEnv>().get('/:token', async (c) => {
  const claims = c.env.PORTAL_SIGNING_KEY ? await verifyLinkToken(c.env.PORTAL_SIGNING_KEY, c.req.param('token'), 'portal') : null
  const page = (title: string, text: string, status: 200 | 404) => c.html(
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${title} · HomeBase</title>` +
    `<link rel="stylesheet" href="/app.css"></head><body><main class="main"><section class="card narrow"><h1>${title}</h1><p>${text}</p></section></main></body></html>`, status)
  if (!claims) return page('This link has expired', 'Ask the business to send you a new one.', 404)
  const client = await orgStub(c.env, claims.o).getClient(claims.c)
  if (!client) return page('This link has expired', 'Ask the business to send you a new one.', 404)
  const name = (client.first_name ?? '').replace(/[&<>"']/g, '')
  return page(`Hi ${name}`, 'Your appointments and invoices will be here soon. For now, reply to the text or call the business to confirm or reschedule.', 200)
})
