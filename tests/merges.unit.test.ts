import { env, runInDurableObject } from 'cloudflare:test'
import { sql } from 'drizzle-orm'
import { drizzle } from 'drizzle-orm/durable-sqlite'
import { describe, expect, it } from 'vitest'
import { createClient, listClients, updateClient, type AddressInput } from '../durable-objects/org/crm/clients'
import type { OrgDb } from '../durable-objects/org/db'
import { writeImportRows } from '../durable-objects/org/crm/import-rows'
import { findDuplicates } from '../durable-objects/org/merges/duplicates'
import { mergeClients, undoMerge } from '../durable-objects/org/merges/merges'
import * as schema from '../durable-objects/org/schema'
import { orgStub } from '../src/organizations'
import { createOrg, type TestOrg } from './helpers/factories'

/** Runs domain code on the organization's own storage, inside its object. */
function inOrg<T>(org: TestOrg, fn: (db: OrgDb) => T): Promise<T> {
  return runInDurableObject(orgStub(env, org.organizationId), (_object, state) =>
    state.storage.transactionSync(() => fn(drizzle(state.storage, { schema }))),
  )
}

type Person = { first: string; last?: string; emails?: string[]; phones?: string[]; address?: Partial<AddressInput> }

/** A client made straight in the object (no registry), with its own person id. */
function client(db: OrgDb, p: Person): string {
  const address = p.address
    ? { address1: '1 Elm St', city: 'Boston', state: 'MA', postal: '02139', country: 'US', ...p.address }
    : undefined
  return createClient(db, {
    person: {
      person_id: crypto.randomUUID(),
      first_name: p.first,
      last_name: p.last ?? null,
      emails: p.emails ?? [],
      phones: p.phones ?? [],
      author: { source: 'staff', by: 'test' },
    },
    address,
    tags: [p.first.toLowerCase()],
    notes: `${p.first}'s note`,
  }).org_client_id
}

/** The client's own rows exactly as stored. */
function rawRows(db: OrgDb, id: string) {
  const one = (q: ReturnType<typeof sql>) => db.get<Record<string, unknown>>(q) ?? null
  const c = one(sql`select rowid as rid, * from org_clients where id = ${id}`)!
  return {
    client: c,
    card: one(sql`select * from contacts where person_id = ${c['person_id']}`),
    settings: one(sql`select * from org_client_settings where org_client_id = ${id}`),
    search: one(sql`select * from client_search where rowid = ${c['rid']}`),
  }
}

