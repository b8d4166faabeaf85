// Over 300 lines on purpose: contact changes, reverts and addresses share sharedClient() and the timeline helpers.
import { describe, expect, it } from 'vitest'
import { Staff } from './helpers/browserless'
import { api, createClient, createOrg, unique, type TestOrg } from './helpers/factories'

type Address = {
  id: string
  label?: string
  address1: string
  address2?: string
  city: string
  state: string
  postal: string
  country: string
  is_default?: boolean
  source?: string
  changed_by?: string | null
}
type Client = {
  org_client_id: string
  person_id: string
  first_name: string | null
  last_name: string | null
  primary_email: string | null
  primary_phone_e164: string | null
  status: string
  tags: string[]
  addresses: Address[]
  default_address_id: string | null
  consents: Record<string, boolean>
}
type Item = { id: string; type: string; created_at: string; data: Record<string, unknown> }

const getClient = async (org: TestOrg, id: string) => (await api(org, 'GET', `/api/v1/clients/${id}`)).json<Client>()
const timeline = async (org: TestOrg, id: string) =>
  (await (await api(org, 'GET', `/api/v1/clients/${id}/timeline`)).json<{ items: Item[] }>()).items
const ofType = (items: Item[], type: string) => items.filter((i) => i.type === type)
const issuePaths = async (res: Response) =>
  (await res.json<{ error: { issues: Array<{ path: string }> } }>()).error.issues.map((i) => i.path)
const HOME = { label: 'Home', address1: '9 Elm St', city: 'Brooklyn', state: 'NY', postal: '11201' }

/** The same person as a client of two businesses, found by the same email. */
async function sharedClient() {
  const [a, b] = [await createOrg(), await createOrg()]
  const email = `shared-${unique()}@example.com`
  const inA = await createClient(a, { first_name: 'Dana', last_name: 'Reyes', email, phone: '(415) 555-0100' })
  const inB = await createClient(b, { first_name: 'Dana', last_name: 'Reyes', email, phone: '(415) 555-0100' })
  expect(inB.person_id).toBe(inA.person_id)
  return { a, b, email, inA, inB }
}

describe('PATCH /api/v1/clients/{id} with contact fields', () => {
  it("changes only this business's card and puts the change, with who, on its timeline", async () => {
    const { a, b, email, inA, inB } = await sharedClient()
    const res = await api(a, 'PATCH', `/api/v1/clients/${inA.org_client_id}`, {
      first_name: 'Danielle',
      phone: '(415) 555-0199',
      email: 'DANI@Example.com',
      status: 'lead',
    })
    expect(res.status).toBe(200)
    const changed = await res.json<Client>()
    expect(changed).toMatchObject({
      org_client_id: inA.org_client_id,
      first_name: 'Danielle',
      last_name: 'Reyes',
      primary_phone_e164: '+14155550199',
      primary_email: 'dani@example.com',
      status: 'lead',
      consents: { sms_opt_in: true, email_opt_in: true },
    })
    expect(changed.addresses).toEqual([])

    const theirs = await getClient(b, inB.org_client_id)
    expect(theirs).toMatchObject({
      first_name: 'Dana',
      primary_phone_e164: '+14155550100',
      primary_email: email,
      status: 'active',
    })
    expect(ofType(await timeline(b, inB.org_client_id), 'contact_changed')).toEqual([])

    const changes = ofType(await timeline(a, inA.org_client_id), 'contact_changed')
    expect(changes.map((i) => i.data)).toEqual(
      expect.arrayContaining([
        { field: 'phone', from: '+14155550100', to: '+14155550199', added: true, source: 'api', by: 'api key' },
        { field: 'email', from: email, to: 'dani@example.com', added: true, source: 'api', by: 'api key' },
        { field: 'first_name', from: 'Dana', to: 'Danielle', added: false, source: 'api', by: 'api key' },
      ]),
    )
    // The old values stay on A's card as secondary ones.
    const person = await (await api(a, 'GET', `/api/v1/people/${inA.person_id}`)).json<{
      phones: string[]
      emails: string[]
    }>()
    expect(person.phones).toEqual(['+14155550199', '+14155550100'])
    expect(person.emails).toEqual(['dani@example.com', email])
  })

  it.each([
    ['an unparseable phone', { phone: '555-CALL-NOW', status: 'inactive' }, 'phone'],
    ['a bad email', { email: 'dana@', status: 'inactive' }, 'email'],
    ['a phone too short to exist', { phone: '12', first_name: 'Changed', status: 'inactive' }, 'phone'],
  ])('rejects %s with 400 naming the field and writes nothing, not even the status', async (_why, body, path) => {
    const org = await createOrg()
    const c = await createClient(org, {
      first_name: 'Lou',
      email: `lou-${unique()}@example.com`,
      phone: '(303) 555-0142',
    })
    const before = await getClient(org, c.org_client_id)
    const res = await api(org, 'PATCH', `/api/v1/clients/${c.org_client_id}`, body)
    expect(res.status).toBe(400)
    expect(await issuePaths(res)).toContain(path)
    expect(await getClient(org, c.org_client_id)).toEqual(before)
    expect(ofType(await timeline(org, c.org_client_id), 'contact_changed')).toEqual([])
    expect(ofType(await timeline(org, c.org_client_id), 'status_changed')).toEqual([])
  })

  it("answers 404 for another business's client and changes nothing", async () => {
    const { a, b, inA, inB } = await sharedClient()
    const res = await api(b, 'PATCH', `/api/v1/clients/${inA.org_client_id}`, {
      phone: '(415) 555-0111',
      status: 'inactive',
    })
    expect(res.status).toBe(404)
    expect((await getClient(a, inA.org_client_id)).primary_phone_e164).toBe('+14155550100')
    expect((await getClient(b, inB.org_client_id)).primary_phone_e164).toBe('+14155550100')
    expect((await getClient(a, inA.org_client_id)).status).toBe('active')
  })
})

