// Over 300 lines on purpose: the staff pages' tests share signedIn() and the API shortcuts above them.
import { createExecutionContext, env, waitOnExecutionContext } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import worker from '../src/index'
import { addDays, localDate, zonedTimeToUtc } from '../src/time'
import { Staff } from './helpers/browserless'
import { api, BASE, createClient, createOrg, unique, type TestOrg } from './helpers/factories'

type Job = { id: string; start_at: string; status: string; org_client_id: string; price_cents: number }
type Invoice = { id: string; status: string; total_cents: number; paid_cents: number }

const HX = { 'hx-request': 'true' }

/** A new business with its owner signed in on the pages. */
async function signedIn(overrides: Record<string, unknown> = {}) {
  const org = await createOrg(overrides)
  const staff = new Staff()
  await staff.post('/login', { email: org.email, password: org.password })
  return { org, staff, csrf: await staff.csrfToken() }
}

/** Creates something through the JSON API and returns its body. */
async function created<T>(org: TestOrg, path: string, body: Record<string, unknown>): Promise<T> {
  const res = await api(org, 'POST', path, body)
  if (res.status !== 201) throw new Error(`${path}: ${res.status} ${await res.text()}`)
  return res.json<T>()
}
const bookJob = async (org: TestOrg, body: Record<string, unknown>) =>
  (await created<{ job: Job }>(org, '/api/v1/jobs', body)).job
const makeInvoice = async (org: TestOrg, body: Record<string, unknown>) =>
  (await created<{ invoice: Invoice }>(org, '/api/v1/invoices', body)).invoice
const getJob = async (org: TestOrg, id: string) => (await api(org, 'GET', `/api/v1/jobs/${id}`)).json<Job>()
const getInvoice = async (org: TestOrg, id: string) => (await api(org, 'GET', `/api/v1/invoices/${id}`)).json<Invoice>()
const list = async <T>(org: TestOrg, path: string) => (await (await api(org, 'GET', path)).json<{ items: T[] }>()).items
const countClients = async (org: TestOrg) => (await list(org, '/api/v1/clients')).length

/** The HTML of one day of the schedule. */
function dayOf(html: string, date: string): string {
  const start = html.indexOf(`data-date="${date}"`)
  expect(start).toBeGreaterThan(-1)
  const next = html.indexOf('data-date="', start + 20)
  return html.slice(start, next === -1 ? undefined : next)
}

describe('GET /app (dashboard)', () => {
  it('shows client counts, lifetime value, today’s jobs, open and overdue invoices and the week chart', async () => {
    const { org, staff } = await signedIn({ organization_name: 'Dash Cleaning', timezone: 'America/Chicago' })
    const tz = 'America/Chicago'
    const today = localDate(new Date(), tz)
    const maria = await createClient(org, {
      first_name: 'Maria',
      last_name: 'Lopez',
      email: `m-${unique()}@example.com`,
      status: 'active',
    })
    await createClient(org, { first_name: 'Lee', email: `l-${unique()}@example.com`, status: 'lead' })
    await bookJob(org, {
      org_client_id: maria.org_client_id,
      start_at: zonedTimeToUtc(today, '12:00', tz).toISOString(),
    })
    await makeInvoice(org, { org_client_id: maria.org_client_id, total_cents: 20_000, due_date: addDays(today, 10) })
    await makeInvoice(org, { org_client_id: maria.org_client_id, total_cents: 7_500, due_date: addDays(today, -3) })
    const paid = await makeInvoice(org, {
      org_client_id: maria.org_client_id,
      total_cents: 10_000,
      due_date: addDays(today, 5),
    })
    await api(org, 'POST', `/api/v1/invoices/${paid.id}/payments`, { amount_cents: 10_000 })

    const res = await staff.get('/app')
    expect(res.status).toBe(200)
    const html = await res.text()
    for (const text of ['data-testid="business-name">Dash Cleaning<', 'Signed in as', '(owner)', '<svg'])
      expect(html).toContain(text)
    expect(html).toMatch(/data-testid="tile-clients"[\s\S]*?>2<[\s\S]*?1 active · 1 leads · 0 inactive/)
    expect(html).toMatch(/data-testid="tile-ltv"[\s\S]*?\$100[\s\S]*?\$50 average per client/)
    expect(html).toMatch(/data-testid="tile-open"[\s\S]*?\$275[\s\S]*?2 unpaid/)
    expect(html).toMatch(/data-testid="tile-overdue"[\s\S]*?\$75[\s\S]*?1 past due/)
    expect(html).toMatch(/data-testid="jobs-today"[\s\S]*?12:00 PM[\s\S]*?Maria Lopez/)
    expect(html).toMatch(/Jobs per day: \w+ 1,/)
  })

  it('links every section in the nav, none left as coming soon', async () => {
    const { staff } = await signedIn()
    const html = await (await staff.get('/app')).text()
    const sections = [
      '/app/clients',
      '/app/schedule',
      '/app/invoices',
      '/app/services',
      '/app/journeys',
      '/app/campaigns',
      '/app/reviews',
      '/app/integrations',
      '/app/settings',
    ]
    for (const href of sections) expect(html).toContain(`href="${href}"`)
    expect(html).not.toContain('nav-soon"')
  })
})

