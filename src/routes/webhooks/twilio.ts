/** Twilio's webhooks: inbound SMS, delivery status and voice status callbacks, each signature-checked first. */
import { Hono, type Context } from 'hono'
import type { AppEnv } from '../../env'
import { AppError } from '../../errors'
import { handleInboundSms } from '../../messaging/inbound'
import { handleVoiceCallback } from '../../sales/voice-calls'
import { verifyTwilioSignature } from '../../messaging/twilio-signature'
import { orgStub } from '../../organizations'
import { messageSender } from '../../messaging/message-routes'
import { messagingOf } from '../../messaging/remote'

/** The form params of a verified Twilio request; 401 (nothing read further) when the signature is wrong. */
async function verifiedParams(c: Context<AppEnv>): Promise<Record<string, string>> {
  const form = new URLSearchParams(await c.req.text())
  const pairs = [...form.entries()]
  const header = c.req.header('x-twilio-signature')
  const token = c.env.TWILIO_AUTH_TOKEN ?? ''
  const url = new URL(c.req.url)
  // The public URL first: it is the one Twilio is configured with; each URL is tried once.
  const candidates = new Set<string>()
  if (c.env.PUBLIC_BASE_URL) candidates.add(`${c.env.PUBLIC_BASE_URL.replace(/\/$/, '')}${url.pathname}${url.search}`)
  candidates.add(c.req.url)
  for (const candidate of candidates) {
    if (await verifyTwilioSignature(token, header, candidate, pairs)) return Object.fromEntries(pairs)
  }
  throw new AppError(401, 'unauthorized', 'Invalid X-Twilio-Signature.')
}

/** TwiML that asks Twilio to do nothing more. */
const EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>'

export const twilioWebhooks = new Hono<AppEnv>()
  .post('/sms', async (c) => {
    const params = await verifiedParams(c)
    const xml = await handleInboundSms(c.env, params)
    return c.body(xml, 200, { 'content-type': 'text/xml; charset=utf-8' })
  })
  .post('/status', async (c) => {
    const params = await verifiedParams(c)
    const sid = params['MessageSid'] ?? ''
    const status = params['MessageStatus'] ?? ''
    const organizationId = sid ? await messageSender(c.env, sid) : null
    if (organizationId)
      await messagingOf(orgStub(c.env, organizationId)).applyProviderStatus(
        sid,
        status,
        params['ErrorCode'] || undefined,
      )
    // Unknown message ids are acknowledged too: Twilio would only retry them.
    return c.body(null, 204)
  })
  .post('/voice', async (c) => {
    // A call to or from the business's own number: a call activity on the client's timeline (a replayed CallSid changes nothing).
    await handleVoiceCallback(c.env, await verifiedParams(c))
    // An empty TwiML document: a status callback ignores it, and as a <Dial> action it ends the call
    // cleanly (a 204 there is no TwiML, and Twilio would tell the caller an application error).
    return c.body(EMPTY_TWIML, 200, { 'content-type': 'text/xml; charset=utf-8' })
  })
