/**
 * "On my way": a text to the client now that someone is coming, with the arrival in minutes.
 * Transactional (no quiet hours, no marketing cap) but never to someone who opted out, and once
 * per visit at its time: a second tap answers 409 instead of texting again (a visit moved to
 * another time may be announced again).
 */
import type { Job } from '../../durable-objects/org/crm/jobs'
import type { Organization } from '../organizations'
import { orgStub } from '../organizations'
import type { Env } from '../env'
import { AppError, conflict, notFound } from '../errors'
import { addDays, localDate, zonedTimeToUtc } from '../time'

/** How long before a visit's start the job page offers "On my way". */
export const OFFERED_HOURS_BEFORE = 12

/**
 * Whether the job page offers "On my way": for a visit still to do (scheduled or in progress)
 * from 12 hours before its start until the end of its day in the business's zone (or its end,
 * when later), so a tech running late still has it.
 */
export function onMyWayOffered(job: Pick<Job, 'status' | 'start_at' | 'end_at'>, now: Date, tz: string): boolean {
  if (job.status !== 'scheduled' && job.status !== 'in_progress') return false
  const start = Date.parse(job.start_at)
  const dayEnd = zonedTimeToUtc(addDays(localDate(new Date(start), tz), 1), '00:00', tz).getTime()
  const until = Math.max(dayEnd, job.end_at ? Date.parse(job.end_at) : start)
  return now.getTime() >= start - OFFERED_HOURS_BEFORE * 3_600_000 && now.getTime() < until
}

/** How a skipped text is explained to the person who tapped. */
export const WHY: Record<string, string> = {
  opted_out: 'The client has opted out of texts.',
  no_phone: 'The client has no mobile number on file.',
  client_deleted: 'The client is no longer on file.',
  duplicate: 'The client was already told you are on your way to this visit.',
  plan_limit: "Over the plan's texts for this month: an owner can upgrade on the Billing page.",
  not_yet: `On my way opens ${OFFERED_HOURS_BEFORE} hours before the visit.`,
}

/** The message's once-per-visit key (the visit at its time), which also finds it again. */
export const onMyWayKey = (job: Pick<Job, 'id' | 'start_at'>) => `on_my_way:${job.id}:${job.start_at}`

/**
 * Texts the client that someone is on the way: the message, or why none went (`duplicate` on a
 * second tap). With `offeredAt` (the job page), only while the page offers it (`not_yet` before),
 * so a tap on a stale page days ahead does not use up the visit's one text.
 */
export async function tellOnMyWay(
  env: Env,
  organization: Organization,
  jobId: string,
  etaMinutes: number,
  offeredAt?: Date,
): Promise<{ message_id: string } | { skipped: string }> {
  const org = orgStub(env, organization.id)
  const job = await org.getJob(jobId)
  if (!job) throw notFound('job')
  if (job.status === 'completed' || job.status === 'cancelled') throw conflict(`This visit is ${job.status}.`)
  if (offeredAt && !onMyWayOffered(job, offeredAt, organization.timezone)) return { skipped: 'not_yet' }
  const body = `${organization.name}: we're on our way to you and should arrive in about ${etaMinutes} minutes.`
  const sent = await org.sendRequestedMessage(job.org_client_id, {
    channel: 'sms',
    body,
    purpose: 'on_my_way',
    dedupeKey: onMyWayKey(job),
  })
  return 'skipped' in sent ? { skipped: sent.skipped } : { message_id: sent.id }
}

/** The API's "on my way": the message id, or a 409 saying why it did not go (`already_sent` on a second tap). */
export async function sendOnMyWay(
  env: Env,
  organization: Organization,
  jobId: string,
  etaMinutes: number,
): Promise<{ message_id: string }> {
  const sent = await tellOnMyWay(env, organization, jobId, etaMinutes)
  if ('skipped' in sent) {
    throw new AppError(
      409,
      sent.skipped === 'duplicate' ? 'already_sent' : 'not_sent',
      WHY[sent.skipped] ?? sent.skipped,
    )
  }
  return sent
}
