// Over 300 lines on purpose: every accounts route (accounts, contacts, sites, the clients' and jobs' account fields) with another business's ids on each share these helpers.
/**
 * /api/v1/accounts: commercial accounts, their contacts (one primary, moved in one write, a lead or
 * a client but never both), their sites (a job booked at one; one with jobs stays), the clients
 * API's `account_id`, and another business's ids answered 404 everywhere.
 */
import { describe, expect, it } from 'vitest'
import { api, createClient, createOrg, type TestOrg, unique } from './helpers/factories'

type Contact = {
  contact_id: string
  first_name: string
  last_name: string | null
  email: string | null
  phone: string | null
  role: string | null
  is_primary: boolean
  org_client_id?: string
  lead_id?: string
}
type Site = { site_id: string; label: string | null; address1: string; city: string; country: string }
type Account = {
  id: string
  name: string
  kind: string
  billing_address: Record<string, string> | null
  tax_id: string | null
  contacts: Contact[]
  sites: Site[]
  jobs: Array<{ id: string; org_client_id: string; site_id: string | null }>
  jobs_count: number
  invoices: Array<{ id: string; org_client_id: string }>
  invoices_count: number
  totals: { open_balance_cents: number; paid_this_year_cents: number }
}

const BILLING = {
  address1: '500 Market St',
  address2: 'Suite 200',
  city: 'San Francisco',
  state: 'CA',
  postal: '94105',
}
const SITE = { label: 'Building B', address1: '12 Harbor Way', city: 'Oakland', state: 'CA', postal: '94607' }

async function newAccount(org: TestOrg, name = `Harbor HOA ${unique()}`) {
  const res = await api(org, 'POST', '/api/v1/accounts', { name, kind: 'business', billing_address: BILLING })
  expect(res.status).toBe(201)
  return (await res.json<{ account_id: string }>()).account_id
}

const accountOf = async (org: TestOrg, id: string) => (await api(org, 'GET', `/api/v1/accounts/${id}`)).json<Account>()

async function addContact(org: TestOrg, accountId: string, body: Record<string, unknown>) {
  return api(org, 'POST', `/api/v1/accounts/${accountId}/contacts`, body)
}

async function contactId(org: TestOrg, accountId: string, body: Record<string, unknown>) {
  const res = await addContact(org, accountId, body)
  expect(res.status).toBe(201)
  return (await res.json<{ contact_id: string }>()).contact_id
}

const clientOf = async (org: TestOrg, id: string) =>
  (await api(org, 'GET', `/api/v1/clients/${id}`)).json<{ account_id: string | null; account_name: string | null }>()

describe('POST /api/v1/accounts', () => {
  it('makes an account with its billing address (country from the business) and lists it with contacts and balance', async () => {
    const org = await createOrg()
    const name = `Bayview Property Management ${unique()}`
    const res = await api(org, 'POST', '/api/v1/accounts', {
      name,
      kind: 'business',
      billing_address: BILLING,
      tax_id: '94-1234567',
      notes: 'Net 30',
    })
    expect(res.status).toBe(201)
    const body = await res.json<{ account_id: string; account: Account }>()
    expect(body.account).toMatchObject({
      id: body.account_id,
      name,
      kind: 'business',
      tax_id: '94-1234567',
      billing_address: { ...BILLING, country: 'US' },
    })
    await contactId(org, body.account_id, { first_name: 'Pat', last_name: 'Lee', role: 'Property manager' })

    const list = await (await api(org, 'GET', `/api/v1/accounts?q=${encodeURIComponent('bayview prop')}`)).json<{
      items: Array<Record<string, unknown>>
    }>()
    expect(list.items).toEqual([
      {
        id: body.account_id,
        name,
        kind: 'business',
        contact_count: 1,
        primary_contact: { contact_id: expect.any(String), first_name: 'Pat', last_name: 'Lee' },
        open_balance_cents: 0,
      },
    ])
    expect((await (await api(org, 'GET', '/api/v1/accounts?q=nothing-like-it')).json<{ items: [] }>()).items).toEqual(
      [],
    )
  })

  it('refuses a missing name and another kind with 400, and changes the account with PATCH', async () => {
    const org = await createOrg()
    expect((await api(org, 'POST', '/api/v1/accounts', { kind: 'business' })).status).toBe(400)
    expect((await api(org, 'POST', '/api/v1/accounts', { name: 'X', kind: 'person' })).status).toBe(400)
    const id = await newAccount(org)
    const res = await api(org, 'PATCH', `/api/v1/accounts/${id}`, { name: 'Harbor Point HOA', billing_address: null })
    expect(res.status).toBe(200)
    expect(await res.json()).toMatchObject({ id, name: 'Harbor Point HOA', billing_address: null })
  })
})

