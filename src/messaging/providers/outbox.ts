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

/**
 * Stores many messages in one round trip (one insert from a JSON array, then their ids), keyed by
 * message id; a message stored before keeps its first id, as with `sendToOutbox`.
 */
export async function sendManyToOutbox(d1: D1Database, messages: OutgoingMessage[]): Promise<Map<string, Delivered>> {
  const rows = messages.map((m) => ({
    id: fakeProviderId(m.channel),
    organization_id: m.organizationId,
    message_id: m.id,
    channel: m.channel,
    to: m.to,
    from: m.from,
    subject: m.subject,
    body: m.body,
    headers: JSON.stringify(
      m.channel === 'email' ? { ...unsubscribeHeaders(m), ...(m.replyTo ? { 'Reply-To': m.replyTo } : {}) } : {},
    ),
  }))
  const json = JSON.stringify(rows)
  const [, found] = await d1.batch([
    d1
      .prepare(
        `insert into outbox (id, organization_id, message_id, channel, "to", "from", subject, body, headers)
        select json_extract(value, '$.id'), json_extract(value, '$.organization_id'), json_extract(value, '$.message_id'),
          json_extract(value, '$.channel'), json_extract(value, '$.to'), json_extract(value, '$.from'),
          json_extract(value, '$.subject'), json_extract(value, '$.body'), json_extract(value, '$.headers')
        from json_each(?1) where true on conflict do nothing`,
      )
      .bind(json),
    d1
      .prepare(
        `select id, message_id from outbox where message_id in (select json_extract(value, '$.message_id') from json_each(?1))`,
      )
      .bind(json),
  ])
  const stored = (found!.results as Array<{ id: string; message_id: string }>).map(
    (r) => [r.message_id, { providerMessageId: r.id, provider: 'outbox' }] as const,
  )
  return new Map(stored)
}
