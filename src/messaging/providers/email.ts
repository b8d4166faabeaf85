/** Email through Resend's HTTP API or Cloudflare's send_email binding. */
import type { Env } from '../../env'
import { emailHtml } from '../templates'
import { isPermanentStatus, ProviderError, retryAfterSeconds, type Delivered, type OutgoingMessage } from './types'

/**
 * The subject as one header line: staff and campaigns type subjects, and a line break in one
 * must never start a header of its own, whatever the provider does with it.
 */
export const oneLineSubject = (subject: string | null) => (subject ?? '').replace(/\s+/g, ' ').trim()

/** List-Unsubscribe headers (RFC 2369 / 8058) for non-transactional email. */
export function unsubscribeHeaders(message: OutgoingMessage): Record<string, string> {
  if (message.transactional || !message.unsubscribeUrl) return {}
  return { 'List-Unsubscribe': `<${message.unsubscribeUrl}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' }
}

/** Sends through Resend; the message id is the Idempotency-Key, so a retried send is not sent twice. */
export async function sendResendEmail(apiKey: string, message: OutgoingMessage): Promise<Delivered> {
  let res: Response
  try {
    res = await fetch('https://api.resend.com/emails', {
      method: 'POST',
      headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json', 'idempotency-key': message.id },
      body: JSON.stringify({
        from: message.from,
        to: [message.to],
        subject: oneLineSubject(message.subject),
        text: message.body,
        html: emailHtml(message.body),
        headers: unsubscribeHeaders(message),
        ...(message.replyTo ? { reply_to: message.replyTo } : {}),
      }),
    })
  } catch (error) {
    throw new ProviderError(`Resend unreachable: ${String(error)}`, false)
  }
  const body = await res
    .json<{ id?: string; name?: string; message?: string }>()
    .catch(() => ({}) as { id?: string; name?: string; message?: string })
  if (res.ok && body.id) return { providerMessageId: body.id, provider: 'resend' }
  throw new ProviderError(
    `Resend ${res.status}: ${body.message ?? body.name ?? 'no message'}`,
    isPermanentStatus(res.status),
    body.name,
    retryAfterSeconds(res),
  )
}

/** Sends through Cloudflare Email Sending (`send_email` binding named EMAIL). */
export async function sendCloudflareEmail(
  binding: NonNullable<Env['EMAIL']>,
  message: OutgoingMessage,
): Promise<Delivered> {
  try {
    const { messageId } = await binding.send({
      from: message.from,
      to: message.to,
      subject: oneLineSubject(message.subject),
      text: message.body,
      html: emailHtml(message.body),
      headers: unsubscribeHeaders(message),
      ...(message.replyTo ? { replyTo: message.replyTo } : {}),
    })
    return { providerMessageId: messageId, provider: 'cloudflare' }
  } catch (error) {
    throw new ProviderError(`Cloudflare email failed: ${String(error)}`, false)
  }
}
