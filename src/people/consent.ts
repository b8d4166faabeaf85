/**
 * Consent, keyed the way the law keys it: SMS consent belongs to a phone number and email consent
 * to an address, per business. A STOP from a household's shared phone stops texts to that number
 * for everyone on it; an unsubscribe stops offers to that address. A person's consent, as a
 * business's messages need it, is that of the phone and email on the business's card.
 */
import { clock } from '../clock'
import type { PeopleDb } from '../db'

/**
 * What a person accepts from one business. `marketing_email_opt_in` is only about offers and news
 * by email (an unsubscribe link turns it off); `email_opt_in` off stops every email.
 */
export type Consent = { email_opt_in: boolean; sms_opt_in: boolean; marketing_email_opt_in: boolean }

/** A client as consent sees it: the person and the phone and email on the business's card. */
export type ConsentTarget = { person_id: string; phone: string | null; email: string | null }

/** A consent record someone wrote, with which channels the person chose themselves (not on only by default). */
export type RecordedConsent = Consent & { chosen: { email: boolean; sms: boolean } }

type PointRow = {
  point: string
  opt_in: number
  marketing_opt_in: number
  opted_in_at: string | null
  reason: string | null
}

/** The business's recorded consent rows for these points (all of them when `points` is absent), one query. */
async function pointRows(db: PeopleDb, organizationId: string, points?: string[]): Promise<Map<string, PointRow>> {
  const d1 = db.$client
  const statement = points
    ? d1
        .prepare(`select point, opt_in, marketing_opt_in, opted_in_at, reason from point_consents
        where organization_id = ?1 and point in (select value from json_each(?2))`)
        .bind(organizationId, JSON.stringify(points))
    : d1
        .prepare(
          'select point, opt_in, marketing_opt_in, opted_in_at, reason from point_consents where organization_id = ?1',
        )
        .bind(organizationId)
  const rows = (await statement.all<PointRow>()).results
  return new Map(rows.map((r) => [r.point, r]))
}

function consentOf(target: ConsentTarget, rows: Map<string, PointRow>): Consent {
  const sms = target.phone ? rows.get(target.phone) : undefined
  const email = target.email ? rows.get(target.email) : undefined
  return {
    sms_opt_in: (sms?.opt_in ?? 1) === 1,
    email_opt_in: (email?.opt_in ?? 1) === 1,
    marketing_email_opt_in: (email?.marketing_opt_in ?? 1) === 1,
  }
}

/** Consent of many clients of one business, by person id, in one query. */
export async function consentsFor(
  db: PeopleDb,
  targets: ConsentTarget[],
  organizationId: string,
): Promise<Record<string, Consent>> {
  const points = [...new Set(targets.flatMap((t) => [t.phone, t.email].filter((p): p is string => p !== null)))]
  const rows = points.length > 0 ? await pointRows(db, organizationId, points) : new Map<string, PointRow>()
  return Object.fromEntries(targets.map((t) => [t.person_id, consentOf(t, rows)]))
}

/** consentsFor for one client. */
export async function consentFor(db: PeopleDb, target: ConsentTarget, organizationId: string): Promise<Consent> {
  return (await consentsFor(db, [target], organizationId))[target.person_id]!
}

/** A change of one contact point's consent: `opt_in` for its channel, `marketing_opt_in` for an email's offers. */
export type PointChange = { opt_in?: boolean; marketing_opt_in?: boolean }

/**
 * Records one business's consent choice for a phone or email, with the reason. A channel turned on
 * counts as chosen (the first time is kept); turned off, it forgets that; what is not named stays.
 */
export async function setPointConsent(
  db: PeopleDb,
  organizationId: string,
  point: string,
  change: PointChange,
  reason: string,
): Promise<void> {
  const at = clock.now().toISOString()
  const on = change.opt_in === undefined ? null : change.opt_in ? 1 : 0
  const marketing = change.marketing_opt_in === undefined ? null : change.marketing_opt_in ? 1 : 0
  await db.$client
    .prepare(`insert into point_consents (organization_id, point, opt_in, marketing_opt_in, opted_in_at, reason, updated_at)
      values (?1, ?2, coalesce(?3, 1), coalesce(?4, 1), case when ?3 = 1 then ?6 end, ?5, ?6)
    on conflict (organization_id, point) do update set
      opt_in = coalesce(?3, opt_in),
      marketing_opt_in = coalesce(?4, marketing_opt_in),
      opted_in_at = case when ?3 = 1 then coalesce(opted_in_at, ?6) when ?3 = 0 then null else opted_in_at end,
      reason = ?5, updated_at = ?6`)
    .bind(organizationId, point, on, marketing, reason, at)
    .run()
}

/**
 * Changes a client's consent: SMS on the card's phone, email and offers on the card's email. A
 * channel the card has no point for is left alone. Returns the consent now in force.
 */
export async function setConsent(
  db: PeopleDb,
  target: ConsentTarget,
  organizationId: string,
  change: Partial<Consent>,
  reason: string,
): Promise<Consent> {
  if (target.phone && change.sms_opt_in !== undefined)
    await setPointConsent(db, organizationId, target.phone, { opt_in: change.sms_opt_in }, reason)
  if (target.email && (change.email_opt_in !== undefined || change.marketing_email_opt_in !== undefined)) {
    await setPointConsent(
      db,
      organizationId,
      target.email,
      { opt_in: change.email_opt_in, marketing_opt_in: change.marketing_email_opt_in },
      reason,
    )
  }
  return consentFor(db, target, organizationId)
}

/**
 * Every client whose consent was recorded (a row for their card's phone or email), by person id:
 * one query for the whole business, so a segment of any size needs no per-person reads. A client
 * not listed is opted in to both channels by default, not by choice.
 */
export async function recordedConsents(
  db: PeopleDb,
  organizationId: string,
  targets: ConsentTarget[],
): Promise<Record<string, RecordedConsent>> {
  const rows = await pointRows(db, organizationId)
  const out: Record<string, RecordedConsent> = {}
  for (const t of targets) {
    const sms = t.phone ? rows.get(t.phone) : undefined
    const email = t.email ? rows.get(t.email) : undefined
    if (!sms && !email) continue
    out[t.person_id] = {
      ...consentOf(t, rows),
      chosen: {
        email: email !== undefined && email.opt_in === 1 && email.marketing_opt_in === 1 && email.opted_in_at !== null,
        sms: sms !== undefined && sms.opt_in === 1 && sms.opted_in_at !== null,
      },
    }
  }
  return out
}

/** The consent target of a client row (its card's primary phone and email). */
export function targetOf(client: {
  person_id: string
  primary_phone_e164: string | null
  primary_email: string | null
}): ConsentTarget {
  return { person_id: client.person_id, phone: client.primary_phone_e164, email: client.primary_email }
}
