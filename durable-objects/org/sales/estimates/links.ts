/**
 * The homeowner's approval link `/e/<organization id>.<secret>`. The secret is an HMAC of the
 * estimate and the moment it was sent, keyed by the portal signing key: unguessable without the
 * key, new with every send, and reproducible so staff can open the link again. Only its SHA-256
 * is stored (`estimates.link_hash`), and the object finds the estimate by that hash alone.
 */
import { keyRing, sha256Hex } from '../../../../src/auth/crypto'
import { base64url } from '../../../../src/encoding'
import type { SigningKeys } from '../../../../src/messaging/portal-token'
import type { EstimateRow } from './records'

const encoder = new TextEncoder()

async function hmac(key: string, data: string): Promise<string> {
  const k = await crypto.subtle.importKey('raw', encoder.encode(key), { name: 'HMAC', hash: 'SHA-256' }, false, [
    'sign',
  ])
  return base64url(new Uint8Array(await crypto.subtle.sign('HMAC', k, encoder.encode(data))))
}

const payload = (estimateId: string, sentAt: string) => `estimate-link:${estimateId}:${sentAt}`

/** The link of a send at `sentAt` with the current key, and the hash to store. */
export async function newLink(
  keys: SigningKeys,
  base: string,
  organizationId: string,
  estimateId: string,
  sentAt: string,
): Promise<{ link: string; hash: string }> {
  const { current } = keyRing(keys.PORTAL_SIGNING_KEY, keys.PORTAL_SIGNING_KEY_ID, keys.PORTAL_OLD_KEYS)
  if (!current) throw new Error('PORTAL_SIGNING_KEY is not set: estimate links cannot be made')
  const secret = await hmac(current.secret, payload(estimateId, sentAt))
  return { link: `${base}/e/${organizationId}.${secret}`, hash: await sha256Hex(secret) }
}

/** The link that works now for a sent or answered estimate (any key of the ring may have made it); null otherwise. */
export async function currentLink(
  keys: SigningKeys,
  base: string,
  organizationId: string,
  row: Pick<EstimateRow, 'id' | 'sentAt' | 'linkHash'>,
): Promise<string | null> {
  if (!row.linkHash || !row.sentAt) return null
  const { all } = keyRing(keys.PORTAL_SIGNING_KEY, keys.PORTAL_SIGNING_KEY_ID, keys.PORTAL_OLD_KEYS)
  for (const key of all.values()) {
    const secret = await hmac(key, payload(row.id, row.sentAt))
    if ((await sha256Hex(secret)) === row.linkHash) return `${base}/e/${organizationId}.${secret}`
  }
  return null
}

/** A send's moment: now, or just after the last send when the clock has not moved on, so every send makes a new link. */
export function sendMoment(now: Date, lastSentAt: string | null): string {
  const last = lastSentAt ? Date.parse(lastSentAt) : Number.NEGATIVE_INFINITY
  return new Date(Math.max(now.getTime(), last + 1)).toISOString()
}