describe('findDuplicates', () => {
  it('pairs clients sharing an email, a phone, or a name and address, each pair once with all its reasons', async () => {
    const org = await createOrg()
    const found = await inOrg(org, (db) => {
      const ann = client(db, { first: 'Ann', emails: ['ann@example.com'], phones: ['+16175550101'] })
      const anne = client(db, {
        first: 'Anne',
        emails: ['other@example.com', 'ann@example.com'],
        phones: ['+16175550101'],
      })
      const bo = client(db, { first: 'Bo', phones: ['+16175550102'] })
      const bea = client(db, { first: 'Bea', phones: ['+16175550199', '+16175550102'] })
      const pat = client(db, { first: 'Pat', last: 'Kim', address: { address1: '12 Oak St', postal: '02139' } })
      const pat2 = client(db, { first: ' pat', last: 'KIM ', address: { address1: ' 12   oak  st', postal: '02139' } })
      client(db, { first: 'Pat', last: 'Kim', address: { address1: '12 Oak St', postal: '02140' } })
      client(db, { first: 'Patrick', last: 'Kim', address: { address1: '12 Oak St', postal: '02139' } })
      client(db, { first: 'Solo', emails: ['solo@example.com'], phones: ['+16175550111'] })
      return { pairs: findDuplicates(db), ids: { ann, anne, bo, bea, pat, pat2 } }
    })
    const { ids } = found
    expect(found.pairs).toEqual([
      { org_client_ids: [ids.pat, ids.pat2], reasons: ['same_name_and_address'] },
      { org_client_ids: [ids.bo, ids.bea], reasons: ['same_phone'] },
      { org_client_ids: [ids.ann, ids.anne], reasons: ['same_email', 'same_phone'] },
    ])
  })

  it('ignores a phone held by more than 25 clients (an office line), not one shared by a household', async () => {
    const org = await createOrg()
    const pairs = await inOrg(org, (db) => {
      for (let i = 0; i < 26; i++) client(db, { first: `Tenant${i}`, phones: ['+16175550000'] })
      client(db, { first: 'Kim', phones: ['+16175550001'] })
      client(db, { first: 'Lee', phones: ['+16175550001'] })
      return findDuplicates(db)
    })
    expect(pairs).toHaveLength(1)
    expect(pairs[0]!.reasons).toEqual(['same_phone'])
  })

  it('leaves out merged clients', async () => {
    const org = await createOrg()
    const pairs = await inOrg(org, (db) => {
      const a = client(db, { first: 'Al', emails: ['al@example.com'] })
      const b = client(db, { first: 'Alan', emails: ['al@example.com'] })
      const c = client(db, { first: 'Alfie', emails: ['al@example.com'] })
      mergeClients(db, a, b, 'test')
      return { pairs: findDuplicates(db), a, c }
    })
    expect(pairs.pairs).toEqual([{ org_client_ids: [pairs.a, pairs.c], reasons: ['same_email'] }])
  })

  it('an import naming a merged-away person gives it no search row back', async () => {
    const org = await createOrg()
    const found = await inOrg(org, (db) => {
      const kept = client(db, { first: 'Kay', emails: ['kay@example.com'] })
      const gone = client(db, { first: 'Kaye', emails: ['kaye@example.com'] })
      mergeClients(db, kept, gone, 'test')
      const goneCard = db.get<{ person_id: string }>(sql`select person_id from org_clients where id = ${gone}`)!
      const { rows } = writeImportRows(db, [
        {
          row: 1,
          person: {
            person_id: goneCard.person_id,
            first_name: 'Kaye',
            last_name: null,
            emails: ['kaye@example.com'],
            phones: ['+16175550123'],
            author: { source: 'import', by: 'test' },
          },
          contactless: false,
          tags: [],
        },
      ])
      const count = (q: ReturnType<typeof sql>) => db.get<{ n: number }>(q)!.n
      return {
        kept,
        row: rows[0],
        indexed: count(sql`select count(*) as n from client_search`),
        live: count(sql`select count(*) as n from org_clients where merged_into is null`),
        search: listClients(db, { q: 'kaye', limit: 10 }).items.map((c) => c.org_client_id),
      }
    })
    // The row is the kept client's; the index holds live clients only (else it is rebuilt at every start).
    expect(found.row).toMatchObject({ org_client_id: found.kept, created: false })
    expect(found.indexed).toBe(found.live)
    expect(found.search).toEqual([found.kept])
  })

  it('answers in well under a second for 10,000 clients', async () => {
    const org = await createOrg()
    const { ms, pairs } = await inOrg(org, (db) => {
      // Every 100th client shares an email with the one before, every 250th a phone.
      const rows = Array.from({ length: 10_000 }, (_, i) => ({
        id: `c${i}`,
        person: `p${i}`,
        first: `First${i}`,
        last: `Last${i}`,
        emails: JSON.stringify([`person${i % 100 === 99 ? i - 1 : i}@example.com`]),
        phones: JSON.stringify([`+1617${String(i % 250 === 249 ? i - 1 : i).padStart(7, '0')}`]),
      }))
      const data = JSON.stringify(rows)
      db.run(sql`insert into contacts (person_id, first_name, last_name, emails, phones, version)
        select value ->> 'person', value ->> 'first', value ->> 'last', value ->> 'emails', value ->> 'phones', 1 from json_each(${data})`)
      db.run(
        sql`insert into org_clients (id, person_id, status) select value ->> 'id', value ->> 'person', 'active' from json_each(${data})`,
      )
      db.run(sql`insert into addresses (id, org_client_id, address1, city, state, postal, country)
        select 'a' || (value ->> 'id'), value ->> 'id', (value ->> 'id') || ' Main St', 'Boston', 'MA', '02139', 'US' from json_each(${data})`)
      const started = performance.now()
      const pairs = findDuplicates(db)
      return { ms: performance.now() - started, pairs }
    })
    expect(pairs.filter((p) => p.reasons.includes('same_email'))).toHaveLength(100)
    expect(pairs.filter((p) => p.reasons.includes('same_phone'))).toHaveLength(40)
    expect(pairs).toContainEqual({ org_client_ids: ['c98', 'c99'], reasons: ['same_email'] })
    console.log(`findDuplicates over 10,000 clients: ${ms.toFixed(0)} ms`)
    expect(ms).toBeLessThan(1_000)
  })
})

