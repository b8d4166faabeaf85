/** How fast one sending number's texts may go, from the settings: SMS_SENDS_PER_SECOND, else the provider's own rate. */
import type { SmsPace } from '../../../durable-objects/org/messaging/send-pace'
import type { Env } from '../../env'

/** Twilio sends 1 text a second from a long code and 100 a second through a Messaging Service. */
export const TWILIO_LONG_CODE_PER_SECOND = 1
export const TWILIO_SERVICE_PER_SECOND = 100

type PaceEnv = Pick<Env, 'SMS_PROVIDER' | 'TWILIO_MESSAGING_SERVICE_SID'> & {
  /** Texts per second per sending number (or per Messaging Service), overriding Twilio's defaults. */
  SMS_SENDS_PER_SECOND?: string
}

/**
 * The pace the ORG object holds a batch's texts to: per number from a long code, for all texts
 * together through a Messaging Service (it spreads them over its numbers). The local outbox is not
 * limited unless SMS_SENDS_PER_SECOND says so.
 */
export function smsPace(env: PaceEnv): SmsPace | null {
  const set = Number(env.SMS_SENDS_PER_SECOND)
  const by = env.SMS_PROVIDER === 'twilio' && env.TWILIO_MESSAGING_SERVICE_SID ? 'service' : 'number'
  if (env.SMS_SENDS_PER_SECOND && set > 0) return { perSecond: set, by }
  if (env.SMS_PROVIDER !== 'twilio') return null
  return { perSecond: by === 'service' ? TWILIO_SERVICE_PER_SECOND : TWILIO_LONG_CODE_PER_SECOND, by }
}
