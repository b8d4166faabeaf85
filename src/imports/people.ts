/**
 * The people behind a run of import batches (a queue batch's messages of one import), in one read
 * and one atomic write of the registry. Each batch is matched by identity.ts's rule exactly as if
 * it ran alone after the ones before it: against what the registry held plus what they added.
 */
import { isUniqueViolation, type PeopleDb } from '../db'
import { type Candidate, type PersonInput, planInputs, type Resolved } from '../people/identity'
import {
  assertionsOf,
  BATCH_BYTES,
  byteLength,
  jsonChunks,
  type Plan,
  registryWrites,
  writesOf,
} from '../people/identity-writes'

/** What the registry holds for a run's points, and what its earlier batches added. */
type View = {
  email: Map<string, string>
  phone: Map<string, string[]>
  names: Map<string, { first_name: string | null; last_name: string | null }>
}

/** A batch as planned: its inputs, the people it plans and each input's person. */
type Planned = { inputs: PersonInput[]; plans: Plan[]; results: Resolved[] }

/**
 * Finds or creates the person behind each input of each batch, batch after batch, and returns
 * their ids. One batch of reads; the writes in one atomic batch, or in parts of whole batches, one
 * after another, when they would pass BATCH_BYTES (each part relies only on those before it).
 */
export async function resolveImportPeople(
  db: PeopleDb,
  organizationId: string,
  batches: PersonInput[][],
): Promise<string[][]> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await resolveRun(db.$client, organizationId, batches)
    } catch (error) {
      // A concurrent upsert claimed one of our new emails first: its batch won, ours rolled back,
      // and the run is planned again against what is written now (the parts written before are found).
      if (!isUniqueViolation(error) || attempt > 2) throw error
    }
  }
}

async function resolveRun(d1: D1Database, organizationId: string, batches: PersonInput[][]): Promise<string[][]> {
  const inputs = batches.flat()
  if (inputs.length === 0) return batches.map(() => [])
  const view = await readView(d1, inputs)
  // Whether the organization had seen a person is not needed here: only person ids are answered.
  const seen = new Set<string>()
  const planned = batches.map((batch) => ({ inputs: batch, ...planBatch(view, batch, seen) }))
  await writeParts(d1, organizationId, planned)
  return planned.map((p) => p.results.map((r) => r.person_id))
}

/** Writes planned batches in one batch of statements, or in halves when that would pass BATCH_BYTES. */
async function writeParts(d1: D1Database, organizationId: string, part: Planned[]): Promise<void> {
  const results = part.flatMap((p) => p.results)
  const { statements, bytes } = registryWrites(
    d1,
    organizationId,
    writesOf(part.map((p) => p.plans)),
    assertionsOf(
      part.flatMap((p) => p.inputs),
      results,
    ),
    results.map((r) => r.person_id),
  )
  if (bytes > BATCH_BYTES && part.length > 1) {
    const half = Math.ceil(part.length / 2)
    await writeParts(d1, organizationId, part.slice(0, half))
    await writeParts(d1, organizationId, part.slice(half))
    return
  }
  if (statements.length > 0) await d1.batch(statements)
}

/** The holders of the inputs' emails and phones, with their names: reads bound as JSON lists, in batches under BATCH_BYTES. */
async function readView(d1: D1Database, inputs: PersonInput[]): Promise<View> {
  const emails = jsonChunks([...new Set(inputs.flatMap((i) => (i.email ? [i.email] : [])))])
  const phones = jsonChunks([...new Set(inputs.flatMap((i) => (i.phone ? [i.phone] : [])))])
  const reads = [
    ...emails.map((list) => ({
      list,
      statement: d1
        .prepare(`select e.email as point, e.person_id, p.first_name, p.last_name from person_emails e join people p on p.id = e.person_id
        where e.email in (select value from json_each(?))`)
        .bind(list),
    })),
    ...phones.map((list) => ({
      list,
      statement: d1
        .prepare(`select ph.phone_e164 as point, ph.person_id, p.first_name, p.last_name from person_phones ph join people p on p.id = ph.person_id
        where ph.phone_e164 in (select value from json_each(?)) order by ph.created_at, ph.person_id`)
        .bind(list),
    })),
  ]
  const answers: D1Result<Record<string, string | null>>[] = []
  for (let i = 0; i < reads.length; ) {
    const group = [reads[i]!]
    let bytes = byteLength(reads[i]!.list)
    for (i++; i < reads.length && bytes + byteLength(reads[i]!.list) <= BATCH_BYTES; i++) {
      group.push(reads[i]!)
      bytes += byteLength(reads[i]!.list)
    }
    answers.push(...(await d1.batch<Record<string, string | null>>(group.map((r) => r.statement))))
  }
  const view: View = { email: new Map(), phone: new Map(), names: new Map() }
  const named = (r: Record<string, string | null>) =>
    view.names.set(r.person_id!, { first_name: r.first_name ?? null, last_name: r.last_name ?? null })
  for (const r of answers.slice(0, emails.length).flatMap((a) => a.results)) {
    view.email.set(r.point!, r.person_id!)
    named(r)
  }
  // Holders of a phone in the order identity.ts reads them, oldest first (each phone is in one chunk).
  for (const r of answers.slice(emails.length).flatMap((a) => a.results)) {
    view.phone.set(r.point!, [...(view.phone.get(r.point!) ?? []), r.person_id!])
    named(r)
  }
  return view
}

/** One batch planned by the rule against the view, which then holds what the batch wrote. */
function planBatch(view: View, inputs: PersonInput[], seen: Set<string>): { plans: Plan[]; results: Resolved[] } {
  const candidate = (id: string): Candidate => ({
    person_id: id,
    first_name: view.names.get(id)?.first_name ?? null,
    last_name: view.names.get(id)?.last_name ?? null,
  })
  const byEmail = new Map<string, Candidate>()
  const byPhone = new Map<string, Candidate[]>()
  for (const input of inputs) {
    const emailHolder = input.email ? view.email.get(input.email) : undefined
    if (emailHolder) byEmail.set(input.email!, candidate(emailHolder))
    const phoneHolders = input.phone ? view.phone.get(input.phone) : undefined
    if (phoneHolders) byPhone.set(input.phone!, phoneHolders.map(candidate))
  }
  const planned = planInputs(inputs, byEmail, byPhone, seen)
  for (const [email, holder] of byEmail) view.email.set(email, holder.person_id)
  for (const [phone, holders] of byPhone)
    view.phone.set(
      phone,
      holders.map((h) => h.person_id),
    )
  // The names the registry holds after this batch's write: a missing one filled, none replaced.
  for (const plan of planned.plans) view.names.set(plan.id, { first_name: plan.first_name, last_name: plan.last_name })
  return planned
}
