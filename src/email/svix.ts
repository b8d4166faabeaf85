/**
 * Svix webhook signatures, as Resend signs its webhooks (PROVIDERS.md §7): `svix-signature` holds
 * space-separated `v1,<base64>` values of HMAC-SHA256(base64-decoded secret after `whsec_`,
 * `${svix-id}.${svix-timestamp}.${body}`), and the timestamp must be within 300 s either way.
 */
import { timingSafeEqual } from '../auth/crypto'
import { fromBase64 } from '../encoding'
import { hmacSha256, type Verdict } from '../integrations/signatures'

export type SvixHeaders = { id: string | null; timestamp: string | null; signature: string | null }

function base64Bytes(value: string): Uint8Array | null {
  try {
    return fromBase64(value.trim())
  } catch {
    return null
  }
}

/** Checks a delivery's signature on its raw body and its timestamp against `nowSeconds`. */
export async function verifySvix(
  body: Uint8Array,
  headers: SvixHeaders,
  secret: string,
  nowSeconds: number,
  tolerance = 300,
): Promise<Verdict> {
  const { id, timestamp, signature } = headers
  if (!id || !timestamp || !signature) return { ok: false, reason: 'missing_signature' }
  const key = base64Bytes(secret.replace(/^whsec_/, ''))
  if (!key) return { ok: false, reason: 'bad_signature' }
  const head = new TextEncoder().encode(`${id}.${timestamp}.`)
  const signed = new Uint8Array(head.length + body.length)
  signed.set(head)
  signed.set(body, head.length)
  const expected = await hmacSha256(key, signed)
  const given = signature
    .split(' ')
    .filter((s) => s.startsWith('v1,'))
    .map((s) => base64Bytes(s.slice(3)))
  if (!given.some((g) => g !== null && timingSafeEqual(g, expected))) return { ok: false, reason: 'bad_signature' }
  const t = Number(timestamp)
  return Number.isFinite(t) && Math.abs(nowSeconds - t) <= tolerance
    ? { ok: true }
    : { ok: false, reason: 'stale_timestamp' }
}
