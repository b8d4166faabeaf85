/**
 * "On my way": a text to the client now that someone is coming, with the arrival in minutes.
 * Transactional (no quiet hours, no marketing cap) but never to someone who opted out, and once
 * per visit: a second tap answers 409 instead of texting again.
 */
import type { Organization } from '../organizations'
import { orgStub } from '../organizations'
import type { Env } from '../env'
import { AppError, conflict, notFound } from '../errors'

/** How a skipped text is explained to the person who tapped. */
const WHY: Record<string, string> = {
  opted_out: 'The client has opted out of texts.',
  no_phone: 'The client has no mobile number on file.',
  client_deleted: 'The client is no longer on file.',
  duplicate: 'The client was already told you are on your way to this visit.',
  plan_limit: "Over the plan's texts for this month: an owner can upgrade on the Billing page.",
}

export async function sendOnMyWay(
  env: Env,
  organization: Organization,
  jobId: string,
  etaMinutes: number,
): Promise<{ message_id: string }> {
  const org = orgStub(env, organization.id)
  const job = await org.getJob(jobId)
  if (!job) throw notFound('job')
  if (job.status === 'completed' || job.status === 'cancelled') throw conflict(`This visit is ${job.status}.`)
  const body = `${organization.name}: we're on our way to you and should arrive in about ${etaMinutes} minutes.`
  const sent = await org.sendRequestedMessage(job.org_client_id, {
    channel: 'sms',
    body,
    purpose: 'on_my_way',
    dedupeKey: `on_my_way:${jobId}`,
  })
  if ('skipped' in sent) {
    throw new AppError(
      409,
      sent.skipped === 'duplicate' ? 'already_sent' : 'not_sent',
      WHY[sent.skipped] ?? sent.skipped,
    )
  }
  return { message_id: sent.id }
}