describe('POST /api/v1/clients/{id}/changes/{event_id}/revert', () => {
  it('puts the old phone back and drops the typo', async () => {
    const org = await createOrg()
    const c = await createClient(org, { first_name: 'Ivy', phone: '(415) 555-0100' })
    await api(org, 'PATCH', `/api/v1/clients/${c.org_client_id}`, { phone: '(415) 555-0919' })
    const [typo] = ofType(await timeline(org, c.org_client_id), 'contact_changed')

    const res = await api(org, 'POST', `/api/v1/clients/${c.org_client_id}/changes/${typo!.id}/revert`)
    expect(res.status).toBe(200)
    expect(await res.json<Client>()).toMatchObject({
      org_client_id: c.org_client_id,
      primary_phone_e164: '+14155550100',
    })
    const person = await (await api(org, 'GET', `/api/v1/people/${c.person_id}`)).json<{ phones: string[] }>()
    expect(person.phones).toEqual(['+14155550100'])
    const [putBack] = ofType(await timeline(org, c.org_client_id), 'contact_changed')
    expect(putBack!.data).toMatchObject({
      field: 'phone',
      from: '+14155550919',
      to: '+14155550100',
      reverts: typo!.id,
      source: 'api',
    })
  })

  it('takes back a first email by removing it', async () => {
    const org = await createOrg()
    const c = await createClient(org, { first_name: 'Ned', phone: '(415) 555-0133' })
    await api(org, 'PATCH', `/api/v1/clients/${c.org_client_id}`, { email: 'ned@exmaple.com' })
    const [typo] = ofType(await timeline(org, c.org_client_id), 'contact_changed')
    const res = await api(org, 'POST', `/api/v1/clients/${c.org_client_id}/changes/${typo!.id}/revert`)
    expect(res.status).toBe(200)
    expect((await res.json<Client>()).primary_email).toBeNull()
    const [removed] = ofType(await timeline(org, c.org_client_id), 'contact_changed')
    expect(removed!.data).toMatchObject({ field: 'email', from: 'ned@exmaple.com', to: null, removed: true })
  })

  it("answers 404 for an unknown event, another client's event and a stranger business's event", async () => {
    const { a, b, inA, inB } = await sharedClient()
    const other = await createClient(a, { first_name: 'Other', email: `o-${unique()}@example.com` })
    await api(a, 'PATCH', `/api/v1/clients/${inA.org_client_id}`, { phone: '(415) 555-0177' })
    const [mine] = ofType(await timeline(a, inA.org_client_id), 'contact_changed')
    await api(b, 'PATCH', `/api/v1/clients/${inB.org_client_id}`, { phone: '(415) 555-0188' })
    const [theirs] = ofType(await timeline(b, inB.org_client_id), 'contact_changed')

    const attempts = [
      api(a, 'POST', `/api/v1/clients/${inA.org_client_id}/changes/${crypto.randomUUID()}/revert`),
      api(a, 'POST', `/api/v1/clients/${other.org_client_id}/changes/${mine!.id}/revert`),
      api(a, 'POST', `/api/v1/clients/${inA.org_client_id}/changes/${theirs!.id}/revert`),
      api(b, 'POST', `/api/v1/clients/${inA.org_client_id}/changes/${mine!.id}/revert`),
    ]
    for (const res of await Promise.all(attempts)) expect(res.status).toBe(404)
    expect((await getClient(a, inA.org_client_id)).primary_phone_e164).toBe('+14155550177')
    expect((await getClient(b, inB.org_client_id)).primary_phone_e164).toBe('+14155550188')
  })
})