describe('mergeClients and undoMerge', () => {
  it('puts both clients’ own rows, settings and search entries back byte for byte', async () => {
    const org = await createOrg()
    const result = await inOrg(org, (db) => {
      const a = client(db, { first: 'Ada', emails: ['ada@example.com'], address: {} })
      const b = client(db, {
        first: 'Bea',
        last: 'Lane',
        emails: ['bea@example.com'],
        phones: ['+16175550123'],
        address: { address1: '9 Pine St' },
      })
      updateClient(db, b, {
        settings: { pricing_tier: 'gold', tax_rate: 8.25, custom_fields: { gate: '1234' } },
        notes: 'Second note',
      })
      const before = { a: rawRows(db, a), b: rawRows(db, b) }
      const { merge_id } = mergeClients(db, a, b, 'owner@example.com')
      const merged = {
        a: rawRows(db, a),
        b: rawRows(db, b),
        found: listClients(db, { q: 'bea', limit: 10 }).items.map((c) => c.org_client_id),
      }
      undoMerge(db, merge_id, 'owner@example.com')
      return {
        a,
        b,
        before,
        merged,
        after: { a: rawRows(db, a), b: rawRows(db, b) },
        found: listClients(db, { q: 'bea', limit: 10 }).items.map((c) => c.org_client_id),
      }
    })
    const { a, b, before, merged, after } = result
    expect(merged.b.client['merged_into']).toBe(a)
    expect(merged.b.search).toBeNull()
    expect(merged.found).toEqual([a])
    expect(merged.a.settings).toMatchObject({
      pricing_tier: 'gold',
      tax_rate: 8.25,
      custom_fields: '{"gate":"1234"}',
    })
    expect(JSON.parse(String(merged.a.card!['emails']))).toEqual(['ada@example.com', 'bea@example.com'])
    expect(merged.a.card!['last_name']).toBe('Lane')
    expect(after).toEqual(before)
    expect(result.found).toEqual([b])
  })

  it('keeps into’s campaign send where both got the campaign, and moves CRM links and back', async () => {
    const org = await createOrg()
    const rows = await inOrg(org, (db) => {
      const a = client(db, { first: 'Ada' })
      const b = client(db, { first: 'Bea' })
      db.run(
        sql`insert into campaign_sends (campaign_id, org_client_id, status) values ('both', ${a}, 'sent'), ('both', ${b}, 'skipped'), ('only-b', ${b}, 'sent')`,
      )
      db.run(
        sql`insert into external_mappings (provider, entity, external_id, local_id, connection_id) values ('jobber', 'client', 'j:1', ${b}, 'conn')`,
      )
      const sends = () =>
        db.all<{ campaign_id: string; org_client_id: string; status: string }>(
          sql`select campaign_id, org_client_id, status from campaign_sends order by campaign_id, status`,
        )
      const link = () =>
        db.get<{ local_id: string }>(sql`select local_id from external_mappings where external_id = 'j:1'`)!.local_id
      const { merge_id } = mergeClients(db, a, b, 'test')
      const merged = {
        sends: sends(),
        link: link(),
        moved: db.get<{ moved: string; before: string }>(
          sql`select moved, before from client_merges where id = ${merge_id}`,
        )!,
      }
      undoMerge(db, merge_id, 'test')
      return { a, b, merged, undone: { sends: sends(), link: link() } }
    })
    const { a, b } = rows
    expect(rows.merged.sends).toEqual([
      { campaign_id: 'both', org_client_id: a, status: 'sent' },
      { campaign_id: 'both', org_client_id: b, status: 'skipped' },
      { campaign_id: 'only-b', org_client_id: a, status: 'sent' },
    ])
    expect(JSON.parse(rows.merged.moved.moved)).toMatchObject({
      campaign_sends: ['only-b'],
      external_mappings: ['jobber:j:1'],
    })
    expect(JSON.parse(rows.merged.moved.before).campaign_sends_left).toEqual(['both'])
    expect(rows.merged.link).toBe(a)
    expect(rows.undone.sends).toEqual([
      { campaign_id: 'both', org_client_id: a, status: 'sent' },
      { campaign_id: 'both', org_client_id: b, status: 'skipped' },
      { campaign_id: 'only-b', org_client_id: b, status: 'sent' },
    ])
    expect(rows.undone.link).toBe(b)
  })
})
