/**
 * /app/accounts: the list and its search, a new account, the account page's details, contacts
 * (added, made primary, removed), sites (added; one with jobs stays) as plain forms and with htmx;
 * the client page names its account and an invoice says whom it is billed to. Another business's
 * account is not found.
 */
import { describe, expect, it } from 'vitest'
import { Staff } from './helpers/browserless'
import { api, createClient, createOrg, type TestOrg, unique } from './helpers/factories'

const HX = { 'hx-request': 'true' }

async function signedIn(org?: TestOrg) {
  const owner = org ?? (await createOrg())
  const staff = new Staff()
  await staff.post('/login', { email: owner.email, password: owner.password })
  return { org: owner, staff, csrf: await staff.csrfToken() }
}

async function newAccount(org: TestOrg, name: string, extra: Record<string, unknown> = {}) {
  const res = await api(org, 'POST', '/api/v1/accounts', { name, ...extra })
  return (await res.json<{ account_id: string }>()).account_id
}

const contactsOf = async (org: TestOrg, id: string) =>
  (
    await (
      await api(org, 'GET', `/api/v1/accounts/${id}`)
    ).json<{
      contacts: Array<{ contact_id: string; first_name: string; is_primary: boolean; org_client_id?: string }>
    }>()
  ).contacts

describe('the accounts list', () => {
  it('lists accounts by name and narrows the rows as a search is typed', async () => {
    const { org, staff } = await signedIn()
    await newAccount(org, 'Maple Court HOA')
    await newAccount(org, 'Birch Offices')
    const page = await (await staff.get('/app/accounts')).text()
    expect(page).toContain('New account')
    expect(page.indexOf('Birch Offices')).toBeLessThan(page.indexOf('Maple Court HOA'))
    const rows = await staff.get('/app/accounts?q=maple', HX)
    expect(rows.headers.get('vary')).toContain('HX-Request')
    const html = await rows.text()
    expect(html).toContain('Maple Court HOA')
    expect(html).not.toContain('Birch Offices')
    expect(html).not.toContain('<html')
  })
})

describe('a new account', () => {
  it('is made from the plain form and opens its page; a half address comes back with errors beside the fields', async () => {
    const { org, staff, csrf } = await signedIn()
    const bad = await staff.post('/app/accounts', { _csrf: csrf, name: 'Willow HOA', address1: '1 Lake Rd' })
    expect(bad.status).toBe(422)
    const form = await bad.text()
    expect(form).toContain('Enter the city.')
    expect(form).toContain('value="Willow HOA"')
    expect((await (await api(org, 'GET', '/api/v1/accounts')).json<{ items: [] }>()).items).toEqual([])

    const made = await staff.post('/app/accounts', {
      _csrf: csrf,
      name: 'Willow HOA',
      address1: '1 Lake Rd',
      city: 'Oakland',
      state: 'CA',
      postal: '94610',
      tax_id: '12-3456789',
    })
    expect(made.status).toBe(303)
    const url = made.headers.get('location')!
    expect(url).toMatch(/^\/app\/accounts\/[0-9a-f-]+$/)
    const page = await (await staff.get(url)).text()
    expect(page).toContain('data-testid="account-name">Willow HOA<')
    expect(page).toContain('1 Lake Rd, Oakland, CA 94610')
    expect(page).toContain('messages go to')
  })
})

