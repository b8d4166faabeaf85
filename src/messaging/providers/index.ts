/** Chooses the provider for a channel from SMS_PROVIDER and EMAIL_PROVIDER (default: the outbox). */
import type { Env } from '../../env'
import { sendCloudflareEmail, sendResendEmail } from './email'
import { sendToOutbox } from './outbox'
import { sendTwilioSms } from './twilio'
import type { Provider } from './types'

/** The provider that delivers `channel`; a misconfigured one fails loudly rather than dropping mail. */
export function providerFor(env: Env, channel: 'sms' | 'email'): Provider {
  const choice = (channel === 'sms' ? env.SMS_PROVIDER : env.EMAIL_PROVIDER) || 'outbox'
  switch (`${channel}:${choice}`) {
    case 'sms:outbox':
    case 'email:outbox':
      return (m) => sendToOutbox(env.PEOPLE, m)
    case 'sms:twilio':
      return (m) =>
        sendTwilioSms(
          {
            accountSid: required(env.TWILIO_ACCOUNT_SID, 'TWILIO_ACCOUNT_SID'),
            authToken: required(env.TWILIO_AUTH_TOKEN, 'TWILIO_AUTH_TOKEN'),
            messagingServiceSid: env.TWILIO_MESSAGING_SERVICE_SID || undefined,
          },
          m,
        )
    case 'email:resend':
      return (m) => sendResendEmail(required(env.RESEND_API_KEY, 'RESEND_API_KEY'), m)
    case 'email:cloudflare':
      if (!env.EMAIL) throw new Error('EMAIL_PROVIDER=cloudflare needs a send_email binding named EMAIL')
      return (m) => sendCloudflareEmail(env.EMAIL!, m)
    default:
      throw new Error(`unknown ${channel} provider "${choice}"`)
  }
}

function required(value: string | undefined, name: string): string {
  if (!value) throw new Error(`${name} is not set`)
  return value
}
