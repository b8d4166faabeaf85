/** Signed, expiring portal links: `{payload}.{HMAC-SHA256}` in base64url, keyed by PORTAL_SIGNING_KEY. */
import { timingSafeEqual } from '../auth/crypto'

const encoder = new TextEncoder()

/**
 * `o` organization, `c` its client, `exp` seconds since the epoch; `p` what the link may do
 * (absent: the portal), `r` the one record it is about (a review request).
 */
export type PortalClaims = { o: string; c: string; exp: number; p?: LinkPurpose; r?: string }
export type LinkPurpose = 'portal' | 'review' | 'unsubscribe'

const b64url = (bytes: Uint8Array) => {
  let s = ''
  for (const b of bytes) s += String.fromCharCode(b)
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
}
const fromB64url = (s: string) => Uint8Array.from(atob(s.replace(/-/g, '+').replace(/_/g, '/')), (ch) => ch.charCodeAt(0))

async function hmac(key: string, data: string): Promise<Uint8Array> {
  const k = await crypto.subtle.importKey('raw', encoder.encode(key), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign'])
  return new Uint8Array(await crypto.subtle.sign('HMAC', k, encoder.encode(data)))
}

/** A token for one organization's client, valid for `days`. */
export async function signPortalToken(key: string, organizationId: string, orgClientId: string, days = 30, now = Date.now()): Promise<string> {
  return signLinkToken(key, { o: organizationId, c: orgClientId }, days, now)
}

/** A token for a single-purpose link (a review request, an unsubscribe), valid for `days`. */
export async function signLinkToken(key: string, claims: Omit<PortalClaims, 'exp'>, days: number, now = Date.now()): Promise<string> {
  const payload = b64url(encoder.encode(JSON.stringify({ ...claims, exp: Math.floor(now / 1000) + days * 86_400 })))
  return `${payload}.${b64url(await hmac(key, payload))}`
}

/** The claims of a valid, unexpired token, else null. */
export async function verifyPortalToken(key: string, token: string, now = Date.now()): Promise<PortalClaims | null> {
  const [payload, sig] = token.split('.')
  if (!payload || !sig) return null
  const expected = await hmac(key, payload)
  let given: Uint8Array
  try { given = fromB64url(sig) } catch { return null }
  if (!timingSafeEqual(given, expected)) return null
  try {
    const claims = JSON.parse(new TextDecoder().decode(fromB64url(payload))) as PortalClaims
    return claims.exp * 1000 > now ? claims : null
  } catch {
    return null
  }
}

/** The claims of a valid token made for `purpose` (a portal link has none), else null. */
export async function verifyLinkToken(key: string, token: string, purpose: LinkPurpose, now = Date.now()): Promise<PortalClaims | null> {
  const claims = await verifyPortalToken(key, token, now)
  return claims && (claims.p ?? 'portal') === purpose ? claims : null
}
