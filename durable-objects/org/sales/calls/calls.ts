/**
 * Calls on a client's timeline: those Twilio reports for the business's own number (one `call`
 * activity per CallSid, a later callback only filling in the recording or transcript) and those
 * staff log by hand. A reported call from or to a phone no client of this business has is not an
 * activity: it leaves one sync-log row (step `call`), so "why is my call not on the timeline?"
 * has an answer, and nothing about the caller leaves this business's own storage.
 */
import { and, eq } from 'drizzle-orm'
import type { OrgDb } from '../../db'
import { clientsWithPhone } from '../../messaging/inbound'
import { activities, syncLog } from '../../schema'
import { recordSync } from '../../integrations/sync-log'
import { type Activity, type ActivitySubject, addActivity, toActivity } from '../leads/activities'
import { type CallOutcome, durationWords, OUTCOME_LABELS, untimed } from './outcome'

/** A finished call as Twilio's voice status callback reported it (src/sales/voice-calls.ts reads the form). */
export type ReportedCall = {
  call_sid: string
  direction: 'inbound' | 'outbound'
  /** The other side's phone (E.164); null when hidden or not a phone. */
  phone: string | null
  outcome: CallOutcome
  duration_seconds: number
  /** A recording or transcript link, when Twilio gave one. */
  url: string | null
  transcript: string | null
  /** When the call started (the callback's time less the call's length). */
  started_at: string
}

/** What became of a reported call. */
export type CallFiling =
  | { filed: 'activity'; activity: Activity; created: boolean }
  | { filed: 'log'; created: boolean }

/** A call staff log by hand: the form's or the API's fields. */
export type LoggedCall = {
  direction?: 'inbound' | 'outbound' | null
  duration_seconds?: number | null
  outcome?: CallOutcome
  notes?: string
  url?: string | null
  occurred_at?: string
  author_id?: string | null
}

const TRANSCRIPT = '\nTranscript: '

/** "Missed call from +17205550123", "Call to +17205550123", with the transcript when there is one. */
function reportedSummary(call: ReportedCall): string {
  const label = OUTCOME_LABELS[call.outcome] || 'Call'
  const side = call.outcome === 'no_answer' ? 'at' : call.direction === 'inbound' ? 'from' : 'to'
  const who = call.phone ?? 'a hidden number'
  const spoke = call.duration_seconds > 0 ? ` (${durationWords(call.duration_seconds)})` : ''
  return `${label} ${side} ${who}${spoke}${call.transcript ? `${TRANSCRIPT}${call.transcript.slice(0, 4000)}` : ''}`
}

/**
 * Files a reported call: the first callback of a CallSid becomes the activity on the client whose
 * card holds the phone (the newest such card of this business only), or the sync-log row when
 * none does; a later one for the same CallSid only adds a link or transcript the first lacked.
 */
export function fileReportedCall(db: OrgDb, call: ReportedCall, now: Date): CallFiling {
  const seen = db.select().from(activities).where(eq(activities.externalId, call.call_sid)).get()
  if (seen) return { filed: 'activity', activity: fillIn(db, seen, call), created: false }
  const orgClientId = call.phone ? clientsWithPhone(db, call.phone)[0] : undefined
  if (!orgClientId) return { filed: 'log', created: logUnmatched(db, call, now) }
  const activity = addActivity(
    db,
    { org_client_id: orgClientId },
    {
      type: 'call',
      direction: call.direction,
      summary: reportedSummary(call),
      occurred_at: call.started_at,
      source: 'twilio',
      external_id: call.call_sid,
      duration_seconds: untimed(call.outcome) ? 0 : call.duration_seconds,
      url: call.url,
    },
    now,
  )
  return { filed: 'activity', activity, created: true }
}

/** Adds the link and transcript a later callback brought; the rest of the call stays as first filed. */
function fillIn(db: OrgDb, row: typeof activities.$inferSelect, call: ReportedCall): Activity {
  const url = row.url ?? call.url
  const summary =
    call.transcript && !row.summary.includes(TRANSCRIPT)
      ? `${row.summary}${TRANSCRIPT}${call.transcript.slice(0, 4000)}`
      : row.summary
  if (url === row.url && summary === row.summary) return toActivity(row)
  db.update(activities).set({ url, summary }).where(eq(activities.id, row.id)).run()
  return toActivity({ ...row, url, summary })
}

/** The sync-log row of a call no client matched, once per CallSid; true when written now. */
function logUnmatched(db: OrgDb, call: ReportedCall, now: Date): boolean {
  const seen = db
    .select({ id: syncLog.id })
    .from(syncLog)
    .where(and(eq(syncLog.step, 'call'), eq(syncLog.eventKey, call.call_sid)))
    .get()
  if (seen) return false
  recordSync(
    db,
    {
      connectionId: null,
      provider: 'twilio',
      direction: 'inbound',
      step: 'call',
      status: 'skipped',
      eventKey: call.call_sid,
      topic: `call_${call.direction}`,
      detail: `${reportedSummary({ ...call, transcript: null })}: no client of this business has that number`,
    },
    now.toISOString(),
  )
  return true
}

/** The summary of a hand-logged call: the outcome's label, then the notes ("Call" when answered without notes). */
function loggedSummary(outcome: CallOutcome, notes: string | undefined): string {
  const label = OUTCOME_LABELS[outcome]
  const said = notes?.trim()
  // An answered call's notes that happen to start like another outcome's label are kept apart from it.
  if (!label)
    return !said ? 'Call' : Object.values(OUTCOME_LABELS).some((l) => l && said.startsWith(l)) ? `Call: ${said}` : said
  return said ? `${label}: ${said}` : label
}

/** Logs a call staff made or took on a lead or a client (404 when this business has neither). */
export function logCall(db: OrgDb, subject: ActivitySubject, input: LoggedCall, now: Date): Activity {
  const outcome = input.outcome ?? 'answered'
  return addActivity(
    db,
    subject,
    {
      type: 'call',
      direction: input.direction ?? null,
      summary: loggedSummary(outcome, input.notes).slice(0, 5000),
      occurred_at: input.occurred_at,
      author_id: input.author_id ?? null,
      source: 'staff',
      duration_seconds: untimed(outcome) ? 0 : (input.duration_seconds ?? null),
      url: input.url ?? null,
    },
    now,
  )
}
