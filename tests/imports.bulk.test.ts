// Over 300 lines on purpose: the scenarios share the queue-batch helpers and the registry and card reads at the top.
/**
 * CSV imports in bulk: a queue batch's messages of one import run together (one registry read and
 * write, one ORG call), with the same people, clients and counts as batches run one by one.
 */
import { createExecutionContext, createMessageBatch, env, getQueueResult, runInDurableObject } from 'cloudflare:test'
import { describe, expect, it, vi } from 'vitest'
import { peopleDb } from '../src/db'
import { resolveImportPeople } from '../src/imports/people'
import { prepareRow } from '../src/imports/rows'
import { packRows, ROWS_PER_BATCH } from '../src/imports/service'
import { orgStub } from '../src/organizations'
import { resolvePeople } from '../src/people/identity'
import { BATCH_BYTES, byteLength, PARAM_BYTES } from '../src/people/identity-writes'
import { handleEvent, handleImportBatch } from '../src/queues/events'
import type { ImportRowsMessage } from '../src/queues/messages'
import type { RawRow } from '../src/imports/columns'
import { api, createClient, createOrg, unique, type TestOrg } from './helpers/factories'

type ImportState = {
  status: string
  total: number
  done: number
  failed: number
  created: number
  started_at: string | null
  finished_at: string | null
}
type Row = {
  org_client_id: string
  person_id: string
  first_name: string | null
  last_name: string | null
  primary_email: string | null
  primary_phone_e164: string | null
  tags: string[]
}
type Card = { person_id: string; first_name: string | null; last_name: string | null; emails: string; phones: string }

/** Phone numbers no other test of this file uses. */
let line = 1000 + Math.floor(Math.random() * 2000)
const phone = () => `(646) 555-${String(line++).padStart(4, '0')}`
const e164 = (p: string) => `+1${p.replace(/\D/g, '')}`

type Fields = RawRow & { row?: number }

/** Records an import of `batches` messages and returns a maker of its messages. */
async function newImport(org: TestOrg, total: number, batches: number) {
  const importId = crypto.randomUUID()
  await orgStub(env, org.organizationId).createImport({ id: importId, total, batches })
  let row = 1
  const message = (seq: number, rows: Fields[]): ImportRowsMessage => ({
    type: 'import_rows',
    organization_id: org.organizationId,
    import_id: importId,
    seq,
    country: 'US',
    rows: rows.map((fields) => ({ row: row++, fields })),
  })
  return { importId, message }
}

/** Delivers messages as one batch of the imports queue; answers which were acknowledged and which retried. */
async function deliver(messages: ImportRowsMessage[], attempts = 1) {
  const batch = createMessageBatch<ImportRowsMessage>(
    'homebase-imports',
    messages.map((body) => ({ id: crypto.randomUUID(), timestamp: new Date(), attempts, body })),
  )
  const ctx = createExecutionContext()
  await handleImportBatch(batch, env)
  const result = await getQueueResult(batch, ctx)
  return { acked: result.explicitAcks.length, retried: result.retryMessages.length }
}

async function importState(org: TestOrg, id: string): Promise<ImportState> {
  return (await api(org, 'GET', `/api/v1/imports/${id}`)).json<ImportState>()
}

async function clientsOf(org: TestOrg): Promise<Row[]> {
  return (await (await api(org, 'GET', '/api/v1/clients?limit=200')).json<{ items: Row[] }>()).items
}

/** The organization's own card of a person: names, and every email and phone it holds. */
async function cardOf(org: TestOrg, personId: string) {
  const stub = orgStub(env, org.organizationId) as unknown as DurableObjectStub
  const [card] = await runInDurableObject(stub, (_, state) =>
    state.storage.sql
      .exec<Card>('select person_id, first_name, last_name, emails, phones from contacts where person_id = ?', personId)
      .toArray(),
  )
  if (!card) return undefined
  return { ...card, emails: JSON.parse(card.emails) as string[], phones: JSON.parse(card.phones) as string[] }
}

/** Who holds a point in the registry. */
async function holders(kind: 'email' | 'phone', value: string): Promise<string[]> {
  const sql =
    kind === 'email'
      ? 'select person_id from person_emails where email = ? order by person_id'
      : 'select person_id from person_phones where phone_e164 = ? order by person_id'
  return (await env.PEOPLE.prepare(sql).bind(value).all<{ person_id: string }>()).results.map((r) => r.person_id)
}

