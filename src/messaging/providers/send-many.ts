/** A batch's sends at once: the local outbox's in one write, every provider call concurrently at its slot. */
import type { Env } from '../../env'
import { providerFor } from './index'
import { sendManyToOutbox } from './outbox'
import { type Delivered, type OutgoingMessage, ProviderError } from './types'

/** A message to send after `delayMs` (its sending number's slot). */
export type Attempt = { message: OutgoingMessage; delayMs: number }

/** What became of one send: the provider's id, or the failure (`permanent`: never retry; `retryAfterSeconds`: the provider's wish). */
export type Outcome =
  | { id: string; delivered: Delivered }
  | { id: string; error: string; permanent: boolean; retryAfterSeconds?: number }

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

const failure = (id: string, error: unknown): Outcome => ({
  id,
  error: error instanceof Error ? error.message : String(error),
  permanent: error instanceof ProviderError && error.permanent,
  ...(error instanceof ProviderError && error.retryAfterSeconds !== undefined
    ? { retryAfterSeconds: error.retryAfterSeconds }
    : {}),
})

/** Sends every attempt and reports each one; never throws. */
export async function sendMany(env: Env, attempts: Attempt[]): Promise<Outcome[]> {
  const toOutbox = (a: Attempt) =>
    a.delayMs === 0 && ((a.message.channel === 'sms' ? env.SMS_PROVIDER : env.EMAIL_PROVIDER) || 'outbox') === 'outbox'
  const bulk = attempts.filter(toOutbox).map((a) => a.message)
  const [stored, one] = await Promise.all([
    bulk.length > 0 ? outboxAll(env, bulk) : [],
    Promise.all(attempts.filter((a) => !toOutbox(a)).map((a) => sendOne(env, a))),
  ])
  return [...stored, ...one]
}

async function outboxAll(env: Env, messages: OutgoingMessage[]): Promise<Outcome[]> {
  try {
    const stored = await sendManyToOutbox(env.PEOPLE, messages)
    return messages.map((m) => {
      const delivered = stored.get(m.id)
      return delivered ? { id: m.id, delivered } : failure(m.id, new Error('outbox: the row was not stored'))
    })
  } catch (error) {
    return messages.map((m) => failure(m.id, error))
  }
}

async function sendOne(env: Env, { message, delayMs }: Attempt): Promise<Outcome> {
  if (delayMs > 0) await sleep(delayMs)
  try {
    return { id: message.id, delivered: await providerFor(env, message.channel)(message) }
  } catch (error) {
    return failure(message.id, error)
  }
}
