/**
 * Signed, expiring portal links: `{payload}.{HMAC-SHA256}` in base64url, keyed by PORTAL_SIGNING_KEY.
 * Signed with the key ring (`SigningKeys`), a token names its key id `k`, so the key can rotate:
 * new tokens use PORTAL_SIGNING_KEY_ID (default `k1`); PORTAL_OLD_KEYS (`kid:key,kid:key`) still verify.
 */
import { clock } from '../clock'
import { keyRing, timingSafeEqual } from '../auth/crypto'
import { base64url, fromBase64url, textFromBase64url, textToBase64url } from '../encoding'

const encoder = new TextEncoder()

/**
 * `o` organization, `c` its client, `exp` seconds since the epoch; `p` what the link may do
 * (absent: the portal), `r` the one record it is about (a review request, an invoice to pay, a
 * job to confirm), `k` the id of the key that signed it (absent: signed with a bare key).
 */
export type PortalClaims = { o: string; c: string; exp: number; p?: LinkPurpose; r?: string; k?: string }
export type LinkPurpose = 'portal' | 'review' | 'unsubscribe' | 'pay' | 'confirm'

/** The Worker's signing keys: the current one, its id, and older ones still accepted. */
export type SigningKeys = { PORTAL_SIGNING_KEY?: string; PORTAL_SIGNING_KEY_ID?: string; PORTAL_OLD_KEYS?: string }

/** A bare key (signs without a key id) or the key ring. */
export type KeyInput = string | SigningKeys

/** The key that signs new tokens, and every key that may verify one, by id. */
function ringOf(keys: SigningKeys) {
  return keyRing(keys.PORTAL_SIGNING_KEY, keys.PORTAL_SIGNING_KEY_ID, keys.PORTAL_OLD_KEYS)
}

/** The secrets that may have signed a token naming key id `kid`: that key, or every key for a token without one. */
function candidateSecrets(key: KeyInput, kid: string | undefined): string[] {
  if (typeof key === 'string') return [key]
  const { current, all } = ringOf(key)
  if (kid !== undefined) return all.has(kid) ? [all.get(kid)!] : []
  return [...new Set([current?.secret, ...all.values()].filter((s): s is string => !!s))]
}

async function hmac(key: string, data: string): Promise<Uint8Array> {
  const k = await crypto.subtle.importKey('raw', encoder.encode(key), { name: 'HMAC', hash: 'SHA-256' }, false, [
    'sign',
  ])
  return new Uint8Array(await crypto.subtle.sign('HMAC', k, encoder.encode(data)))
}

/** A token for one organization's client, valid for `days`. */
export async function signPortalToken(
  key: KeyInput,
  organizationId: string,
  orgClientId: string,
  days = 30,
  now = clock.now().getTime(),
): Promise<string> {
  return signLinkToken(key, { o: organizationId, c: orgClientId }, days, now)
}

/** A token for a single-purpose link (a review request, an unsubscribe), valid for `days`. */
export async function signLinkToken(
  key: KeyInput,
  claims: Omit<PortalClaims, 'exp' | 'k'>,
  days: number,
  now = clock.now().getTime(),
): Promise<string> {
  const signer = typeof key === 'string' ? { id: undefined, secret: key } : ringOf(key).current
  if (!signer) throw new Error('PORTAL_SIGNING_KEY is not set: links cannot be signed')
  const body = { ...claims, exp: Math.floor(now / 1000) + days * 86_400, ...(signer.id ? { k: signer.id } : {}) }
  const payload = textToBase64url(JSON.stringify(body))
  return `${payload}.${base64url(await hmac(signer.secret, payload))}`
}

/**
 * A genuine token's claims and whether it has expired (an expired link can still earn a fresh
 * one); null when it was not signed by one of our keys or cannot be read.
 */
export async function readLinkToken(
  key: KeyInput,
  token: string,
  now = clock.now().getTime(),
): Promise<{ claims: PortalClaims; expired: boolean } | null> {
  const [payload, sig, extra] = token.split('.')
  if (!payload || !sig || extra !== undefined) return null
  let claims: PortalClaims
  let given: Uint8Array
  try {
    claims = JSON.parse(textFromBase64url(payload)) as PortalClaims
    given = fromBase64url(sig)
  } catch {
    return null
  }
  if (
    !claims ||
    typeof claims !== 'object' ||
    typeof claims.o !== 'string' ||
    typeof claims.c !== 'string' ||
    typeof claims.exp !== 'number'
  )
    return null
  for (const secret of candidateSecrets(key, claims.k)) {
    if (timingSafeEqual(given, await hmac(secret, payload))) return { claims, expired: claims.exp * 1000 <= now }
  }
  return null
}

/** The claims of a valid, unexpired token, else null. */
export async function verifyPortalToken(
  key: KeyInput,
  token: string,
  now = clock.now().getTime(),
): Promise<PortalClaims | null> {
  const read = await readLinkToken(key, token, now)
  return read && !read.expired ? read.claims : null
}

/** The claims of a valid token made for `purpose` (a portal link has none), else null. */
export async function verifyLinkToken(
  key: KeyInput,
  token: string,
  purpose: LinkPurpose,
  now = clock.now().getTime(),
): Promise<PortalClaims | null> {
  const claims = await verifyPortalToken(key, token, now)
  return claims && (claims.p ?? 'portal') === purpose ? claims : null
}