describe('GET /app/clients', () => {
  it('lists clients with links to their pages and filters by status and tag', async () => {
    const { org, staff } = await signedIn()
    const ana = await createClient(org, {
      first_name: 'Ana',
      email: `ana-${unique()}@example.com`,
      status: 'active',
      tags: ['weekly'],
    })
    await createClient(org, { first_name: 'Bo', email: `bo-${unique()}@example.com`, status: 'lead' })

    const all = await (await staff.get('/app/clients')).text()
    for (const text of [`href="/app/clients/${ana.org_client_id}"`, '>Bo<', 'href="/app/clients/import"'])
      expect(all).toContain(text)
    const leads = await (await staff.get('/app/clients?status=lead')).text()
    expect(leads).toContain('>Bo<')
    expect(leads).not.toContain('>Ana<')
    const weekly = await (await staff.get('/app/clients?tag=weekly')).text()
    expect(weekly).toContain('>Ana<')
    expect(weekly).not.toContain('>Bo<')
  })

  it('answers live search from htmx with only the rows, found by part of a phone number', async () => {
    const { org, staff } = await signedIn()
    await createClient(org, { first_name: 'Priya', last_name: 'Raman', phone: '(510) 555-0143' })
    await createClient(org, { first_name: 'Tom', phone: '(650) 555-0199' })

    const res = await staff.get('/app/clients?q=555-014', HX)
    expect(res.status).toBe(200)
    expect(res.headers.get('vary')).toContain('HX-Request')
    const html = await res.text()
    expect(html).toMatch(/^<tr/)
    expect(html).toContain('Priya Raman')
    expect(html).not.toContain('Tom')

    const page = await staff.get('/app/clients?q=555-014')
    expect(page.headers.get('vary')).toContain('HX-Request')
    expect(await page.text()).toMatch(/<html[\s\S]*value="555-014"[\s\S]*Priya Raman/)
  })

  it('says so when nothing matches', async () => {
    const { staff } = await signedIn()
    expect(await (await staff.get('/app/clients?q=zzzz', HX)).text()).toContain('No clients match')
  })
})

