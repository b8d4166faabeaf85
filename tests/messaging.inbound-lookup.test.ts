import { env, runInDurableObject } from 'cloudflare:test'
import { drizzle } from 'drizzle-orm/durable-sqlite'
import { describe, expect, it } from 'vitest'
import { createClient } from '../durable-objects/org/crm/clients'
import type { OrgDb } from '../durable-objects/org/db'
import { mergeClients } from '../durable-objects/org/merges/merges'
import { clientsWithEmail, clientsWithPhone } from '../durable-objects/org/messaging/inbound'
import * as schema from '../durable-objects/org/schema'
import { orgStub } from '../src/organizations'
import { createOrg, type TestOrg } from './helpers/factories'

/** Runs domain code on the organization's own storage, inside its object. */
function inOrg<T>(org: TestOrg, fn: (db: OrgDb) => T): Promise<T> {
  return runInDurableObject(orgStub(env, org.organizationId), (_object, state) =>
    state.storage.transactionSync(() => fn(drizzle(state.storage, { schema }))),
  )
}

function client(db: OrgDb, first: string, points: { emails?: string[]; phones?: string[] }): string {
  return createClient(db, {
    person: {
      person_id: crypto.randomUUID(),
      first_name: first,
      last_name: null,
      emails: points.emails ?? [],
      phones: points.phones ?? [],
      author: { source: 'staff', by: 'test' },
    },
  }).org_client_id
}

// A reply is filed by the phone or email it came from: found through the search index, then checked exactly.
describe('the clients holding a phone or an email', () => {
  it('finds exactly the cards holding the whole phone, primary holder first', async () => {
    const org = await createOrg()
    const found = await inOrg(org, (db) => {
      const second = client(db, 'Second', { phones: ['+13035550199', '+14155558675'] })
      const primary = client(db, 'Primary', { phones: ['+14155558675'] })
      // Its digits end with the phone's digits, and hold them as a search token: not the same phone.
      client(db, 'Longer', { phones: ['+4414155558675'] })
      client(db, 'Fragment', { phones: ['+14155558670'] })
      return {
        expected: [primary, second],
        phone: clientsWithPhone(db, '+14155558675'),
        other: clientsWithPhone(db, '+13035550199'),
        none: clientsWithPhone(db, '+15555550100'),
        second,
      }
    })
    expect(found.phone).toEqual(found.expected)
    expect(found.other).toEqual([found.second])
    expect(found.none).toEqual([])
  })

  it('finds exactly the cards holding the whole email, not one with the same words', async () => {
    const org = await createOrg()
    const found = await inOrg(org, (db) => {
      const ann = client(db, 'Ann', { emails: ['ann.lee@example.com'] })
      client(db, 'Other', { emails: ['ann-lee@example.com'] })
      client(db, 'Longer', { emails: ['jo.ann.lee@example.com'] })
      return { ann, email: clientsWithEmail(db, 'ann.lee@example.com'), none: clientsWithEmail(db, 'ann@example.com') }
    })
    expect(found.email).toEqual([found.ann])
    expect(found.none).toEqual([])
  })

  it('follows a merge: the card merged away is not found, the one kept is', async () => {
    const org = await createOrg()
    const found = await inOrg(org, (db) => {
      const kept = client(db, 'Kept', { phones: ['+12125550123'] })
      const gone = client(db, 'Gone', { phones: ['+16175550142'], emails: ['gone@example.com'] })
      mergeClients(db, kept, gone, 'test')
      return {
        kept,
        byPhone: clientsWithPhone(db, '+16175550142'),
        byEmail: clientsWithEmail(db, 'gone@example.com'),
      }
    })
    // The kept card took the merged card's phone and email.
    expect(found.byPhone).toEqual([found.kept])
    expect(found.byEmail).toEqual([found.kept])
  })
})
