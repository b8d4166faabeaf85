/** The local outbox: records each message instead of sending it; /dev/outbox shows them. */
import { eq } from 'drizzle-orm'
import { peopleDb } from '../../db'
import { hex } from '../../encoding'
import { outbox } from '../../people/schema'
import { unsubscribeHeaders } from './email'
import type { Delivered, OutgoingMessage } from './types'

/** An id shaped like the real provider's (Twilio: "SM" + 32 hex), so callbacks and logs look the same. */
function fakeProviderId(channel: 'sms' | 'email'): string {
  const id = hex(crypto.getRandomValues(new Uint8Array(16)))
  return channel === 'sms' ? `SM${id}` : `outbox_${id}`
}

/** Stores the message once per message id; a repeat returns the first id. */
export async function sendToOutbox(d1: D1Database, message: OutgoingMessage): Promise<Delivered> {
  const db = peopleDb(d1)
  const id = fakeProviderId(message.channel)
  await db
    .insert(outbox)
    .values({
      id,
      organizationId: message.organizationId,
      messageId: message.id,
      channel: message.channel,
      to: message.to,
      from: message.from,
      subject: message.subject,
      body: message.body,
      headers:
        message.channel === 'email'
          ? { ...unsubscribeHeaders(message), ...(message.replyTo ? { 'Reply-To': message.replyTo } : {}) }
          : {},
    })
    .onConflictDoNothing()
    .run()
  const stored = await db.select({ id: outbox.id }).from(outbox).where(eq(outbox.messageId, message.id)).get()
  return { providerMessageId: stored?.id ?? id, provider: 'outbox' }
}
