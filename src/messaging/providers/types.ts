/** What every provider takes and answers: one message out, the provider's id back, or a typed failure. */

export type OutgoingMessage = {
  id: string
  organizationId: string
  channel: 'sms' | 'email'
  to: string
  from: string
  subject: string | null
  body: string
  /** Marketing email carries List-Unsubscribe headers; reminders and receipts are transactional. */
  transactional: boolean
  unsubscribeUrl?: string
  statusCallbackUrl?: string
  /** Email: where the client's reply goes (the business's signed reply address, src/email/reply-address.ts). */
  replyTo?: string
}

export type Delivered = { providerMessageId: string; provider: string }

/**
 * A failed delivery; `permanent` ones are not retried (a bad number, an opted-out recipient).
 * `retryAfterSeconds` is how long the provider asked us to wait (a 429's or 503's Retry-After).
 */
export class ProviderError extends Error {
  constructor(
    message: string,
    readonly permanent: boolean,
    readonly code?: string,
    readonly retryAfterSeconds?: number,
  ) {
    super(message)
  }
}

/** A Retry-After header in seconds (a number of seconds or an HTTP date), else undefined. */
export function retryAfterSeconds(res: Response, now = Date.now()): number | undefined {
  const value = res.headers.get('retry-after')?.trim()
  if (!value) return undefined
  if (/^\d+$/.test(value)) return Number(value)
  const at = Date.parse(value)
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - now) / 1000))
}

/** Sends one message through one provider. */
export type Provider = (message: OutgoingMessage) => Promise<Delivered>

/** Retry transient HTTP failures (429 and 5xx); other 4xx answers are permanent. */
export const isPermanentStatus = (status: number) =>
  status >= 400 && status < 500 && status !== 429 && status !== 408 && status !== 409