describe('account contacts', () => {
  it('makes the first contact the primary, and moves the primary in one write', async () => {
    const org = await createOrg()
    const id = await newAccount(org)
    const first = await contactId(org, id, { first_name: 'Ana', role: 'Board president' })
    const second = await contactId(org, id, { first_name: 'Ben', role: 'Treasurer' })
    let account = await accountOf(org, id)
    expect(account.contacts.map((c) => [c.first_name, c.is_primary])).toEqual([
      ['Ana', true],
      ['Ben', false],
    ])

    const third = await contactId(org, id, { first_name: 'Cy', is_primary: true })
    account = await accountOf(org, id)
    expect(account.contacts.filter((c) => c.is_primary).map((c) => c.contact_id)).toEqual([third])

    const moved = await api(org, 'PATCH', `/api/v1/accounts/${id}/contacts/${second}`, {
      is_primary: true,
      role: 'CFO',
    })
    expect(moved.status).toBe(200)
    expect(await moved.json()).toMatchObject({ contact_id: second, is_primary: true, role: 'CFO' })
    account = await accountOf(org, id)
    expect(account.contacts.map((c) => [c.contact_id, c.is_primary])).toEqual([
      [second, true],
      [first, false],
      [third, false],
    ])
    // The primary is moved, never dropped.
    expect((await api(org, 'PATCH', `/api/v1/accounts/${id}/contacts/${second}`, { is_primary: false })).status).toBe(
      409,
    )
    // Removing the primary hands the flag to the contact added first.
    expect((await api(org, 'DELETE', `/api/v1/accounts/${id}/contacts/${second}`)).status).toBe(200)
    account = await accountOf(org, id)
    expect(account.contacts.map((c) => [c.contact_id, c.is_primary])).toEqual([
      [first, true],
      [third, false],
    ])
  })

  it('links a client, which then names the account, and a removed contact stays a client', async () => {
    const org = await createOrg()
    const id = await newAccount(org, 'Oak Ridge Offices')
    const client = await createClient(org, {
      first_name: 'Dana',
      last_name: 'Ng',
      email: `dana-${unique()}@example.com`,
    })
    const res = await addContact(org, id, { org_client_id: client.org_client_id, role: 'Facilities' })
    expect(res.status).toBe(201)
    const { contact } = await res.json<{ contact: Contact }>()
    expect(contact).toMatchObject({ first_name: 'Dana', last_name: 'Ng', role: 'Facilities', is_primary: true })
    expect(contact.org_client_id).toBe(client.org_client_id)
    expect(contact.lead_id).toBeUndefined()
    expect(await clientOf(org, client.org_client_id)).toMatchObject({
      account_id: id,
      account_name: 'Oak Ridge Offices',
    })
    // Linked again: the same contact, nothing added.
    const again = await addContact(org, id, { org_client_id: client.org_client_id })
    expect(again.status).toBe(200)
    expect((await accountOf(org, id)).contacts).toHaveLength(1)

    expect((await api(org, 'DELETE', `/api/v1/accounts/${id}/contacts/${contact.contact_id}`)).status).toBe(200)
    expect(await clientOf(org, client.org_client_id)).toMatchObject({ account_id: null, account_name: null })
    expect((await api(org, 'GET', `/api/v1/clients/${client.org_client_id}`)).status).toBe(200)
  })

  it('finds or makes the client of a contact given with an email, and renames the card through the contact', async () => {
    const org = await createOrg()
    const id = await newAccount(org)
    const email = `erin-${unique()}@example.com`
    const existing = await createClient(org, { first_name: 'Erin', email })
    const res = await addContact(org, id, { first_name: 'Erin', email: email.toUpperCase(), role: 'Owner' })
    expect(res.status).toBe(201)
    const { contact } = await res.json<{ contact: Contact }>()
    expect(contact).toMatchObject({ org_client_id: existing.org_client_id, email, is_primary: true })

    const made = await addContact(org, id, { first_name: 'Finn', phone: '(415) 555-0188' })
    const finn = (await made.json<{ contact: Contact }>()).contact
    expect(finn).toMatchObject({ first_name: 'Finn', phone: '+14155550188', is_primary: false })
    expect(await clientOf(org, finn.org_client_id!)).toMatchObject({ account_id: id })

    const renamed = await api(org, 'PATCH', `/api/v1/accounts/${id}/contacts/${finn.contact_id}`, {
      first_name: 'Finnegan',
    })
    expect(await renamed.json()).toMatchObject({ first_name: 'Finnegan' })
    expect(await (await api(org, 'GET', `/api/v1/clients/${finn.org_client_id}`)).json()).toMatchObject({
      first_name: 'Finnegan',
    })
  })

  it('keeps a contact on a lead or on a client, never both, and a name alone needs a first name', async () => {
    const org = await createOrg()
    const id = await newAccount(org)
    const client = await createClient(org, { first_name: 'Gus', email: `gus-${unique()}@example.com` })
    const both = await addContact(org, id, { org_client_id: client.org_client_id, lead_id: client.org_client_id })
    expect(both.status).toBe(400)
    expect(JSON.stringify(await both.json())).toContain('lead_id')
    expect((await addContact(org, id, { role: 'Owner' })).status).toBe(400)
    // An id that is no lead of this business.
    expect((await addContact(org, id, { lead_id: client.org_client_id })).status).toBe(404)
    expect((await accountOf(org, id)).contacts).toEqual([])
  })

  it("links a lead, showing the lead's own details; a converted lead is refused (409)", async () => {
    const org = await createOrg()
    const id = await newAccount(org)
    const email = `nia-${unique()}@example.com`
    const lead = await api(org, 'POST', '/api/v1/leads', { first_name: 'Nia', last_name: 'Cole', email })
    expect(lead.status).toBe(201)
    const { lead_id } = await lead.json<{ lead_id: string }>()
    const res = await addContact(org, id, { lead_id, role: 'Board member' })
    expect(res.status).toBe(201)
    const { contact } = await res.json<{ contact: Contact }>()
    expect(contact).toMatchObject({ lead_id, first_name: 'Nia', last_name: 'Cole', email, role: 'Board member' })
    expect(contact.org_client_id).toBeUndefined()
    // Its role changes with its names sent as they are (as the page's form does); a lead's name is the lead's to change.
    const role = await api(org, 'PATCH', `/api/v1/accounts/${id}/contacts/${contact.contact_id}`, {
      first_name: 'Nia',
      last_name: 'Cole',
      role: 'Treasurer',
    })
    expect(await role.json()).toMatchObject({ first_name: 'Nia', role: 'Treasurer' })
    expect(
      (await api(org, 'PATCH', `/api/v1/accounts/${id}/contacts/${contact.contact_id}`, { first_name: 'N' })).status,
    ).toBe(409)

    const other = await api(org, 'POST', '/api/v1/leads', { first_name: 'Oz', email: `oz-${unique()}@example.com` })
    const oz = (await other.json<{ lead_id: string }>()).lead_id
    expect((await api(org, 'POST', `/api/v1/leads/${oz}/convert`)).status).toBe(200)
    expect((await addContact(org, id, { lead_id: oz })).status).toBe(409)
  })

  it('refuses a client already on another account with 409, until PATCH /clients moves it', async () => {
    const org = await createOrg()
    const a = await newAccount(org, 'First Account')
    const b = await newAccount(org, 'Second Account')
    const client = await createClient(org, { first_name: 'Hal', email: `hal-${unique()}@example.com` })
    await contactId(org, a, { org_client_id: client.org_client_id })
    const taken = await addContact(org, b, { org_client_id: client.org_client_id })
    expect(taken.status).toBe(409)
    expect((await accountOf(org, b)).contacts).toEqual([])

    const moved = await api(org, 'PATCH', `/api/v1/clients/${client.org_client_id}`, { account_id: b })
    expect(moved.status).toBe(200)
    expect(await moved.json()).toMatchObject({ account_id: b, account_name: 'Second Account' })
    expect((await accountOf(org, a)).contacts).toEqual([])
    expect((await accountOf(org, b)).contacts.map((c) => [c.org_client_id, c.is_primary])).toEqual([
      [client.org_client_id, true],
    ])
    const off = await api(org, 'PATCH', `/api/v1/clients/${client.org_client_id}`, { account_id: null })
    expect(await off.json()).toMatchObject({ account_id: null })
    expect((await accountOf(org, b)).contacts).toEqual([])
  })

  it('puts a new client on an account with POST /clients account_id, and refuses one on another account with 409', async () => {
    const org = await createOrg()
    const a = await newAccount(org)
    const b = await newAccount(org)
    const email = `ivy-${unique()}@example.com`
    const res = await api(org, 'POST', '/api/v1/clients', { first_name: 'Ivy', email, account_id: a })
    expect(res.status).toBe(201)
    const { org_client_id } = await res.json<{ org_client_id: string }>()
    expect(await clientOf(org, org_client_id)).toMatchObject({ account_id: a })
    expect((await accountOf(org, a)).contacts.map((c) => c.org_client_id)).toEqual([org_client_id])
    expect((await api(org, 'POST', '/api/v1/clients', { first_name: 'Ivy', email, account_id: b })).status).toBe(409)
  })
})

