/**
 * The email provider's inbound webhook: Resend's `email.received` (signed by Svix), verified on
 * the raw body before anything is read. A bad signature is 401 and stores nothing; a delivery id
 * seen before answers 200 with `duplicate` and files nothing again.
 */
import { Hono } from 'hono'
import { clock } from '../../clock'
import { receiveResendEmail, resendEvent } from '../../email/resend'
import { verifySvix } from '../../email/svix'
import type { AppEnv } from '../../env'
import { AppError, invalidInput } from '../../errors'

export const emailWebhooks = new Hono<AppEnv>().post('/resend', async (c) => {
  const raw = new Uint8Array(await c.req.arrayBuffer())
  const secret = c.env.RESEND_WEBHOOK_SECRET
  if (!secret) throw new AppError(401, 'unauthorized', 'Resend webhooks are not configured.')
  const svixId = c.req.header('svix-id') ?? null
  const verdict = await verifySvix(
    raw,
    {
      id: svixId,
      timestamp: c.req.header('svix-timestamp') ?? null,
      signature: c.req.header('svix-signature') ?? null,
    },
    secret,
    clock.now().getTime() / 1000,
  )
  if (!verdict.ok || !svixId)
    throw new AppError(401, 'unauthorized', `Invalid svix-signature (${verdict.ok ? 'no id' : verdict.reason}).`)
  let body: unknown
  try {
    body = JSON.parse(new TextDecoder().decode(raw))
  } catch {
    throw invalidInput([{ path: 'body', message: 'is not JSON' }])
  }
  const event = resendEvent.safeParse(body)
  if (!event.success) throw invalidInput([{ path: 'body', message: 'is not a Resend event' }])
  // Other events (sent, delivered, bounced…) are acknowledged: Resend would only retry them.
  if (event.data.type !== 'email.received') return c.json({ ok: true, ignored: event.data.type })
  const filed = await receiveResendEmail(c.env, svixId, event.data.data)
  return c.json({ ok: true, ...filed, ...(filed.status === 'duplicate' ? { duplicate: true } : {}) })
})
