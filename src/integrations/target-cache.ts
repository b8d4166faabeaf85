/**
 * The connections CRM webhooks are for, remembered in this isolate for a few seconds so most
 * deliveries skip the D1 route read and the ORG object's `webhookTarget` call. Bounded in time
 * (`TARGET_CACHE_TTL_MS`) and size (`TARGET_CACHE_MAX`, least recently used out first); keyed by
 * connection id; an unknown or disconnected connection is never remembered. The ORG object stays
 * the authority: it refuses a delivery for a connection that is no longer live, and the route then
 * forgets the entry (see routes/webhooks/crm.ts).
 */
import { eq } from 'drizzle-orm'
import type { ConnectionSettings, ConnectionStatus, Provider } from '../../durable-objects/org/schema'
import { TtlCache } from '../auth/cache'
import { peopleDb } from '../db'
import type { Env } from '../env'
import { orgStub } from '../organizations'
import { integrationRoutes } from '../people/schema'
import { integrationsOf } from './remote'

/** How long this isolate may verify a delivery with a secret or settings that changed since. */
export const TARGET_CACHE_TTL_MS = 5_000
/** Connections remembered at once: those that received a delivery in the last few seconds. */
export const TARGET_CACHE_MAX = 1_000

/** A connection a delivery is for: whose object stores it and the secret and settings that verify it. */
export type Target = {
  organizationId: string
  connectionId: string
  provider: string
  status: ConnectionStatus
  secret: string | null
  settings: ConnectionSettings
}

/** Live connections by id. */
export const webhookTargets = new TtlCache<Target>(TARGET_CACHE_TTL_MS, TARGET_CACHE_MAX)

/** The remembered connection, if this isolate read it in the last few seconds. */
export function rememberedTarget(connectionId: string): Target | undefined {
  return webhookTargets.get(connectionId)
}

/**
 * Reads a connection afresh (the D1 route, unless the caller already has its organization, then
 * the object) and remembers it when it is live; null when there is none.
 */
export async function readTarget(env: Env, connectionId: string, organizationId?: string): Promise<Target | null> {
  const owner =
    organizationId ??
    (
      await peopleDb(env.PEOPLE)
        .select({ organizationId: integrationRoutes.organizationId })
        .from(integrationRoutes)
        .where(eq(integrationRoutes.connectionId, connectionId))
        .get()
    )?.organizationId
  if (!owner) return null
  const found = await integrationsOf(orgStub(env, owner)).webhookTarget(connectionId)
  if (!found) return null
  const target: Target = {
    organizationId: owner,
    connectionId,
    provider: found.provider,
    status: found.status,
    secret: found.secret,
    settings: found.settings,
  }
  if (target.status === 'disconnected') webhookTargets.delete(connectionId)
  else webhookTargets.set(connectionId, target)
  return target
}

/** Drops a connection this isolate remembered (its object refused a delivery for it). */
export function forgetTarget(connectionId: string): void {
  webhookTargets.delete(connectionId)
}

/** True when `target` is a live connection of `provider`. */
export function isLiveTarget(target: Target | null | undefined, provider: Provider): target is Target {
  return !!target && target.provider === provider && target.status !== 'disconnected'
}
