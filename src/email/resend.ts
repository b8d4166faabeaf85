/**
 * Resend's inbound email: the `email.received` webhook carries who, to whom and the subject but
 * not the body, which is read from the Received Emails API (`GET /emails/receiving/{id}`) only for
 * a reply that matched a client and was not filed before.
 */
import { z } from 'zod'
import type { Env } from '../env'
import { type Filed, fileEmailReply } from './inbound'
import { addressOf } from './mime'
import { htmlToText } from './reply-text'

const RESEND_API = 'https://api.resend.com'

/** The webhook's envelope; `data` as `email.received` sends it (text and html only when a sender includes them). */
export const resendEvent = z.object({
  type: z.string(),
  data: z
    .object({
      email_id: z.string().optional(),
      from: z.string().default(''),
      to: z.array(z.string()).default([]),
      cc: z.array(z.string()).nullish(),
      subject: z.string().nullish(),
      text: z.string().nullish(),
      html: z.string().nullish(),
    })
    .passthrough(),
})

export type ResendEvent = z.infer<typeof resendEvent>

/** The text of a received email from Resend's API (its HTML as text when it has no text part). */
export async function receivedEmailText(apiKey: string, emailId: string): Promise<string> {
  const res = await fetch(`${RESEND_API}/emails/receiving/${encodeURIComponent(emailId)}`, {
    headers: { authorization: `Bearer ${apiKey}` },
  })
  if (!res.ok) throw new Error(`Resend ${res.status} reading received email ${emailId}`)
  const email = await res.json<{ text?: string | null; html?: string | null }>()
  return email.text ?? (email.html ? htmlToText(email.html) : '')
}

/** Files an `email.received` event (delivery `svixId`) as a reply. */
export async function receiveResendEmail(env: Env, svixId: string, data: ResendEvent['data']): Promise<Filed> {
  const inline = data.text ?? (data.html ? htmlToText(data.html) : null)
  return fileEmailReply(env, {
    from: addressOf(data.from),
    to: [...data.to, ...(data.cc ?? [])].map(addressOf),
    subject: data.subject ?? '',
    key: `svix:${svixId}`,
    text:
      inline ??
      (() => {
        if (!env.RESEND_API_KEY) throw new Error('RESEND_API_KEY is not set: a received email cannot be read')
        if (!data.email_id) throw new Error('email.received without an email_id')
        return receivedEmailText(env.RESEND_API_KEY, data.email_id)
      }),
  })
}
