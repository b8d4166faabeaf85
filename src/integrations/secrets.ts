/**
 * Secrets at rest (OAuth tokens, webhook secrets): AES-256-GCM under the Worker secret
 * `ENCRYPTION_KEY`, written as `hb1.<key id>.<iv>.<ciphertext>` so the key can rotate: new values
 * use `ENCRYPTION_KEY_ID` (default `k1`); older ones are read with `ENCRYPTION_OLD_KEYS`
 * (`kid:key,kid:key`). Each value is bound to where it is stored (`aad`), so a ciphertext copied
 * to another row or field does not decrypt.
 */
import { keyRing, type RingKey } from '../auth/crypto'
import { base64url, fromBase64url } from '../encoding'

export type KeyRing = { ENCRYPTION_KEY?: string; ENCRYPTION_KEY_ID?: string; ENCRYPTION_OLD_KEYS?: string }

const encoder = new TextEncoder()
const PREFIX = 'hb1'

/** A 32-byte key: the secret itself when it is base64 of 32 bytes, else its SHA-256. */
async function importKey(secret: string): Promise<CryptoKey> {
  let raw: Uint8Array | null = null
  try {
    const decoded = fromBase64url(secret.trim())
    if (decoded.length === 32) raw = decoded
  } catch {
    raw = null
  }
  raw ??= new Uint8Array(await crypto.subtle.digest('SHA-256', encoder.encode(secret)))
  return crypto.subtle.importKey('raw', raw, 'AES-GCM', false, ['encrypt', 'decrypt'])
}

function keysOf(ring: KeyRing): { current: RingKey; all: Map<string, string> } {
  const { current, all } = keyRing(ring.ENCRYPTION_KEY, ring.ENCRYPTION_KEY_ID, ring.ENCRYPTION_OLD_KEYS)
  if (!current) throw new Error('ENCRYPTION_KEY is not set: secrets cannot be stored')
  return { current, all }
}

/** Encrypts `plaintext` for the place named by `aad` (e.g. `connection:<id>:access_token`). */
export async function encryptSecret(ring: KeyRing, plaintext: string, aad: string): Promise<string> {
  const { current } = keysOf(ring)
  const iv = crypto.getRandomValues(new Uint8Array(12))
  const key = await importKey(current.secret)
  const sealed = await crypto.subtle.encrypt(
    { name: 'AES-GCM', iv, additionalData: encoder.encode(aad) },
    key,
    encoder.encode(plaintext),
  )
  return `${PREFIX}.${current.id}.${base64url(iv)}.${base64url(new Uint8Array(sealed))}`
}

/** Decrypts a value made by `encryptSecret` for the same `aad`; throws when it cannot. */
export async function decryptSecret(ring: KeyRing, value: string, aad: string): Promise<string> {
  const [prefix, kid, iv, sealed] = value.split('.')
  if (prefix !== PREFIX || !kid || !iv || !sealed) throw new Error('not an encrypted secret')
  const secret = keysOf(ring).all.get(kid)
  if (!secret) throw new Error(`no key with id ${kid}`)
  const key = await importKey(secret)
  const plain = await crypto.subtle.decrypt(
    { name: 'AES-GCM', iv: fromBase64url(iv), additionalData: encoder.encode(aad) },
    key,
    fromBase64url(sealed),
  )
  return new TextDecoder().decode(plain)
}

/** True when a stored value was sealed with an older key and should be re-encrypted. */
export function needsRotation(ring: KeyRing, value: string): boolean {
  return value.split('.')[1] !== (ring.ENCRYPTION_KEY_ID || 'k1')
}