describe('POST /app/clients (new-client form)', () => {
  it('creates the client and sends htmx to the client page', async () => {
    const { org, staff, csrf } = await signedIn()
    const res = await staff.post(
      '/app/clients',
      {
        _csrf: csrf,
        first_name: 'June',
        last_name: 'Park',
        email: `june-${unique()}@example.com`,
        phone: '(415) 555-0123',
        status: 'lead',
        tags: 'vip, weekly',
        address1: '1 Market St',
        city: 'San Francisco',
        state: 'CA',
        postal: '94105',
        notes: 'Cat inside',
      },
      HX,
    )
    expect(res.status).toBe(201)
    const location = res.headers.get('hx-redirect')!
    expect(location).toMatch(/^\/app\/clients\/[0-9a-f-]{36}$/)
    const client = await (await api(org, 'GET', `/api/v1/clients/${location.split('/').pop()}`)).json<
      Record<string, unknown>
    >()
    expect(client).toMatchObject({
      first_name: 'June',
      status: 'lead',
      tags: ['vip', 'weekly'],
      primary_phone_e164: '+14155550123',
      notes: [{ text: 'Cat inside' }],
    })
  })

  it('answers 422 with the form filled in, errors beside the fields, and writes nothing', async () => {
    const { org, staff, csrf } = await signedIn()
    const res = await staff.post(
      '/app/clients',
      { _csrf: csrf, first_name: ' ', email: 'not-an-email', city: 'Austin', notes: 'Keep me' },
      HX,
    )
    expect(res.status).toBe(422)
    const html = await res.text()
    expect(html).toMatch(/^<form id="new-client"/)
    for (const kept of ['value="not-an-email"', 'value="Austin"', 'Keep me</textarea>']) expect(html).toContain(kept)
    expect(html).toMatch(/id="f-first_name"[^>]*aria-invalid="true"[\s\S]*?id="f-first_name-error">Enter a first name/)
    for (const error of [
      /id="f-email-error">Enter a valid email address/,
      /id="f-address1-error">Enter the street address/,
    ])
      expect(html).toMatch(error)
    expect(await countClients(org)).toBe(0)
  })

  it('refuses an unreadable phone beside the field, as a full page without htmx', async () => {
    const { org, staff, csrf } = await signedIn()
    const res = await staff.post('/app/clients', { _csrf: csrf, first_name: 'Al', phone: '555' })
    expect(res.status).toBe(422)
    const html = await res.text()
    expect(html).toContain('<html')
    expect(html).toMatch(/id="f-phone-error">Enter a phone number with its area code/)
    expect(await countClients(org)).toBe(0)
  })
})

describe('GET /app/clients/{id}', () => {
  it('shows contact details, private details, properties, jobs, invoices and the timeline', async () => {
    const { org, staff } = await signedIn({ timezone: 'America/New_York' })
    const email = `rosa-${unique()}@example.com`
    const rosa = await createClient(org, {
      first_name: 'Rosa',
      last_name: 'Diaz',
      email,
      phone: '(212) 555-0188',
      tags: ['vip'],
      notes: 'Spare key under mat',
      address: { label: 'Home', address1: '9 Elm St', city: 'Brooklyn', state: 'NY', postal: '11201' },
    })
    const job = await bookJob(org, {
      org_client_id: rosa.org_client_id,
      start_at: '2030-05-06T14:00:00Z',
      price_cents: 12_000,
    })
    const invoice = await makeInvoice(org, {
      org_client_id: rosa.org_client_id,
      total_cents: 12_000,
      due_date: '2030-05-20',
    })

    const res = await staff.get(`/app/clients/${rosa.org_client_id}`)
    expect(res.status).toBe(200)
    const html = await res.text()
    const shown = [
      'data-testid="client-name">Rosa Diaz<',
      email,
      '(212) 555-0188',
      '9 Elm St',
      'Spare key under mat',
      `href="/app/jobs/${job.id}"`,
      'Mon, May 6, 10:00 AM',
      `href="/app/invoices/${invoice.id}"`,
    ]
    for (const text of shown) expect(html).toContain(text)
    expect(html).toMatch(/id="timeline"[\s\S]*Job booked for/)
  })

  it('edits status and tags in place and adds a note, each answering with its fragment and the timeline', async () => {
    const { org, staff, csrf } = await signedIn()
    const c = await createClient(org, { first_name: 'Kim', email: `kim-${unique()}@example.com`, status: 'active' })

    const saved = await staff.post(
      `/app/clients/${c.org_client_id}/details`,
      { _csrf: csrf, status: 'inactive', tags: 'moved, ', pricing_tier: 'gold', tax_rate: '8.25' },
      HX,
    )
    expect(saved.status).toBe(200)
    const fragment = await saved.text()
    expect(fragment).toMatch(/^<section class="card" id="client-private">/)
    expect(fragment).toContain('Saved.')
    expect(fragment).toContain('<hx-partial hx-target="#timeline"')
    expect(fragment).toContain('Status changed from active to inactive')
    const client = await (await api(org, 'GET', `/api/v1/clients/${c.org_client_id}`)).json<{
      status: string
      tags: string[]
      settings: { pricing_tier: string; tax_rate: number }
    }>()
    expect(client).toMatchObject({
      status: 'inactive',
      tags: ['moved'],
      settings: { pricing_tier: 'gold', tax_rate: 8.25 },
    })

    const bad = await staff.post(
      `/app/clients/${c.org_client_id}/details`,
      { _csrf: csrf, status: 'vip', tags: '', tax_rate: 'lots' },
      HX,
    )
    expect(bad.status).toBe(422)
    expect(await bad.text()).toContain('Enter a percentage from 0 to 30')

    const noted = await staff.post(
      `/app/clients/${c.org_client_id}/notes`,
      { _csrf: csrf, note: 'Moved to Denver' },
      HX,
    )
    expect(noted.status).toBe(200)
    const notes = await noted.text()
    expect(notes).toMatch(/^<section class="card" id="client-notes">/)
    expect(notes).toContain('Moved to Denver')
    expect((await staff.post(`/app/clients/${c.org_client_id}/notes`, { _csrf: csrf, note: '  ' }, HX)).status).toBe(
      422,
    )

    const plain = await staff.post(`/app/clients/${c.org_client_id}/notes`, { _csrf: csrf, note: 'Without htmx' })
    expect(plain.status).toBe(303)
    expect(plain.headers.get('location')).toBe(`/app/clients/${c.org_client_id}`)
  })

  it("answers 404 for another organization's client, on the page and its forms", async () => {
    const other = await createOrg()
    const theirs = await createClient(other, { first_name: 'Hidden', email: `h-${unique()}@example.com` })
    const { staff, csrf } = await signedIn()
    const page = await staff.get(`/app/clients/${theirs.org_client_id}`)
    expect(page.status).toBe(404)
    expect(await page.text()).not.toContain('Hidden')
    expect(
      (await staff.post(`/app/clients/${theirs.org_client_id}/details`, { _csrf: csrf, status: 'lead', tags: '' }))
        .status,
    ).toBe(404)
    expect((await staff.post(`/app/clients/${theirs.org_client_id}/notes`, { _csrf: csrf, note: 'x' })).status).toBe(
      404,
    )
    const client = await (await api(other, 'GET', `/api/v1/clients/${theirs.org_client_id}`)).json<{
      status: string
      notes: unknown[]
    }>()
    expect(client.status).toBe('active')
    expect(client.notes).toHaveLength(0)
  })
})

