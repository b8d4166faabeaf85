// Over 300 lines on purpose: each CRM export's headers, the mapping step and row-by-row forgiveness share the upload helpers above the cases.
import { env, runInDurableObject, SELF } from 'cloudflare:test'
import { describe, expect, it, vi } from 'vitest'
import { mapHeader, pickFields } from '../src/imports/columns'
import { parseCsv } from '../src/imports/csv'
import { prepareRow } from '../src/imports/rows'
import { orgStub } from '../src/organizations'
import type { OrgObject } from '../durable-objects/org/org-object'
import { Staff } from './helpers/browserless'
import { api, BASE, createOrg, type TestOrg, unique } from './helpers/factories'

type ImportError = { row: number; message: string; fields: string[]; imported: boolean }
type ImportState = {
  status: string
  total: number
  done: number
  failed: number
  created: number
  imported_with_problems: number
  errors: ImportError[]
}
type Row = {
  org_client_id: string
  first_name: string | null
  last_name: string | null
  primary_email: string | null
  primary_phone_e164: string | null
  status: string
  tags: string[]
}

/** US line numbers unique within this file's run. */
let line = 2000 + Math.floor(Math.random() * 5000)
const nextLine = () => String(line++).padStart(4, '0')

/** The first record of a CSV as it would be imported. */
function firstRow(csv: string) {
  const table = parseCsv(csv)
  return prepareRow(pickFields(mapHeader(table.header).columns, table.records[0]!), 'US')
}

async function importCsv(org: TestOrg, csv: string): Promise<ImportState> {
  const res = await SELF.fetch(`${BASE}/api/v1/clients/import`, {
    method: 'POST',
    headers: { authorization: `Bearer ${org.apiKey}`, 'content-type': 'text/csv' },
    body: csv,
  })
  expect(res.status).toBe(202)
  return waitFor(org, (await res.json<{ import_id: string }>()).import_id)
}

function waitFor(org: TestOrg, id: string): Promise<ImportState> {
  return vi.waitFor(
    async () => {
      const state = await (await api(org, 'GET', `/api/v1/imports/${id}`)).json<ImportState>()
      expect(['done', 'failed']).toContain(state.status)
      return state
    },
    { timeout: 20_000, interval: 200 },
  )
}

async function allClients(org: TestOrg): Promise<Row[]> {
  return (await (await api(org, 'GET', '/api/v1/clients?limit=200')).json<{ items: Row[] }>()).items
}

/** How many imports the organization's object holds. */
function importsHeld(org: TestOrg): Promise<number> {
  const stub = orgStub(env, org.organizationId) as unknown as DurableObjectStub<OrgObject>
  return runInDurableObject(
    stub,
    (_, state) => state.storage.sql.exec<{ n: number }>('select count(*) as n from client_imports').one().n,
  )
}

