/**
 * Just enough of MIME (RFC 2045–2047, 5322) to read a reply: the headers, and the first plain-text
 * part (else the first HTML part) of a possibly multipart message, decoded from base64 or
 * quoted-printable and its charset. Attachments are skipped. The raw bytes are handled as a
 * "binary string" (one character a byte) until a part's text is decoded.
 */

export type ParsedEmail = {
  /** A header's value, unfolded, encoded words decoded; undefined when absent. */
  header(name: string): string | undefined
  text: string | null
  html: string | null
}

type Part = { headers: Map<string, string>; body: string }

/** Bytes as a binary string (one char a byte), in chunks so a large message does not overflow the stack. */
function binary(bytes: Uint8Array): string {
  let out = ''
  for (let i = 0; i < bytes.length; i += 8192) out += String.fromCharCode(...bytes.subarray(i, i + 8192))
  return out
}

function bytesOf(s: string): Uint8Array {
  return Uint8Array.from(s, (ch) => ch.charCodeAt(0) & 0xff)
}

/** Text from bytes in `charset`, read as UTF-8 when the runtime does not know the charset. */
function decodeText(bytes: Uint8Array, charset: string | undefined): string {
  try {
    return new TextDecoder(charset || 'utf-8').decode(bytes)
  } catch {
    return new TextDecoder().decode(bytes)
  }
}

function splitHeaderBody(s: string): Part {
  const at = s.search(/\r?\n\r?\n/)
  const head = at < 0 ? s : s.slice(0, at)
  const body = at < 0 ? '' : s.slice(at).replace(/^\r?\n\r?\n/, '')
  const headers = new Map<string, string>()
  for (const line of head.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const colon = line.indexOf(':')
    if (colon <= 0) continue
    const name = line.slice(0, colon).trim().toLowerCase()
    // Header bytes may be raw UTF-8 (RFC 6532); the first of a repeated header wins.
    if (!headers.has(name)) headers.set(name, decodeText(bytesOf(line.slice(colon + 1).trim()), 'utf-8'))
  }
  return { headers, body }
}

/** `text/plain; charset="utf-8"` → the lower-cased type and its parameters. */
function contentType(value: string | undefined): { type: string; params: Record<string, string> } {
  const [type = 'text/plain', ...rest] = (value ?? 'text/plain').split(';')
  const params: Record<string, string> = {}
  for (const p of rest) {
    const eq = p.indexOf('=')
    if (eq > 0)
      params[p.slice(0, eq).trim().toLowerCase()] = p
        .slice(eq + 1)
        .trim()
        .replace(/^"(.*)"$/, '$1')
  }
  return { type: type.trim().toLowerCase(), params }
}

function quotedPrintable(s: string): string {
  return s.replace(/=\r?\n/g, '').replace(/=([0-9A-Fa-f]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)))
}

function base64Binary(s: string): string {
  try {
    return atob(s.replace(/[^A-Za-z0-9+/=]/g, ''))
  } catch {
    return ''
  }
}

/** A part's body as text: transfer encoding undone, then its charset. */
function partText(part: Part): string {
  const encoding = (part.headers.get('content-transfer-encoding') ?? '').toLowerCase()
  const raw =
    encoding === 'base64'
      ? base64Binary(part.body)
      : encoding === 'quoted-printable'
        ? quotedPrintable(part.body)
        : part.body
  return decodeText(bytesOf(raw), contentType(part.headers.get('content-type')).params['charset'])
}

/** The first text/plain and text/html parts, depth first, attachments left out. */
function findText(part: Part, found: { text: string | null; html: string | null }, depth = 0): void {
  const { type, params } = contentType(part.headers.get('content-type'))
  if (/^attachment/i.test(part.headers.get('content-disposition') ?? '')) return
  if (type.startsWith('multipart/') && params['boundary'] && depth < 10) {
    const boundary = `--${params['boundary']}`
    const sections = part.body.split(new RegExp(`\\r?\\n?${escapeRegExp(boundary)}(?:--)?[ \\t]*\\r?\\n?`))
    // What comes before the first boundary is the preamble; after the closing one, the epilogue.
    for (const section of sections.slice(1)) {
      if (section.trim() === '') continue
      findText(splitHeaderBody(section), found, depth + 1)
    }
    return
  }
  if (type === 'text/plain' && found.text === null) found.text = partText(part)
  else if (type === 'text/html' && found.html === null) found.html = partText(part)
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

/** Decodes RFC 2047 encoded words (`=?utf-8?B?…?=`, `=?iso-8859-1?Q?…?=`) in a header value. */
export function decodeWords(value: string): string {
  return value
    .replace(/(=\?[^?]+\?[BbQq]\?[^?]*\?=)\s+(?==\?)/g, '$1')
    .replace(/=\?([^?*]+)(?:\*[^?]*)?\?([BbQq])\?([^?]*)\?=/g, (_, charset: string, enc: string, text: string) => {
      const raw = enc.toUpperCase() === 'B' ? base64Binary(text) : quotedPrintable(text.replace(/_/g, ' '))
      return decodeText(bytesOf(raw), charset)
    })
}

/** The bare address of `Name <addr>` (or of a bare address), lower-cased; the first of a list. */
export function addressOf(value: string): string {
  const angle = /<([^<>@\s]+@[^<>\s]+)>/.exec(value)
  const bare = angle?.[1] ?? /[^\s<>,;"]+@[^\s<>,;"]+/.exec(value)?.[0] ?? ''
  return bare.trim().toLowerCase()
}

/** Every address in a header like To or Cc. */
export function addressesOf(value: string | undefined): string[] {
  return (value ?? '').match(/[^\s<>,;"]+@[^\s<>,;"]+/g)?.map((a) => a.toLowerCase()) ?? []
}

/** Parses a raw message (RFC 5322 bytes). */
export function parseEmail(raw: Uint8Array | string): ParsedEmail {
  const top = splitHeaderBody(typeof raw === 'string' ? binary(new TextEncoder().encode(raw)) : binary(raw))
  const found: { text: string | null; html: string | null } = { text: null, html: null }
  findText(top, found)
  return {
    header: (name) => {
      const v = top.headers.get(name.toLowerCase())
      return v === undefined ? undefined : decodeWords(v)
    },
    ...found,
  }
}
