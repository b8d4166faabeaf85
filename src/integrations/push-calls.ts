/**
 * Calls pushed to the CRM as notes (seed 003's "call logs with transcripts"), beside texts: the
 * same `crm_push` message with `kind: 'call'` and the note's whole text in `body`, so push.ts
 * sends it through each CRM's note call unchanged. One note per call activity (`call:<id>`).
 */
import type { Activity } from '../../durable-objects/org/sales/leads/activities'
import { callOutcome, durationWords, linkLabel } from '../../durable-objects/org/sales/calls/outcome'
import type { CrmPushMessage } from '../queues/messages'

/** The first line of a call's note, by how it went and who called. */
function heading(a: Pick<Activity, 'type' | 'summary' | 'direction'>): string {
  switch (callOutcome(a)) {
    case 'missed':
      return 'Missed call from the client'
    case 'voicemail':
      return 'Voicemail from the client'
    case 'no_answer':
      return 'Call to the client, not answered'
    default:
      return a.direction === 'inbound'
        ? 'Call from the client'
        : a.direction === 'outbound'
          ? 'Call to the client'
          : 'Call with the client'
  }
}

/** The note's text as the CRM shows it: what happened, when, how long, the link, and what was said. */
export function callNoteText(
  a: Pick<Activity, 'type' | 'summary' | 'direction' | 'duration_seconds' | 'url' | 'occurred_at'>,
): string {
  const lines = [`${heading(a)}, logged in HomeBase (${a.occurred_at})`]
  if (a.duration_seconds) lines.push(`Duration: ${durationWords(a.duration_seconds)}`)
  if (a.url) lines.push(`${linkLabel(a.url)}: ${a.url}`)
  lines.push(a.summary)
  return lines.join('\n').slice(0, 4000)
}

/** The sync log's topic of a call push ("call_inbound"); undefined for a text, which keeps its own. */
export const callTopic = (msg: Pick<CrmPushMessage, 'kind' | 'direction'>) =>
  msg.kind === 'call' ? `call_${msg.direction}` : undefined