describe('GET /app/schedule', () => {
  it("shows the week's jobs on their day in the organization's time zone", async () => {
    const { org, staff } = await signedIn({ timezone: 'America/Los_Angeles' })
    const c = await createClient(org, { first_name: 'Night', last_name: 'Owl', email: `owl-${unique()}@example.com` })
    // 23:30 in Los Angeles on Wednesday is Thursday in UTC.
    await bookJob(org, { org_client_id: c.org_client_id, start_at: '2026-03-05T07:30:00Z' })

    const html = await (await staff.get('/app/schedule?week=2026-03-04')).text()
    expect(html).toContain('Mar 2, 2026 – Mar 8, 2026')
    expect(dayOf(html, '2026-03-04')).toMatch(/11:30 PM[\s\S]*Night Owl/)
    expect(dayOf(html, '2026-03-05')).not.toContain('Night Owl')
    for (const week of ['2026-02-23', '2026-03-09']) expect(html).toContain(`href="/app/schedule?week=${week}"`)
  })
})

describe('POST /app/jobs (new job form)', () => {
  it('books a job for a new client in one form, reading the time in the organization’s zone', async () => {
    const { org, staff, csrf } = await signedIn({ timezone: 'America/Los_Angeles' })
    const res = await staff.post('/app/jobs', {
      _csrf: csrf,
      client_mode: 'new',
      first_name: 'Nina',
      last_name: 'Fox',
      phone: '(415) 555-0177',
      email: '',
      address1: '5 Oak Ave',
      city: 'Oakland',
      state: 'CA',
      postal: '94607',
      start: '2026-03-05T10:00',
      price: '135',
      duration_minutes: '90',
    })
    expect(res.status).toBe(303)
    const location = res.headers.get('location')!
    expect(location).toMatch(/^\/app\/schedule\?week=2026-03-05&booked=/)
    const jobs = await list<Job & { end_at: string }>(org, '/api/v1/jobs')
    expect(jobs).toHaveLength(1)
    expect(jobs[0]).toMatchObject({
      start_at: '2026-03-05T18:00:00.000Z',
      end_at: '2026-03-05T19:30:00.000Z',
      price_cents: 13_500,
    })
    const clients = await list<{ first_name: string; org_client_id: string }>(org, '/api/v1/clients')
    expect(clients.map((c) => c.first_name)).toEqual(['Nina'])
    expect(jobs[0]!.org_client_id).toBe(clients[0]!.org_client_id)

    const week = await (await staff.get(location)).text()
    expect(week).toContain('data-testid="booked"')
    expect(dayOf(week, '2026-03-05')).toMatch(/10:00 AM[\s\S]*Nina Fox/)
  })

  it('books for an existing client from htmx and redirects to the schedule', async () => {
    const { org, staff, csrf } = await signedIn()
    const c = await createClient(org, { first_name: 'Old', email: `old-${unique()}@example.com` })
    const res = await staff.post(
      '/app/jobs',
      { _csrf: csrf, client_mode: 'existing', org_client_id: c.org_client_id, start: '2030-01-07T08:15' },
      HX,
    )
    expect(res.status).toBe(201)
    expect(res.headers.get('hx-redirect')).toMatch(/^\/app\/schedule\?week=2030-01-07&booked=/)
  })

  it('answers 422 with the form filled in when the client or the time is missing', async () => {
    const { org, staff, csrf } = await signedIn()
    const res = await staff.post(
      '/app/jobs',
      { _csrf: csrf, client_mode: 'new', first_name: '', phone: '', notes: 'Bring ladder', start: '' },
      HX,
    )
    expect(res.status).toBe(422)
    const html = await res.text()
    expect(html).toMatch(/^<form id="new-job"/)
    expect(html).toContain('Bring ladder</textarea>')
    for (const error of [
      /id="f-first_name-error">Enter the new client/,
      /id="f-phone-error">Add a phone or an email/,
      /id="f-start-error">Pick a date and a time/,
    ]) {
      expect(html).toMatch(error)
    }
    const existing = await staff.post(
      '/app/jobs',
      { _csrf: csrf, client_mode: 'existing', org_client_id: '', start: '2030-01-07T08:15' },
      HX,
    )
    expect(await existing.text()).toMatch(/id="f-org_client_id-error">Choose a client/)
    expect(await countClients(org)).toBe(0)
    expect(await list(org, '/api/v1/jobs')).toHaveLength(0)
  })
})