describe('account sites', () => {
  it('adds, changes and lists sites; a job booked at one has the site and no client property; such a site stays', async () => {
    const org = await createOrg()
    const id = await newAccount(org)
    const res = await api(org, 'POST', `/api/v1/accounts/${id}/sites`, SITE)
    expect(res.status).toBe(201)
    const { site_id, site } = await res.json<{ site_id: string; site: Site }>()
    expect(site).toMatchObject({ ...SITE, site_id, country: 'US' })
    const changed = await api(org, 'PATCH', `/api/v1/accounts/${id}/sites/${site_id}`, { label: 'Clubhouse' })
    expect(await changed.json()).toMatchObject({ label: 'Clubhouse', address1: SITE.address1 })

    const client = await createClient(org, {
      first_name: 'Jo',
      email: `jo-${unique()}@example.com`,
      address: { address1: '9 Home Rd', city: 'Oakland', state: 'CA', postal: '94610' },
      account_id: id,
    })
    const booked = await api(org, 'POST', '/api/v1/jobs', {
      org_client_id: client.org_client_id,
      start_at: '2031-05-01T16:00:00Z',
      site_id,
      notify: false,
    })
    expect(booked.status).toBe(201)
    const { job } = await booked.json<{ job: { id: string; site_id: string; address_id: string | null } }>()
    expect(job).toMatchObject({ site_id, address_id: null })
    expect((await accountOf(org, id)).jobs.map((j) => [j.id, j.site_id])).toEqual([[job.id, site_id]])

    const kept = await api(org, 'DELETE', `/api/v1/accounts/${id}/sites/${site_id}`)
    expect(kept.status).toBe(409)
    const spare = await (await api(org, 'POST', `/api/v1/accounts/${id}/sites`, SITE)).json<{ site_id: string }>()
    expect((await api(org, 'DELETE', `/api/v1/accounts/${id}/sites/${spare.site_id}`)).status).toBe(200)
    expect((await accountOf(org, id)).sites.map((s) => s.site_id)).toEqual([site_id])
  })

  it("refuses a job at another account's site (400), at another business's site (404), and for a new client (400)", async () => {
    const org = await createOrg()
    const mine = await newAccount(org)
    const other = await newAccount(org)
    const otherSite = (await (await api(org, 'POST', `/api/v1/accounts/${other}/sites`, SITE)).json<Site>()).site_id
    const client = await createClient(org, {
      first_name: 'Kim',
      email: `kim-${unique()}@example.com`,
      account_id: mine,
    })
    const book = (body: Record<string, unknown>) =>
      api(org, 'POST', '/api/v1/jobs', { start_at: '2031-05-02T16:00:00Z', notify: false, ...body })
    expect((await book({ org_client_id: client.org_client_id, site_id: otherSite })).status).toBe(400)
    expect(
      (await book({ client: { first_name: 'New', email: `new-${unique()}@example.com` }, site_id: otherSite })).status,
    ).toBe(400)

    const stranger = await createOrg()
    const theirs = await newAccount(stranger)
    const theirSite = (await (await api(stranger, 'POST', `/api/v1/accounts/${theirs}/sites`, SITE)).json<Site>())
      .site_id
    expect((await book({ org_client_id: client.org_client_id, site_id: theirSite })).status).toBe(404)
    expect((await api(org, 'GET', '/api/v1/jobs?limit=10')).ok).toBe(true)
    expect((await (await api(org, 'GET', '/api/v1/jobs?limit=10')).json<{ items: [] }>()).items).toEqual([])
  })
})

