/**
 * Twilio's voice status callback, read into a call and filed with the business whose own number
 * is the call's business side (`To` of an inbound call, `From` of an outbound one). Only a number
 * a business chose as its own names it: the platform's shared number is every business's, so a
 * call on it cannot say whose client called, and is not filed.
 */
import { eq } from 'drizzle-orm'
import type { CallOutcome } from '../../durable-objects/org/sales/calls/outcome'
import type { ReportedCall } from '../../durable-objects/org/sales/calls/calls'
import { clock } from '../clock'
import { peopleDb } from '../db'
import type { Env } from '../env'
import { orgStub } from '../organizations'
import { normalizePhone } from '../people/normalize'
import { organizations } from '../people/schema'
import { sales } from './remote'

/** Twilio's CallStatus (or DialCallStatus) values of a call nobody answered. */
const UNANSWERED = new Set(['busy', 'no-answer', 'failed', 'canceled'])

/** Files one verified callback; a call that is not over yet, or on no business's number, changes nothing. */
export async function handleVoiceCallback(env: Env, params: Record<string, string>): Promise<void> {
  const direction = directionOf(params['Direction'])
  if (!direction) return
  const call = reportedCall(params, direction, clock.now())
  if (!call) return
  const businessNumber = normalizePhone((direction === 'inbound' ? params['To'] : params['From']) ?? '', 'US')
  if (!businessNumber) return
  const business = await peopleDb(env.PEOPLE)
    .select({ id: organizations.id })
    .from(organizations)
    .where(eq(organizations.smsFrom, businessNumber))
    .get()
  if (business) await sales(orgStub(env, business.id)).calls.recordReportedCall(call)
}

/** Twilio's Direction: `inbound`, or `outbound-api` / `outbound-dial`. */
function directionOf(value: string | undefined): ReportedCall['direction'] | null {
  if (value === 'inbound') return 'inbound'
  return value?.startsWith('outbound') ? 'outbound' : null
}

/** The call a callback reports, or null while it is still going (queued, ringing, in progress without a recording). */
export function reportedCall(
  p: Record<string, string>,
  direction: ReportedCall['direction'],
  now: Date,
): ReportedCall | null {
  const sid = p['CallSid']
  const outcome = outcomeOf(p, direction)
  if (!sid || !outcome) return null
  const seconds = Number.parseInt(p['CallDuration'] ?? '', 10)
  const duration = Number.isFinite(seconds) && seconds > 0 ? Math.min(seconds, 24 * 3600) : 0
  const at = p['Timestamp'] ? new Date(p['Timestamp']) : now
  const end = Number.isNaN(at.getTime()) ? now : at
  const transcript = p['TranscriptionStatus'] === 'failed' ? '' : (p['TranscriptionText'] ?? '').trim()
  return {
    call_sid: sid,
    direction,
    phone: normalizePhone((direction === 'inbound' ? p['From'] : p['To']) ?? '', 'US'),
    outcome,
    duration_seconds: duration,
    url: link(p['RecordingUrl']) ?? link(p['TranscriptionUrl']),
    transcript: transcript || null,
    started_at: new Date(end.getTime() - duration * 1000).toISOString(),
  }
}

/**
 * How the call went. A forwarded inbound call is `completed` on Twilio's side even when nobody
 * picked up, so `DialCallStatus` (the <Dial> action's request) says whether it was answered; a
 * recording then is a voicemail.
 */
function outcomeOf(p: Record<string, string>, direction: ReportedCall['direction']): CallOutcome | null {
  const status = p['CallStatus'] ?? ''
  const recorded = Boolean(p['RecordingUrl'] || p['TranscriptionText'])
  const unanswered = UNANSWERED.has(status) || UNANSWERED.has(p['DialCallStatus'] ?? '')
  if (unanswered) return direction === 'outbound' ? 'no_answer' : recorded ? 'voicemail' : 'missed'
  if (status === 'completed' || recorded) return 'answered'
  return null
}

/** An https link to keep (Twilio's recording and transcript URLs); anything else is dropped. */
function link(value: string | undefined): string | null {
  return value && /^https:\/\/[^\s"<>]+$/.test(value) && value.length <= 500 ? value : null
}