describe('/api/v1/clients/{id}/addresses', () => {
  it('adds, edits and removes addresses, keeping one default, each on the timeline', async () => {
    const org = await createOrg()
    const c = await createClient(org, { first_name: 'Ada', email: `ada-${unique()}@example.com` })

    const first = await api(org, 'POST', `/api/v1/clients/${c.org_client_id}/addresses`, HOME)
    expect(first.status).toBe(201)
    const home = (await first.json<{ address_id: string }>()).address_id
    expect((await getClient(org, c.org_client_id)).default_address_id).toBe(home)

    const second = await api(org, 'POST', `/api/v1/clients/${c.org_client_id}/addresses`, {
      label: 'Rental',
      address1: '4 Oak Ave',
      address2: 'Unit B',
      city: 'Queens',
      state: 'NY',
      postal: '11101',
      is_default: true,
    })
    const rental = (await second.json<{ address_id: string }>()).address_id
    let client = await getClient(org, c.org_client_id)
    expect(client.default_address_id).toBe(rental)
    expect(client.addresses.map((a) => a.id)).toEqual([home, rental])
    expect(client.addresses[1]).toMatchObject({ address2: 'Unit B', country: 'US' })

    const edited = await api(org, 'PATCH', `/api/v1/clients/${c.org_client_id}/addresses/${home}`, {
      address1: '11 Elm St',
      address2: null,
      is_default: true,
    })
    expect(edited.status).toBe(200)
    expect(await edited.json<Address>()).toMatchObject({
      id: home,
      address1: '11 Elm St',
      city: 'Brooklyn',
      is_default: true,
      source: 'api',
      changed_by: 'api key',
    })
    expect((await getClient(org, c.org_client_id)).default_address_id).toBe(home)

    const removed = await api(org, 'DELETE', `/api/v1/clients/${c.org_client_id}/addresses/${home}`)
    expect(removed.status).toBe(200)
    expect(await removed.json()).toMatchObject({ deleted: true, default_address_id: rental })
    client = await getClient(org, c.org_client_id)
    expect(client.addresses.map((a) => a.id)).toEqual([rental])
    expect(client.default_address_id).toBe(rental)

    expect((await api(org, 'DELETE', `/api/v1/clients/${c.org_client_id}/addresses/${rental}`)).status).toBe(200)
    client = await getClient(org, c.org_client_id)
    expect(client.addresses).toEqual([])
    expect(client.default_address_id).toBeNull()

    const items = await timeline(org, c.org_client_id)
    expect(ofType(items, 'address_added').map((i) => i.data['address'])).toEqual([
      '4 Oak Ave, Unit B, Queens, NY 11101',
      '9 Elm St, Brooklyn, NY 11201',
    ])
    expect(ofType(items, 'address_changed')[0]!.data).toMatchObject({
      from: '9 Elm St, Brooklyn, NY 11201',
      to: '11 Elm St, Brooklyn, NY 11201',
      made_default: true,
      by: 'api key',
    })
    expect(ofType(items, 'address_removed')).toHaveLength(2)
  })

  it('rejects an address without a city with 400 and adds nothing', async () => {
    const org = await createOrg()
    const c = await createClient(org, { first_name: 'Bea', email: `bea-${unique()}@example.com` })
    const res = await api(org, 'POST', `/api/v1/clients/${c.org_client_id}/addresses`, {
      address1: '1 A St',
      state: 'CA',
      postal: '94110',
    })
    expect(res.status).toBe(400)
    expect(await issuePaths(res)).toContain('city')
    expect((await getClient(org, c.org_client_id)).addresses).toEqual([])
  })

  it('refuses to remove an address a job is still booked at, and allows it once the job is done', async () => {
    const org = await createOrg()
    const c = await createClient(org, { first_name: 'Cy', email: `cy-${unique()}@example.com`, address: HOME })
    const address = (await getClient(org, c.org_client_id)).default_address_id!
    const booked = await (
      await api(org, 'POST', '/api/v1/jobs', { org_client_id: c.org_client_id, start_at: '2030-03-04T15:00:00Z' })
    ).json<{ job: { id: string; address_id: string } }>()
    expect(booked.job.address_id).toBe(address)

    const refused = await api(org, 'DELETE', `/api/v1/clients/${c.org_client_id}/addresses/${address}`)
    expect(refused.status).toBe(409)
    expect((await getClient(org, c.org_client_id)).addresses).toHaveLength(1)

    await api(org, 'PATCH', `/api/v1/jobs/${booked.job.id}`, { status: 'completed' })
    expect((await api(org, 'DELETE', `/api/v1/clients/${c.org_client_id}/addresses/${address}`)).status).toBe(200)
    expect((await api(org, 'GET', `/api/v1/jobs/${booked.job.id}`)).status).toBe(200)
  })

  it("answers 404 for another business's client or address, and for another client's address", async () => {
    const [a, b] = [await createOrg(), await createOrg()]
    const mine = await createClient(a, { first_name: 'Mine', email: `m-${unique()}@example.com`, address: HOME })
    const sibling = await createClient(a, { first_name: 'Sibling', email: `s-${unique()}@example.com` })
    const theirs = await createClient(b, { first_name: 'Theirs', email: `t-${unique()}@example.com` })
    const address = (await getClient(a, mine.org_client_id)).default_address_id!

    const attempts = [
      api(b, 'POST', `/api/v1/clients/${mine.org_client_id}/addresses`, HOME),
      api(b, 'PATCH', `/api/v1/clients/${mine.org_client_id}/addresses/${address}`, { city: 'Hacked' }),
      api(b, 'DELETE', `/api/v1/clients/${mine.org_client_id}/addresses/${address}`),
      api(b, 'PATCH', `/api/v1/clients/${theirs.org_client_id}/addresses/${address}`, { city: 'Hacked' }),
      api(b, 'DELETE', `/api/v1/clients/${theirs.org_client_id}/addresses/${address}`),
      api(a, 'PATCH', `/api/v1/clients/${sibling.org_client_id}/addresses/${address}`, { city: 'Hacked' }),
      api(a, 'DELETE', `/api/v1/clients/${sibling.org_client_id}/addresses/${address}`),
      api(a, 'PATCH', `/api/v1/clients/${mine.org_client_id}/addresses/${crypto.randomUUID()}`, { city: 'Hacked' }),
    ]
    for (const res of await Promise.all(attempts)) {
      expect(res.status).toBe(404)
      expect((await res.json<{ error: { code: string } }>()).error.code).toBe('not_found')
    }
    const client = await getClient(a, mine.org_client_id)
    expect(client.addresses).toMatchObject([{ id: address, city: 'Brooklyn' }])
    expect((await getClient(b, theirs.org_client_id)).addresses).toEqual([])
  })
})

