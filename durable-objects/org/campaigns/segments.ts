/**
 * Who a campaign goes to: a segment's members, and the preview of how many of them a send on a
 * channel would reach. The preview asks the same questions, in the same order, as the engine's
 * `decideMessage` (missing contact, consent, the marketing cap), so its counts equal what is sent.
 */
import { eq, sql, type SQL } from 'drizzle-orm'
import { DEFAULT_CONSENT, decide } from '../../../src/messaging/decision'
import type { RecordedConsent } from '../../../src/people/consent'
import { addDays, zonedTimeToUtc } from '../../../src/time'
import { invalidInput } from '../../../src/errors'
import type { OrgDb } from '../db'
import { capFreesAt } from '../messaging/outgoing'
import { services, type Segment } from '../schema'

export type Channel = 'sms' | 'email'

/** A client in a segment, with what a send needs to know about reaching them. */
export type Member = { orgClientId: string; personId: string; email: string | null; phone: string | null }

export type Preview = {
  matched: number
  will_receive: number
  excluded: { opted_out: number; missing_contact: number; capped: number }
}

/** Refuses a segment that names a service this organization does not have. */
export function checkSegment(db: OrgDb, segment: Segment): void {
  if (
    segment.service_id &&
    !db.select({ id: services.id }).from(services).where(eq(services.id, segment.service_id)).get()
  ) {
    throw invalidInput([{ path: 'segment.service_id', message: 'no such service' }])
  }
}

/**
 * The segment's members, oldest client first; a card merged into another is not a member (its
 * client is the card it went into). Every field narrows the set; dates compare the day
 * of the client's most recent completed job in the organization's zone (`before` and `after` are
 * both exclusive). `recorded` is the organization's consent records (for `opted_in`).
 */
export function segmentMembers(
  db: OrgDb,
  segment: Segment,
  channel: Channel,
  tz: string,
  recorded: Record<string, RecordedConsent>,
): Member[] {
  const where: SQL[] = [sql`c.merged_into is null`]
  const lastJob = sql`(select max(j.start_at) from jobs j where j.org_client_id = c.id and j.status = 'completed')`
  if (segment.status?.length)
    where.push(sql`c.status in (select value from json_each(${JSON.stringify(segment.status)}))`)
  if (segment.tags?.length) {
    where.push(
      sql`exists (select 1 from json_each(c.tags) t where t.value in (select value from json_each(${JSON.stringify(segment.tags)})))`,
    )
  }
  if (segment.last_job_before) where.push(sql`${lastJob} < ${startOfDay(segment.last_job_before, tz)}`)
  if (segment.last_job_after) where.push(sql`${lastJob} >= ${startOfDay(addDays(segment.last_job_after, 1), tz)}`)
  if (segment.service_id) {
    where.push(
      sql`exists (select 1 from jobs j where j.org_client_id = c.id and j.service_id = ${segment.service_id} and j.status = 'completed')`,
    )
  }
  if (segment.ltv_min_cents !== undefined) where.push(sql`c.ltv_cents >= ${segment.ltv_min_cents}`)
  if (segment.ltv_max_cents !== undefined) where.push(sql`c.ltv_cents <= ${segment.ltv_max_cents}`)
  const rows = db.all<{ org_client_id: string; person_id: string; email: string | null; phone: string | null }>(sql`
    select c.id as org_client_id, c.person_id, k.primary_email as email, k.primary_phone_e164 as phone
    from org_clients c left join contacts k on k.person_id = c.person_id
    where ${sql.join(where, sql` and `)}
    order by c.created_at, c.id`)
  const members = rows.map((r) => ({
    orgClientId: r.org_client_id,
    personId: r.person_id,
    email: r.email,
    phone: r.phone,
  }))
  return segment.opted_in ? members.filter((m) => optedInByChoice(recorded[m.personId], channel)) : members
}

/** True when the person chose to receive this channel themselves; being on by default does not count. */
function optedInByChoice(consent: RecordedConsent | undefined, channel: Channel): boolean {
  return consent?.chosen[channel] === true
}

/** Midnight at the start of `date` in `tz`, as an ISO instant comparable with stored job times. */
function startOfDay(date: string, tz: string): string {
  return zonedTimeToUtc(date, '00:00', tz).toISOString()
}

/** Why a member would not receive a message on `channel` at `now`, in `decideMessage`'s order; null when they would. */
export function exclusionOf(
  db: OrgDb,
  m: Member,
  channel: Channel,
  recorded: Record<string, RecordedConsent>,
  now: Date,
  cap: number,
): keyof Preview['excluded'] | null {
  // The campaign's own send decides with this same rule (quiet hours only delay a send, so they are left out).
  const verdict = decide({
    now,
    channel,
    recipient: { to: channel === 'sms' ? m.phone : m.email },
    consent: recorded[m.personId] ?? DEFAULT_CONSENT,
    transactional: false,
    hasUnsubscribeLink: true,
    quiet: null,
    capFrees: capFreesAt(db, m.orgClientId, now, cap),
    whenCapped: 'skip',
  })
  if (verdict.status !== 'skipped') return null
  return EXCLUSIONS[verdict.reason] ?? null
}

/** A skipped send's reason as the preview counts it. */
const EXCLUSIONS: Record<string, keyof Preview['excluded']> = {
  no_phone: 'missing_contact',
  no_email: 'missing_contact',
  opted_out: 'opted_out',
  unsubscribed: 'opted_out',
  capped: 'capped',
}

/** How many members match, and how many would receive a send now, by reason left out. */
export function previewCounts(
  db: OrgDb,
  members: Member[],
  channel: Channel,
  recorded: Record<string, RecordedConsent>,
  now: Date,
  cap: number,
): Preview {
  return audienceOf(db, members, channel, recorded, now, cap).preview
}

/**
 * The preview, and the members who would receive a send now in the order the send takes them
 * (the confirm step renders the message for the first of them).
 */
export function audienceOf(
  db: OrgDb,
  members: Member[],
  channel: Channel,
  recorded: Record<string, RecordedConsent>,
  now: Date,
  cap: number,
): { preview: Preview; receivers: Member[] } {
  const excluded = { opted_out: 0, missing_contact: 0, capped: 0 }
  const receivers: Member[] = []
  for (const m of members) {
    const reason = exclusionOf(db, m, channel, recorded, now, cap)
    if (reason) excluded[reason]++
    else receivers.push(m)
  }
  return {
    preview: {
      matched: members.length,
      will_receive: members.length - excluded.opted_out - excluded.missing_contact - excluded.capped,
      excluded,
    },
    receivers,
  }
}
