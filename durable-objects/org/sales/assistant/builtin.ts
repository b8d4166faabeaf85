/**
 * The built-in summarizer: a brief from the facts by written rules, the same answer every time.
 * The first rule that holds names the next action; the priority is the highest any rule gives.
 *
 * Client: an unanswered reply (high), an overdue invoice (high), a latest reply that read negative
 * in the last 14 days (high), an open estimate (medium); else low.
 * Lead: converted, won or lost (low, nothing to chase), a follow-up past due (high), a logged
 * inbound call or email not answered since (high), an open estimate (medium), a follow-up due
 * within 2 days (medium), never contacted (medium); else low.
 */
import type { ClientFacts, EstimateFact } from './client-facts'
import { channelWord } from './client-facts'
import type { LeadFacts } from './lead-facts'
import type { Setting } from './prompt'
import { agoWords, dateWords, dayCount, daysBetween, dayOf, dayWord, money, monthDay } from './wording'

export const PRIORITIES = ['high', 'medium', 'low'] as const
export type Priority = (typeof PRIORITIES)[number]

/** A brief's answer, whoever gave it. */
export type Answer = { summary: string; next_action: string; priority: Priority }

/** The model name stored and answered when the built-in rules answer. */
export const BUILTIN = 'homebase-builtin'

/** How long a negative reply keeps a client's priority high after it was answered. */
const NEGATIVE_DAYS = 14
/** A follow-up this close is due soon (medium). */
const SOON_MS = 2 * 24 * 60 * 60 * 1000

type Finding = { priority: Priority; action: string }

const rank = (p: Priority) => PRIORITIES.indexOf(p)

/** The first finding's action with the highest priority found, or the fallback. */
function decide(findings: Finding[], fallback: string): Pick<Answer, 'next_action' | 'priority'> {
  const first = findings[0]
  if (!first) return { next_action: fallback, priority: 'low' }
  const priority = findings.reduce<Priority>((p, f) => (rank(f.priority) < rank(p) ? f.priority : p), 'low')
  return { next_action: first.action, priority }
}

/** "Follow up on estimate #1004 ($840.00), sent 6 days ago" or "Send estimate #1004 ($840.00): still a draft". */
function estimateAction(e: EstimateFact, s: Setting): string {
  const what = `estimate #${e.number} (${money(e.total_cents)})`
  if (e.status === 'draft' || !e.sent_at) return `Send ${what}: still a draft`
  return `Follow up on ${what}, sent ${agoWords(daysBetween(dayOf(e.sent_at, s.tz), s.today))}`
}

/** The brief of a client. */
export function clientBrief(f: ClientFacts, s: Setting): Answer {
  const findings: Finding[] = []
  const reply = f.last_reply
  if (reply && !reply.answered)
    findings.push({
      priority: 'high',
      action: `Reply to ${f.first_name}'s ${channelWord(reply.channel)} from ${dayWord(reply.at, s.tz, s.today)}`,
    })
  const overdue = f.overdue_invoices[0]
  if (overdue) {
    const more = f.overdue_invoices.length - 1
    findings.push({
      priority: 'high',
      action: `Collect invoice #${overdue.number} (${money(overdue.balance_cents)}), ${dayCount(
        daysBetween(overdue.due_date, s.today),
      )} overdue${more > 0 ? ` (and ${more} more overdue)` : ''}`,
    })
  }
  if (reply?.answered && reply.sentiment === 'negative' && daysBetween(dayOf(reply.at, s.tz), s.today) <= NEGATIVE_DAYS)
    findings.push({
      priority: 'high',
      action: `Call ${f.first_name}: their ${channelWord(reply.channel)} from ${dayWord(reply.at, s.tz, s.today)} read unhappy`,
    })
  if (f.open_estimate) findings.push({ priority: 'medium', action: estimateAction(f.open_estimate, s) })
  const fallback = f.next_visit
    ? `No action needed: next visit ${dateWords(f.next_visit.start_at, s.tz)}`
    : f.last_visit
      ? `Offer ${f.first_name} a next visit: the last was ${monthDay(dayOf(f.last_visit.start_at, s.tz))}`
      : 'No action needed'
  return { summary: clientSummary(f, s), ...decide(findings, fallback) }
}

