// Each CRM's client export, end to end: the mapping preview, then the import the imports queue runs.
import { env, runInDurableObject, SELF } from 'cloudflare:test'
import { describe, expect, it, vi } from 'vitest'
import type { OrgObject } from '../durable-objects/org/org-object'
import { orgStub } from '../src/organizations'
import { api, BASE, createOrg, type TestOrg, unique } from './helpers/factories'

type ImportState = {
  status: string
  total: number
  done: number
  failed: number
  created: number
  imported_with_problems: number
  errors: { row: number; message: string; fields: string[]; imported: boolean }[]
}
type Row = {
  org_client_id: string
  first_name: string | null
  last_name: string | null
  primary_email: string | null
  primary_phone_e164: string | null
  tags: string[]
}
type Address = { address1: string; address2: string | null; city: string; state: string; postal: string }

/** US line numbers unique within this file's run. */
let line = 2000 + Math.floor(Math.random() * 5000)
const nextLine = () => String(line++).padStart(4, '0')

const upload = (org: TestOrg, csv: string, query = '') =>
  SELF.fetch(`${BASE}/api/v1/clients/import${query}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${org.apiKey}`, 'content-type': 'text/csv' },
    body: csv,
  })

/** The mapping preview: each column's header and field. */
async function mapping(org: TestOrg, csv: string) {
  const res = await upload(org, csv, '?preview=true')
  expect(res.status).toBe(200)
  const preview = await res.json<{ columns: { header: string; field: string | null }[]; rows: unknown[] }>()
  return { fields: Object.fromEntries(preview.columns.map((c) => [c.header, c.field])), rows: preview.rows }
}

/** Imports the file and waits for the imports queue to finish it; its id and final state. */
async function importCsv(org: TestOrg, csv: string) {
  const res = await upload(org, csv)
  expect(res.status).toBe(202)
  const id = (await res.json<{ import_id: string }>()).import_id
  const state = await vi.waitFor(
    async () => {
      const s = await (await api(org, 'GET', `/api/v1/imports/${id}`)).json<ImportState>()
      expect(['done', 'failed']).toContain(s.status)
      return s
    },
    { timeout: 20_000, interval: 200 },
  )
  return { id, state }
}

async function clientsOf(org: TestOrg): Promise<Row[]> {
  return (await (await api(org, 'GET', '/api/v1/clients?limit=200')).json<{ items: Row[] }>()).items
}

async function addressesOf(org: TestOrg, orgClientId: string): Promise<Address[]> {
  return (await (await api(org, 'GET', `/api/v1/clients/${orgClientId}`)).json<{ addresses: Address[] }>()).addresses
}

/** How many imports the organization's object holds. */
function importsHeld(org: TestOrg): Promise<number> {
  const stub = orgStub(env, org.organizationId) as unknown as DurableObjectStub<OrgObject>
  return runInDurableObject(
    stub,
    (_, state) => state.storage.sql.exec<{ n: number }>('select count(*) as n from client_imports').one().n,
  )
}

describe('importing a Housecall Pro customer export', { timeout: 30_000 }, () => {
  it('maps its columns, then imports names, phones, emails and the Street line of the service address; a bad email keeps the rest of its row', async () => {
    const org = await createOrg()
    const u = unique()
    const [a, b, c] = [nextLine(), nextLine(), nextLine()]
    const csv =
      'Customer,First Name,Last Name,Email,Company,Mobile Phone,Home Phone,Customer Tags,Address,Street,Street Line 2,City,State,Zip\n' +
      `Ann Lee,Ann,Lee,ann-${u}@Example.com,,(303) 555-${a},(303) 555-${b},vip,"1 Elm St, Denver, CO 80202",1 Elm St,Unit 5,Denver,CO,80202\n` +
      `Bo Park,Bo,Park,bo-at-example,,,(303) 555-${c},,"2 Oak Ave, Denver, CO 80203",2 Oak Ave,,Denver,CO,80203\n`

    // The mapping step: every column lands on its field; "Address" (the whole address) only backs up "Street".
    const preview = await mapping(org, csv)
    expect(preview.fields).toEqual({
      Customer: 'name',
      'First Name': 'first_name',
      'Last Name': 'last_name',
      Email: 'email',
      Company: 'name',
      'Mobile Phone': 'phone',
      'Home Phone': 'phone',
      'Customer Tags': 'tags',
      Address: 'address1',
      Street: 'address1',
      'Street Line 2': 'address2',
      City: 'city',
      State: 'state',
      Zip: 'postal',
    })
    expect(preview.rows).toMatchObject([
      { row: 1, client: { first_name: 'Ann', address: { address1: '1 Elm St' } }, problems: [] },
      { row: 2, client: { first_name: 'Bo' }, problems: [{ field: 'email' }], skipped: null },
    ])
    expect(await importsHeld(org)).toBe(0)
    expect(await clientsOf(org)).toEqual([])

    const { state } = await importCsv(org, csv)
    expect(state).toMatchObject({ status: 'done', total: 2, done: 2, failed: 0, created: 2, imported_with_problems: 1 })
    expect(state.errors).toEqual([
      {
        row: 2,
        fields: ['email'],
        imported: true,
        message: 'Email "bo-at-example" is not a valid email address; left out, the rest of the row was imported',
      },
    ])
    const clients = await clientsOf(org)
    const ann = clients.find((x) => x.first_name === 'Ann')!
    // The mobile number before the home one; the email as stored, lower case.
    expect(ann).toMatchObject({
      last_name: 'Lee',
      primary_email: `ann-${u}@example.com`,
      primary_phone_e164: `+1303555${a}`,
      tags: ['vip'],
    })
    expect(await addressesOf(org, ann.org_client_id)).toMatchObject([
      { address1: '1 Elm St', address2: 'Unit 5', city: 'Denver', state: 'CO', postal: '80202' },
    ])
    const bo = clients.find((x) => x.first_name === 'Bo')!
    expect(bo).toMatchObject({ last_name: 'Park', primary_email: null, primary_phone_e164: `+1303555${c}` })
    expect(await addressesOf(org, bo.org_client_id)).toMatchObject([
      { address1: '2 Oak Ave', city: 'Denver', state: 'CO', postal: '80203' },
    ])
  })
})

