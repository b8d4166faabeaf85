// Over 300 lines on purpose: the import's columns, errors, limits and queue share postCsv(), importCsv() and waitForImport().
import { env, SELF } from 'cloudflare:test'
import { describe, expect, it, vi } from 'vitest'
import { orgStub } from '../src/organizations'
import { handleEvent } from '../src/queues/events'
import type { ImportRowsMessage } from '../src/queues/messages'
import { Staff } from './helpers/browserless'
import { api, BASE, createClient, createOrg, unique, type TestOrg } from './helpers/factories'
import { cardsOf } from '../src/clients/remote'

type ImportState = {
  import_id: string
  status: string
  total: number
  done: number
  failed: number
  created: number
  errors: Array<{ row: number; message: string; fields?: string[]; imported?: boolean }>
  started_at: string | null
  finished_at: string | null
}
type Row = {
  org_client_id: string
  person_id: string
  first_name: string
  last_name: string | null
  primary_email: string | null
  primary_phone_e164: string | null
  status: string
  tags: string[]
}

// Imports finish in the background: real queue delivery takes about a second per hop.
/** Seven-digit US line numbers unique within this file's run, so no two tests share a phone. */
let line = 1000 + Math.floor(Math.random() * 5000)
const nextLine = () => String(line++).padStart(4, '0')

function postCsv(org: TestOrg, body: string, type = 'text/csv; charset=utf-8') {
  return SELF.fetch(`${BASE}/api/v1/clients/import`, {
    method: 'POST',
    headers: { authorization: `Bearer ${org.apiKey}`, 'content-type': type },
    body,
  })
}

/** Uploads a file and waits for the background import to end. */
async function importCsv(org: TestOrg, csv: string): Promise<ImportState> {
  const res = await postCsv(org, csv)
  expect(res.status).toBe(202)
  const { import_id } = await res.json<{ import_id: string }>()
  return waitForImport(org, import_id)
}