describe('job page', () => {
  it('reschedules in the organization’s time zone, then completes the job', async () => {
    const { org, staff, csrf } = await signedIn({ timezone: 'America/Los_Angeles' })
    const c = await createClient(org, { first_name: 'Mo', email: `mo-${unique()}@example.com` })
    const job = await bookJob(org, { org_client_id: c.org_client_id, start_at: '2030-03-01T17:00:00Z' })

    const page = await (await staff.get(`/app/jobs/${job.id}`)).text()
    expect(page).toContain('value="2030-03-01T09:00"')
    const moved = await staff.post(`/app/jobs/${job.id}/reschedule`, { _csrf: csrf, start: '2030-03-12T14:30' }, HX)
    expect(moved.status).toBe(200)
    const panel = await moved.text()
    expect(panel).toMatch(/^<section id="job-panel"[\s\S]*Moved to Tue, Mar 12, 2:30 PM/)
    expect((await getJob(org, job.id)).start_at).toBe('2030-03-12T21:30:00.000Z')

    const done = await staff.post(`/app/jobs/${job.id}/complete`, { _csrf: csrf }, HX)
    expect(await done.text()).toContain('data-testid="job-status">Completed<')
    expect((await getJob(org, job.id)).status).toBe('completed')

    const refused = await staff.post(`/app/jobs/${job.id}/cancel`, { _csrf: csrf }, HX)
    expect(refused.status).toBe(409)
    expect(await refused.text()).toContain('A completed job cannot become cancelled.')
  })

  it('cancels a job without htmx and comes back to its page', async () => {
    const { org, staff, csrf } = await signedIn()
    const c = await createClient(org, { first_name: 'Cy', email: `cy-${unique()}@example.com` })
    const job = await bookJob(org, { org_client_id: c.org_client_id, start_at: '2030-03-01T17:00:00Z' })
    const res = await staff.post(`/app/jobs/${job.id}/cancel`, { _csrf: csrf })
    expect(res.status).toBe(303)
    expect(res.headers.get('location')).toBe(`/app/jobs/${job.id}`)
    expect((await getJob(org, job.id)).status).toBe('cancelled')
    expect(await (await staff.get(`/app/jobs/${job.id}`)).text()).toContain('data-testid="job-status">Cancelled<')
  })

  it("answers 404 for another organization's job and leaves it alone", async () => {
    const other = await createOrg()
    const c = await createClient(other, { first_name: 'Theirs', email: `t-${unique()}@example.com` })
    const job = await bookJob(other, { org_client_id: c.org_client_id, start_at: '2030-03-01T17:00:00Z' })
    const { staff, csrf } = await signedIn()
    expect((await staff.get(`/app/jobs/${job.id}`)).status).toBe(404)
    expect((await staff.post(`/app/jobs/${job.id}/cancel`, { _csrf: csrf })).status).toBe(404)
    expect(
      (await staff.post(`/app/jobs/${job.id}/reschedule`, { _csrf: csrf, start: '2030-03-02T10:00' })).status,
    ).toBe(404)
    expect(await getJob(other, job.id)).toMatchObject({ status: 'scheduled', start_at: '2030-03-01T17:00:00.000Z' })
  })
})

