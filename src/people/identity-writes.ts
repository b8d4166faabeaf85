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
 * A contact point to write: `primary` for the first of its kind of a new person (the registry's
 * primaries are never a business's to move); `strict` for a new person's email, so an email someone
 * claimed meanwhile fails the batch and the caller re-plans.
 */
export type PointWrite = { value: string; primary: boolean; strict: boolean }

/** One person to write: new (`fresh`) with their points, or found with the points and missing names they gain. */
export type PersonWrite = {
  id: string
  first_name: string | null
  last_name: string | null
  fresh: boolean
  emails: PointWrite[]
  phones: PointWrite[]
}

/** A contact point as the asking organization gave it for a person. */
export type Assertion = { person_id: string; kind: 'email' | 'phone'; value: string }

/**
 * The most bytes of JSON bound to one statement. D1 caps a statement at 100 KB and a bound string
 * at 2 MB; a list is split across statements of the same batch so that no parameter nears either.
 */
export const PARAM_BYTES = 90_000

/** The most bytes of JSON one registry batch carries, split or not: runs larger than this are written in parts. */
export const BATCH_BYTES = 900_000

/**
 * Plans, batch after batch, as one write per person: new in the batch that first planned them
 * (their first email and phone the primaries), the points later batches gave as secondary, the
 * names of the last (which hold what the earlier ones gave: a missing name is filled, none replaced).
 */
export function writesOf(batches: Plan[][]): PersonWrite[] {
  const people = new Map<string, PersonWrite>()
  for (const plans of batches) {
    for (const plan of plans) {
      const person = people.get(plan.id) ?? { ...plan, emails: [], phones: [] }
      people.set(plan.id, person)
      person.first_name = plan.first_name
      person.last_name = plan.last_name
      const points = (values: string[]) =>
        values.map((value, i) => ({ value, primary: plan.fresh && i === 0, strict: plan.fresh }))
      person.emails.push(...points(plan.emails))
      person.phones.push(...points(plan.phones))
    }
  }
  return [...people.values()]
}

/** The assertions of inputs resolved to `results`, in order. */
export function assertionsOf(
  inputs: Array<{ email?: string | null; phone?: string | null }>,
  results: Array<{ person_id: string }>,
): Assertion[] {
  return inputs.flatMap((input, i) => [
    ...(input.email ? [{ person_id: results[i]!.person_id, kind: 'email' as const, value: input.email }] : []),
    ...(input.phone ? [{ person_id: results[i]!.person_id, kind: 'phone' as const, value: input.phone }] : []),
  ])
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
  const { statements } = registryWrites(
    d1,
    organizationId,
    writesOf([plans]),
    assertionsOf(inputs, results),
    results.map((r) => r.person_id),
  )
  await d1.batch(statements)
}

/**
 * The statements that write people, their points, the organization's assertions and that it has
 * seen each person: one statement per table, each list bound as JSON (json_each) and split only
 * where it passes PARAM_BYTES. `bytes` is the JSON the batch carries.
 */
export function registryWrites(
  d1: D1Database,
  organizationId: string,
  people: PersonWrite[],
  assertions: Assertion[],
  personIds: string[],
): { statements: D1PreparedStatement[]; bytes: number } {
  const at = nowIso()
  let bytes = 0
  const statements: D1PreparedStatement[] = []
  const add = (rows: unknown[], sql: string, ...more: unknown[]) => {
    for (const list of jsonChunks(rows)) {
      bytes += byteLength(list)
      statements.push(d1.prepare(sql).bind(list, ...more))
    }
  }
  const fresh = people.filter((p) => p.fresh)
  const found = people.filter((p) => !p.fresh)
  const primary = (points: PointWrite[]) => points.find((x) => x.primary)?.value ?? null
  const pointRows = (kind: 'emails' | 'phones', strict: boolean) =>
    people.flatMap((p) =>
      p[kind].filter((x) => x.strict === strict).map((x) => [crypto.randomUUID(), p.id, x.value, x.primary ? 1 : 0]),
    )
  const insertPoints = (table: 'person_emails' | 'person_phones', column: 'email' | 'phone_e164', skipTaken: boolean) =>
    `insert into ${table} (id, person_id, ${column}, is_primary, created_at)
      select value->>0, value->>1, value->>2, value->>3, ?2 from json_each(?1) where true ${skipTaken ? 'on conflict do nothing' : ''}`

  add(
    fresh.map((p) => [p.id, p.first_name, p.last_name, primary(p.emails), primary(p.phones)]),
    `insert into people (id, first_name, last_name, primary_email, primary_phone_e164, created_at, updated_at)
      select value->>0, value->>1, value->>2, value->>3, value->>4, ?2, ?2 from json_each(?1)`,
    at,
  )
  add(pointRows('emails', true), insertPoints('person_emails', 'email', false), at)
  add(pointRows('phones', true), insertPoints('person_phones', 'phone_e164', true), at)
  add(pointRows('emails', false), insertPoints('person_emails', 'email', true), at)
  add(pointRows('phones', false), insertPoints('person_phones', 'phone_e164', true), at)
  // Names are kept only to tell household members apart; a missing one is filled, none is replaced.
  add(
    found.map((p) => [p.id, p.first_name, p.last_name]),
    `update people set
      first_name = coalesce(nullif(people.first_name, ''), j.value->>1),
      last_name = coalesce(nullif(people.last_name, ''), j.value->>2)
    from json_each(?1) j
    where people.id = j.value->>0
      and (people.first_name is null or people.first_name = '' or people.last_name is null or people.last_name = '')`,
  )
  add(
    assertions.map((a) => [a.person_id, a.kind, a.value]),
    `insert into contact_assertions (person_id, organization_id, kind, value, created_at)
      select value->>0, ?2, value->>1, value->>2, ?3 from json_each(?1) where true on conflict do nothing`,
    organizationId,
    at,
  )
  add(
    [...new Set(personIds)],
    `insert into org_people (organization_id, person_id, created_at)
      select ?2, value, ?3 from json_each(?1) where true on conflict do nothing`,
    organizationId,
    at,
  )
  return { statements, bytes }
}

/** A list as JSON arrays of at most PARAM_BYTES each; none for an empty list. */
export function jsonChunks(rows: unknown[], max = PARAM_BYTES): string[] {
  const chunks: string[] = []
  let current: string[] = []
  let size = 2
  for (const row of rows) {
    const text = JSON.stringify(row)
    const length = byteLength(text)
    if (current.length > 0 && size + length + 1 > max) {
      chunks.push(`[${current.join(',')}]`)
      current = []
      size = 2
    }
    current.push(text)
    size += length + 1
  }
  if (current.length > 0) chunks.push(`[${current.join(',')}]`)
  return chunks
}

const encoder = new TextEncoder()

/** The bytes of a string as UTF-8. */
export const byteLength = (text: string): number => encoder.encode(text).byteLength

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
