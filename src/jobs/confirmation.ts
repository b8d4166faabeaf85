/**
 * The booking confirmation: a message to the client when a visit (or a series of visits) is
 * booked, by text when they may be texted, else by email. Consent is respected, quiet hours are
 * waited out, and a visit is confirmed once.
 */
import type { Job } from '../../durable-objects/org/crm/jobs'
import type { Env } from '../env'
import { formatJobTime } from '../messaging/templates'
import { orgStub, type Organization } from '../organizations'

/** What became of the confirmation: the message, or why none went. */
export type Confirmation = { message_id: string; channel: string; deferred_until?: string } | { skipped: string }

export async function sendConfirmation(
  env: Env,
  organization: Organization,
  job: Job,
  seriesId: string | null,
): Promise<Confirmation> {
  const org = orgStub(env, organization.id)
  const series = seriesId ? await org.getSeries(seriesId) : null
  const when = formatJobTime(job.start_at, organization.timezone)
  const repeat = series ? ` It repeats: ${series.summary.charAt(0).toLowerCase()}${series.summary.slice(1)}.` : ''
  const body = `${organization.name}: you're booked ${when}.${repeat} Reply to this message if you need to change it.`
  const sent = await org.sendRequestedMessage(job.org_client_id, {
    channel: 'sms_else_email',
    subject: `${organization.name}: your visit is booked`,
    body,
    purpose: 'confirmation',
    dedupeKey: `confirmation:${job.id}`,
    quiet: true,
  })
  if ('skipped' in sent) return sent
  return {
    message_id: sent.id,
    channel: sent.channel,
    ...(sent.deferred_until ? { deferred_until: sent.deferred_until } : {}),
  }
}