/** Which rows share a person, as groups of row indexes (a shape that does not depend on the ids). */
function partition(personIds: string[]): number[][] {
  const groups = new Map<string, number[]>()
  personIds.forEach((id, i) => {
    groups.set(id, [...(groups.get(id) ?? []), i])
  })
  return [...groups.values()]
}

/**
 * A registry person with a phone and no name (as another business left them), and rows across
 * three batches that exercise every part of the rule: an email in another case, a phone twice, a
 * person with no name whose name a later row fills, a phone shared by a household (names that
 * clearly differ), a phone-only row whose name agrees with its holder, and the nameless holder
 * named by one batch, so the next batch's different name on that phone is someone else.
 */
function scenario(u: string) {
  const [p1, p2, p3, p4] = [phone(), phone(), phone(), phone()]
  const holder = { phone: e164(p4) }
  const batches: Fields[][] = [
    [
      { name: 'Ann Lee', email: `ann-${u}@example.com`, phone: p1 },
      { name: 'Ann Lee', email: `ANN-${u}@Example.com` },
      { name: 'Bob Ray', phone: p2 },
      { name: 'Bob Ray', phone: p2 },
      { email: `nameless-${u}@example.com` },
      { name: 'Hal Penn', email: `hal-${u}@example.com`, phone: p4 },
    ],
    [
      { name: 'Cy Nash', email: `nameless-${u}@example.com`, phone: p3 },
      { name: 'Carl Ray', phone: p2 },
      { name: 'A. Lee', phone: p1 },
      { name: 'Ivy Penn', phone: p4 },
    ],
    [
      { name: 'Dee Fox', phone: p3 },
      { name: 'Cy', phone: p3 },
      { name: 'Bob', email: `bob-${u}@example.com`, phone: p2 },
      { name: 'Hal', phone: p4 },
    ],
  ]
  return { holder, batches }
}

/** A batch's rows as the import hands them to the registry. */
function inputsOf(batch: Fields[]) {
  return batch.map((fields) => {
    const prepared = prepareRow(fields, 'US')
    if (!prepared.ok) throw new Error(prepared.message)
    return prepared.client
  })
}

