/**
 * Delivering a one-time code. The message goes through the engine's requested-message path
 * (consent, contact on file, the log) with the code left out of the logged text: staff can read
 * their message log, and a code they could read would let them into the homeowner's other
 * providers. The real text is handed to the provider here, at once, and kept nowhere else.
 */
import type { OrgObject } from '../../durable-objects/org/org-object'
import { peopleDb } from '../db'
import type { Env } from '../env'
import { providerFor } from '../messaging/providers'
import { messageRoutes } from '../people/schema'
import { CODE_MINUTES } from './codes'

/** What the message log keeps in place of the code's text. */
export const LOGGED_CODE_TEXT = 'A HomeBase sign-in code was sent here. (The code itself is not kept.)'

/** The text the homeowner receives. */
export function codeText(channel: 'sms' | 'email', code: string): { subject: string; body: string } {
  return {
    subject: 'Your HomeBase sign-in code',
    body: channel === 'sms'
      ? `${code} is your HomeBase code to see all your home service providers. It works for ${CODE_MINUTES} minutes. Do not share it.`
      : `Hello,\n\nYour HomeBase code is ${code}. Type it on the page you came from to see all your home service providers in one place. It works for ${CODE_MINUTES} minutes.\n\nIf you did not ask for it, you can ignore this email.`,
  }
}

/** Sends the code to the client's contact on file; the reason when it could not go. */
export async function deliverCode(env: Env, org: DurableObjectStub<OrgObject>, orgClientId: string, channel: 'sms' | 'email', code: string, codeId: string): Promise<{ sent: true } | { skipped: string }> {
  const text = codeText(channel, code)
  const queued = await org.sendRequestedMessage(orgClientId, { channel, subject: text.subject, body: LOGGED_CODE_TEXT, purpose: 'portal_code', dedupeKey: `portal_code:${codeId}` }, false)
  if ('skipped' in queued) return queued
  const callback = env.SMS_PROVIDER === 'twilio' && env.PUBLIC_BASE_URL ? `${env.PUBLIC_BASE_URL}/webhooks/twilio/status` : undefined
  const outgoing = await org.startDelivery(queued.id, callback)
  if (!outgoing) return { skipped: 'not_queued' }
  try {
    const delivered = await providerFor(env, channel)({ ...outgoing, ...text })
    await org.deliverySucceeded(queued.id, delivered.provider, delivered.providerMessageId)
    await peopleDb(env.PEOPLE).insert(messageRoutes).values({ providerMessageId: delivered.providerMessageId, organizationId: outgoing.organizationId, messageId: queued.id })
      .onConflictDoNothing().run()
    return { sent: true }
  } catch (error) {
    // A code is worth nothing later: fail it for good; the homeowner asks for a new one.
    await org.deliveryFailed(queued.id, error instanceof Error ? error.message : String(error), true)
    return { skipped: 'delivery_failed' }
  }
}
