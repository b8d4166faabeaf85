/** Carrier keywords in an inbound SMS: a single word, any case, surrounding spaces and punctuation ignored. */

const OPT_OUT = new Set(['STOP', 'STOPALL', 'UNSUBSCRIBE', 'CANCEL', 'END', 'QUIT', 'REVOKE', 'OPTOUT'])
const OPT_IN = new Set(['START', 'YES', 'UNSTOP'])
const HELP = new Set(['HELP', 'INFO'])

export type Keyword = 'opt_out' | 'opt_in' | 'help'

/** What a reply means, or null for an ordinary reply ("STOP PLEASE" is ordinary). */
export function classifyReply(body: string): Keyword | null {
  const word = body
    .trim()
    .replace(/^[\s.!?,;:'"]+|[\s.!?,;:'"]+$/g, '')
    .toUpperCase()
  if (!/^[A-Z]+$/.test(word)) return null
  if (OPT_OUT.has(word)) return 'opt_out'
  if (OPT_IN.has(word)) return 'opt_in'
  if (HELP.has(word)) return 'help'
  return null
}
