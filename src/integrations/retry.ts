import { clock } from '../clock'
/** A queue job that failed for now and says when to try again (the consumer passes it to `message.retry`). */
export class RetryLater extends Error {
  constructor(
    readonly delaySeconds: number,
    message: string,
  ) {
    super(message)
  }
}

/** Queues accept delays up to 12 hours. */
export const MAX_QUEUE_DELAY_SECONDS = 12 * 3600

/**
 * Seconds to wait before the next attempt: the server's `Retry-After` (seconds or an HTTP date)
 * when it sent one, else 10 s · 2^(attempt − 1) capped at an hour.
 */
export function retryDelaySeconds(attempt: number, retryAfter: string | null, now = clock.now()): number {
  const asked =
    retryAfter === null
      ? null
      : /^\s*\d+\s*$/.test(retryAfter)
        ? Number(retryAfter)
        : (Date.parse(retryAfter) - now.getTime()) / 1000
  const seconds = asked !== null && Number.isFinite(asked) ? Math.ceil(asked) : Math.min(3600, 10 * 2 ** (attempt - 1))
  return Math.min(MAX_QUEUE_DELAY_SECONDS, Math.max(1, seconds))
}