describe('the headers of the CRMs businesses switch from', () => {
  it('reads a Jobber client export: service address before billing, the company as the name of a business client', () => {
    const csv =
      'Client ID,Title,First Name,Last Name,Company Name,Display Name,E-mail,Main Phone,Mobile Phone,Home Phone,' +
      'Service Street,Service Street 2,Service City,Service State,Service Zip,Billing Street 1,Billing City,Billing State,Billing Zip,Tags,Lead Source\n' +
      'J-77,,,,Acme Property Mgmt,Acme Property Mgmt,office@acme.example,,(512) 555-0140,,' +
      '12 Oak St,Suite 4,Austin,TX,78701,PO Box 9,Austin,TX,78702,"commercial, monthly",Google\n'
    const { columns, ignored } = mapHeader(parseCsv(csv).header)
    expect(columns).toMatchObject({
      external_id: [0],
      first_name: [2],
      last_name: [3],
      name: [5, 4],
      email: [6],
      phone: [8, 7, 9],
      address1: [10, 15],
      address2: [11],
      city: [12, 16],
      state: [13, 17],
      postal: [14, 18],
      tags: [19],
    })
    expect(ignored).toEqual(['Title', 'Lead Source'])
    expect(firstRow(csv)).toEqual({
      ok: true,
      client: {
        first_name: 'Acme Property',
        last_name: 'Mgmt',
        email: 'office@acme.example',
        phone: '+15125550140',
        tags: ['commercial', 'monthly'],
        address: {
          address1: '12 Oak St',
          address2: 'Suite 4',
          city: 'Austin',
          state: 'TX',
          postal: '78701',
          country: 'US',
        },
        external_id: 'J-77',
      },
    })
  })

  it('reads a Housecall Pro customer export: its Street line rather than the whole Address, mobile before home', () => {
    const csv =
      'Customer,First Name,Last Name,Email,Company,Mobile Phone,Home Phone,Customer Tags,Address,Street,Street Line 2,City,State,Zip\n' +
      'Ann Lee,Ann,Lee,ANN@Example.com,,,(303) 555-0150,vip,"1 Elm St, Denver, CO 80202",1 Elm St,,Denver,CO,80202\n'
    const { columns } = mapHeader(parseCsv(csv).header)
    expect(columns).toMatchObject({ name: [0, 4], phone: [5, 6], address1: [9, 8], tags: [7], postal: [13] })
    expect(firstRow(csv)).toEqual({
      ok: true,
      client: {
        first_name: 'Ann',
        last_name: 'Lee',
        email: 'ann@example.com',
        phone: '+13035550150',
        tags: ['vip'],
        address: { address1: '1 Elm St', city: 'Denver', state: 'CO', postal: '80202', country: 'US' },
      },
    })
  })

  it('reads a ServiceTitan customer export: "last, first" names and the service location’s address', () => {
    const csv =
      'Customer Id,Customer Name,Customer Type,Phone Number,Email Address,Location Street,Location Unit,Location City,Location State,Location Zip,' +
      'Customer Street,Customer City,Customer State,Customer Zip\n' +
      '4410,"Diaz, Carla",Residential,602.555.0160,carla@example.com,9 Palm Dr,Apt 2,Phoenix,AZ,85004,PO Box 1,Tempe,AZ,85281\n'
    const { columns, ignored } = mapHeader(parseCsv(csv).header)
    expect(columns).toMatchObject({ external_id: [0], name: [1], phone: [3], email: [4], address1: [5, 10] })
    expect(ignored).toEqual(['Customer Type'])
    expect(firstRow(csv)).toMatchObject({
      ok: true,
      client: {
        first_name: 'Carla',
        last_name: 'Diaz',
        phone: '+16025550160',
        address: { address1: '9 Palm Dr', address2: 'Apt 2', city: 'Phoenix', state: 'AZ', postal: '85004' },
        external_id: '4410',
      },
    })
  })

  it('imports a Jobber export whose "Service Street" rows all failed before', { timeout: 30_000 }, async () => {
    const org = await createOrg()
    const u = unique()
    const [a, b] = [nextLine(), nextLine()]
    const state = await importCsv(
      org,
      'Client Name,E-mail,Mobile Phone,Service Street,Service City,Service State,Service Zip\n' +
        `Gus Green,gus-${u}@example.com,(512) 555-${a},4 Pine Rd,Austin,TX,78704\n` +
        `Hana Hill,hana-${u}@example.com,(512) 555-${b},5 Pine Rd,Austin,TX,78704\n`,
    )
    expect(state).toMatchObject({ status: 'done', done: 2, failed: 0, created: 2, errors: [] })
    const gus = (await allClients(org)).find((c) => c.first_name === 'Gus')!
    const card = await (await api(org, 'GET', `/api/v1/clients/${gus.org_client_id}`)).json<{ addresses: unknown[] }>()
    expect(card.addresses).toMatchObject([{ address1: '4 Pine Rd', city: 'Austin', state: 'TX', postal: '78704' }])
  })
})