describe("another business's account", () => {
  it('is not found on any route, and nothing of it changes', async () => {
    const owner = await createOrg()
    const id = await newAccount(owner, 'Private HOA')
    const contact = await contactId(owner, id, { first_name: 'Lou' })
    const site = (await (await api(owner, 'POST', `/api/v1/accounts/${id}/sites`, SITE)).json<Site>()).site_id
    const stranger = await createOrg()
    const strangerClient = await createClient(stranger, { first_name: 'Mo', email: `mo-${unique()}@example.com` })

    const calls: Array<[string, string, unknown?]> = [
      ['GET', `/api/v1/accounts/${id}`],
      ['PATCH', `/api/v1/accounts/${id}`, { name: 'Taken' }],
      ['POST', `/api/v1/accounts/${id}/contacts`, { first_name: 'Spy' }],
      ['POST', `/api/v1/accounts/${id}/contacts`, { first_name: 'Spy', email: `spy-${unique()}@example.com` }],
      ['POST', `/api/v1/accounts/${id}/contacts`, { org_client_id: strangerClient.org_client_id }],
      ['PATCH', `/api/v1/accounts/${id}/contacts/${contact}`, { role: 'Spy' }],
      ['DELETE', `/api/v1/accounts/${id}/contacts/${contact}`],
      ['GET', `/api/v1/accounts/${id}/sites`],
      ['POST', `/api/v1/accounts/${id}/sites`, SITE],
      ['PATCH', `/api/v1/accounts/${id}/sites/${site}`, { label: 'Spy' }],
      ['DELETE', `/api/v1/accounts/${id}/sites/${site}`],
      ['PATCH', `/api/v1/clients/${strangerClient.org_client_id}`, { account_id: id }],
      ['POST', '/api/v1/clients', { first_name: 'Spy', email: `spy2-${unique()}@example.com`, account_id: id }],
    ]
    for (const [method, path, body] of calls) {
      const res = await api(stranger, method, path, body)
      expect([method, path, res.status]).toEqual([method, path, 404])
    }
    // A stranger's client linked to the owner's own account is not found either.
    const linked = await addContact(owner, id, { org_client_id: strangerClient.org_client_id })
    expect(linked.status).toBe(404)
    // The spy's email made no client anywhere.
    expect((await (await api(stranger, 'GET', '/api/v1/clients')).json<{ items: unknown[] }>()).items).toHaveLength(1)
    const account = await accountOf(owner, id)
    expect(account).toMatchObject({ name: 'Private HOA' })
    expect(account.contacts.map((c) => [c.first_name, c.role])).toEqual([['Lou', null]])
    expect(account.sites.map((s) => s.label)).toEqual([SITE.label])
    expect((await api(stranger, 'GET', '/api/v1/accounts')).ok).toBe(true)
    expect((await (await api(stranger, 'GET', '/api/v1/accounts')).json<{ items: [] }>()).items).toEqual([])
  })
})