const HX = { 'hx-request': 'true' }

/** A business with its owner signed in on the pages. */
async function signedIn() {
  const org = await createOrg()
  const staff = new Staff()
  await staff.post('/login', { email: org.email, password: org.password })
  return { org, staff, csrf: await staff.csrfToken() }
}

describe('client page: the contact card', () => {
  it('edits the phone in place, shows who changed it, and reverts it from the timeline', async () => {
    const { org, staff, csrf } = await signedIn()
    const c = await createClient(org, { first_name: 'Rosa', last_name: 'Diaz', phone: '(415) 555-0100' })
    const page = await (await staff.get(`/app/clients/${c.org_client_id}`)).text()
    expect(page).toContain(`hx-get="/app/clients/${c.org_client_id}/contact/edit"`)
    expect(page).toMatch(/data-testid="contact-phones"[\s\S]*\(415\) 555-0100[\s\S]*added through the API/)

    const form = await (await staff.get(`/app/clients/${c.org_client_id}/contact/edit`, HX)).text()
    expect(form).toMatch(/^<section class="card" id="client-contact"/)
    expect(form).toContain('value="(415) 555-0100"')

    const bad = await staff.post(
      `/app/clients/${c.org_client_id}/contact`,
      { _csrf: csrf, first_name: 'Rosa', last_name: 'Diaz', email: '', phone: '415 555' },
      HX,
    )
    expect(bad.status).toBe(422)
    const badHtml = await bad.text()
    expect(badHtml).toMatch(/id="contact-phone-error">Enter a phone number with its area code/)
    expect(badHtml).toContain('value="415 555"')
    expect((await getClient(org, c.org_client_id)).primary_phone_e164).toBe('+14155550100')

    const saved = await staff.post(
      `/app/clients/${c.org_client_id}/contact`,
      { _csrf: csrf, first_name: 'Rosa', last_name: 'Diaz', email: '', phone: '(415) 555-0199' },
      HX,
    )
    expect(saved.status).toBe(200)
    const fragment = await saved.text()
    expect(fragment).toMatch(/^<section class="card" id="client-contact"/)
    expect(fragment).toMatch(
      /\(415\) 555-0199[\s\S]*primary[\s\S]*added by owner-[^<]*@example\.com · \w{3} \d+[\s\S]*\(415\) 555-0100/,
    )
    expect(fragment).toContain('<hx-partial hx-target="#timeline"')
    expect(fragment).toContain('<hx-partial hx-target="#client-consent"')
    expect(fragment).toContain(`Phone changed from (415) 555-0100 to (415) 555-0199 by ${org.email}`)
    const [change] = ofType(await timeline(org, c.org_client_id), 'contact_changed')
    expect(fragment).toContain(`action="/app/clients/${c.org_client_id}/changes/${change!.id}/revert"`)

    const reverted = await staff.post(
      `/app/clients/${c.org_client_id}/changes/${change!.id}/revert`,
      { _csrf: csrf },
      HX,
    )
    expect(reverted.status).toBe(200)
    const after = await reverted.text()
    expect(after).toContain('Put back.')
    expect(after).toContain(`Phone put back from (415) 555-0199 to (415) 555-0100 by ${org.email}`)
    expect(after).not.toMatch(/data-testid="contact-phones"[\s\S]*555-0199[\s\S]*data-testid="contact-phones"/)
    const client = await getClient(org, c.org_client_id)
    expect(client.primary_phone_e164).toBe('+14155550100')
    const person = await (await api(org, 'GET', `/api/v1/people/${c.person_id}`)).json<{ phones: string[] }>()
    expect(person.phones).toEqual(['+14155550100'])
  })

  it('refuses a blank first name and a bad email beside their fields, changing nothing', async () => {
    const { org, staff, csrf } = await signedIn()
    const c = await createClient(org, { first_name: 'Kai', email: `kai-${unique()}@example.com` })
    const res = await staff.post(
      `/app/clients/${c.org_client_id}/contact`,
      { _csrf: csrf, first_name: ' ', last_name: 'New', email: 'kai@', phone: '' },
      HX,
    )
    expect(res.status).toBe(422)
    const html = await res.text()
    expect(html).toContain('id="contact-first_name-error"')
    expect(html).toContain('id="contact-email-error"')
    expect((await getClient(org, c.org_client_id)).last_name).toBeNull()
    expect(ofType(await timeline(org, c.org_client_id), 'contact_changed')).toEqual([])
  })

  it("answers 404 for another business's client and its changes", async () => {
    const { a, inA } = await sharedClient()
    await api(a, 'PATCH', `/api/v1/clients/${inA.org_client_id}`, { phone: '(415) 555-0177' })
    const [change] = ofType(await timeline(a, inA.org_client_id), 'contact_changed')
    const { staff, csrf } = await signedIn()
    expect((await staff.get(`/app/clients/${inA.org_client_id}/contact/edit`, HX)).status).toBe(404)
    expect(
      (
        await staff.post(
          `/app/clients/${inA.org_client_id}/contact`,
          { _csrf: csrf, first_name: 'X', phone: '(415) 555-0100' },
          HX,
        )
      ).status,
    ).toBe(404)
    expect(
      (await staff.post(`/app/clients/${inA.org_client_id}/changes/${change!.id}/revert`, { _csrf: csrf }, HX)).status,
    ).toBe(404)
    expect((await getClient(a, inA.org_client_id)).primary_phone_e164).toBe('+14155550177')
  })
})