describe('the account page', () => {
  it('adds contacts with htmx, stars the first as primary, moves the star and removes one; a client stays a client', async () => {
    const { org, staff, csrf } = await signedIn()
    const id = await newAccount(org, 'Aspen Property Group')
    const email = `rita-${unique()}@example.com`
    const added = await staff.post(
      `/app/accounts/${id}/contacts`,
      { _csrf: csrf, first_name: 'Rita', last_name: 'Moss', email, role: 'Manager' },
      HX,
    )
    expect(added.status).toBe(200)
    const card = await added.text()
    expect(card).toMatch(/^<section class="card" id="account-contacts"/)
    expect(card).toContain('★ primary')
    expect(card).toContain('Rita Moss')
    expect(card).toContain('hx-target="#account-work"')

    await staff.post(`/app/accounts/${id}/contacts`, { _csrf: csrf, first_name: 'Sam', role: 'Board' }, HX)
    const [rita, sam] = await contactsOf(org, id)
    expect([rita!.first_name, rita!.is_primary, sam!.first_name, sam!.is_primary]).toEqual(['Rita', true, 'Sam', false])

    const moved = await staff.post(`/app/accounts/${id}/contacts/${sam!.contact_id}/primary`, { _csrf: csrf })
    expect(moved.status).toBe(303)
    expect((await contactsOf(org, id)).map((c) => [c.first_name, c.is_primary])).toEqual([
      ['Sam', true],
      ['Rita', false],
    ])

    // The client page names the account.
    const client = await (await staff.get(`/app/clients/${rita!.org_client_id}`)).text()
    expect(client).toContain(`href="/app/accounts/${id}" data-testid="client-account">Aspen Property Group<`)

    const removed = await staff.post(`/app/accounts/${id}/contacts/${rita!.contact_id}/remove`, { _csrf: csrf }, HX)
    expect(await removed.text()).toContain('Contact removed.')
    expect((await api(org, 'GET', `/api/v1/clients/${rita!.org_client_id}`)).status).toBe(200)
    expect(await (await staff.get(`/app/clients/${rita!.org_client_id}`)).text()).not.toContain('client-account')
  })

  it('refuses a client already on another account in place (409), keeping what was typed', async () => {
    const { org, staff, csrf } = await signedIn()
    const first = await newAccount(org, 'First Co')
    const second = await newAccount(org, 'Second Co')
    const email = `tess-${unique()}@example.com`
    const client = await createClient(org, { first_name: 'Tess', email, account_id: first })
    const res = await staff.post(`/app/accounts/${second}/contacts`, { _csrf: csrf, first_name: 'Tess', email }, HX)
    expect(res.status).toBe(409)
    const html = await res.text()
    expect(html).toContain('This client is a contact of another account.')
    expect(html).toContain(`value="${email}"`)
    expect(await contactsOf(org, second)).toEqual([])
    expect((await contactsOf(org, first)).map((c) => c.org_client_id)).toEqual([client.org_client_id])
  })

  it('edits the details in place, adds a site, and keeps a site where a job was booked', async () => {
    const { org, staff, csrf } = await signedIn()
    const id = await newAccount(org, 'Cedar HOA')
    const saved = await staff.post(`/app/accounts/${id}`, { _csrf: csrf, name: 'Cedar Hills HOA', notes: 'Net 30' }, HX)
    const details = await saved.text()
    expect(details).toMatch(/^<section class="card" id="account-details"/)
    expect(details).toContain('Saved.')
    expect(details).toContain('Net 30')

    const added = await staff.post(
      `/app/accounts/${id}/sites`,
      { _csrf: csrf, label: 'Clubhouse', address1: '4 Cedar Ln', city: 'Oakland', state: 'CA', postal: '94611' },
      HX,
    )
    expect(await added.text()).toContain('4 Cedar Ln, Oakland, CA 94611')
    const halfSite = await staff.post(`/app/accounts/${id}/sites`, { _csrf: csrf, address1: '5 Cedar Ln' }, HX)
    expect(halfSite.status).toBe(422)
    expect(await halfSite.text()).toContain('Enter the city.')

    const { sites } = await (await api(org, 'GET', `/api/v1/accounts/${id}`)).json<{
      sites: Array<{ site_id: string }>
    }>()
    const client = await createClient(org, { first_name: 'Uma', email: `uma-${unique()}@example.com`, account_id: id })
    const booked = await api(org, 'POST', '/api/v1/jobs', {
      org_client_id: client.org_client_id,
      site_id: sites[0]!.site_id,
      start_at: '2031-07-01T16:00:00Z',
      notify: false,
    })
    expect(booked.status).toBe(201)
    // The job's page shows where the work is: the site, not the client's own address.
    const { job } = await booked.json<{ job: { id: string } }>()
    expect(await (await staff.get(`/app/jobs/${job.id}`)).text()).toContain('4 Cedar Ln, Oakland, CA 94611')
    const kept = await staff.post(`/app/accounts/${id}/sites/${sites[0]!.site_id}/remove`, { _csrf: csrf }, HX)
    expect(kept.status).toBe(409)
    expect(await kept.text()).toContain('1 job was booked at this site, so it stays.')
    const page = await (await staff.get(`/app/accounts/${id}`)).text()
    expect(page).toContain('at Clubhouse')
  })
})

