/** Writes to the people registry: a resolved plan in one atomic batch, and the points a business put on its card. */
import { nowIso, type PeopleDb } from '../db'
import type { PersonInput, Resolved } from './identity'

/** One person as resolvePeople planned them: found (with the points they gain) or fresh (with all their points). */
export type Plan = {
  id: string
  first_name: string | null
  last_name: string | null
  emails: string[]
  phones: string[]
  fresh: boolean
}

/**
 * Writes the plan in one atomic batch: new people with their points (a new email someone claimed
 * meanwhile fails the batch, and the caller re-plans), found people's new points and missing
 * names, the asking organization's assertions, and that it has seen each person.
 */
export async function writePlan(
  d1: D1Database,
  organizationId: string,
  plans: Plan[],
  inputs: PersonInput[],
  results: Resolved[],
) {
  const at = nowIso()
  const fresh = plans.filter((p) => p.fresh)
  const found = plans.filter((p) => !p.fresh)
  const points = (kind: 'emails' | 'phones', list: Plan[], primary: (p: Plan, i: number) => boolean) =>
    JSON.stringify(
      list.flatMap((p) =>
        p[kind].map((value, i) => ({
          id: crypto.randomUUID(),
          person_id: p.id,
          value,
          is_primary: primary(p, i) ? 1 : 0,
        })),
      ),
    )
  const first = (_p: Plan, i: number) => i === 0
  const insertPoints = (
    table: 'person_emails' | 'person_phones',
    column: 'email' | 'phone_e164',
    rows: string,
    skipTaken: boolean,
  ) =>
    d1
      .prepare(`insert into ${table} (id, person_id, ${column}, is_primary, created_at)
      select value->>'id', value->>'person_id', value->>'value', value->>'is_primary', ?2 from json_each(?1) where true
      ${skipTaken ? 'on conflict do nothing' : ''}`)
      .bind(rows, at)
  const assertions = JSON.stringify(
    inputs.flatMap((input, i) => [
      ...(input.email ? [{ person_id: results[i]!.person_id, kind: 'email', value: input.email }] : []),
      ...(input.phone ? [{ person_id: results[i]!.person_id, kind: 'phone', value: input.phone }] : []),
    ]),
  )
  const statements: D1PreparedStatement[] = []
  if (fresh.length > 0) {
    statements.push(
      d1
        .prepare(`insert into people (id, first_name, last_name, primary_email, primary_phone_e164, created_at, updated_at)
        select value->>'id', value->>'first_name', value->>'last_name', value->'emails'->>0, value->'phones'->>0, ?2, ?2 from json_each(?1)`)
        .bind(JSON.stringify(fresh), at),
      insertPoints('person_emails', 'email', points('emails', fresh, first), false),
      insertPoints('person_phones', 'phone_e164', points('phones', fresh, first), true),
    )
  }
  if (found.some((p) => p.emails.length + p.phones.length > 0)) {
    // A found person's new points are secondary: the registry's primaries are never a business's to move.
    statements.push(
      insertPoints(
        'person_emails',
        'email',
        points('emails', found, () => false),
        true,
      ),
      insertPoints(
        'person_phones',
        'phone_e164',
        points('phones', found, () => false),
        true,
      ),
    )
  }
  if (found.length > 0) {
    // Names are kept only to tell household members apart; a missing one is filled, none is replaced.
    statements.push(
      d1
        .prepare(`update people set
        first_name = coalesce(nullif(first_name, ''), (select j.value->>'first_name' from json_each(?1) j where j.value->>'id' = people.id)),
        last_name = coalesce(nullif(last_name, ''), (select j.value->>'last_name' from json_each(?1) j where j.value->>'id' = people.id))
      where id in (select value->>'id' from json_each(?1)) and (first_name is null or first_name = '' or last_name is null or last_name = '')`)
        .bind(JSON.stringify(found)),
    )
  }
  statements.push(
    d1
      .prepare(`insert into contact_assertions (person_id, organization_id, kind, value, created_at)
      select value->>'person_id', ?2, value->>'kind', value->>'value', ?3 from json_each(?1) where true on conflict do nothing`)
      .bind(assertions, organizationId, at),
    d1
      .prepare(`insert into org_people (organization_id, person_id, created_at)
      select ?2, value, ?3 from json_each(?1) where true on conflict do nothing`)
      .bind(JSON.stringify([...new Set(results.map((r) => r.person_id))]), organizationId, at),
  )
  await d1.batch(statements)
}

/**
 * Records points a business put on its own card of a person it holds (a contact change): an email
 * nobody holds joins the person, a phone joins them as shared; an email held by someone else stays
 * where it is. Either way the business's assertion is kept.
 */
export async function assertPoints(
  db: PeopleDb,
  organizationId: string,
  personId: string,
  points: { email?: string | null; phone?: string | null },
): Promise<void> {
  const d1 = db.$client
  const at = nowIso()
  const statements: D1PreparedStatement[] = []
  const given = [
    ['email', 'person_emails', 'email', points.email],
    ['phone', 'person_phones', 'phone_e164', points.phone],
  ] as const
  for (const [kind, table, column, value] of given) {
    if (!value) continue
    statements.push(
      d1
        .prepare(
          `insert into ${table} (id, person_id, ${column}, is_primary, created_at) values (?1, ?2, ?3, 0, ?4) on conflict do nothing`,
        )
        .bind(crypto.randomUUID(), personId, value, at),
      d1
        .prepare(
          'insert into contact_assertions (person_id, organization_id, kind, value, created_at) values (?1, ?2, ?3, ?4, ?5) on conflict do nothing',
        )
        .bind(personId, organizationId, kind, value, at),
    )
  }
  if (statements.length > 0) await d1.batch(statements)
}