describe('a run of import batches', { timeout: 60_000 }, () => {
  it('finds the same people as the rule batch by batch: duplicates in and across batches are one person and one client', async () => {
    const db = peopleDb(env.PEOPLE)
    const other = await createOrg()

    // The rule as imports applied it before runs: resolvePeople, one batch after another.
    const before = await createOrg()
    const first = scenario(unique())
    await resolvePeople(db, other.organizationId, [first.holder])
    const reference: string[] = []
    for (const batch of first.batches)
      reference.push(...(await resolvePeople(db, before.organizationId, inputsOf(batch))).map((r) => r.person_id))

    // A run: every batch in one read and one write.
    const second = scenario(unique())
    await resolvePeople(db, other.organizationId, [second.holder])
    const run = await resolveImportPeople(db, (await createOrg()).organizationId, second.batches.map(inputsOf))
    expect(partition(run.flat())).toEqual(partition(reference))
    // The registry's nameless holder got the first batch's name (a missing name is filled).
    const held = await env.PEOPLE.prepare('select first_name, last_name from people where id = ?')
      .bind(run[0]![5]!)
      .first()
    expect(held).toEqual({ first_name: 'Hal', last_name: 'Penn' })
    expect((await holders('phone', second.holder.phone)).sort()).toEqual([run[0]![5]!, run[1]![3]!].sort())
    // Spot checks of the partition: Ann's rows are one person, Bob and Carl share a phone as two,
    // the nameless holder named Hal by the first batch is not Ivy.
    expect(reference[0]).toBe(reference[1])
    expect(reference[0]).toBe(reference[8])
    expect(reference[2]).toBe(reference[3])
    expect(reference[7]).not.toBe(reference[2])
    expect(reference[5]).not.toBe(reference[9])
    expect(reference[5]).toBe(reference[13])

    // The same rows through the imports queue, delivered out of order: one client per person.
    const org = await createOrg()
    const third = scenario(unique())
    await resolvePeople(db, other.organizationId, [third.holder])
    const total = third.batches.flat().length
    const { importId, message } = await newImport(org, total, third.batches.length)
    const messages = third.batches.map((rows, seq) => message(seq, rows))
    expect(await deliver([messages[2]!, messages[0]!, messages[1]!])).toEqual({ acked: 3, retried: 0 })
    const people = partition(reference).length
    expect(await importState(org, importId)).toMatchObject({
      status: 'done',
      total,
      done: total,
      failed: 0,
      created: people,
    })
    const clients = await clientsOf(org)
    expect(clients).toHaveLength(people)
    expect(new Set(clients.map((c) => c.person_id)).size).toBe(people)
  })

  it('links rows to people of the registry; a phone another business holds links only what this business typed, and that business’s cards stay as they were', async () => {
    const a = await createOrg()
    const u = unique()
    const [dana, eliPhone, unaPhone] = [phone(), phone(), phone()]
    const danaA = await createClient(a, {
      first_name: 'Dana',
      last_name: 'Smith',
      email: `dana-${u}@private.example`,
      phone: dana,
      notes: 'Gate code 4411',
      tags: ['vip'],
    })
    const eliA = await createClient(a, { first_name: 'Eli', last_name: 'Moss', email: `eli-${u}@private.example` })
    const aBefore = await clientsOf(a)
    const danaCardBefore = await cardOf(a, danaA.person_id)
    const eliCardBefore = await cardOf(a, eliA.person_id)

    const b = await createOrg()
    const { importId, message } = await newImport(b, 4, 2)
    await deliver([
      message(0, [
        { name: 'Dana Smith', phone: dana },
        { name: 'Zed Quinn', phone: dana },
      ]),
      message(1, [
        { name: 'Eli Moss', email: `ELI-${u}@private.example`, phone: eliPhone },
        { name: 'Una Vale', phone: unaPhone },
      ]),
    ])
    expect(await importState(b, importId)).toMatchObject({ status: 'done', done: 4, created: 4, failed: 0 })

    const clients = await clientsOf(b)
    const byFirst = new Map(clients.map((c) => [c.first_name, c]))
    // The phone with an agreeing name is A's Dana; a different name on it is someone else of the household.
    expect(byFirst.get('Dana')!.person_id).toBe(danaA.person_id)
    expect(byFirst.get('Zed')!.person_id).not.toBe(danaA.person_id)
    expect(byFirst.get('Eli')!.person_id).toBe(eliA.person_id)
    // B's cards hold only what B's rows said: never A's email, notes or tags.
    expect(byFirst.get('Dana')).toMatchObject({ primary_email: null, primary_phone_e164: e164(dana), tags: [] })
    expect(await cardOf(b, danaA.person_id)).toMatchObject({ emails: [], phones: [e164(dana)] })
    expect(await cardOf(b, eliA.person_id)).toMatchObject({
      emails: [`eli-${u}@private.example`],
      phones: [e164(eliPhone)],
    })
    const danaB = await (await api(b, 'GET', `/api/v1/clients/${byFirst.get('Dana')!.org_client_id}`)).text()
    expect(danaB).not.toContain('private.example')
    expect(danaB).not.toContain('4411')
    expect(danaB).not.toContain('vip')

    // B's search knows only B's words: Dana by name and phone, never by A's email.
    const searchB = async (q: string) =>
      (await (await api(b, 'GET', `/api/v1/clients?q=${encodeURIComponent(q)}`)).json<{ items: Row[] }>()).items
    expect((await searchB('Dana')).map((c) => c.person_id)).toEqual([danaA.person_id])
    expect(await searchB(`dana-${u}@private.example`)).toEqual([])

    // A's clients and cards are exactly as before; B cannot reach A's client ids (404).
    expect(await clientsOf(a)).toEqual(aBefore)
    expect(await cardOf(a, danaA.person_id)).toEqual(danaCardBefore)
    expect(await cardOf(a, eliA.person_id)).toEqual(eliCardBefore)
    expect((await api(b, 'GET', `/api/v1/clients/${danaA.org_client_id}`)).status).toBe(404)
    expect((await api(a, 'GET', `/api/v1/imports/${importId}`)).status).toBe(404)

    // The registry: Eli's new phone joins him as secondary, his primary email unmoved; B holds both people.
    const eliRow = await env.PEOPLE.prepare('select primary_email, primary_phone_e164 from people where id = ?')
      .bind(eliA.person_id)
      .first<{ primary_email: string; primary_phone_e164: string | null }>()
    expect(eliRow).toEqual({ primary_email: `eli-${u}@private.example`, primary_phone_e164: null })
    expect(
      await env.PEOPLE.prepare('select is_primary from person_phones where person_id = ? and phone_e164 = ?')
        .bind(eliA.person_id, e164(eliPhone))
        .first('is_primary'),
    ).toBe(0)
    const heldByB = await env.PEOPLE.prepare('select person_id from person_orgs where organization_id = ?')
      .bind(b.organizationId)
      .all<{ person_id: string }>()
    expect(heldByB.results.map((r) => r.person_id)).toEqual(expect.arrayContaining([danaA.person_id, eliA.person_id]))
  })

  it('counts progress exactly as each run is applied, from the start of the first run', async () => {
    const org = await createOrg()
    const u = unique()
    const rows = (from: number, n: number) =>
      Array.from({ length: n }, (_, i) => ({ name: `Pat Row${from + i}`, email: `p${from + i}-${u}@example.com` }))
    const { importId, message } = await newImport(org, 25, 3)
    const began = new Date().toISOString()
    await deliver([message(0, rows(0, 10)), message(1, rows(10, 10))])
    const halfway = await importState(org, importId)
    expect(halfway).toMatchObject({ status: 'running', total: 25, done: 20, created: 20 })
    expect(halfway.started_at! >= began).toBe(true)
    await deliver([message(2, [...rows(20, 4), { name: '', email: 'not an email' }])])
    const state = await importState(org, importId)
    expect(state).toMatchObject({ status: 'done', total: 25, done: 24, failed: 1, created: 24 })
    expect(state.started_at).toBe(halfway.started_at)
    expect(state.finished_at! >= state.started_at!).toBe(true)
  })
})

