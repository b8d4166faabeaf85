/**
 * The brief's prompt: one instruction and the record's facts, one per line. The same text is sent
 * to the model and stored with the answer, whoever answers.
 */
import type { ActivityFact, ClientFacts, EstimateFact } from './client-facts'
import { activityWord, channelWord } from './client-facts'
import type { LeadFacts } from './lead-facts'
import { dateWords, dayCount, daysBetween, dayOf, money, quote } from './wording'

/** Where the facts are read: the business's name, its zone, and today there. */
export type Setting = { business: string; tz: string; today: string; now: Date }

export type Prompt = { system: string; user: string; text: string }

/** The instruction: answer with JSON only, from these facts only. */
export function instruction(business: string, subject: 'lead' | 'client'): string {
  return [
    `You assist the staff of ${business}, a home-service business.`,
    `From the facts below about one ${subject}, answer with JSON only:`,
    '{"summary": "1 to 3 sentences of facts", "next_action": "the one next step, naming the concrete thing",',
    '"priority": "high" | "medium" | "low"}.',
    'High: an unanswered reply, an overdue invoice or follow-up, or an unhappy client.',
    'Medium: an open estimate, or a follow-up due within 2 days. Otherwise low. Use only these facts.',
  ].join(' ')
}

/** The prompt of a client's brief. */
export function clientPrompt(f: ClientFacts, s: Setting): Prompt {
  const lines = [
    `Today: ${dateWords(s.today, s.tz)}, ${s.today.slice(0, 4)} (${s.tz})`,
    `Client: ${f.name}, ${f.status} since ${dateWords(f.since, s.tz)}${f.tags.length ? `; tags: ${f.tags.join(', ')}` : ''}${
      f.account ? `; account: ${f.account}` : ''
    }`,
    `Last contact: ${f.last_contact ? `${f.last_contact.what}, ${dateWords(f.last_contact.at, s.tz)}` : 'none logged'}`,
  ]
  if (f.last_reply) {
    const r = f.last_reply
    lines.push(
      `Last reply: ${channelWord(r.channel)}, ${dateWords(r.at, s.tz)}, ${r.answered ? 'answered' : 'not answered yet'}${
        r.sentiment ? `, reads ${r.sentiment}` : ''
      }: "${quote(r.body)}"`,
    )
  }
  if (f.next_visit)
    lines.push(`Next visit: ${f.next_visit.service ?? 'a visit'}, ${dateWords(f.next_visit.start_at, s.tz)}`)
  if (f.last_visit)
    lines.push(
      `Last visit: ${f.last_visit.service ?? 'a visit'}, ${dateWords(f.last_visit.start_at, s.tz)}, ${f.last_visit.status}`,
    )
  if (f.open_estimate) lines.push(`Open estimate: ${estimateLine(f.open_estimate, s)}`)
  if (f.overdue_invoices.length)
    lines.push(
      `Overdue invoices: ${f.overdue_invoices
        .map(
          (i) =>
            `#${i.number} ${money(i.balance_cents)} due ${dateWords(i.due_date, s.tz)} (${dayCount(daysBetween(i.due_date, s.today))} overdue)`,
        )
        .join('; ')}`,
    )
  if (f.open_invoices.length)
    lines.push(
      `Open invoices: ${f.open_invoices.map((i) => `#${i.number} ${money(i.balance_cents)} due ${dateWords(i.due_date, s.tz)}`).join('; ')}`,
    )
  if (f.activities.length) lines.push(`Recent activities: ${activityLines(f.activities, s)}`)
  return assemble(instruction(s.business, 'client'), lines)
}

/** The prompt of a lead's brief. */
export function leadPrompt(f: LeadFacts, s: Setting): Prompt {
  const inStatus = daysBetween(dayOf(f.status.since, s.tz), s.today)
  const lines = [
    `Today: ${dateWords(s.today, s.tz)}, ${s.today.slice(0, 4)} (${s.tz})`,
    `Lead: ${f.name}${f.company ? ` (${f.company})` : ''}, from ${f.source.replace(/_/g, ' ')}, created ${dateWords(f.created_at, s.tz)}`,
    `Status: ${f.status.name} (${f.status.kind}) for ${dayCount(Math.max(inStatus, 0))}`,
  ]
  if (f.converted) lines.push(`Converted to a client${f.converted.on ? ` on ${dateWords(f.converted.on, s.tz)}` : ''}`)
  if (f.service_interest) lines.push(`Interested in: ${quote(f.service_interest, 120)}`)
  if (f.estimated_value_cents !== null) lines.push(`Estimated value: ${money(f.estimated_value_cents)}`)
  lines.push(
    `Next follow-up: ${
      f.next_follow_up_at
        ? `${dateWords(f.next_follow_up_at, s.tz)}${new Date(f.next_follow_up_at) < s.now ? ' (overdue)' : ''}`
        : 'none set'
    }`,
  )
  lines.push(`Last contact: ${f.last_contact_at ? dateWords(f.last_contact_at, s.tz) : 'none logged'}`)
  if (f.open_estimate) lines.push(`Open estimate: ${estimateLine(f.open_estimate, s)}`)
  if (f.activities.length) lines.push(`Recent activities: ${activityLines(f.activities, s)}`)
  return assemble(instruction(s.business, 'lead'), lines)
}

function estimateLine(e: EstimateFact, s: Setting): string {
  return `#${e.number} ${money(e.total_cents)}, ${e.status === 'sent' && e.sent_at ? `sent ${dateWords(e.sent_at, s.tz)}` : 'draft, not sent'}`
}

function activityLines(list: ActivityFact[], s: Setting): string {
  return list.map((a) => `${dateWords(a.at, s.tz)} ${activityWord(a)}: "${quote(a.summary, 120)}"`).join('; ')
}

function assemble(system: string, lines: string[]): Prompt {
  const user = lines.join('\n')
  return { system, user, text: `${system}\n\n${user}` }
}
