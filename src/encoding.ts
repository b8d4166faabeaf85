/** Byte encodings the Worker writes into tokens, headers, digests and cursors: base64url (unpadded), base64 and hex. */
import { decodeBase64, decodeBase64Url, encodeBase64, encodeBase64Url } from 'hono/utils/encode'

/** Exactly the bytes of a view (hono's encoders take a buffer, and a view may cover part of one). */
const bufferOf = (bytes: Uint8Array) => bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength)

/** Bytes as unpadded base64url, as tokens and signed links carry them. */
export function base64url(bytes: Uint8Array): string {
  return encodeBase64Url(bufferOf(bytes)).replace(/=+$/, '')
}

/** Bytes from base64url, padded or not (standard base64's `+` and `/` are read too); throws on anything else. */
export function fromBase64url(value: string): Uint8Array {
  return decodeBase64Url(value)
}

/** Bytes as standard, padded base64 (what Twilio's signatures use). */
export function base64(bytes: Uint8Array): string {
  return encodeBase64(bufferOf(bytes))
}

/** Bytes from standard base64; throws when it is not base64. */
export function fromBase64(value: string): Uint8Array {
  return decodeBase64(value)
}

/** Text as unpadded base64url of its UTF-8 bytes. */
export function textToBase64url(text: string): string {
  return base64url(new TextEncoder().encode(text))
}

/** Text from base64url of UTF-8 bytes; throws when it is not base64url. */
export function textFromBase64url(value: string): string {
  return new TextDecoder().decode(fromBase64url(value))
}

/** Bytes as lowercase hex, two digits a byte. */
export function hex(bytes: Uint8Array): string {
  return [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('')
}

/** An HTTP Basic `authorization` header value. */
/** Bytes from lowercase or uppercase hex, two digits a byte. */
export function fromHex(value: string): Uint8Array {
  return Uint8Array.from(value.match(/../g) ?? [], (h) => Number.parseInt(h, 16))
}

export function basicAuth(user: string, password: string): string {
  return `Basic ${btoa(`${user}:${password}`)}`
}