describe('a redelivered run', { timeout: 60_000 }, () => {
  it('creates no second client or person, and counts each batch once', async () => {
    const org = await createOrg()
    const u = unique()
    const shared = phone()
    const { importId, message } = await newImport(org, 6, 2)
    const messages = [
      message(0, [
        { name: 'Rae One', email: `rae-${u}@example.com` },
        { name: 'Sol Two', phone: shared },
        { name: 'Tia Three', email: `tia-${u}@example.com`, phone: phone() },
      ]),
      message(1, [
        { name: 'Rae One', email: `RAE-${u}@example.com` },
        { name: 'Uma Four', phone: shared },
        { name: 'Vic Five' },
      ]),
    ]
    await deliver(messages)
    const first = await importState(org, importId)
    const clients = await clientsOf(org)
    // The queue delivers the whole batch again, then one message of it alone.
    expect(await deliver(messages, 2)).toEqual({ acked: 2, retried: 0 })
    await handleEvent(messages[1]!, env, 3)

    expect(await importState(org, importId)).toEqual(first)
    expect(first).toMatchObject({ status: 'done', done: 6, created: 5 })
    expect(await clientsOf(org)).toEqual(clients)
    // Each client is found once by search: by name, by email, by a fragment of the shared phone.
    const search = async (q: string) =>
      (await (await api(org, 'GET', `/api/v1/clients?q=${encodeURIComponent(q)}`)).json<{ items: Row[] }>()).items
    expect((await search('Uma')).map((c) => c.first_name)).toEqual(['Uma'])
    expect((await search(`rae-${u}@example.com`)).map((c) => c.first_name)).toEqual(['Rae'])
    expect((await search(e164(shared).slice(-7))).map((c) => c.first_name).sort()).toEqual(['Sol', 'Uma'])
    expect((await search('Vic')).map((c) => c.first_name)).toEqual(['Vic'])
    expect(await holders('email', `rae-${u}@example.com`)).toHaveLength(1)
    expect(await holders('phone', e164(shared))).toHaveLength(2)
    const contactless = await env.PEOPLE.prepare(
      `select count(*) as n from person_orgs o join people p on p.id = o.person_id
       where o.organization_id = ? and p.first_name = 'Vic'`,
    )
      .bind(org.organizationId)
      .first('n')
    expect(contactless).toBe(1)
  })

  it('retries a run that failed one batch at a time, and each batch still counts once', async () => {
    const org = await createOrg()
    const u = unique()
    const { importId, message } = await newImport(org, 2, 2)
    const messages = [
      message(0, [{ name: 'Wes One', email: `wes-${u}@example.com` }]),
      message(1, [{ name: 'Xia Two', email: `xia-${u}@example.com` }]),
    ]
    // The run's first registry call fails: each message then runs alone, and succeeds.
    const outage = vi.spyOn(env.PEOPLE, 'batch').mockRejectedValueOnce(new Error('D1 is unavailable'))
    try {
      expect(await deliver(messages)).toEqual({ acked: 2, retried: 0 })
    } finally {
      outage.mockRestore()
    }
    expect(await importState(org, importId)).toMatchObject({ status: 'done', done: 2, created: 2 })
    expect(await clientsOf(org)).toHaveLength(2)
  })
})

