/**
 * Running one enrollment from its current step: messages go through the engine's one path,
 * a wait sets the next step's time and stops there, a branch picks where to go on.
 */
import { eq } from 'drizzle-orm'
import { addDays, localDate, wallClock, zonedTimeToUtc } from '../../../src/time'
import type { OrgDb } from '../db'
import type { DispatchContext, DispatchResult } from '../messaging/dispatch'
import { recipientOf, type Recipient } from '../messaging/recipients'
import { decideMessage, type Decision } from '../messaging/outgoing'
import { createReviewRequest } from '../reviews/requests'
import { enrollments, type journeys, reviewRequests } from '../schema'
import { conditionHolds } from './conditions'
import { effectiveSettings, stepsOf } from './definitions'
import { endEnrollment, logStep } from './enroll'
import { wordingOf, type MessageStep } from './wording'

const MINUTE_MS = 60_000
const DAY_MINUTES = 1440

type Enrollment = typeof enrollments.$inferSelect
type JourneyRow = typeof journeys.$inferSelect

/** What one run shares across enrollments: clients whose review link this run already used. */
export type StepRun = { db: OrgDb; ctx: DispatchContext; result: DispatchResult; reviewLinksUsed: Set<string> }

/** Runs an enrollment's steps from `current_step` until a wait, the end, or a stop. */
export function advance(run: StepRun, e: Enrollment, journey: JourneyRow): void {
  const { db, ctx } = run
  const at = ctx.now.toISOString()
  const steps = stepsOf(db, e.journeyId, e.version)
  const recipient = recipientOf(db, e.orgClientId, ctx.timezone)
  if (steps.length === 0) return endEnrollment(db, e.id, 'failed', 'no_steps', at)
  if (!recipient) return endEnrollment(db, e.id, 'failed', 'client_deleted', at)
  const settings = effectiveSettings(journey.settings)
  const log = (position: number, type: string, outcome: string, messageId?: string) =>
    logStep(db, { enrollmentId: e.id, position, type, outcome, messageId, at })
  const pause = (position: number, until: Date) => {
    db.update(enrollments)
      .set({ currentStep: position, nextStepAt: until.toISOString(), updatedAt: at })
      .where(eq(enrollments.id, e.id))
      .run()
  }
  // Waits count from when the previous message actually goes out (later than now when it was deferred).
  let from = ctx.now
  let position = e.currentStep
  while (position < steps.length) {
    const step = steps[position]!
    if (step.type === 'wait') {
      const until = waitEnds(from, step.delay_minutes, recipient.zone)
      log(position, 'wait', `wait ${step.delay_minutes} min, until ${until.toISOString()}`)
      position++
      if (until.getTime() > ctx.now.getTime()) return pause(position, until)
      continue
    }
    if (step.type === 'branch') {
      const holds = conditionHolds(db, e, step.condition)
      const target = (holds ? step.on_true : step.on_false) ?? 'continue'
      log(
        position,
        'branch',
        `${step.condition}: ${holds ? 'yes' : 'no'}, ${typeof target === 'number' ? `go to step ${target + 1}` : target}`,
      )
      if (target === 'end')
        return endEnrollment(db, e.id, 'completed', `branch: ${step.condition} ${holds ? 'yes' : 'no'}`, at)
      position = typeof target === 'number' ? target : position + 1
      continue
    }
    // One review link per client per run: a second review step for the client waits for the next run.
    if (step.type === 'review_request' && run.reviewLinksUsed.has(e.orgClientId)) return pause(position, ctx.now)
    const decision = sendStep(run, e, step, position, recipient, settings.quiet_hours)
    log(position, step.type, `${decision.status}${decision.reason ? `: ${decision.reason}` : ''}`, decision.id)
    if (decision.status === 'skipped' && decision.reason === 'opted_out' && settings.stop_on.includes('opted_out')) {
      return endEnrollment(db, e.id, 'stopped', 'opted_out', at)
    }
    if (decision.status === 'deferred' && decision.sendAfter) from = new Date(decision.sendAfter)
    position++
  }
  endEnrollment(db, e.id, 'completed', 'last_step', at)
}

/** Decides one message step (a review request first records the request its link names). */
function sendStep(
  run: StepRun,
  e: Enrollment,
  step: MessageStep,
  position: number,
  recipient: Recipient,
  quiet: { start: string; end: string } | undefined,
): Decision {
  const { db, ctx } = run
  const links = ctx.links[e.orgClientId]!
  const wording = wordingOf(step, {
    first_name: recipient.firstName,
    business_name: ctx.businessName,
    portal_link: links.portal,
    review_link: links.review.url,
  })
  const review = step.type === 'review_request'
  if (review) {
    run.reviewLinksUsed.add(e.orgClientId)
    createReviewRequest(
      db,
      { id: links.review.id, orgClientId: e.orgClientId, channel: step.channel, enrollmentId: e.id, jobId: e.jobId },
      ctx.now,
    )
  }
  const decision = decideMessage(
    db,
    ctx,
    {
      orgClientId: e.orgClientId,
      channel: wording.channel,
      subject: wording.subject,
      body: wording.body,
      purpose: review ? 'review_request' : (step.purpose ?? 'journey'),
      dedupeKey: `enrollment:${e.id}:step:${position}`,
      transactional: false,
      enrollmentId: e.id,
      ...(review ? { reviewRequestId: links.review.id } : {}),
      ...(quiet ? { quiet } : {}),
      whenCapped: 'defer',
    },
    run.result,
  )
  if (review)
    db.update(reviewRequests).set({ messageId: decision.id }).where(eq(reviewRequests.id, links.review.id)).run()
  return decision
}

/**
 * When a wait of `minutes` from `from` ends. Whole days keep the same wall-clock time on the
 * recipient's clock across daylight-saving changes; other waits are exact minutes.
 */
export function waitEnds(from: Date, minutes: number, zone: string): Date {
  if (minutes % DAY_MINUTES !== 0) return new Date(from.getTime() + minutes * MINUTE_MS)
  const w = wallClock(from, zone)
  const day = addDays(localDate(from, zone), minutes / DAY_MINUTES)
  const time = `${String(w.hour).padStart(2, '0')}:${String(w.minute).padStart(2, '0')}`
  return new Date(zonedTimeToUtc(day, time, zone).getTime() + w.second * 1000 + from.getUTCMilliseconds())
}
