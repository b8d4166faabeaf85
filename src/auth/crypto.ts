/** Small WebCrypto helpers: random tokens, SHA-256 digests, PBKDF2 password hashes, constant-time compares and key rings. */
import { base64url, fromBase64url, hex } from '../encoding'

const PBKDF2_ITERATIONS = 100_000 // workerd's maximum for PBKDF2, and OWASP's floor for SHA-256 is above what it allows
const encoder = new TextEncoder()

/** A URL-safe random token of `bytes` random bytes. */
export function randomToken(bytes = 32): string {
  return base64url(crypto.getRandomValues(new Uint8Array(bytes)))
}

/** Hex SHA-256 of a string: how tokens and API keys are stored. */
export async function sha256Hex(value: string): Promise<string> {
  return hex(new Uint8Array(await crypto.subtle.digest('SHA-256', encoder.encode(value))))
}

/** Hashes a password as `pbkdf2_sha256$iterations$salt$hash` with a fresh 16-byte salt. */
export async function hashPassword(password: string): Promise<string> {
  const salt = crypto.getRandomValues(new Uint8Array(16))
  const hash = await pbkdf2(password, salt, PBKDF2_ITERATIONS)
  return `pbkdf2_sha256$${PBKDF2_ITERATIONS}$${base64url(salt)}$${base64url(hash)}`
}

/** Checks a password against a stored hash in constant time. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, iterations, salt, expected] = stored.split('$')
  if (scheme !== 'pbkdf2_sha256' || !iterations || !salt || !expected) return false
  const actual = await pbkdf2(password, fromBase64url(salt), Number(iterations))
  return timingSafeEqual(actual, fromBase64url(expected))
}

/** A hash of a password nobody has, so unknown accounts take as long to reject as known ones. */
export const DUMMY_PASSWORD_HASH =
  'pbkdf2_sha256$100000$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'

async function pbkdf2(password: string, salt: Uint8Array, iterations: number): Promise<Uint8Array> {
  const key = await crypto.subtle.importKey('raw', encoder.encode(password), 'PBKDF2', false, ['deriveBits'])
  const bits = await crypto.subtle.deriveBits({ name: 'PBKDF2', hash: 'SHA-256', salt, iterations }, key, 256)
  return new Uint8Array(bits)
}

/** Compares two byte arrays without leaking where they differ (arrays of different lengths are unequal). */
export function timingSafeEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a.byteLength === b.byteLength && crypto.subtle.timingSafeEqual(a, b)
}

/** A secret and the id that names it in what it signed or sealed. */
export type RingKey = { id: string; secret: string }

/**
 * A key ring from the Worker's variables: the current key (its id defaults to `k1`) and every key
 * that may still read, by id, from `old` (`kid:key,kid:key`). The current key wins an id both name.
 */
export function keyRing(
  secret: string | undefined,
  id: string | undefined,
  old: string | undefined,
): { current: RingKey | null; all: Map<string, string> } {
  const all = new Map<string, string>()
  for (const pair of (old ?? '').split(',')) {
    const at = pair.indexOf(':')
    if (at > 0) all.set(pair.slice(0, at).trim(), pair.slice(at + 1).trim())
  }
  const current = secret ? { id: id || 'k1', secret } : null
  if (current) all.set(current.id, current.secret)
  return { current, all }
}
