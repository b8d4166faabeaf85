/**
 * /app/services: edit, archive, restore and move with or without htmx; a duplicate name is asked
 * about first; pickers leave archived services out while old jobs keep showing them.
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

async function add(org: TestOrg, name: string, extra: Record<string, unknown> = {}) {
  return (await (await api(org, 'POST', '/api/v1/services', { name, ...extra })).json<{ id: string }>()).id
}

/** The active services' names in the order the page lists them. */
const listed = (html: string) => {
  const active = html.split('data-testid="archived-services"')[0]!
  return [...active.matchAll(/data-service="([^"]+)"/g)].map((m) => m[1])
}
const apiNames = async (org: TestOrg, query = '') =>
  (await (await api(org, 'GET', `/api/v1/services${query}`)).json<{ items: Array<{ name: string }> }>()).items.map(
    (s) => s.name,
  )

describe('adding a service with a name already there', () => {
  it('asks first (422, the form kept), then adds it when "Save it anyway" is ticked', async () => {
    const { org, staff, csrf } = await signedIn()
    await add(org, 'Deep clean')
    const asked = await staff.post('/app/services', { _csrf: csrf, name: 'DEEP  Clean', price: '200' }, HX)
    expect(asked.status).toBe(422)
    const html = await asked.text()
    expect(html).toContain('data-testid="duplicate-warning"')
    expect(html).toContain('You already have “Deep clean”. Save another service with this name?')
    expect(html).toContain('value="DEEP  Clean"')
    expect(await apiNames(org)).toEqual(['Deep clean'])

    const added = await staff.post(
      '/app/services',
      { _csrf: csrf, name: 'DEEP  Clean', price: '200', allow_duplicate: '1' },
      HX,
    )
    expect(added.status).toBe(201)
    expect(await apiNames(org)).toEqual(['Deep clean', 'DEEP  Clean'])
  })

  it('offers to restore an archived service of that name', async () => {
    const { org, staff, csrf } = await signedIn()
    const id = await add(org, 'Gutters')
    await api(org, 'PATCH', `/api/v1/services/${id}`, { active: false })
    const asked = await staff.post('/app/services', { _csrf: csrf, name: 'gutters' }, HX)
    expect(asked.status).toBe(422)
    expect(await asked.text()).toContain('“Gutters” is archived: restore it instead, or save a new one with this name?')
  })
})

describe('editing a service', () => {
  it('opens the row as a form, saves it, and clears an emptied price', async () => {
    const { org, staff, csrf } = await signedIn()
    const id = await add(org, 'Windows', { duration_minutes: 60, price_cents: 9000 })
    const form = await (await staff.get(`/app/services/${id}/edit`, HX)).text()
    expect(form).toMatch(/^<div id="services"/)
    expect(form).toContain(`action="/app/services/${id}"`)
    expect(form).toContain('value="90.00"')

    const saved = await staff.post(
      `/app/services/${id}`,
      { _csrf: csrf, name: 'Window washing', duration_minutes: '90', price: '' },
      HX,
    )
    expect(saved.status).toBe(200)
    expect(await saved.text()).toContain('Saved Window washing.')
    expect((await (await api(org, 'GET', '/api/v1/services')).json<{ items: unknown[] }>()).items[0]).toMatchObject({
      name: 'Window washing',
      duration_minutes: 90,
      price_cents: null,
    })
  })

  it('asks before renaming to a name another service has, and shows errors beside the fields', async () => {
    const { org, staff, csrf } = await signedIn()
    await add(org, 'Lawn mowing')
    const id = await add(org, 'Hedges')
    const asked = await staff.post(`/app/services/${id}`, { _csrf: csrf, name: 'lawn mowing' }, HX)
    expect(asked.status).toBe(422)
    const html = await asked.text()
    expect(html).toContain('You already have “Lawn mowing”.')
    expect(html).toContain('id="edit-allow-duplicate"')
    const bad = await staff.post(`/app/services/${id}`, { _csrf: csrf, name: 'Hedges', price: 'lots' }, HX)
    expect(bad.status).toBe(422)
    expect(await bad.text()).toMatch(/id="edit-price-error">Enter an amount in dollars/)
    expect(await apiNames(org)).toEqual(['Lawn mowing', 'Hedges'])
    // Keeping its own name is no duplicate.
    expect((await staff.post(`/app/services/${id}`, { _csrf: csrf, name: 'hedges' }, HX)).status).toBe(200)
  })

  it('works without JavaScript: the edit page, then back to the list', async () => {
    const { org, staff, csrf } = await signedIn()
    const id = await add(org, 'Carpets')
    const page = await (await staff.get(`/app/services/${id}/edit`)).text()
    expect(page).toContain('<h1>Services</h1>')
    expect(page).toContain('id="edit-name"')
    const res = await staff.post(`/app/services/${id}`, { _csrf: csrf, name: 'Carpet cleaning' })
    expect(res.status).toBe(303)
    expect(res.headers.get('location')).toBe('/app/services')
    expect(await apiNames(org)).toEqual(['Carpet cleaning'])
  })
})