describe('a run at the size limits', { timeout: 120_000 }, () => {
  it('imports 20 full messages with long contact points: every JSON list under 100 KB, every registry batch under 1 MB', async () => {
    const org = await createOrg()
    const u = unique()
    const domain = `${'a'.repeat(60)}.${'b'.repeat(60)}.example.com`
    const rows = Array.from({ length: 20 * ROWS_PER_BATCH }, (_, i) => ({
      row: i + 1,
      fields: {
        name: `${'Longfirstname'.repeat(5)}${i} ${'Longlastname'.repeat(5)}`,
        email: `${'x'.repeat(40)}.${i}.${u}@${domain}`,
        phone: phone(),
      } satisfies RawRow,
    }))
    const batches = packRows(rows)
    expect(batches).toHaveLength(20)
    expect(batches.every((b) => b.length === ROWS_PER_BATCH)).toBe(true)
    const importId = crypto.randomUUID()
    await orgStub(env, org.organizationId).createImport({ id: importId, total: rows.length, batches: batches.length })

    // Every JSON list bound to a registry statement, and what each registry batch carries.
    const params: number[] = []
    const batchBytes: number[] = []
    const bytesOf = new WeakMap<object, number>()
    const prepare = env.PEOPLE.prepare.bind(env.PEOPLE)
    const batch = env.PEOPLE.batch.bind(env.PEOPLE)
    const spies = [
      vi.spyOn(env.PEOPLE, 'prepare').mockImplementation((query: string) => {
        const statement = prepare(query)
        const bind = statement.bind.bind(statement)
        statement.bind = (...values: unknown[]) => {
          const bound = bind(...values)
          const json = values.filter((v): v is string => typeof v === 'string' && v.startsWith('['))
          for (const v of json) params.push(byteLength(v))
          bytesOf.set(
            bound,
            json.reduce((sum, v) => sum + byteLength(v), 0),
          )
          return bound
        }
        return statement
      }),
      vi.spyOn(env.PEOPLE, 'batch').mockImplementation((statements) => {
        batchBytes.push(statements.reduce((sum, s) => sum + (bytesOf.get(s) ?? 0), 0))
        return batch(statements)
      }),
    ]
    try {
      const messages = batches.map(
        (rows, seq): ImportRowsMessage => ({
          type: 'import_rows',
          organization_id: org.organizationId,
          import_id: importId,
          seq,
          country: 'US',
          rows,
        }),
      )
      expect(await deliver(messages)).toEqual({ acked: 20, retried: 0 })
    } finally {
      for (const spy of spies) spy.mockRestore()
    }

    expect(await importState(org, importId)).toMatchObject({
      status: 'done',
      total: 2000,
      done: 2000,
      failed: 0,
      created: 2000,
    })
    expect(Math.max(...params)).toBeLessThanOrEqual(PARAM_BYTES)
    expect(Math.max(...batchBytes)).toBeLessThanOrEqual(BATCH_BYTES)
    // Over 1 MB of registry writes in all, so the run went in parts (and lists in several statements).
    expect(batchBytes.reduce((a, b) => a + b, 0)).toBeGreaterThan(BATCH_BYTES)
    expect(batchBytes.length).toBeGreaterThan(3)
    const count = await env.PEOPLE.prepare('select count(*) as n from org_people where organization_id = ?')
      .bind(org.organizationId)
      .first('n')
    expect(count).toBe(2000)
    const first = rows[0]!.fields
    const [person] = await holders('email', first.email.toLowerCase())
    expect(await cardOf(org, person!)).toMatchObject({
      emails: [first.email.toLowerCase()],
      phones: [e164(first.phone)],
    })
  })
})
