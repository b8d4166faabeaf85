/** API keys: bound to one organization, stored only as a SHA-256 hash, shown once, revocable. */
import { clock } from '../clock'
import { and, desc, eq, isNull } from 'drizzle-orm'
import type { PeopleDb } from '../db'
import { apiKeys, memberships, organizations } from '../people/schema'
import type { Organization } from '../organizations'
import { AUTH_CACHE_TTL_MS, forgetApiKey, forgetCount, verifiedKeys } from './cache'
import { randomToken, sha256Hex } from './crypto'

/** Makes a key; the caller runs `statement` (alone or in a batch) and shows `key` once. */
export async function createApiKey(db: PeopleDb, organizationId: string, name: string, createdBy: string | null) {
  const key = `hb_${randomToken(24)}`
  const id = crypto.randomUUID()
  const statement = db.insert(apiKeys).values({
    id,
    organizationId,
    name,
    prefix: key.slice(0, 10),
    keyHash: await sha256Hex(key),
    createdBy,
  })
  return { id, key, statement }
}

/**
 * Keys are made by owners and keep working while their maker is one: a key carries no role of its
 * own, so a demoted maker's key would otherwise still do what only owners may (make an owner).
 */
const KEY_MAKER_ROLES = new Set(['owner'])

/**
 * The organization a live key belongs to, or null for an unknown or revoked key, or one whose
 * maker is no longer an owner of the business (removed or demoted: their key stops with
 * their sessions). A verified key is remembered in the isolate for `AUTH_CACHE_TTL_MS` by its
 * SHA-256 (src/auth/cache.ts); an unknown one is asked of D1 every time and never remembered.
 */
export async function resolveApiKey(db: PeopleDb, key: string): Promise<Organization | null> {
  const keyHash = await sha256Hex(key)
  const cached = verifiedKeys.get(keyHash)
  if (cached) return { ...cached.organization }
  const forgetsBefore = forgetCount()
  // The 5 s count from before the read: a key revoked elsewhere just after it is honoured no longer than that.
  const askedAt = clock.now().getTime()
  const row = await db
    .select({
      keyId: apiKeys.id,
      lastUsedAt: apiKeys.lastUsedAt,
      makerId: apiKeys.createdBy,
      makerRole: memberships.role,
      id: organizations.id,
      name: organizations.name,
      country: organizations.country,
      timezone: organizations.timezone,
    })
    .from(apiKeys)
    .innerJoin(organizations, eq(organizations.id, apiKeys.organizationId))
    .leftJoin(
      memberships,
      and(eq(memberships.accountId, apiKeys.createdBy), eq(memberships.organizationId, apiKeys.organizationId)),
    )
    .where(and(eq(apiKeys.keyHash, keyHash), isNull(apiKeys.revokedAt)))
    .get()
  if (!row) return null
  if (row.makerId !== null && !KEY_MAKER_ROLES.has(row.makerRole ?? '')) return null
  // Record use at most once an hour, so a busy integration does not write on every request.
  const now = clock.now()
  if (!row.lastUsedAt || now.getTime() - Date.parse(row.lastUsedAt) > 3_600_000) {
    await db.update(apiKeys).set({ lastUsedAt: now.toISOString() }).where(eq(apiKeys.id, row.keyId)).run()
  }
  const organization = { id: row.id, name: row.name, country: row.country, timezone: row.timezone }
  if (forgetCount() === forgetsBefore)
    verifiedKeys.set(keyHash, { keyId: row.keyId, makerId: row.makerId, organization }, askedAt + AUTH_CACHE_TTL_MS)
  return { ...organization }
}

export type ApiKeyRow = {
  id: string
  name: string
  prefix: string
  created_at: string
  last_used_at: string | null
  revoked_at: string | null
}

/** The organization's keys, newest first, without their secrets. */
export async function listApiKeys(db: PeopleDb, organizationId: string): Promise<ApiKeyRow[]> {
  return db
    .select({
      id: apiKeys.id,
      name: apiKeys.name,
      prefix: apiKeys.prefix,
      created_at: apiKeys.createdAt,
      last_used_at: apiKeys.lastUsedAt,
      revoked_at: apiKeys.revokedAt,
    })
    .from(apiKeys)
    .where(eq(apiKeys.organizationId, organizationId))
    .orderBy(desc(apiKeys.createdAt))
    .all()
}

/** Revokes one of the organization's keys (at once in this isolate's cache); null when it has no such key. */
export async function revokeApiKey(db: PeopleDb, organizationId: string, keyId: string): Promise<ApiKeyRow | null> {
  const [row] = await db
    .update(apiKeys)
    .set({ revokedAt: clock.now().toISOString() })
    .where(and(eq(apiKeys.id, keyId), eq(apiKeys.organizationId, organizationId)))
    .returning({
      id: apiKeys.id,
      name: apiKeys.name,
      prefix: apiKeys.prefix,
      created_at: apiKeys.createdAt,
      last_used_at: apiKeys.lastUsedAt,
      revoked_at: apiKeys.revokedAt,
    })
  if (row) forgetApiKey(row.id)
  return row ?? null
}