describe('a row with a bad field', { timeout: 30_000 }, () => {
  it('keeps its other fields and reports the field; a row with nothing usable is skipped and reported', async () => {
    const org = await createOrg()
    const u = unique()
    const [a, b] = [nextLine(), nextLine()]
    const state = await importCsv(
      org,
      'Name,Email,Phone,Street,City,State,Zip,Status\n' +
        `Ivy Irwin,ivy-at-example,(720) 555-${a},,,,,\n` +
        `Jon Jones,jon-${u}@example.com,(720) 555-${b},7 Birch Ln,Boulder,,,gold\n` +
        ',not-an-email,12,,,,,\n',
    )
    expect(state).toMatchObject({ status: 'done', total: 3, done: 2, failed: 1, created: 2, imported_with_problems: 2 })
    expect(state.errors).toEqual([
      {
        row: 1,
        fields: ['email'],
        imported: true,
        message: 'Email "ivy-at-example" is not a valid email address; left out, the rest of the row was imported',
      },
      {
        row: 2,
        fields: ['status', 'address1'],
        imported: true,
        message:
          'Status "gold" is not one of lead, active, inactive; address is missing state, postal; left out, the rest of the row was imported',
      },
      {
        row: 3,
        fields: ['name', 'email', 'phone'],
        imported: false,
        message:
          'Name is missing; email "not-an-email" is not a valid email address; phone "12" is not a valid phone number; nothing left to import: no name, email or phone',
      },
    ])
    const clients = await allClients(org)
    expect(clients).toHaveLength(2)
    expect(clients.find((c) => c.first_name === 'Ivy')).toMatchObject({
      last_name: 'Irwin',
      primary_email: null,
      primary_phone_e164: `+1720555${a}`,
    })
    const jon = clients.find((c) => c.first_name === 'Jon')!
    expect(jon).toMatchObject({ primary_email: `jon-${u}@example.com`, status: 'active' })
    const card = await (await api(org, 'GET', `/api/v1/clients/${jon.org_client_id}`)).json<{ addresses: unknown[] }>()
    expect(card.addresses).toEqual([])

    // Importing the same file again adds nobody and reports the same rows.
    const again = await importCsv(
      org,
      'Name,Email,Phone,Street,City,State,Zip,Status\n' +
        `Ivy Irwin,ivy-at-example,(720) 555-${a},,,,,\n` +
        `Jon Jones,jon-${u}@example.com,(720) 555-${b},7 Birch Ln,Boulder,,,gold\n` +
        ',not-an-email,12,,,,,\n',
    )
    expect(again).toMatchObject({ done: 2, failed: 1, created: 0 })
    expect(await allClients(org)).toHaveLength(2)
  })
})

