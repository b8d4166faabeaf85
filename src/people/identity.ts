/**
 * The identity graph's one matching rule, for one person or a few hundred at once. An email match
 * links to the person holding that email; otherwise a phone match links to a person on that number
 * unless their names clearly differ (households share phones), in which case a new person shares it.
 * Every contact point a business gives is recorded with the business that asserted it (identity-writes.ts).
 *
 * The answer is only person ids and whether the person is new *to the asking business*: never a
 * name, email or phone, and nothing that tells whether another business knows the person. Lists
 * travel as one JSON parameter (json_each), so no statement nears D1's 100 bound parameters.
 */
import { isUniqueViolation, type PeopleDb } from '../db'
import { type Plan, writePlan } from './identity-writes'

export type PersonInput = {
  email?: string | null
  phone?: string | null
  first_name?: string | null
  last_name?: string | null
}

/** `is_new`: the asking organization had neither held nor upserted this person before. */
export type Resolved = { person_id: string; is_new: boolean }

/** A holder of a contact point, with the names that tell household members apart. */
export type Candidate = { person_id: string; first_name: string | null; last_name: string | null }

/**
 * Finds or creates the person behind each input (email or phone already normalized), in order, so
 * two rows of one file with the same email find one person. Records the asking organization's
 * assertions and that it has now seen each person.
 */
export async function resolvePeople(db: PeopleDb, organizationId: string, inputs: PersonInput[]): Promise<Resolved[]> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await resolveOnce(db, organizationId, inputs)
    } catch (error) {
      // A concurrent upsert claimed one of our new emails first: its batch won, ours rolled back.
      if (!isUniqueViolation(error) || attempt > 2) throw error
    }
  }
}

/** resolvePeople for one input. */
export async function resolvePerson(db: PeopleDb, organizationId: string, input: PersonInput): Promise<Resolved> {
  return (await resolvePeople(db, organizationId, [input]))[0]!
}

async function resolveOnce(db: PeopleDb, organizationId: string, inputs: PersonInput[]): Promise<Resolved[]> {
  if (inputs.length === 0) return []
  const d1 = db.$client
  const emails = JSON.stringify([...new Set(inputs.flatMap((i) => (i.email ? [i.email] : [])))])
  const phones = JSON.stringify([...new Set(inputs.flatMap((i) => (i.phone ? [i.phone] : [])))])
  const [emailRows, phoneRows, seenRows] = await d1.batch<Record<string, string | null>>([
    d1
      .prepare(`select e.email as point, e.person_id, p.first_name, p.last_name from person_emails e join people p on p.id = e.person_id
      where e.email in (select value from json_each(?))`)
      .bind(emails),
    d1
      .prepare(`select ph.phone_e164 as point, ph.person_id, p.first_name, p.last_name from person_phones ph join people p on p.id = ph.person_id
      where ph.phone_e164 in (select value from json_each(?)) order by ph.created_at, ph.person_id`)
      .bind(phones),
    d1
      .prepare(`select person_id from org_people where organization_id = ?1 and person_id in (
        select person_id from person_emails where email in (select value from json_each(?2))
        union select person_id from person_phones where phone_e164 in (select value from json_each(?3)))`)
      .bind(organizationId, emails, phones),
  ])
  const byEmail = new Map<string, Candidate>()
  for (const r of emailRows!.results) byEmail.set(r.point!, candidate(r))
  const byPhone = new Map<string, Candidate[]>()
  for (const r of phoneRows!.results) byPhone.set(r.point!, [...(byPhone.get(r.point!) ?? []), candidate(r)])
  const seen = new Set(seenRows!.results.map((r) => r.person_id!))
  const { plans, results } = planInputs(inputs, byEmail, byPhone, seen)
  await writePlan(d1, organizationId, plans, inputs, results)
  return results
}

/**
 * Applies the rule to inputs in order against the holders of their points (`byEmail`, `byPhone`,
 * which gain the points planned here) and the people the organization has `seen` (which gains them).
 */
export function planInputs(
  inputs: PersonInput[],
  byEmail: Map<string, Candidate>,
  byPhone: Map<string, Candidate[]>,
  seen: Set<string>,
): { plans: Plan[]; results: Resolved[] } {
  const plans = new Map<string, Plan>()
  const results: Resolved[] = []
  for (const input of inputs) {
    const found = match(input, byEmail, byPhone)
    const plan = plans.get(found?.person_id ?? '') ?? newPlan(found, input)
    plans.set(plan.id, plan)
    addPoints(plan, input, byEmail, byPhone)
    plan.first_name ||= input.first_name ?? null
    plan.last_name ||= input.last_name ?? null
    results.push({ person_id: plan.id, is_new: !seen.has(plan.id) })
    seen.add(plan.id)
  }
  return { plans: [...plans.values()], results }
}

function candidate(r: Record<string, string | null>): Candidate {
  return { person_id: r.person_id!, first_name: r.first_name ?? null, last_name: r.last_name ?? null }
}

/** The person an input links to: by email, else by phone unless every holder's name clearly differs. */
function match(
  input: PersonInput,
  byEmail: Map<string, Candidate>,
  byPhone: Map<string, Candidate[]>,
): Candidate | null {
  const email = input.email ? byEmail.get(input.email) : undefined
  if (email) return email
  const holders = input.phone ? (byPhone.get(input.phone) ?? []) : []
  return holders.find((h) => !namesClearlyDiffer(h, input)) ?? null
}

function newPlan(found: Candidate | null, input: PersonInput): Plan {
  if (found)
    return {
      id: found.person_id,
      first_name: found.first_name,
      last_name: found.last_name,
      emails: [],
      phones: [],
      fresh: false,
    }
  return {
    id: crypto.randomUUID(),
    first_name: input.first_name ?? null,
    last_name: input.last_name ?? null,
    emails: [],
    phones: [],
    fresh: true,
  }
}

/** Gives the person the input's email when nobody holds it yet, and its phone when they lack it. */
function addPoints(plan: Plan, input: PersonInput, byEmail: Map<string, Candidate>, byPhone: Map<string, Candidate[]>) {
  const self: Candidate = {
    person_id: plan.id,
    first_name: plan.first_name ?? input.first_name ?? null,
    last_name: plan.last_name ?? input.last_name ?? null,
  }
  if (input.email && !byEmail.has(input.email)) {
    byEmail.set(input.email, self)
    plan.emails.push(input.email)
  }
  const holders = input.phone ? (byPhone.get(input.phone) ?? []) : []
  if (input.phone && !holders.some((h) => h.person_id === plan.id)) {
    byPhone.set(input.phone, [...holders, self])
    plan.phones.push(input.phone)
  }
}

/** Lower-case letters only, accents dropped. */
function simplify(name: string | null | undefined): string {
  return (name ?? '')
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^\p{L}]/gu, '')
}

/** Two names agree when either is missing or one starts the other ("J", "Jen", "Jennifer"). */
function compatible(a: string, b: string): boolean {
  return a === '' || b === '' || a.startsWith(b) || b.startsWith(a)
}

/**
 * True when the names cannot be the same person: first names that disagree, or last names that
 * disagree. Missing names never differ, so a phone with no name given links to its holder.
 */
export function namesClearlyDiffer(
  a: { first_name?: string | null; last_name?: string | null },
  b: { first_name?: string | null; last_name?: string | null },
): boolean {
  return (
    !compatible(simplify(a.first_name), simplify(b.first_name)) ||
    !compatible(simplify(a.last_name), simplify(b.last_name))
  )
}
