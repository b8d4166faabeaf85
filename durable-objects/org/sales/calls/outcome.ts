/**
 * How a call ended, and the words for it. The activities table has no outcome column, so the
 * outcome is the first words of a call's summary ("Missed call…", "Voicemail…", "No answer…";
 * anything else was answered), and a missed or unanswered call lasts 0 seconds.
 */
import type { Activity } from '../leads/activities'

export const CALL_OUTCOMES = ['answered', 'missed', 'voicemail', 'no_answer'] as const
export type CallOutcome = (typeof CALL_OUTCOMES)[number]

/** The label a call's summary starts with, per outcome ('' for an answered call). */
export const OUTCOME_LABELS: Record<CallOutcome, string> = {
  answered: '',
  missed: 'Missed call',
  voicemail: 'Voicemail',
  no_answer: 'No answer',
}

/** How staff read each outcome on the form. */
export const OUTCOME_CHOICES: Record<CallOutcome, string> = {
  answered: 'Talked',
  missed: 'Missed (they called, nobody picked up)',
  voicemail: 'Voicemail',
  no_answer: 'No answer (we called)',
}

/** The outcome of a call activity; null for any other kind of activity. */
export function callOutcome(a: Pick<Activity, 'type' | 'summary'>): CallOutcome | null {
  if (a.type !== 'call') return null
  for (const outcome of ['missed', 'voicemail', 'no_answer'] as const)
    if (a.summary.startsWith(OUTCOME_LABELS[outcome])) return outcome
  return 'answered'
}

/** A missed or unanswered call has no conversation to time. */
export const untimed = (outcome: CallOutcome) => outcome === 'missed' || outcome === 'no_answer'

/** "42 s", "3 min 12 s", "1 h 5 min". */
export function durationWords(seconds: number): string {
  if (seconds < 60) return `${seconds} s`
  const h = Math.floor(seconds / 3600)
  const m = Math.floor((seconds % 3600) / 60)
  const s = seconds % 60
  if (h > 0) return m > 0 ? `${h} h ${m} min` : `${h} h`
  return s > 0 ? `${m} min ${s} s` : `${m} min`
}

/** What a recording or transcript link is, from Twilio's URL shape (…/Transcriptions/… is a transcript). */
export const linkLabel = (url: string) => (/\/Transcriptions?\//i.test(url) ? 'Transcript' : 'Recording')
