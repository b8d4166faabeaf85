/**
 * Verified API keys and staff sessions, remembered in this isolate for a few seconds so most
 * requests skip the D1 lookup. Bounded in time (`AUTH_CACHE_TTL_MS`, never past the secret's own
 * expiry) and in size (`AUTH_CACHE_MAX` entries, least recently used out first); keyed by the
 * secret's SHA-256 only; a failed lookup is never remembered.
 */
import { clock } from '../clock'
import type { Organization } from '../organizations'
import type { StaffSession } from './sessions'

/** How long another isolate may still accept a revoked key or an ended session. */
export const AUTH_CACHE_TTL_MS = 5_000
/** Entries per cache: live keys and sessions seen in the last few seconds, least recently used out first. */
export const AUTH_CACHE_MAX = 1_000

type Entry<V> = { value: V; until: number }

/** A Map with a time-to-live per entry and a size cap, oldest use out first (a Map keeps insertion order). */
export class TtlCache<V> {
  private readonly entries = new Map<string, Entry<V>>()

  constructor(
    private readonly ttlMs: number,
    private readonly max: number,
  ) {}

  /** The live value for `key`, or undefined (an expired entry is dropped on the way). */
  get(key: string): V | undefined {
    const entry = this.entries.get(key)
    if (!entry) return undefined
    this.entries.delete(key)
    if (entry.until <= clock.now().getTime()) return undefined
    this.entries.set(key, entry)
    return entry.value
  }

  /** Remembers `value` for the TTL, or until `expiresAt` when that comes first. */
  set(key: string, value: V, expiresAt?: number): void {
    const until = Math.min(clock.now().getTime() + this.ttlMs, expiresAt ?? Number.POSITIVE_INFINITY)
    this.entries.delete(key)
    if (until <= clock.now().getTime()) return
    this.entries.set(key, { value, until })
    while (this.entries.size > this.max) this.entries.delete(this.entries.keys().next().value!)
  }

  delete(key: string): void {
    this.entries.delete(key)
  }

  /** Forgets every entry whose value matches (a scan of at most `max` entries). */
  deleteWhere(matches: (value: V) => boolean): void {
    for (const [key, entry] of this.entries) if (matches(entry.value)) this.entries.delete(key)
  }

  get size(): number {
    return this.entries.size
  }

  clear(): void {
    this.entries.clear()
  }
}

/** What a verified API key stands for: the key's row, who made it, and its organization. */
export type VerifiedKey = { keyId: string; makerId: string | null; organization: Organization }

/** Live API keys by the SHA-256 of the key. */
export const verifiedKeys = new TtlCache<VerifiedKey>(AUTH_CACHE_TTL_MS, AUTH_CACHE_MAX)
/** Live staff sessions by their id (the SHA-256 of the cookie token); never past the session's expiry. */
export const liveSessions = new TtlCache<StaffSession>(AUTH_CACHE_TTL_MS, AUTH_CACHE_MAX)

/**
 * Counts every forget. A lookup that started in D1 before a revocation in this isolate must not
 * put back what the revocation just took out: it caches only when the count has not moved.
 */
let forgets = 0
export const forgetCount = () => forgets

/** A revoked key stops working here at once (other isolates: within the TTL). */
export function forgetApiKey(keyId: string): void {
  forgets++
  verifiedKeys.deleteWhere((k) => k.keyId === keyId)
}

/** An ended session (sign-out). */
export function forgetSession(sessionId: string): void {
  forgets++
  liveSessions.delete(sessionId)
}

/**
 * Every session of an account (a new password), or only those in one business (removed from its
 * team, a new role); with those, the API keys the account made, which work only while it manages
 * the business.
 */
export function forgetSessionsOf(accountId: string, organizationId?: string): void {
  forgets++
  liveSessions.deleteWhere(
    (s) => s.accountId === accountId && (organizationId === undefined || s.organization.id === organizationId),
  )
  verifiedKeys.deleteWhere(
    (k) => k.makerId === accountId && (organizationId === undefined || k.organization.id === organizationId),
  )
}

/** Keys and sessions of a business whose name, country or time zone changed: the next request reads them again. */
export function forgetOrganization(organizationId: string): void {
  forgets++
  verifiedKeys.deleteWhere((k) => k.organization.id === organizationId)
  liveSessions.deleteWhere((s) => s.organization.id === organizationId)
}
