/**
 * Which organization sent a message, by the provider's message id, for status callbacks. A sid
 * names one message of one organization forever (its row is written once and never changed), so a
 * hit is remembered in this isolate for `MESSAGE_ROUTE_TTL_MS` (at most `MESSAGE_ROUTE_MAX`, least
 * recently used out first); a miss never is, as its row may be written a moment later.
 */
import { eq } from 'drizzle-orm'
import { TtlCache } from '../auth/cache'
import { peopleDb } from '../db'
import type { Env } from '../env'
import { messageRoutes } from '../people/schema'

/** A message's callbacks (sent, delivered, failed) come within seconds to minutes of each other. */
export const MESSAGE_ROUTE_TTL_MS = 60_000
export const MESSAGE_ROUTE_MAX = 5_000

/** Organization ids by provider message id. */
export const messageSenders = new TtlCache<string>(MESSAGE_ROUTE_TTL_MS, MESSAGE_ROUTE_MAX)

/** The organization that sent the message with this provider id, or null when none did (yet). */
export async function messageSender(env: Env, providerMessageId: string): Promise<string | null> {
  const remembered = messageSenders.get(providerMessageId)
  if (remembered) return remembered
  const route = await peopleDb(env.PEOPLE)
    .select({ organizationId: messageRoutes.organizationId })
    .from(messageRoutes)
    .where(eq(messageRoutes.providerMessageId, providerMessageId))
    .get()
  if (route) messageSenders.set(providerMessageId, route.organizationId)
  return route?.organizationId ?? null
}
