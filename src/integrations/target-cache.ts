/**
 * The connections CRM webhooks are for, remembered in this isolate for a few seconds so most
 * deliveries skip the D1 route read and the ORG object's `webhookTarget` call. Bounded in time
 * (`TARGET_CACHE_TTL_MS`) and size (`TARGET_CACHE_MAX`, least recently used out first); keyed by
 * connection id; an unknown or disconnected connection is never remembered. The ORG object stays
 * the authority: it refuses a delivery for a connection that is no longer live or was verified with
 * a secret since replaced, and the route then forgets the entry (see routes/webhooks/crm.ts).
 */
import { and, eq } from 'drizzle-orm'
import type { ConnectionSettings, ConnectionStatus, Provider } from '../../durable-objects/org/schema'
import { TtlCache } from '../auth/cache'
import { peopleDb } from '../db'
import type { Env } from '../env'
import { AppError, notFound } from '../errors'
import { orgStub } from '../organizations'
import { integrationRoutes } from '../people/schema'
import { integrationsOf } from './remote'

/** How long this isolate may use a connection's signature settings after they changed (a replaced secret is refused at once). */
export const TARGET_CACHE_TTL_MS = 5_000
/** Connections remembered at once: those that received a delivery in the last few seconds. */
export const TARGET_CACHE_MAX = 1_000

/** A connection a delivery is for: whose object stores it and the secret and settings that verify it. */
export type Target = {
  organizationId: string
  connectionId: string
  provider: string
  status: ConnectionStatus
  /** The provider account the connection is for (named by the provider during OAuth when `secret` is null). */
  accountId: string | null
  secret: string | null
  /** The secret as sealed at rest: the object refuses a delivery verified with one since replaced. */
  secretSeal: string | null
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
    accountId: found.accountId,
    secret: found.secret,
    secretSeal: found.secretSeal,
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

/** The live connection of `provider` a per-connection URL names, remembered or read afresh; else 404. */
export async function connectionTarget(env: Env, provider: Provider, connectionId: string): Promise<Target> {
  const target = rememberedTarget(connectionId) ?? (await readTarget(env, connectionId))
  if (!isLiveTarget(target, provider)) throw notFound('connection')
  return target
}

/**
 * The connection a per-connection URL names, once `verify` accepts the delivery with it. A
 * remembered connection that fails is read afresh and tried once more, so a rotated secret or
 * changed signature settings work at once.
 */
export async function verifiedTarget(
  env: Env,
  provider: Provider,
  connectionId: string,
  verify: (target: Target) => Promise<void>,
): Promise<Target> {
  const remembered = rememberedTarget(connectionId)
  if (isLiveTarget(remembered, provider)) {
    const verdict = await verify(remembered).then(
      () => true,
      (error: unknown) => {
        if (error instanceof AppError && error.status === 401) return false
        throw error
      },
    )
    if (verdict) return remembered
  }
  const target = await readTarget(env, connectionId)
  if (!isLiveTarget(target, provider)) throw notFound('connection')
  await verify(target)
  return target
}

/** The live connections of a provider account, for app-wide webhooks routed by account id. */
export async function accountTargets(env: Env, provider: Provider, accountId: string): Promise<Target[]> {
  const routes = await peopleDb(env.PEOPLE)
    .select()
    .from(integrationRoutes)
    .where(and(eq(integrationRoutes.provider, provider), eq(integrationRoutes.accountId, accountId)))
    .all()
  const targets = await Promise.all(
    routes.map(
      async (r) => rememberedTarget(r.connectionId) ?? (await readTarget(env, r.connectionId, r.organizationId)),
    ),
  )
  return targets.filter((t): t is Target => isLiveTarget(t, provider))
}
