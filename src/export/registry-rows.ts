/**
 * The parts of a business's export that live in the registry (D1): its consent records, by phone
 * number and email address as the law keys them, and its team. An import writes consent rows for
 * its own organization only, as the consents API would.
 */
import type { PeopleDb } from '../db'
import { listTeam } from '../team'

/** One consent record of the business: a phone (E.164) or email and what its owner accepts. */
export type ConsentRow = {
  point: string
  opt_in: boolean
  marketing_opt_in: boolean
  opted_in_at: string | null
  reason: string | null
  updated_at: string
}

export const CONSENT_COLUMNS = ['point', 'opt_in', 'marketing_opt_in', 'opted_in_at', 'reason', 'updated_at'] as const
export const TEAM_COLUMNS = ['user_id', 'email', 'name', 'role', 'color'] as const

const PAGE = 1000

/** The business's consent records, a page at a time, in point order. */
export async function* consentPages(db: PeopleDb, organizationId: string): AsyncGenerator<ConsentRow[]> {
  let after = ''
  for (;;) {
    const { results } = await db.$client
      .prepare(`select point, opt_in, marketing_opt_in, opted_in_at, reason, updated_at from point_consents
        where organization_id = ?1 and point > ?2 order by point limit ?3`)
      .bind(organizationId, after, PAGE)
      .all<Omit<ConsentRow, 'opt_in' | 'marketing_opt_in'> & { opt_in: number; marketing_opt_in: number }>()
    if (results.length > 0)
      yield results.map((r) => ({ ...r, opt_in: r.opt_in === 1, marketing_opt_in: r.marketing_opt_in === 1 }))
    if (results.length < PAGE) return
    after = results.at(-1)!.point
  }
}

/** The team as the export lists it (ids, emails, names, roles, colours). */
export async function teamRows(db: PeopleDb, organizationId: string) {
  return listTeam(db, organizationId)
}

/**
 * Writes consent records for this organization. A file never raises a consent the business already
 * holds lower (an opt-out it heard of before the import stays): each flag keeps the lower value.
 */
export async function writeConsents(db: PeopleDb, organizationId: string, rows: ConsentRow[]): Promise<void> {
  const d1 = db.$client
  const statements: D1PreparedStatement[] = []
  for (let i = 0; i < rows.length; i += 500) {
    statements.push(
      d1
        .prepare(`insert into point_consents (organization_id, point, opt_in, marketing_opt_in, opted_in_at, reason, updated_at)
        select ?1, value->>'point', value->>'opt_in', value->>'marketing_opt_in', value->>'opted_in_at', value->>'reason', value->>'updated_at'
        from json_each(?2) where true
        on conflict (organization_id, point) do update set opt_in = min(point_consents.opt_in, excluded.opt_in),
          marketing_opt_in = min(point_consents.marketing_opt_in, excluded.marketing_opt_in)`)
        .bind(
          organizationId,
          JSON.stringify(
            rows
              .slice(i, i + 500)
              .map((r) => ({ ...r, opt_in: r.opt_in ? 1 : 0, marketing_opt_in: r.marketing_opt_in ? 1 : 0 })),
          ),
        ),
    )
  }
  if (statements.length > 0) await d1.batch(statements)
}
