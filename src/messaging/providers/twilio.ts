/** Twilio Programmable Messaging: form-encoded POST to Messages.json with HTTP Basic auth. */
import { basicAuth } from '../../encoding'
import { isPermanentStatus, ProviderError, retryAfterSeconds, type Delivered, type OutgoingMessage } from './types'

export type TwilioConfig = { accountSid: string; authToken: string; messagingServiceSid?: string }

/** Sends an SMS; `From` is the message's sender unless a Messaging Service is configured. */
export async function sendTwilioSms(config: TwilioConfig, message: OutgoingMessage): Promise<Delivered> {
  const form = new URLSearchParams({ To: message.to, Body: message.body })
  if (config.messagingServiceSid) form.set('MessagingServiceSid', config.messagingServiceSid)
  else form.set('From', message.from)
  if (message.statusCallbackUrl) form.set('StatusCallback', message.statusCallbackUrl)
  let res: Response
  try {
    res = await fetch(`https://api.twilio.com/2010-04-01/Accounts/${config.accountSid}/Messages.json`, {
      method: 'POST',
      headers: {
        authorization: basicAuth(config.accountSid, config.authToken),
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: form.toString(),
    })
  } catch (error) {
    throw new ProviderError(`Twilio unreachable: ${String(error)}`, false)
  }
  const body = await res
    .json<{ sid?: string; code?: number; message?: string }>()
    .catch(() => ({}) as { sid?: string; code?: number; message?: string })
  if (res.ok && body.sid) return { providerMessageId: body.sid, provider: 'twilio' }
  throw new ProviderError(
    `Twilio ${res.status}${body.code ? ` error ${body.code}` : ''}: ${body.message ?? 'no message'}`,
    isPermanentStatus(res.status),
    body.code ? String(body.code) : undefined,
    retryAfterSeconds(res),
  )
}
