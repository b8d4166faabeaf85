/**
 * The Worker's `email()` handler for Cloudflare Email Routing: a client's reply to an email we
 * sent (its Reply-To is the business's signed `reply+…@EMAIL_REPLY_DOMAIN`) is parsed, its quoted
 * history dropped, and filed on the client's conversation. Mail nobody is waiting for is refused,
 * so the sender learns it did not arrive.
 */
import { sha256Hex } from '../auth/crypto'
import type { Env } from '../env'
import { type Filed, fileEmailReply } from './inbound'
import { addressesOf, addressOf, parseEmail } from './mime'
import { htmlToText } from './reply-text'

/** Larger than any reply we need to read (attachments are not kept). */
const MAX_BYTES = 10 * 1024 * 1024

/** The parts of Email Routing's message this handler uses (tests make one by hand). */
export type RoutedEmail = Pick<ForwardableEmailMessage, 'from' | 'to' | 'raw' | 'rawSize' | 'setReject'>

/** Reads and files one routed email; returns what became of it. */
export async function handleRoutedEmail(message: RoutedEmail, env: Env): Promise<Filed> {
  if (message.rawSize > MAX_BYTES) {
    message.setReject('This message is too large.')
    return { status: 'unmatched', reason: 'too large' }
  }
  const raw = new Uint8Array(await new Response(message.raw).arrayBuffer())
  const mail = parseEmail(raw)
  const from = addressOf(mail.header('from') ?? '') || message.from
  const to = [message.to, ...addressesOf(mail.header('to')), ...addressesOf(mail.header('cc'))]
  const messageId = mail.header('message-id')?.trim()
  const filed = await fileEmailReply(env, {
    from,
    to,
    subject: mail.header('subject') ?? '',
    text: mail.text ?? (mail.html ? htmlToText(mail.html) : ''),
    key: messageId ? `mid:${messageId}` : `sha256:${await sha256Hex(new TextDecoder().decode(raw))}`,
  })
  if (filed.status === 'unmatched') message.setReject(filed.reason)
  return filed
}