describe('importing a ServiceTitan customer export', { timeout: 30_000 }, () => {
  it('maps its columns, then imports "last, first" names and the location’s address over the billing one; a bad phone keeps the rest of its row', async () => {
    const org = await createOrg()
    const u = unique()
    const [a, b] = [nextLine(), nextLine()]
    const csv =
      'Customer Id,Customer Name,Customer Type,Phone Number,Email Address,Location Street,Location Unit,Location City,Location State,Location Zip,' +
      'Customer Street,Customer City,Customer State,Customer Zip\n' +
      `4410,"Diaz, Carla",Residential,602.555.${a},carla-${u}@example.com,9 Palm Dr,Apt 2,Phoenix,AZ,85004,PO Box 1,Tempe,AZ,85281\n` +
      `4411,"Ng, Dev",Residential,12,dev-${u}@example.com,3 Mesa Rd,,Scottsdale,AZ,85251,,,,\n` +
      `4412,"Ortiz, Eva",Residential,(602) 555-${b},,,,,,,40 Sun Ct,Mesa,AZ,85201\n`

    const preview = await mapping(org, csv)
    expect(preview.fields).toEqual({
      'Customer Id': 'external_id',
      'Customer Name': 'name',
      'Customer Type': null,
      'Phone Number': 'phone',
      'Email Address': 'email',
      'Location Street': 'address1',
      'Location Unit': 'address2',
      'Location City': 'city',
      'Location State': 'state',
      'Location Zip': 'postal',
      'Customer Street': 'address1',
      'Customer City': 'city',
      'Customer State': 'state',
      'Customer Zip': 'postal',
    })
    expect(preview.rows).toMatchObject([
      { row: 1, client: { first_name: 'Carla', last_name: 'Diaz', external_id: '4410' }, problems: [] },
      { row: 2, client: { first_name: 'Dev', last_name: 'Ng' }, problems: [{ field: 'phone' }], skipped: null },
      { row: 3, client: { first_name: 'Eva', last_name: 'Ortiz' }, problems: [] },
    ])
    expect(await importsHeld(org)).toBe(0)

    const { state } = await importCsv(org, csv)
    expect(state).toMatchObject({ status: 'done', total: 3, done: 3, failed: 0, created: 3, imported_with_problems: 1 })
    expect(state.errors).toEqual([
      {
        row: 2,
        fields: ['phone'],
        imported: true,
        message: 'Phone "12" is not a valid phone number; left out, the rest of the row was imported',
      },
    ])
    const clients = await clientsOf(org)
    const carla = clients.find((x) => x.first_name === 'Carla')!
    expect(carla).toMatchObject({
      last_name: 'Diaz',
      primary_email: `carla-${u}@example.com`,
      primary_phone_e164: `+1602555${a}`,
    })
    // The service location, not the customer's (billing) PO box.
    expect(await addressesOf(org, carla.org_client_id)).toMatchObject([
      { address1: '9 Palm Dr', address2: 'Apt 2', city: 'Phoenix', state: 'AZ', postal: '85004' },
    ])
    const dev = clients.find((x) => x.first_name === 'Dev')!
    expect(dev).toMatchObject({ last_name: 'Ng', primary_email: `dev-${u}@example.com`, primary_phone_e164: null })
    expect(await addressesOf(org, dev.org_client_id)).toMatchObject([
      { address1: '3 Mesa Rd', city: 'Scottsdale', state: 'AZ', postal: '85251' },
    ])
    // No location: the customer's own address is the one there is.
    const eva = clients.find((x) => x.first_name === 'Eva')!
    expect(eva).toMatchObject({ last_name: 'Ortiz', primary_email: null, primary_phone_e164: `+1602555${b}` })
    expect(await addressesOf(org, eva.org_client_id)).toMatchObject([
      { address1: '40 Sun Ct', city: 'Mesa', state: 'AZ', postal: '85201' },
    ])

    // The same export again adds nobody.
    expect((await importCsv(org, csv)).state).toMatchObject({ done: 3, failed: 0, created: 0 })
    expect(await clientsOf(org)).toHaveLength(3)
  })
})

describe('another business', { timeout: 30_000 }, () => {
  it('cannot read an import it did not make (404) nor see its clients', async () => {
    const org = await createOrg()
    const stranger = await createOrg()
    const u = unique()
    const { id, state } = await importCsv(
      org,
      'Customer,Email,Mobile Phone,Street,City,State,Zip\n' +
        `Fay Gray,fay-${u}@example.com,(303) 555-${nextLine()},8 Fir St,Denver,CO,80204\n`,
    )
    expect(state).toMatchObject({ status: 'done', created: 1 })
    const theirs = await api(stranger, 'GET', `/api/v1/imports/${id}`)
    expect(theirs.status).toBe(404)
    expect(JSON.stringify(await theirs.json())).not.toContain('Fay')
    expect(await clientsOf(stranger)).toEqual([])
    expect(await importsHeld(stranger)).toBe(0)
  })
})