describe('client page: properties', () => {
  it('adds, edits, makes default and removes addresses in place', async () => {
    const { org, staff, csrf } = await signedIn()
    const c = await createClient(org, { first_name: 'Ada', email: `ada-${unique()}@example.com` })
    const base = `/app/clients/${c.org_client_id}/addresses`

    const bad = await staff.post(
      base,
      { _csrf: csrf, address1: '9 Elm St', city: '', state: 'NY', postal: '11201' },
      HX,
    )
    expect(bad.status).toBe(422)
    expect(await bad.text()).toMatch(
      /^<section class="card" id="client-properties"[\s\S]*<details class="edit" open[\s\S]*Enter the city\./,
    )
    expect((await getClient(org, c.org_client_id)).addresses).toEqual([])

    const added = await staff.post(
      base,
      { _csrf: csrf, label: 'Home', address1: '9 Elm St', city: 'Brooklyn', state: 'NY', postal: '11201' },
      HX,
    )
    expect(added.status).toBe(200)
    expect(await added.text()).toMatch(
      /9 Elm St, Brooklyn, NY 11201[\s\S]*added by owner-[\s\S]*Address added: 9 Elm St, Brooklyn, NY 11201 \(Home\), the default by owner-/,
    )
    await staff.post(
      base,
      { _csrf: csrf, label: 'Rental', address1: '4 Oak Ave', city: 'Queens', state: 'NY', postal: '11101' },
      HX,
    )
    const [home, rental] = (await getClient(org, c.org_client_id)).addresses

    const form = await (await staff.get(`${base}/${home!.id}/edit`, HX)).text()
    expect(form).toContain(`id="addr-${home!.id}-address1"`)
    expect(form).toContain('value="9 Elm St"')
    const edited = await staff.post(
      `${base}/${home!.id}`,
      { _csrf: csrf, label: 'Home', address1: '11 Elm St', city: 'Brooklyn', state: 'NY', postal: '11201' },
      HX,
    )
    expect(await edited.text()).toContain(
      'Address changed from 9 Elm St, Brooklyn, NY 11201 to 11 Elm St, Brooklyn, NY 11201',
    )

    await staff.post(`${base}/${rental!.id}/default`, { _csrf: csrf }, HX)
    expect((await getClient(org, c.org_client_id)).default_address_id).toBe(rental!.id)

    const job = await (
      await api(org, 'POST', '/api/v1/jobs', { org_client_id: c.org_client_id, start_at: '2030-03-04T15:00:00Z' })
    ).json<{ job: { address_id: string } }>()
    expect(job.job.address_id).toBe(rental!.id)
    const refused = await staff.post(`${base}/${rental!.id}/remove`, { _csrf: csrf }, HX)
    expect(refused.status).toBe(409)
    expect(await refused.text()).toContain('A job still to be done is booked at this address')

    const removed = await staff.post(`${base}/${home!.id}/remove`, { _csrf: csrf }, HX)
    expect(removed.status).toBe(200)
    expect(await removed.text()).toContain('Address removed: 11 Elm St, Brooklyn, NY 11201 (Home)')
    expect((await getClient(org, c.org_client_id)).addresses.map((a) => a.id)).toEqual([rental!.id])
  })

  it("answers 404 for another business's address", async () => {
    const other = await createOrg()
    const theirs = await createClient(other, {
      first_name: 'Hidden',
      email: `h-${unique()}@example.com`,
      address: HOME,
    })
    const address = (await getClient(other, theirs.org_client_id)).default_address_id!
    const { staff, csrf } = await signedIn()
    const base = `/app/clients/${theirs.org_client_id}/addresses`
    expect((await staff.get(`${base}/${address}/edit`, HX)).status).toBe(404)
    expect((await staff.post(`${base}/${address}/remove`, { _csrf: csrf }, HX)).status).toBe(404)
    expect(
      (await staff.post(base, { _csrf: csrf, address1: '1 A St', city: 'X', state: 'CA', postal: '94110' }, HX)).status,
    ).toBe(404)
    expect((await getClient(other, theirs.org_client_id)).addresses).toHaveLength(1)
  })
})