describe('booking a job at a site', () => {
  it("offers the client's account's sites on the booking form, opened from the site's link, and books the job there", async () => {
    const { org, staff, csrf } = await signedIn()
    const id = await newAccount(org, 'Elm Street Lofts')
    const client = await createClient(org, { first_name: 'Wes', email: `wes-${unique()}@example.com`, account_id: id })
    const site = (
      await (
        await api(org, 'POST', `/api/v1/accounts/${id}/sites`, {
          label: 'Lobby',
          address1: '8 Elm St',
          city: 'Oakland',
          state: 'CA',
          postal: '94612',
        })
      ).json<{ site_id: string }>()
    ).site_id
    const link = `/app/jobs/new?client=${client.org_client_id}&amp;site=${site}`
    expect(await (await staff.get(`/app/accounts/${id}`)).text()).toContain(`href="${link}">Book a job here<`)
    const form = await (await staff.get(link.replace('&amp;', '&'))).text()
    expect(form).toContain(`<option value="${site}" selected="">Lobby · 8 Elm St, Oakland, CA 94612</option>`)
    expect(form).toContain('The client&#39;s own address')

    const booked = await staff.post('/app/jobs', {
      _csrf: csrf,
      client_mode: 'existing',
      org_client_id: client.org_client_id,
      site_id: site,
      start: '2031-08-01T09:00',
    })
    expect(booked.status).toBe(303)
    const { items } = await (await api(org, 'GET', '/api/v1/jobs?limit=5')).json<{
      items: Array<{ site_id?: string }>
    }>()
    expect(items.map((j) => j.site_id)).toEqual([site])
    // Without a client on an account, there is nothing to pick.
    const plain = await createClient(org, { first_name: 'Xan', email: `xan-${unique()}@example.com` })
    expect(await (await staff.get(`/app/jobs/new?client=${plain.org_client_id}`)).text()).not.toContain(
      'name="site_id"',
    )
  })
})

describe('an invoice of an account contact', () => {
  it('says it is billed to the account, on its page and on the printout with the billing address', async () => {
    const { org, staff } = await signedIn()
    const id = await newAccount(org, 'Harbor Offices', {
      billing_address: { address1: '500 Pier St', city: 'Oakland', state: 'CA', postal: '94607' },
    })
    const client = await createClient(org, { first_name: 'Vic', email: `vic-${unique()}@example.com`, account_id: id })
    const res = await api(org, 'POST', '/api/v1/invoices', {
      org_client_id: client.org_client_id,
      total_cents: 12_000,
      due_date: '2031-06-01',
    })
    const invoice = (await res.json<{ invoice: { id: string } }>()).invoice
    const page = await (await staff.get(`/app/invoices/${invoice.id}`)).text()
    expect(page).toContain(
      `Billed to <a href="/app/accounts/${id}">Harbor Offices</a> · 500 Pier St, Oakland, CA 94607`,
    )
    const print = await (await staff.get(`/app/invoices/${invoice.id}/print`)).text()
    expect(print).toContain('data-testid="billed-account">Harbor Offices<')
    expect(print).toContain('<p>500 Pier St</p>')
    expect(print).toContain('Attn: Vic')
  })
})

describe("another business's account", () => {
  it('is not found on its page or any of its forms', async () => {
    const owner = await createOrg()
    const id = await newAccount(owner, 'Hidden HOA')
    await api(owner, 'POST', `/api/v1/accounts/${id}/contacts`, { first_name: 'Quinn' })
    const [contact] = await contactsOf(owner, id)
    const { staff, csrf } = await signedIn()
    expect((await staff.get(`/app/accounts/${id}`)).status).toBe(404)
    for (const path of [
      `/app/accounts/${id}`,
      `/app/accounts/${id}/contacts`,
      `/app/accounts/${id}/contacts/${contact!.contact_id}/primary`,
      `/app/accounts/${id}/contacts/${contact!.contact_id}/remove`,
      `/app/accounts/${id}/sites`,
    ]) {
      const res = await staff.post(path, {
        _csrf: csrf,
        name: 'Taken',
        first_name: 'Spy',
        address1: '1 A St',
        city: 'X',
        state: 'CA',
        postal: '1',
      })
      expect([path, res.status]).toEqual([path, 404])
    }
    expect(await contactsOf(owner, id)).toMatchObject([{ first_name: 'Quinn', is_primary: true }])
  })
})
