/** The `sends` queue: one message per send, delivered through the configured provider exactly once. */
import { peopleDb } from '../db'
import type { Env } from '../env'
import { replyAddress } from '../email/reply-address'
import { providerFor } from '../messaging/providers'
import { ProviderError } from '../messaging/providers/types'
import { orgStub } from '../organizations'
import { messageRoutes } from '../people/schema'

export type SendMessage = { organization_id: string; message_id: string }

/** Deliveries a message gets before it is failed: the first plus wrangler.toml's `max_retries = 5`. */
export const MAX_SEND_ATTEMPTS = 6

/** Enqueues sends in batches of 100 (the queue's batch limit). */
export async function enqueueSends(env: Env, organizationId: string, messageIds: string[]): Promise<void> {
  for (let i = 0; i < messageIds.length; i += 100) {
    await env.SENDS.sendBatch(
      messageIds
        .slice(i, i + 100)
        .map((id) => ({ body: { organization_id: organizationId, message_id: id } satisfies SendMessage })),
    )
  }
}

/** Seconds before retry n (1-based): 10 s, 20 s, 40 s… capped at 10 minutes. */
export const backoffSeconds = (attempt: number) => Math.min(600, 10 * 2 ** (attempt - 1))

/** Delivers each message of a batch; each is acknowledged or retried on its own. */
export async function handleSendBatch(batch: MessageBatch<SendMessage>, env: Env): Promise<void> {
  await Promise.all(batch.messages.map((message) => deliver(message, env)))
}

async function deliver(message: Message<SendMessage>, env: Env): Promise<void> {
  const { organization_id, message_id } = message.body
  const org = orgStub(env, organization_id)
  const callback =
    env.SMS_PROVIDER === 'twilio' && env.PUBLIC_BASE_URL ? `${env.PUBLIC_BASE_URL}/webhooks/twilio/status` : undefined
  const outgoing = await org.startDelivery(message_id, callback)
  // A client's answer to an email comes back to the business (src/email/handler.ts).
  if (outgoing?.channel === 'email') outgoing.replyTo = (await replyAddress(env, organization_id)) ?? undefined
  if (!outgoing) {
    // Already sent, skipped or failed: a redelivered queue message sends nothing twice.
    message.ack()
    return
  }
  try {
    const delivered = await providerFor(env, outgoing.channel)(outgoing)
    await org.deliverySucceeded(message_id, delivered.provider, delivered.providerMessageId)
    await peopleDb(env.PEOPLE)
      .insert(messageRoutes)
      .values({
        providerMessageId: delivered.providerMessageId,
        organizationId: organization_id,
        messageId: message_id,
      })
      .onConflictDoNothing()
      .run()
    message.ack()
  } catch (error) {
    const text = error instanceof Error ? error.message : String(error)
    const permanent = error instanceof ProviderError && error.permanent
    const last = message.attempts >= MAX_SEND_ATTEMPTS
    await org.deliveryFailed(message_id, text, permanent || last)
    if (permanent) message.ack()
    // On the last attempt the retry hands the message to the dead-letter queue.
    else message.retry({ delaySeconds: backoffSeconds(message.attempts) })
  }
}

/** The dead-letter queue: the message is already marked failed; make sure, log it and let it go. */
export async function handleDeadSends(batch: MessageBatch<SendMessage>, env: Env): Promise<void> {
  for (const message of batch.messages) {
    await orgStub(env, message.body.organization_id).deliveryFailed(
      message.body.message_id,
      'dead-lettered after retries',
      true,
    )
    console.error('sends: dead-lettered', message.body)
    message.ack()
  }
}