describe('archiving, restoring and moving', () => {
  it('archives and restores from the page, and moves services up and down', async () => {
    const { org, staff, csrf } = await signedIn()
    const [a, b, c] = [await add(org, 'Alpha'), await add(org, 'Bravo'), await add(org, 'Charlie')]
    const moved = await staff.post(`/app/services/${c}/move`, { _csrf: csrf, direction: 'up' }, HX)
    expect(moved.status).toBe(200)
    expect(listed(await moved.text())).toEqual(['Alpha', 'Charlie', 'Bravo'])
    await staff.post(`/app/services/${a}/move`, { _csrf: csrf, direction: 'down' })
    expect(await apiNames(org)).toEqual(['Charlie', 'Alpha', 'Bravo'])

    const archived = await staff.post(`/app/services/${b}/archive`, { _csrf: csrf }, HX)
    const html = await archived.text()
    expect(html).toContain('Archived Bravo. Past jobs and invoices keep it.')
    expect(listed(html)).toEqual(['Charlie', 'Alpha'])
    expect(html).toMatch(/data-testid="archived-services"[\s\S]*Bravo[\s\S]*Restore/)

    const restored = await staff.post(`/app/services/${b}/restore`, { _csrf: csrf })
    expect(restored.status).toBe(303)
    expect(await apiNames(org)).toEqual(['Charlie', 'Alpha', 'Bravo'])
  })

  it("answers 404 for another business's service everywhere, changing nothing", async () => {
    const theirs = await createOrg()
    const id = await add(theirs, 'Theirs')
    const { staff, csrf } = await signedIn()
    expect((await staff.get(`/app/services/${id}/edit`)).status).toBe(404)
    expect((await staff.post(`/app/services/${id}`, { _csrf: csrf, name: 'Mine' })).status).toBe(404)
    expect((await staff.post(`/app/services/${id}/archive`, { _csrf: csrf }, HX)).status).toBe(404)
    expect((await staff.post(`/app/services/${id}/restore`, { _csrf: csrf })).status).toBe(404)
    expect((await staff.post(`/app/services/${id}/move`, { _csrf: csrf, direction: 'up' })).status).toBe(404)
    expect(await apiNames(theirs, '?include_archived=true')).toEqual(['Theirs'])
  })
})

describe('archived services in pickers and on old jobs', () => {
  it('leaves them out of the booking form, keeps them on the job that has one, in the owner order', async () => {
    const { org, staff } = await signedIn()
    await add(org, 'Basic clean')
    const kept = await add(org, 'Zinc roof wash', { price_cents: 50000 })
    const gone = await add(org, 'Accidental duplicate')
    await api(org, 'PATCH', `/api/v1/services/${kept}`, { position: 0 })
    const client = await createClient(org, { first_name: 'Noor', email: `noor-${unique()}@example.com` })
    const booked = await api(org, 'POST', '/api/v1/jobs', {
      org_client_id: client.org_client_id,
      service_id: gone,
      start_at: '2031-06-03T16:00:00Z',
      notify: false,
    })
    const { job } = await booked.json<{ job: { id: string } }>()
    await api(org, 'PATCH', `/api/v1/services/${gone}`, { active: false })

    const booking = await (await staff.get('/app/jobs/new')).text()
    expect(booking.indexOf('Zinc roof wash')).toBeGreaterThan(0)
    expect(booking.indexOf('Zinc roof wash')).toBeLessThan(booking.indexOf('Basic clean'))
    expect(booking).not.toContain('Accidental duplicate')
    const jobPage = await (await staff.get(`/app/jobs/${job.id}`)).text()
    // Still named on its job, and still its choice in the job's own form.
    expect(jobPage).toContain('Accidental duplicate')
    expect(jobPage).toMatch(new RegExp(`<option value="${gone}" selected="">Accidental duplicate`))
    expect(await (await staff.get(`/app/clients/${client.org_client_id}`)).text()).toContain('Accidental duplicate')
  })
})