describe('invoices pages', () => {
  it('lists invoices with overdue ones marked and filters them by status', async () => {
    const { org, staff } = await signedIn()
    const c = await createClient(org, { first_name: 'Ivy', email: `ivy-${unique()}@example.com` })
    const late = await makeInvoice(org, { org_client_id: c.org_client_id, total_cents: 9_000, due_date: '2020-01-15' })
    const fine = await makeInvoice(org, { org_client_id: c.org_client_id, total_cents: 4_000, due_date: '2099-01-15' })

    const all = await (await staff.get('/app/invoices')).text()
    expect(all).toMatch(new RegExp(`class="is-overdue" data-invoice-id="${late.id}"`))
    expect(all).toMatch(new RegExp(`<tr data-invoice-id="${fine.id}"`))
    for (const text of ['$90.00', 'Ivy']) expect(all).toContain(text)
    const overdue = await (await staff.get('/app/invoices?status=overdue')).text()
    expect(overdue).toContain(late.id)
    expect(overdue).not.toContain(fine.id)
  })

  it('creates an invoice from dollars, and refuses an amount it cannot read', async () => {
    const { org, staff, csrf } = await signedIn()
    const c = await createClient(org, { first_name: 'Ed', email: `ed-${unique()}@example.com` })
    const res = await staff.post('/app/invoices', {
      _csrf: csrf,
      client_mode: 'existing',
      org_client_id: c.org_client_id,
      amount: '$1,150.5',
      due_date: '2030-02-01',
    })
    expect(res.status).toBe(303)
    const id = res.headers.get('location')!.split('/').pop()!
    expect(await getInvoice(org, id)).toMatchObject({ total_cents: 115_050, status: 'open' })

    const bad = await staff.post(
      '/app/invoices',
      { _csrf: csrf, client_mode: 'existing', org_client_id: c.org_client_id, amount: 'lots', due_date: '' },
      HX,
    )
    expect(bad.status).toBe(422)
    const html = await bad.text()
    expect(html).toMatch(
      /value="lots"[\s\S]*id="f-amount-error">Enter an amount in dollars[\s\S]*id="f-due_date-error">Pick a date/,
    )
  })

  it('records payments on the invoice page until the invoice turns paid', async () => {
    const { org, staff, csrf } = await signedIn()
    const c = await createClient(org, { first_name: 'Pat', email: `pat-${unique()}@example.com` })
    const invoice = await makeInvoice(org, {
      org_client_id: c.org_client_id,
      total_cents: 20_000,
      due_date: '2030-02-01',
    })

    const page = await (await staff.get(`/app/invoices/${invoice.id}`)).text()
    expect(page).toContain('value="200.00"')
    const part = await staff.post(
      `/app/invoices/${invoice.id}/payments`,
      { _csrf: csrf, amount: '50', method: 'cash' },
      HX,
    )
    expect(part.status).toBe(200)
    expect(await part.text()).toMatch(
      /^<section id="invoice-panel"[\s\S]*"invoice-balance">\$150\.00<[\s\S]*"invoice-status">open</,
    )

    const over = await staff.post(
      `/app/invoices/${invoice.id}/payments`,
      { _csrf: csrf, amount: '500', method: 'cash' },
      HX,
    )
    expect(over.status).toBe(422)
    expect(await over.text()).toContain('That is more than the balance of $150.00.')

    const rest = await staff.post(
      `/app/invoices/${invoice.id}/payments`,
      { _csrf: csrf, amount: '150.00', method: 'card' },
      HX,
    )
    const restHtml = await rest.text()
    for (const text of ['data-testid="invoice-status">paid<', 'The invoice is paid in full.'])
      expect(restHtml).toContain(text)
    expect(restHtml).not.toContain('Record a payment')
    expect(await getInvoice(org, invoice.id)).toMatchObject({ status: 'paid', paid_cents: 20_000 })
  })

  it("answers 404 for another organization's invoice and records nothing", async () => {
    const other = await createOrg()
    const c = await createClient(other, { first_name: 'Q', email: `q-${unique()}@example.com` })
    const invoice = await makeInvoice(other, {
      org_client_id: c.org_client_id,
      total_cents: 5_000,
      due_date: '2030-02-01',
    })
    const { staff, csrf } = await signedIn()
    expect((await staff.get(`/app/invoices/${invoice.id}`)).status).toBe(404)
    expect((await staff.post(`/app/invoices/${invoice.id}/payments`, { _csrf: csrf, amount: '50' })).status).toBe(404)
    expect((await getInvoice(other, invoice.id)).paid_cents).toBe(0)
  })
})

