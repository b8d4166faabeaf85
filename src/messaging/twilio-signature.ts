/** Twilio's X-Twilio-Signature: base64 HMAC-SHA1 over the full URL plus every POST param, sorted by name. */
import { timingSafeEqual } from '../auth/crypto'
import { base64 } from '../encoding'

const encoder = new TextEncoder()

/** The signature Twilio sends for this URL and form params (repeated names: values de-duplicated and sorted). */
export async function twilioSignature(
  authToken: string,
  url: string,
  params: Array<[string, string]>,
): Promise<string> {
  const byName = new Map<string, Set<string>>()
  for (const [name, value] of params) {
    if (!byName.has(name)) byName.set(name, new Set())
    byName.get(name)!.add(value)
  }
  let data = url
  for (const name of [...byName.keys()].sort()) {
    for (const value of [...byName.get(name)!].sort()) data += name + value
  }
  const key = await crypto.subtle.importKey('raw', encoder.encode(authToken), { name: 'HMAC', hash: 'SHA-1' }, false, [
    'sign',
  ])
  return base64(new Uint8Array(await crypto.subtle.sign('HMAC', key, encoder.encode(data))))
}

/** The URL as Twilio may have signed it: as received, and with or without the scheme's default port. */
function urlVariants(url: string): string[] {
  const m = url.match(/^(https?):\/\/([^/:?#]+)(?::(\d+))?(.*)$/)
  if (!m) return [url]
  const [, scheme, host, port, rest] = m
  const defaultPort = scheme === 'https' ? '443' : '80'
  if (port && port !== defaultPort) return [url]
  return [`${scheme}://${host}${rest}`, `${scheme}://${host}:${defaultPort}${rest}`]
}

/** True when the header matches the signature of the request, in constant time per comparison. */
export async function verifyTwilioSignature(
  authToken: string,
  header: string | undefined,
  url: string,
  params: Array<[string, string]>,
): Promise<boolean> {
  if (!header || !authToken) return false
  const given = encoder.encode(header)
  for (const variant of urlVariants(url)) {
    const expected = encoder.encode(await twilioSignature(authToken, variant, params))
    if (timingSafeEqual(given, expected)) return true
  }
  return false
}
