/**
 * Webhook signature schemes, one small function per provider, each checked on the raw body
 * bytes with a constant-time compare (see PROVIDERS.md for the sources). Housecall Pro's and
 * ServiceTitan's schemes are not publicly confirmed: their functions are the one place to change.
 */
import { timingSafeEqual } from '../auth/crypto'
import { fromBase64, hex } from '../encoding'

export type Verdict = { ok: true } | { ok: false; reason: 'missing_signature' | 'bad_signature' | 'stale_timestamp' }

const encoder = new TextEncoder()
const OK: Verdict = { ok: true }
const fail = (reason: Exclude<Verdict, { ok: true }>['reason']): Verdict => ({ ok: false, reason })

/** HMAC-SHA256 of `data` under `key`. */
export async function hmacSha256(key: string | Uint8Array, data: Uint8Array): Promise<Uint8Array> {
  const raw = typeof key === 'string' ? encoder.encode(key) : key
  const k = await crypto.subtle.importKey('raw', raw, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign'])
  return new Uint8Array(await crypto.subtle.sign('HMAC', k, data))
}

/** `prefix` then the raw body, as bytes. */
function prefixed(prefix: string, body: Uint8Array): Uint8Array {
  const head = encoder.encode(prefix)
  const out = new Uint8Array(head.length + body.length)
  out.set(head)
  out.set(body, head.length)
  return out
}

function base64Bytes(value: string): Uint8Array | null {
  try {
    return fromBase64(value.trim())
  } catch {
    return null
  }
}

function fromHex(value: string): Uint8Array | null {
  const v = value.trim().toLowerCase()
  if (!/^([0-9a-f]{2})+$/.test(v)) return null
  return Uint8Array.from(v.match(/../g)!, (h) => parseInt(h, 16))
}

async function matches(given: Uint8Array | null, key: string | Uint8Array, data: Uint8Array): Promise<boolean> {
  return given !== null && timingSafeEqual(given, await hmacSha256(key, data))
}

/** Jobber: `X-Jobber-Hmac-SHA256` = base64(HMAC-SHA256(client secret, raw body)). No timestamp. */
export async function verifyJobber(body: Uint8Array, header: string | null, secret: string): Promise<Verdict> {
  if (!header) return fail('missing_signature')
  return (await matches(base64Bytes(header), secret, body)) ? OK : fail('bad_signature')
}

/** QuickBooks Online: `intuit-signature` = base64(HMAC-SHA256(verifier token, raw body)). No timestamp. */
export async function verifyQuickBooks(
  body: Uint8Array,
  header: string | null,
  verifierToken: string,
): Promise<Verdict> {
  if (!header) return fail('missing_signature')
  return (await matches(base64Bytes(header), verifierToken, body)) ? OK : fail('bad_signature')
}

/**
 * Stripe: `Stripe-Signature: t=…,v1=…[,v1=…]` = hex(HMAC-SHA256(secret, `${t}.${body}`)); any v1
 * may match (a rolled secret signs twice); older than `tolerance` seconds is refused, as Stripe's
 * own library does (a timestamp in the future is not).
 */
export async function verifyStripe(
  body: Uint8Array,
  header: string | null,
  secret: string,
  nowSeconds: number,
  tolerance = 300,
): Promise<Verdict> {
  if (!header) return fail('missing_signature')
  const parts = header.split(',').map((p) => p.trim().split('='))
  const t = parts.find(([k]) => k === 't')?.[1]
  const v1 = parts.filter(([k]) => k === 'v1').map(([, v]) => v ?? '')
  if (!t || !/^\d+$/.test(t) || v1.length === 0) return fail('missing_signature')
  const expected = await hmacSha256(secret, prefixed(`${t}.`, body))
  if (
    !v1.some((sig) => {
      const given = fromHex(sig)
      return given !== null && timingSafeEqual(given, expected)
    })
  )
    return fail('bad_signature')
  return nowSeconds - Number(t) > tolerance ? fail('stale_timestamp') : OK
}

/**
 * Housecall Pro (not publicly documented; the community's scheme): `Api-Signature` =
 * hex(HMAC-SHA256(secret, `${Api-Timestamp}.${body}`)), the timestamp within `tolerance` seconds
 * either way.
 */
export async function verifyHousecallPro(
  body: Uint8Array,
  headers: { signature: string | null; timestamp: string | null },
  secret: string,
  nowSeconds: number,
  tolerance = 300,
): Promise<Verdict> {
  const { signature, timestamp } = headers
  if (!signature || !timestamp) return fail('missing_signature')
  if (!(await matches(fromHex(signature), secret, prefixed(`${timestamp}.`, body)))) return fail('bad_signature')
  const t = Number(timestamp) > 1e12 ? Number(timestamp) / 1000 : Number(timestamp)
  return Number.isFinite(t) && Math.abs(nowSeconds - t) <= tolerance ? OK : fail('stale_timestamp')
}

/** ServiceTitan V2: HMAC-SHA256 of the raw body with the connection's HMAC key; base64 or hex as configured. */
export async function verifyServiceTitan(
  body: Uint8Array,
  header: string | null,
  key: string,
  encoding: 'base64' | 'hex' = 'base64',
): Promise<Verdict> {
  if (!header) return fail('missing_signature')
  const given = encoding === 'hex' ? fromHex(header) : base64Bytes(header)
  return (await matches(given, key, body)) ? OK : fail('bad_signature')
}

/** Hex SHA-256 of a body: the replay key of an event that carries no id of its own. */
export async function bodyHash(body: Uint8Array): Promise<string> {
  return hex(new Uint8Array(await crypto.subtle.digest('SHA-256', body)))
}