describe('services page', () => {
  it('adds a service and lists it with its length and price', async () => {
    const { staff, csrf } = await signedIn()
    const res = await staff.post(
      '/app/services',
      { _csrf: csrf, name: 'Deep clean', duration_minutes: '150', price: '240' },
      HX,
    )
    expect(res.status).toBe(201)
    const html = await res.text()
    expect(html).toMatch(/^<div id="services"/)
    expect(html).toMatch(/Deep clean[\s\S]*2 h 30 min[\s\S]*\$240\.00/)
    expect(await (await staff.get('/app/services')).text()).toContain('Deep clean')

    const bad = await staff.post('/app/services', { _csrf: csrf, name: '', price: 'free' }, HX)
    expect(bad.status).toBe(422)
    expect(await bad.text()).toMatch(
      /id="f-name-error">Name the service[\s\S]*id="f-price-error">Enter an amount in dollars/,
    )
  })
})

describe('GET /app/settings', () => {
  it('warns the owner about a missing signing or encryption key, and says nothing when both are set', async () => {
    const { staff } = await signedIn()
    expect(await (await staff.get('/app/settings')).text()).not.toContain('data-testid="missing-settings"')
    const req = new Request(`${BASE}/app/settings`, { headers: { cookie: staff.cookie } })
    const ctx = createExecutionContext()
    const res = await worker.fetch(
      req as Parameters<typeof worker.fetch>[0],
      { ...env, PORTAL_SIGNING_KEY: undefined, ENCRYPTION_KEY: undefined },
      ctx,
    )
    await waitOnExecutionContext(ctx)
    const html = await res.text()
    expect(html).toContain('data-testid="missing-settings"')
    expect(html).toContain(
      '<code>PORTAL_SIGNING_KEY</code> is not set: journeys, campaigns, review requests and portal links cannot be sent.',
    )
    expect(html).toContain('<code>ENCRYPTION_KEY</code> is not set')
  })
})
