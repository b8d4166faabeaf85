/**
 * Reading a ticket, by written rules or by the model: the prompt (the ticket's own words, the
 * business's name and plan, nothing of its clients), the built-in summary and priority, and the
 * model's JSON read defensively.
 *
 * Built-in priority: high when the business cannot work ("can't log in", "locked out", "charged
 * twice", "the app is down", "urgent", "all texts failing"); low for a question or a wish ("how do
 * I", "feature", "is there a way"); else normal. High wins over low. The summary is the opening
 * message's first sentence (two when the first is short), and the latest reply's when the
 * business has answered since.
 */
import { TICKET_PRIORITIES } from '../people/schema'
import type { TicketPriority } from './tickets'
import { jsonObjectIn } from '../../durable-objects/org/sales/assistant/model'

/** What enters a ticket's prompt: the ticket and its thread (never an internal note), the business and its plan. */
export type TicketFacts = {
  business: string
  plan: string
  subject: string
  body: string
  priority: TicketPriority
  created_at: string
  replies: Array<{ from: 'business' | 'operator'; body: string; created_at: string }>
}

/** The assistant's reading of a ticket. */
export type Reading = { summary: string; priority: TicketPriority }

export type Prompt = { system: string; user: string; text: string }

const HIGH: RegExp[] = [
  /\b(?:can'?t|cannot|can not|unable to|couldn'?t) (?:log|sign) ?(?:in|on)\b/,
  /\blocked out\b/,
  /\bcharged (?:me |us )?twice\b/,
  /\bdouble[- ]?charged\b/,
  /\b(?:is|are|was|went|been|it'?s|app|site|system|homebase|everything) (?:is |are )?down\b/,
  /\boutage\b/,
  /\burgent(?:ly)?\b/,
  /\basap\b/,
  /\bemergency\b/,
  /\b(?:all|every)(?: of)?(?: my| our| the)? (?:texts|sms|messages|emails|reminders)\b[^.!?]*\b(?:fail\w*|bounc\w*|not (?:going|sending|sent|delivered|arriving))/,
  /\bnone of(?: my| our| the)? (?:texts|sms|messages|emails|reminders)\b[^.!?]*\b(?:go\w*|went|sen[dt]\w*|deliver\w*|arriv\w*)/,
]

const LOW: RegExp[] = [
  /\bhow (?:do|can|would|should) (?:i|we|you)\b/,
  /\bhow to\b/,
  /\bfeature\b/,
  /\bis there a way\b/,
  /\bwould be (?:nice|great|helpful)\b/,
  /\bsuggestion\b/,
]

/** Lower case with straight apostrophes and single spaces, for the keyword rules. */
const plain = (text: string) => text.toLowerCase().replace(/[‘’]/g, "'").replace(/\s+/g, ' ')

/** The priority the rules give the business's own words. */
export function builtinPriority(texts: string[]): TicketPriority {
  const words = plain(texts.join('\n'))
  if (HIGH.some((r) => r.test(words))) return 'high'
  if (LOW.some((r) => r.test(words))) return 'low'
  return 'normal'
}

/** `text` cut at a word to at most `max` characters, with an ellipsis when cut. */
function clip(text: string, max: number): string {
  if (text.length <= max) return text
  const cut = text.slice(0, max - 1)
  const space = cut.lastIndexOf(' ')
  return `${(space > max / 2 ? cut.slice(0, space) : cut).replace(/[\s,;:.-]+$/, '')}…`
}

/** The first sentence of `text` (and the second when the first is under 40 characters), at most `max` characters. */
export function firstSentences(text: string, max = 240): string {
  const line = text.replace(/\s+/g, ' ').trim()
  const parts = line.split(/(?<=[.!?])\s+/)
  const first = parts[0] ?? ''
  const taken = first.length < 40 && parts[1] ? `${first} ${parts[1]}` : first
  return clip(taken, max)
}

/** The built-in reading: the opening's first sentence(s), the latest business reply's, and the keyword priority. */
export function builtinReading(f: TicketFacts): Reading {
  const own = f.replies.filter((r) => r.from === 'business')
  const latest = own[own.length - 1]
  const opening = firstSentences(f.body, latest ? 160 : 240)
  const summary = latest ? `${opening} Latest from the business: ${firstSentences(latest.body, 160)}` : opening
  return { summary, priority: builtinPriority([f.subject, f.body, ...own.map((r) => r.body)]) }
}

/** How much of each message a prompt quotes. */
const BODY_CHARS = 4000
const REPLY_CHARS = 1000
const REPLIES = 10

const quote = (text: string, max: number) => clip(text.replace(/\s+/g, ' ').trim(), max)

/** The prompt of a ticket: the instruction, then its facts one per line; `text` is what is stored. */
export function ticketPrompt(f: TicketFacts): Prompt {
  const system = [
    'You help the people who run HomeBase, a CRM for home-service businesses, answer support tickets.',
    'From the ticket below, answer with JSON only:',
    '{"summary": "1 or 2 sentences: what the business needs", "priority": "high" | "normal" | "low"}.',
    'High: the business cannot work (cannot sign in, texts or emails failing, charged wrongly, something down) or says it is urgent.',
    'Low: a how-to question or a feature request. Otherwise normal. Use only the ticket.',
  ].join(' ')
  const shown = f.replies.slice(-REPLIES)
  const lines = [
    `Business: ${f.business}, on the ${f.plan} plan`,
    `Opened: ${f.created_at.slice(0, 10)}, marked ${f.priority} by the business`,
    `Subject: ${quote(f.subject, 200)}`,
    `Message: "${quote(f.body, BODY_CHARS)}"`,
    ...(f.replies.length > shown.length ? [`(${f.replies.length - shown.length} earlier replies left out)`] : []),
    ...shown.map(
      (r) =>
        `Reply from ${r.from === 'business' ? 'the business' : 'HomeBase'}, ${r.created_at.slice(0, 10)}: "${quote(r.body, REPLY_CHARS)}"`,
    ),
  ]
  const user = lines.join('\n')
  return { system, user, text: `${system}\n\n${user}` }
}

/** The reading in a model's text (code fences and words around the JSON allowed); null unless complete. */
export function parseReading(raw: string): Reading | null {
  const v = jsonObjectIn(raw)
  if (!v) return null
  const summary = typeof v['summary'] === 'string' ? v['summary'].replace(/\s+/g, ' ').trim() : ''
  const said = typeof v['priority'] === 'string' ? v['priority'].trim().toLowerCase() : ''
  // "medium" is the business assistant's word for the middle: the same thing here.
  const priority = said === 'medium' ? 'normal' : said
  if (!summary || !TICKET_PRIORITIES.includes(priority as TicketPriority)) return null
  return { summary: clip(summary, 600), priority: priority as TicketPriority }
}