describe('the mapping step', { timeout: 30_000 }, () => {
  async function signedIn() {
    const org = await createOrg()
    const staff = new Staff()
    await staff.post('/login', { email: org.email, password: org.password })
    return { org, staff, csrf: await staff.csrfToken() }
  }

  function post(staff: Staff, fields: Record<string, string | File>, headers: Record<string, string> = {}) {
    const form = new FormData()
    for (const [k, v] of Object.entries(fields)) form.append(k, v)
    return SELF.fetch(`${BASE}/app/clients/import`, {
      method: 'POST',
      headers: { origin: BASE, cookie: staff.cookie, ...headers },
      body: form,
      redirect: 'manual',
    })
  }

  it('shows each column with its field and the first 5 rows as they will be imported, writes nothing until confirmed, then imports as mapped', async () => {
    const { org, staff, csrf } = await signedIn()
    const u = unique()
    const rows = Array.from({ length: 7 }, (_, i) => `Owner ${i},o${i}-${u}@example.com,Maple ${i}`)
    // "Homeowner" is no header we know: the step lets staff say it is the name.
    const csv = `Homeowner,Email Address,Favourite tree\n${rows.join('\n')}\nNobody,bad@,\n`
    const file = new File([csv], 'clients.csv', { type: 'text/csv' })

    const step = await post(staff, { _csrf: csrf, step: 'map', file })
    expect(step.status).toBe(422)
    const page = await step.text()
    expect(page).toContain('Pick the column that holds the client’s name (or first name).')
    expect(page).toMatch(/<select id="column-0" name="column_0"><option value="" selected="">Leave out/)
    expect(page).toMatch(/<select id="column-1" name="column_1">[\s\S]*?<option value="email" selected="">Email</)
    expect(page).toContain('8 rows in the file')
    expect(page).toMatch(/name="csv" value="Homeowner,Email Address,Favourite tree/)
    expect(await allClients(org)).toEqual([])
    expect(await importsHeld(org)).toBe(0)

    // Staff map "Homeowner" to the full name: the preview shows the first five rows as they will be imported.
    const mapped = await post(
      staff,
      { _csrf: csrf, csv, column_0: 'name', column_1: 'email', column_2: '' },
      { 'hx-request': 'true' },
    )
    expect(mapped.status).toBe(200)
    const preview = await mapped.text()
    expect(preview).not.toContain('<html')
    expect(preview.match(/<tr data-row="/g)).toHaveLength(5)
    expect(preview).toMatch(
      /<tr data-row="1"><td data-label="Row">1<\/td><td data-label="Client">Owner 0<\/td><td data-label="Email">o0-/,
    )
    expect(preview).toContain('Import 8 rows')
    expect(await allClients(org)).toEqual([])
    expect(await importsHeld(org)).toBe(0)

    // Only the Import button imports, with the columns as mapped.
    const started = await post(staff, {
      _csrf: csrf,
      csv,
      column_0: 'name',
      column_1: 'email',
      column_2: '',
      step: 'import',
    })
    expect(started.status).toBe(303)
    const importId = started.headers.get('location')!.split('/').pop()!
    const state = await waitFor(org, importId)
    expect(state).toMatchObject({ done: 8, failed: 0, created: 8, imported_with_problems: 1 })
    expect(state.errors).toMatchObject([{ row: 8, fields: ['email'], imported: true }])
    const clients = await allClients(org)
    expect(clients.find((c) => c.first_name === 'Owner' && c.last_name === '3')).toMatchObject({
      primary_email: `o3-${u}@example.com`,
    })
    expect(clients.some((c) => c.first_name === 'Maple')).toBe(false)
  })

  it('refuses a mapped import without the CSRF token, and keeps another business’s import from a stranger (404)', async () => {
    const { org, staff, csrf } = await signedIn()
    const forged = await post(staff, { csv: 'name\nMallory\n', column_0: 'name', step: 'import' })
    expect(forged.status).toBe(403)
    expect(await importsHeld(org)).toBe(0)

    const started = await post(staff, { _csrf: csrf, csv: 'name\nQuinn\n', column_0: 'name', step: 'import' })
    const path = started.headers.get('location')!
    await waitFor(org, path.split('/').pop()!)
    const stranger = await signedIn()
    expect((await stranger.staff.get(path)).status).toBe(404)
    expect((await stranger.staff.get(`${path}/progress`)).status).toBe(404)
    expect(await allClients(stranger.org)).toEqual([])
  })

  it('previews through the API without writing anything', async () => {
    const org = await createOrg()
    const res = await SELF.fetch(`${BASE}/api/v1/clients/import?preview=true`, {
      method: 'POST',
      headers: { authorization: `Bearer ${org.apiKey}`, 'content-type': 'text/csv' },
      body: 'Display Name,E-mail,Home Phone\nKim Kay,kim@,(212) 555-0170\n',
    })
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({
      total: 1,
      problem: null,
      columns: [
        { index: 0, header: 'Display Name', field: 'name', samples: ['Kim Kay'] },
        { index: 1, header: 'E-mail', field: 'email', samples: ['kim@'] },
        { index: 2, header: 'Home Phone', field: 'phone', samples: ['(212) 555-0170'] },
      ],
      rows: [
        {
          row: 1,
          client: { first_name: 'Kim', last_name: 'Kay', phone: '+12125550170', tags: [] },
          problems: [{ field: 'email', message: 'email "kim@" is not a valid email address' }],
          skipped: null,
        },
      ],
    })
    expect(await importsHeld(org)).toBe(0)
    expect(await allClients(org)).toEqual([])
  })
})