function clientSummary(f: ClientFacts, s: Setting): string {
  const who = `${f.name} is ${f.status === 'active' || f.status === 'inactive' ? 'an' : 'a'} ${f.status} client since ${monthDay(
    dayOf(f.since, s.tz),
  )}${f.tags.length ? ` (${f.tags.join(', ')})` : ''}.`
  const contact = f.last_contact
    ? `Last contact: ${f.last_contact.what} ${dayWord(f.last_contact.at, s.tz, s.today)}${
        f.last_reply && !f.last_reply.answered ? ', not answered yet' : ''
      }${f.last_reply?.sentiment === 'negative' ? ' (it reads unhappy)' : ''}.`
    : 'No contact logged yet.'
  const open = [
    ...f.overdue_invoices.map(
      (i) => `invoice #${i.number} (${money(i.balance_cents)}) overdue since ${monthDay(i.due_date)}`,
    ),
    ...f.open_invoices.map((i) => `invoice #${i.number} (${money(i.balance_cents)}) due ${monthDay(i.due_date)}`),
    ...(f.open_estimate
      ? [
          `estimate #${f.open_estimate.number} (${money(f.open_estimate.total_cents)}) ${
            f.open_estimate.status === 'sent' ? 'awaiting an answer' : 'in draft'
          }`,
        ]
      : []),
    ...(f.next_visit ? [`next visit ${dateWords(f.next_visit.start_at, s.tz)}`] : []),
  ]
  return [who, contact, open.length ? `Open: ${open.join('; ')}.` : 'Nothing open.'].join(' ')
}

/** The brief of a lead. */
export function leadBrief(f: LeadFacts, s: Setting): Answer {
  const summary = leadSummary(f, s)
  if (f.converted)
    return {
      summary,
      priority: 'low',
      next_action: `Nothing to chase: ${f.first_name} is a client now`,
    }
  if (f.status.kind !== 'open')
    return { summary, priority: 'low', next_action: `Nothing to chase: marked ${f.status.name}` }
  const findings: Finding[] = []
  const followUp = f.next_follow_up_at ? new Date(f.next_follow_up_at) : null
  if (followUp && followUp < s.now) {
    const late = daysBetween(dayOf(f.next_follow_up_at!, s.tz), s.today)
    findings.push({
      priority: 'high',
      action: `Follow up with ${f.first_name}: due ${dateWords(f.next_follow_up_at!, s.tz)}${
        late > 0 ? ` (${dayCount(late)} overdue)` : ''
      }`,
    })
  }
  const lastIn = f.activities.find((a) => a.direction === 'inbound')
  const lastOut = f.activities.find((a) => a.direction === 'outbound')
  if (lastIn && (!lastOut || lastOut.at < lastIn.at))
    findings.push({
      priority: 'high',
      action: `Answer ${f.first_name}'s ${lastIn.type} from ${dayWord(lastIn.at, s.tz, s.today)}`,
    })
  if (f.open_estimate) findings.push({ priority: 'medium', action: estimateAction(f.open_estimate, s) })
  if (followUp && followUp >= s.now && followUp.getTime() - s.now.getTime() <= SOON_MS)
    findings.push({
      priority: 'medium',
      action: `Follow up with ${f.first_name} by ${dateWords(f.next_follow_up_at!, s.tz)}`,
    })
  if (!f.last_contact_at && f.activities.length === 0)
    findings.push({
      priority: 'medium',
      action: `Make first contact with ${f.first_name}${f.service_interest ? ` about ${f.service_interest}` : ''}`,
    })
  const fallback = followUp
    ? `Follow up with ${f.first_name} on ${dateWords(f.next_follow_up_at!, s.tz)}`
    : `Set a follow-up date for ${f.first_name}`
  return { summary, ...decide(findings, fallback) }
}

function leadSummary(f: LeadFacts, s: Setting): string {
  const inStatus = Math.max(daysBetween(dayOf(f.status.since, s.tz), s.today), 0)
  const interest = [
    f.service_interest ? `interested in ${f.service_interest}` : null,
    f.estimated_value_cents !== null ? `worth about ${money(f.estimated_value_cents)}` : null,
  ].filter(Boolean)
  const who = `${f.name}${f.company ? ` (${f.company})` : ''} is a lead from ${f.source.replace(/_/g, ' ')}, ${
    f.status.name
  } for ${dayCount(inStatus)}${interest.length ? `, ${interest.join(', ')}` : ''}.`
  const contact = f.last_contact_at
    ? `Last contact ${dayWord(f.last_contact_at, s.tz, s.today)}.`
    : f.activities[0]
      ? `Last activity: ${f.activities[0].type} ${dayWord(f.activities[0].at, s.tz, s.today)}.`
      : 'No contact logged yet.'
  const open = [
    f.next_follow_up_at ? `follow-up ${dateWords(f.next_follow_up_at, s.tz)}` : null,
    f.open_estimate
      ? `estimate #${f.open_estimate.number} (${money(f.open_estimate.total_cents)}) ${
          f.open_estimate.status === 'sent' ? 'awaiting an answer' : 'in draft'
        }`
      : null,
  ].filter(Boolean)
  return [who, contact, open.length ? `Open: ${open.join('; ')}.` : null].filter(Boolean).join(' ')
}