async function waitForImport(org: TestOrg, id: string): Promise<ImportState> {
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

describe('POST /api/v1/clients/import', { timeout: 30_000 }, () => {
  it('imports a messy file with normalized contacts, leaving out and reporting each bad field by row', async () => {
    const org = await createOrg()
    const u = unique()
    const [l1, l2, l3, l4, l5] = [nextLine(), nextLine(), nextLine(), nextLine(), nextLine()]
    const csv =
      '\uFEFFFull Name,E-mail,Mobile,Street,City,State,Zip,Tags,Status,Notes\r\n' +
      `"Smith, Jane", Jane.Smith-${u}@Example.COM ,(415) 555-${l1},"12 Oak St, Apt 4",San Francisco,CA,94110,"vip; weekly",Lead,"Gate code 12\r\nDog is friendly"\r\n` +
      `Bob Jones,bob-${u}@example.com,415.555.${l2},,,,,,active,\r\n` +
      '\r\n' +
      `Carla Diaz,,+1 415 555 ${l3},,,,,spring,,\r\n` +
      `Dan Bad,dan-${u}@@example,415555${l4},,,,,,,\r\n` +
      `Eve Badphone,eve-${u}@example.com,555-01,,,,,,,\r\n` +
      `,nobody-${u}@example.com,415555${l5},,,,,,,\r\n` +
      ',,,,,,,,,\r\n' +
      `Fay Wong,FAY-${u}@example.com,,,,,,,inactive,\r\n`
    const state = await importCsv(org, csv)

    // Dan keeps his phone without the bad email, Eve her email without the bad phone; the nameless row is reached by its email and phone.
    expect(state).toMatchObject({ status: 'done', total: 7, done: 7, failed: 0, created: 7, imported_with_problems: 3 })
    expect(state.errors.map((e) => [e.row, e.fields, e.imported])).toEqual([
      [4, ['email'], true],
      [5, ['phone'], true],
      [6, ['name'], true],
    ])
    expect(state.errors[0]!.message).toMatch(
      /^Email "dan-.*@@example" is not a valid email address; left out, the rest of the row was imported$/,
    )
    expect(state.errors[1]!.message).toMatch(/^Phone "555-01" is not a valid phone number; left out/)
    expect(state.errors[2]!.message).toMatch(/name is missing/i)

    const clients = await allClients(org)
    const byName = new Map(clients.map((c) => [c.first_name, c]))
    expect([...byName.keys()].sort()).toEqual(['Bob', 'Carla', 'Dan', 'Eve', 'Fay', 'Jane', null])
    expect(byName.get('Dan')).toMatchObject({ primary_email: null, primary_phone_e164: `+1415555${l4}` })
    expect(byName.get('Eve')).toMatchObject({ primary_email: `eve-${u}@example.com`, primary_phone_e164: null })
    expect(byName.get('Jane')).toMatchObject({
      last_name: 'Smith',
      primary_email: `jane.smith-${u}@example.com`,
      primary_phone_e164: `+1415555${l1}`,
      status: 'lead',
      tags: ['vip', 'weekly'],
    })
    expect(byName.get('Bob')).toMatchObject({
      last_name: 'Jones',
      primary_phone_e164: `+1415555${l2}`,
      status: 'active',
    })
    expect(byName.get('Carla')).toMatchObject({
      primary_email: null,
      primary_phone_e164: `+1415555${l3}`,
      tags: ['spring'],
    })
    expect(byName.get('Fay')).toMatchObject({ primary_email: `fay-${u}@example.com`, status: 'inactive' })

    const jane = await (await api(org, 'GET', `/api/v1/clients/${byName.get('Jane')!.org_client_id}`)).json<{
      addresses: unknown[]
      notes: Array<{ text: string }>
      source: string
    }>()
    expect(jane.addresses).toMatchObject([
      { address1: '12 Oak St, Apt 4', city: 'San Francisco', state: 'CA', postal: '94110', country: 'US' },
    ])
    expect(jane.notes[0]!.text).toMatch(/^Gate code 12\r?\nDog is friendly$/)
    expect(jane.source).toBe('import')
  })

  it('creates nothing new when the same file is imported twice', async () => {
    const org = await createOrg()
    const u = unique()
    const csv =
      'first name,last name,email,phone,external id\n' +
      `Gus,Green,gus-${u}@example.com,,\n` +
      `Hana,Hill,,(303) 555-${nextLine()},\n` +
      `Ivan,Ives,IVAN-${u}@example.com,303.555.${nextLine()},\n` +
      'Jo,Nocontact,,,\n' +
      `Kim,Byref,,,K-${u}\n`
    const first = await importCsv(org, csv)
    expect(first).toMatchObject({ status: 'done', total: 5, done: 5, failed: 0, created: 5 })
    const before = (await allClients(org)).map((c) => c.org_client_id).sort()
    const people = await env.PEOPLE.prepare('select count(*) as n from people').first<{ n: number }>()

    const second = await importCsv(org, csv)
    expect(second).toMatchObject({ status: 'done', total: 5, done: 5, failed: 0, created: 0 })
    expect((await allClients(org)).map((c) => c.org_client_id).sort()).toEqual(before)
    expect(await env.PEOPLE.prepare('select count(*) as n from people').first<{ n: number }>()).toEqual(people)
  })

  it('counts a person who is already a client as done and links people other organizations have', async () => {
    const [org, other] = [await createOrg(), await createOrg()]
    const email = `known-${unique()}@example.com`
    const existing = await createClient(org, { first_name: 'Lena', email })
    const elsewhere = await createClient(other, { first_name: 'Milo', email: `milo-${unique()}@example.com` })
    const miloEmail = (
      await (await api(other, 'GET', `/api/v1/clients/${elsewhere.org_client_id}`)).json<{ primary_email: string }>()
    ).primary_email

    const state = await importCsv(org, `name,email\nLena L,${email.toUpperCase()}\nMilo M,${miloEmail}\n`)
    expect(state).toMatchObject({ status: 'done', done: 2, created: 1 })
    const clients = await allClients(org)
    expect(clients).toHaveLength(2)
    expect(clients.find((c) => c.primary_email === email)?.org_client_id).toBe(existing.org_client_id)
    const milo = clients.find((c) => c.primary_email === miloEmail)!
    const link = await env.PEOPLE.prepare('select count(*) as n from person_orgs where person_id = ?')
      .bind(elsewhere.person_id)
      .first<{ n: number }>()
    expect(link?.n).toBe(2)
    expect((await api(org, 'GET', `/api/v1/people/${elsewhere.person_id}`)).status).toBe(200)
    expect(milo.first_name).toBe('Milo')
  })

  it('matches people as upsert_person does, and writes only this business’s cards: the email wins, repeated rows are one client', async () => {
    const [org, other] = [await createOrg(), await createOrg()]
    const [shared, x] = [`shared-${unique()}@example.com`, `x-${unique()}@example.com`]
    const [freeLine, takenLine] = [nextLine(), nextLine()]
    const inOther = await createClient(other, { first_name: 'Nia', email: shared })
    const owner = await createClient(other, { first_name: 'Yara', phone: `(720) 555-${takenLine}` })
    const xClient = await createClient(org, { first_name: 'Xavi', email: x })

    const state = await importCsv(
      org,
      'name,email,phone\n' +
        `Nia N,${shared},(720) 555-${freeLine}\n` +
        `Xavi X,${x},720-555-${takenLine}\n` +
        `Nia Again,${shared.toUpperCase()},\n`,
    )
    expect(state).toMatchObject({ status: 'done', total: 3, done: 3, failed: 0, created: 1 })
    const clients = await allClients(org)
    expect(clients).toHaveLength(2)
    const nia = clients.find((c) => c.primary_email === shared)!
    expect(nia).toMatchObject({ first_name: 'Nia', primary_phone_e164: `+1720555${freeLine}` })
    // The file told this business Xavi's phone: it goes on this business's card, though another person has that number too.
    expect(clients.find((c) => c.primary_email === x)).toMatchObject({
      org_client_id: xClient.org_client_id,
      primary_phone_e164: `+1720555${takenLine}`,
    })
    const yara = await (await api(other, 'GET', `/api/v1/clients/${owner.org_client_id}`)).json<Row>()
    expect(yara.primary_phone_e164).toBe(`+1720555${takenLine}`)
    // The other business's card of Nia is its own: the phone this file gave does not reach it.
    const seen = await (await api(other, 'GET', `/api/v1/clients/${inOther.org_client_id}`)).json<Row>()
    expect(seen.primary_phone_e164).toBeNull()
    expect(nia.person_id).toBe(inOther.person_id)
    // Each value on the card says it came from this import.
    const card = await cardsOf(orgStub(env, org.organizationId)).getPersonCard(nia.person_id)
    expect(card?.provenance[`email:${shared}`]).toMatchObject({ source: 'import' })
    expect(card?.provenance[`phone:+1720555${freeLine}`]).toMatchObject({ source: 'import' })
    expect(card?.provenance['first_name']?.by).toBe(card?.provenance[`email:${shared}`]?.by)
  })

  it('reads national phone numbers in the organization country, or the row country', async () => {
    const org = await createOrg({ country: 'GB' })
    const n = nextLine()
    const state = await importCsv(org, `name,phone,country\nOlly Owen,020 7946 ${n},\nPat Park,(212) 555-${n},us\n`)
    expect(state).toMatchObject({ status: 'done', done: 2 })
    const phones = (await allClients(org)).map((c) => c.primary_phone_e164).sort()
    expect(phones).toEqual([`+1212555${n}`, `+44207946${n}`].sort())
  })

  it.each([
    ['an empty body', '', 'text/csv'],
    ['a JSON content type', 'name\nAnn\n', 'application/json'],
    ['no usable header', 'email,phone\nann@example.com,4155550100\n', 'text/csv'],
    ['a header without rows', 'name,email\n\r\n', 'text/csv'],
    ['an unclosed quote', 'name,email\n"Ann,ann@example.com\n', 'text/csv'],
  ])('rejects %s with 400 invalid_input and writes nothing', async (_why, body, type) => {
    const org = await createOrg()
    const res = await postCsv(org, body, type)
    expect(res.status).toBe(400)
    expect((await res.json<{ error: { code: string } }>()).error.code).toBe('invalid_input')
    expect(await allClients(org)).toHaveLength(0)
  })

  it('refuses a file over 10 MB with 413 and the error envelope', async () => {
    const org = await createOrg()
    const res = await postCsv(org, `name,notes\n${`Ann,${'x'.repeat(1000)}\n`.repeat(10_600)}`)
    expect(res.status).toBe(413)
    expect((await res.json<{ error: { code: string } }>()).error.code).toBe('payload_too_large')
  })
})

describe('GET /api/v1/imports/{id}', { timeout: 30_000 }, () => {
  it("answers 404 for another organization's import and for an unknown id", async () => {
    const [owner, stranger] = [await createOrg(), await createOrg()]
    const res = await postCsv(owner, 'name\nQuinn\n')
    const { import_id } = await res.json<{ import_id: string }>()
    expect(res.headers.get('location')).toBe(`/api/v1/imports/${import_id}`)
    expect((await api(stranger, 'GET', `/api/v1/imports/${import_id}`)).status).toBe(404)
    expect((await api(owner, 'GET', `/api/v1/imports/${crypto.randomUUID()}`)).status).toBe(404)
    expect((await waitForImport(owner, import_id)).status).toBe('done')
  })
})

describe('the events queue', () => {
  it('counts a redelivered batch once', async () => {
    const org = await createOrg()
    const importId = crypto.randomUUID()
    await orgStub(env, org.organizationId).createImport({ id: importId, total: 2, batches: 1 })
    const message: ImportRowsMessage = {
      type: 'import_rows',
      organization_id: org.organizationId,
      import_id: importId,
      seq: 0,
      country: 'US',
      rows: [
        { row: 1, fields: { name: 'Rita Ray', email: `rita-${unique()}@example.com` } },
        { row: 2, fields: { name: 'Sam', email: 'nope' } },
      ],
    }
    await handleEvent(message, env)
    await handleEvent(message, env)
    const state = await (await api(org, 'GET', `/api/v1/imports/${importId}`)).json<ImportState>()
    // Sam comes in without the bad email; the row is reported once, the batch counted once.
    expect(state).toMatchObject({ status: 'done', total: 2, done: 2, failed: 0, created: 2, errors: [{ row: 2 }] })
    expect(await allClients(org)).toHaveLength(2)
  })

  it('retries a failing batch, and on its last delivery fails its rows and ends the import as failed', async () => {
    const org = await createOrg()
    const importId = crypto.randomUUID()
    await orgStub(env, org.organizationId).createImport({ id: importId, total: 1, batches: 1 })
    const message: ImportRowsMessage = {
      type: 'import_rows',
      organization_id: org.organizationId,
      import_id: importId,
      seq: 0,
      country: 'US',
      rows: [{ row: 1, fields: { name: 'Tom Tate', email: `tom-${unique()}@example.com` } }],
    }
    const outage = vi.spyOn(env.PEOPLE, 'batch').mockRejectedValue(new Error('D1 is unavailable'))
    try {
      await expect(handleEvent(message, env, 1)).rejects.toThrow('D1 is unavailable')
      await handleEvent(message, env, 5)
    } finally {
      outage.mockRestore()
    }
    const state = await (await api(org, 'GET', `/api/v1/imports/${importId}`)).json<ImportState>()
    expect(state).toMatchObject({
      status: 'failed',
      done: 0,
      failed: 1,
      errors: [{ row: 1, message: expect.stringMatching(/import the file again/) }],
    })
  })
})

describe('the import page', { timeout: 30_000 }, () => {
  async function signedIn(): Promise<{ staff: Staff; csrf: string }> {
    const staff = new Staff()
    const res = await staff.post('/signup', {
      organization_name: 'Import Co',
      email: `page-${unique()}@example.com`,
      password: 'a long enough password',
    })
    expect(res.status).toBe(303)
    return { staff, csrf: await staff.csrfToken() }
  }

  function upload(staff: Staff, fields: Record<string, string | File>, headers: Record<string, string> = {}) {
    const form = new FormData()
    for (const [k, v] of Object.entries(fields)) form.append(k, v)
    return SELF.fetch(`${BASE}/app/clients/import`, {
      method: 'POST',
      headers: { origin: BASE, cookie: staff.cookie, ...headers },
      body: form,
      redirect: 'manual',
    })
  }

  it('shows a labelled file input', async () => {
    const { staff } = await signedIn()
    const html = await (await staff.get('/app/clients/import')).text()
    expect(html).toContain('<label for="import-file">CSV file</label>')
    expect(html).toMatch(/<input id="import-file" name="file" type="file"/)
    expect(html).toContain('enctype="multipart/form-data"')
  })

  it('staff upload a file and the progress bar polls until the summary with the row errors', async () => {
    const { staff, csrf } = await signedIn()
    const file = new File([`name,email\nTess Tran,tess-${unique()}@example.com\nUma,not-an-email\n`], 'clients.csv', {
      type: 'text/csv',
    })
    const res = await upload(staff, { _csrf: csrf, file }, { 'hx-request': 'true' })
    expect(res.status).toBe(202)
    const html = await res.text()
    const progressUrl = html.match(/hx-get="(\/app\/clients\/import\/[\w-]+\/progress)"/)?.[1]
    expect(progressUrl).toBeDefined()
    expect(html).toContain('hx-trigger="load delay:500ms"')

    const summary = await vi.waitFor(
      async () => {
        const partial = await (await staff.get(progressUrl!, { 'hx-request': 'true' })).text()
        expect(partial).toContain('Import finished')
        return partial
      },
      { timeout: 20_000, interval: 250 },
    )
    expect(summary).not.toContain('hx-get=')
    expect(summary).toContain('2 new clients')
    expect(summary).toMatch(
      /<td data-label="Row">2<\/td><td data-label="What happened">Imported without email<\/td><td data-label="Problem">Email &quot;not-an-email&quot; is not a valid email address; left out/,
    )
    expect(summary).toContain('href="/app/clients"')
  })

  it('sends a browser without htmx to the import page', async () => {
    const { staff, csrf } = await signedIn()
    const res = await upload(staff, { _csrf: csrf, file: new File(['name\nVic\n'], 'c.csv') })
    expect(res.status).toBe(303)
    const location = res.headers.get('location')!
    expect(location).toMatch(/^\/app\/clients\/import\/[\w-]+$/)
    const page = await staff.get(location)
    expect(page.status).toBe(200)
    expect(await page.text()).toContain('id="import-progress"')
  })

  it('gives a file without a name column back with the error beside the field', async () => {
    const { staff, csrf } = await signedIn()
    const res = await upload(
      staff,
      { _csrf: csrf, file: new File(['email\nx@example.com\n'], 'c.csv') },
      { 'hx-request': 'true' },
    )
    expect(res.status).toBe(422)
    expect(await res.text()).toMatch(/class="field has-error"[\s\S]*no usable header/)
  })

  it('refuses an upload without the CSRF token', async () => {
    const { staff } = await signedIn()
    const res = await upload(staff, { file: new File(['name\nWes\n'], 'c.csv') })
    expect(res.status).toBe(403)
  })
})

describe('import rate', () => {
  it('imports 3,000 rows in the background (rate logged)', async () => {
    const org = await createOrg()
    const u = unique()
    const area = 200 + Math.floor(Math.random() * 700)
    const rows = Array.from(
      { length: 3000 },
      (_, i) =>
        `Person ${i},Rate${i},p${i}-${u}@example.com,(646) ${area}-${String(i).padStart(4, '0')},${i} Elm St,Austin,TX,78701,vip;bulk,lead`,
    )
    const state = await importCsv(
      org,
      `first name,last name,email,phone,street,city,state,zip,tags,status\n${rows.join('\n')}\n`,
    )
    expect(state).toMatchObject({ status: 'done', total: 3000, done: 3000, created: 3000 })
    // started_at is stamped when the first run of batches starts, so all 30 batches of 100 ran in between.
    const seconds = (Date.parse(state.finished_at!) - Date.parse(state.started_at!)) / 1000
    console.log(`import rate: 3,000 rows in ${seconds.toFixed(2)} s = ${Math.round(3000 / seconds)} rows/s`)
  }, 60_000)
})
