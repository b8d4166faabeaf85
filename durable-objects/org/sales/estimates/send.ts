/**
 * Sending an estimate to its client with a new approval link, in the business's `estimate_sent`
 * wording: by the channel asked for, else a text when the client can be texted and an email
 * otherwise. Consent and opt-outs are checked, quiet hours waited out, and a send that cannot go
 * says why. Only after a message is queued is the estimate marked sent (the old link stops working).
 */
import { formatMoney, render } from '../../../../src/messaging/templates'
import { signingKeys } from '../../../../src/portal/links'
import { conflict, notFound } from '../../../../src/errors'
import type { OrgHost } from '../../host'
import { templateFor } from '../../messaging/templates'
import type { Portal } from '../../portal/module'
import { attempt, type Result } from '../../result'
import { markSent, sendable } from './answers'
import { newLink, sendMoment } from './links'

export type EstimateChannel = 'sms' | 'email'

/** The message an estimate went out in, and when it waits out quiet hours. */
export type EstimateMessage = { message_id: string; channel: EstimateChannel; deferred_until?: string }

export type SendHost = Pick<OrgHost, 'db' | 'env' | 'write' | 'clock' | 'profile' | 'senders' | 'tz'>

/** Why an estimate could not go, in words for the person who pressed Send. */
const WHY: Record<EstimateChannel, Record<string, string>> = {
  sms: {
    opted_out: 'The client has opted out of texts.',
    no_phone: 'The client has no mobile number on file.',
    plan_limit: "Over the plan's texts for this month: an owner can upgrade on the Billing page.",
  },
  email: {
    opted_out: 'The client has opted out of emails.',
    no_email: 'The client has no email address on file.',
  },
}

/** "Fri, Apr 4, 2031". */
const dayName = (date: string) =>
  new Intl.DateTimeFormat('en-US', {
    timeZone: 'UTC',
    weekday: 'short',
    month: 'short',
    day: 'numeric',
    year: 'numeric',
  }).format(new Date(`${date}T12:00:00Z`))

/** Sends the estimate; the message on success, else 404 or 409 (`not_sent` saying why for each channel tried). */
export async function sendEstimate(
  host: SendHost,
  portal: Pick<Portal, 'sendRequestedMessage' | 'portalContact'>,
  id: string,
  channel?: EstimateChannel,
): Promise<Result<EstimateMessage>> {
  const checked = attempt(() => {
    const p = host.profile()
    if (!p) throw notFound('estimate')
    const keys = signingKeys(host.env)
    if (!keys) throw conflict('Approval links are not configured (PORTAL_SIGNING_KEY).')
    return { p, keys, ...sendable(host.db, id, host.tz(), host.clock.now()) }
  })
  if (!checked.ok) return checked
  const { p, keys, row, orgClientId, expiresAt } = checked.value
  const sentAt = sendMoment(host.clock.now(), row.sentAt)
  const { link, hash } = await newLink(keys, host.senders(p).baseUrl, p.organizationId, id, sentAt)
  const vars = {
    first_name: portal.portalContact(orgClientId)?.first_name ?? 'there',
    business_name: p.name,
    estimate_number: String(row.number),
    amount: formatMoney(row.totalCents),
    valid_until: row.validUntil ? dayName(row.validUntil) : '',
    portal_link: link,
  }
  const skipped: string[] = []
  for (const ch of channel ? [channel] : (['sms', 'email'] as const)) {
    const template = templateFor(host.db, 'estimate_sent', ch)
    const sent = await portal.sendRequestedMessage(
      orgClientId,
      {
        channel: ch,
        subject: render(template.subject, vars),
        body: render(template.body, vars),
        purpose: 'estimate',
        dedupeKey: `estimate:${id}:${sentAt}`,
        quiet: true,
      },
      true,
    )
    if ('skipped' in sent) {
      skipped.push(WHY[ch][sent.skipped] ?? sent.skipped)
      continue
    }
    const marked = await host.write(() =>
      markSent(host.db, id, { hash, sentAt, expiresAt }, host.tz(), host.clock.now()),
    )
    if (!marked.ok) return marked
    return {
      ok: true,
      value: {
        message_id: sent.id,
        channel: ch,
        ...(sent.deferred_until ? { deferred_until: sent.deferred_until } : {}),
      },
    }
  }
  return { ok: false, error: { status: 409, code: 'not_sent', message: `Not sent. ${skipped.join(' ')}` } }
}
