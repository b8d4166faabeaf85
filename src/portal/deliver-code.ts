/**
 * Delivering a one-time code. A sign-in code goes through the engine's requested-message path
 * (consent, the card's contact on file, the log) with the code left out of the logged text: staff
 * can read their message log, and a code they could read would let them into the homeowner's
 * other providers. The real text is handed to the provider here, at once, and kept nowhere else.
 * A code that proves a new phone or email goes to that new point only, from HomeBase itself.
 * Outside local development no code goes to the outbox provider (see codesCanGo).
 */
import type { OrgObject } from '../../durable-objects/org/org-object'
import { peopleDb } from '../db'
import type { Env } from '../env'
import { providerFor } from '../messaging/providers'
import { messageRoutes } from '../people/schema'
import { CODE_MINUTES } from './codes'
import { platformNumber } from '../messaging/sender-number'
import { messagingOf } from '../messaging/remote'

/** What the message log keeps in place of the code's text. */
export const LOGGED_CODE_TEXT = 'A HomeBase sign-in code was sent here. (The code itself is not kept.)'

/** APP_ENV values where nobody but the developer reads the outbox, so a code kept there is harmless. */
const LOCAL_ENVS = new Set(['development', 'test'])

/**
 * Whether a code may go out by `channel`. The outbox provider only keeps messages for
 * /dev/outbox, where the business's owner would read a code that opens the homeowner's other
 * providers: outside local development it takes no codes.
 */
export function codesCanGo(env: Env, channel: 'sms' | 'email'): boolean {
  const provider = (channel === 'sms' ? env.SMS_PROVIDER : env.EMAIL_PROVIDER) || 'outbox'
  return provider !== 'outbox' || LOCAL_ENVS.has(env.APP_ENV)
}

/** A text with the digits of any HomeBase code in it (as codeText and pointCodeText write them) blanked out. */
export function maskCodes(text: string): string {
  return text
    .replace(/\b\d{6}(?= is your HomeBase code\b)/g, '••••••')
    .replace(/(?<=\bYour HomeBase code is )\d{6}\b/g, '••••••')
}

/** The text the homeowner receives. */
export function codeText(channel: 'sms' | 'email', code: string): { subject: string; body: string } {
  return {
    subject: 'Your HomeBase sign-in code',
    body:
      channel === 'sms'
        ? `${code} is your HomeBase code to see all your home service providers. It works for ${CODE_MINUTES} minutes. Do not share it.`
        : `Hello,\n\nYour HomeBase code is ${code}. Type it on the page you came from to see all your home service providers in one place. It works for ${CODE_MINUTES} minutes.\n\nIf you did not ask for it, you can ignore this email.`,
  }
}

/** The text that proves a new phone or email. */
export function pointCodeText(channel: 'sms' | 'email', code: string): { subject: string; body: string } {
  return {
    subject: 'Your HomeBase code to confirm this address',
    body:
      channel === 'sms'
        ? `${code} is your HomeBase code to add this number to your details. It works for ${CODE_MINUTES} minutes. Do not share it.`
        : `Hello,\n\nYour HomeBase code is ${code}. Type it on the page you came from to add this email address to your details. It works for ${CODE_MINUTES} minutes.\n\nIf you did not ask for it, you can ignore this email.`,
  }
}

/**
 * Sends a sign-in code to the client's contact on the business's card, and only when that is the
 * point the code was made for (`destination`): a card changed meanwhile gets no code. Returns the
 * reason when it could not go.
 */
export async function deliverCode(
  env: Env,
  org: DurableObjectStub<OrgObject>,
  orgClientId: string,
  channel: 'sms' | 'email',
  code: string,
  codeId: string,
  destination: string,
): Promise<{ sent: true } | { skipped: string }> {
  if (!codesCanGo(env, channel)) return { skipped: 'no_provider' }
  const text = codeText(channel, code)
  const queued = await org.sendRequestedMessage(
    orgClientId,
    {
      channel,
      subject: text.subject,
      body: LOGGED_CODE_TEXT,
      purpose: 'portal_code',
      dedupeKey: `portal_code:${codeId}`,
    },
    false,
  )
  if ('skipped' in queued) return queued
  const callback =
    env.SMS_PROVIDER === 'twilio' && env.PUBLIC_BASE_URL ? `${env.PUBLIC_BASE_URL}/webhooks/twilio/status` : undefined
  const outgoing = await messagingOf(org).startDelivery(queued.id, callback)
  if (!outgoing) return { skipped: 'not_queued' }
  if (outgoing.to !== destination) {
    await messagingOf(org).deliveryFailed(queued.id, 'the contact on file changed since the code was made', true)
    return { skipped: 'contact_changed' }
  }
  try {
    const delivered = await providerFor(env, channel)({ ...outgoing, ...text })
    await org.deliverySucceeded(queued.id, delivered.provider, delivered.providerMessageId)
    await peopleDb(env.PEOPLE)
      .insert(messageRoutes)
      .values({
        providerMessageId: delivered.providerMessageId,
        organizationId: outgoing.organizationId,
        messageId: queued.id,
      })
      .onConflictDoNothing()
      .run()
    return { sent: true }
  } catch (error) {
    // A code is worth nothing later: fail it for good; the homeowner asks for a new one.
    await messagingOf(org).deliveryFailed(queued.id, error instanceof Error ? error.message : String(error), true)
    return { skipped: 'delivery_failed' }
  }
}

/**
 * Sends a code to a new phone or email a signed-in homeowner typed. No business's message log
 * holds it (it is on no card yet); `organizationId` is the provider the change goes to, for the
 * outbox's listing only.
 */
export async function deliverPointCode(
  env: Env,
  organizationId: string,
  channel: 'sms' | 'email',
  to: string,
  code: string,
  codeId: string,
): Promise<{ sent: true } | { skipped: string }> {
  if (!codesCanGo(env, channel)) return { skipped: 'no_provider' }
  const text = pointCodeText(channel, code)
  const from = channel === 'sms' ? platformNumber(env) : (env.EMAIL_FROM ?? 'HomeBase <reminders@homebase.test>')
  try {
    await providerFor(
      env,
      channel,
    )({
      id: `point_code:${codeId}`,
      organizationId,
      channel,
      to,
      from,
      transactional: true,
      ...text,
      subject: channel === 'email' ? text.subject : null,
    })
    return { sent: true }
  } catch (error) {
    console.error('portal: point code not delivered', channel, error instanceof Error ? error.message : String(error))
    return { skipped: 'delivery_failed' }
  }
}
