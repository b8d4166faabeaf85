/**
 * The words of an email reply without what it quotes: the "On … wrote:" history, Outlook's
 * "From: / Sent:" block and "Original Message" line, `>` lines, the signature after "-- " and
 * "Sent from my phone" lines. HTML-only replies are turned into text first.
 */

/** Where a quoted history starts in the common mail clients' words (English, French, German, Spanish). */
const QUOTE_HEADERS = [
  /^On\b.+\bwrote:\s*$/i,
  /^Le\b.+\ba écrit\s*:\s*$/i,
  /^Am\b.+\bschrieb\b.*:\s*$/i,
  /^El\b.+\bescribió:\s*$/i,
  /^-{2,}\s*Original Message\s*-{2,}\s*$/i,
  /^-{2,}\s*Forwarded message\s*-{2,}\s*$/i,
  /^_{10,}\s*$/,
]

const SENT_FROM = /^(Sent from my \w+|Sent from (Outlook|Mail|Yahoo Mail)\b|Get Outlook for \w+)/i

/** True when the lines at `i` open an Outlook header block: "From:" with "Sent:"/"Date:" and "To:"/"Subject:" right below. */
function outlookBlock(lines: string[], i: number): boolean {
  if (!/^\*?From:\*?\s/i.test(lines[i] ?? '')) return false
  const next = lines.slice(i + 1, i + 5).join('\n')
  return /^\*?(Sent|Date):/im.test(next) && /^\*?(To|Subject):/im.test(next)
}

/** The reply's own words from a plain-text body; the whole text when nothing of it is left. */
export function replyText(text: string): string {
  const lines = text.replace(/\r\n?/g, '\n').split('\n')
  let end = lines.length
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim()
    // Gmail wraps a long "On …, Name <address>" line before "wrote:".
    const joined = `${line} ${(lines[i + 1] ?? '').trim()}`
    if (QUOTE_HEADERS.some((re) => re.test(line) || (/^(On|Le|Am|El)\b/.test(line) && re.test(joined)))) {
      end = i
      break
    }
    if (outlookBlock(lines, i) || line === '--' || lines[i] === '-- ') {
      end = i
      break
    }
  }
  const kept = lines
    .slice(0, end)
    .filter((l) => !/^\s*>/.test(l) && !SENT_FROM.test(l.trim()))
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim()
  return kept || text.trim()
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' }

/** Plain text of an HTML reply, cut where the quoted history starts (Gmail's quote, a blockquote, Outlook's divider). */
export function htmlToText(html: string): string {
  const cut = html.search(/<div[^>]+class="[^"]*gmail_quote|<blockquote|<div[^>]+id="(divRplyFwdMsg|appendonsend)"/i)
  return (cut >= 0 ? html.slice(0, cut) : html)
    .replace(/<(head|style|script|title)\b[\s\S]*?<\/\1>/gi, '')
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<\/(p|div|li|tr|h[1-6])>/gi, '\n')
    .replace(/<[^>]*>/g, '')
    .replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, e: string) => {
      if (e[0] === '#') {
        const code = e[1] === 'x' || e[1] === 'X' ? Number.parseInt(e.slice(2), 16) : Number(e.slice(1))
        return Number.isFinite(code) && code > 0 && code < 0x110000 ? String.fromCodePoint(code) : whole
      }
      return ENTITIES[e.toLowerCase()] ?? whole
    })
    .replace(/[ \t]+\n/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim()
}
