// Over 300 lines on purpose: a job's line items through the API, the job page's editor and the invoices made from them share these helpers.
import { describe, expect, it } from 'vitest'
import { Staff } from './helpers/browserless'
import { api, createClient, createOrg, type TestOrg, unique } from './helpers/factories'

type Line = {
  id: string
  description: string
  quantity: number
  unit_price_cents: number
  service_id: string | null
  taxable: boolean
}
type Lines = { items: Line[]; subtotal_cents: number }
type Issue = { path: string; message: string }

const HX = { 'hx-request': 'true' }

async function service(org: TestOrg, name: string, price: number) {
  return (await (await api(org, 'POST', '/api/v1/services', { name, price_cents: price })).json<{ id: string }>()).id
}

/** A business with a client and a job booked at $140. */
async function booked(org?: TestOrg) {
  const o = org ?? (await createOrg())
  const client = await createClient(o, { first_name: 'Lin', email: `lin-${unique()}@example.com` })
  const res = await api(o, 'POST', '/api/v1/jobs', {
    org_client_id: client.org_client_id,
    start_at: '2031-03-04T15:00:00Z',
    price_cents: 14_000,
  })
  expect(res.status).toBe(201)
  return { org: o, clientId: client.org_client_id, jobId: (await res.json<{ job: { id: string } }>()).job.id }
}

const linesOf = async (org: TestOrg, jobId: string) =>
  (await api(org, 'GET', `/api/v1/jobs/${jobId}/line-items`)).json<Lines>()
const put = (org: TestOrg, jobId: string, items: unknown) =>
  api(org, 'PUT', `/api/v1/jobs/${jobId}/line-items`, { items })

/** A signed-in owner of the business. */
async function staffOf(org: TestOrg) {
  const staff = new Staff()
  await staff.post('/login', { email: org.email, password: org.password })
  return { staff, csrf: await staff.csrfToken() }
}

describe('GET and PUT /api/v1/jobs/{id}/line-items', () => {
  it('replaces the lines in order, keeps service and taxable, and rounds the subtotal half up once', async () => {
    const { org, jobId } = await booked()
    const deep = await service(org, 'Deep clean', 26_000)
    expect(await linesOf(org, jobId)).toEqual({ items: [], subtotal_cents: 0 })

    const res = await put(org, jobId, [
      { description: 'Deep clean', quantity: 1, unit_price_cents: 26_000, service_id: deep },
      // 1.5 × 333 = 499.5 and 0.5 × 1 = 0.5: rounded per line they make 501, rounded once 500.
      { description: 'Oven', quantity: 1.5, unit_price_cents: 333, taxable: false },
      { description: 'Extra bag', quantity: 0.5, unit_price_cents: 1 },
    ])
    expect(res.status).toBe(200)
    const saved = await res.json<Lines>()
    expect(saved.subtotal_cents).toBe(26_000 + 500)
    expect(saved.items.map(({ id, ...l }) => l)).toEqual([
      { description: 'Deep clean', quantity: 1, unit_price_cents: 26_000, service_id: deep, taxable: true },
      { description: 'Oven', quantity: 1.5, unit_price_cents: 333, service_id: null, taxable: false },
      { description: 'Extra bag', quantity: 0.5, unit_price_cents: 1, service_id: null, taxable: true },
    ])
    expect(await linesOf(org, jobId)).toEqual(saved)

    // A second PUT replaces every line; DELETE clears them.
    await put(org, jobId, [{ description: 'Windows', quantity: 12, unit_price_cents: 450 }])
    expect(await linesOf(org, jobId)).toMatchObject({ items: [{ description: 'Windows' }], subtotal_cents: 5_400 })
    expect(await (await api(org, 'DELETE', `/api/v1/jobs/${jobId}/line-items`)).json()).toEqual({
      items: [],
      subtotal_cents: 0,
    })
  })

  it('refuses bad lines with 400 naming the field, and writes nothing', async () => {
    const { org, jobId } = await booked()
    await put(org, jobId, [{ description: 'Kept', quantity: 1, unit_price_cents: 100 }])
    const cases: Array<[unknown, string]> = [
      [[], 'items'],
      [Array.from({ length: 101 }, () => ({ description: 'x', quantity: 1, unit_price_cents: 1 })), 'items'],
      [[{ description: '', quantity: 1, unit_price_cents: 1 }], 'items.0.description'],
      [[{ description: 'x'.repeat(201), quantity: 1, unit_price_cents: 1 }], 'items.0.description'],
      [[{ description: 'ok', quantity: 0, unit_price_cents: 1 }], 'items.0.quantity'],
      [[{ description: 'ok', quantity: 10_001, unit_price_cents: 1 }], 'items.0.quantity'],
      [[{ description: 'ok', quantity: 1, unit_price_cents: -1 }], 'items.0.unit_price_cents'],
      [[{ description: 'ok', quantity: 1, unit_price_cents: 10_000_001 }], 'items.0.unit_price_cents'],
      [[{ description: 'ok', quantity: 1, unit_price_cents: 1.5 }], 'items.0.unit_price_cents'],
      [
        [
          { description: 'ok', quantity: 1, unit_price_cents: 1 },
          { description: 'bad', quantity: '2', unit_price_cents: 1 },
        ],
        'items.1.quantity',
      ],
    ]
    for (const [items, path] of cases) {
      const res = await put(org, jobId, items)
      expect(res.status, path).toBe(400)
      const { error } = await res.json<{ error: { code: string; issues: Issue[] } }>()
      expect(error.code).toBe('invalid_input')
      expect(error.issues.map((i) => i.path)).toContain(path)
    }
    expect((await linesOf(org, jobId)).items.map((l) => l.description)).toEqual(['Kept'])
  })

  it("answers 404 for another business's job or service, and changes nothing", async () => {
    const mine = await booked()
    const theirs = await booked()
    const theirService = await service(theirs.org, 'Theirs', 9_900)
    await put(theirs.org, theirs.jobId, [{ description: 'Their line', quantity: 1, unit_price_cents: 500 }])

    expect((await api(mine.org, 'GET', `/api/v1/jobs/${theirs.jobId}/line-items`)).status).toBe(404)
    const replaced = await put(mine.org, theirs.jobId, [{ description: 'Mine', quantity: 1, unit_price_cents: 1 }])
    expect(replaced.status).toBe(404)
    expect((await api(mine.org, 'DELETE', `/api/v1/jobs/${theirs.jobId}/line-items`)).status).toBe(404)
    expect((await linesOf(theirs.org, theirs.jobId)).items.map((l) => l.description)).toEqual(['Their line'])

    const foreign = await put(mine.org, mine.jobId, [
      { description: 'Borrowed', quantity: 1, unit_price_cents: 100, service_id: theirService },
    ])
    expect(foreign.status).toBe(404)
    expect((await foreign.json<{ error: { message: string } }>()).error.message).toBe('No such service.')
    expect((await linesOf(mine.org, mine.jobId)).items).toEqual([])
  })

  it("keeps a completed job's lines editable and refuses a cancelled job's (409)", async () => {
    const { org, jobId } = await booked()
    await api(org, 'PATCH', `/api/v1/jobs/${jobId}`, { status: 'completed' })
    expect((await put(org, jobId, [{ description: 'Done', quantity: 1, unit_price_cents: 100 }])).status).toBe(200)
    const other = await booked(org)
    await api(org, 'PATCH', `/api/v1/jobs/${other.jobId}`, { status: 'cancelled' })
    expect((await put(org, other.jobId, [{ description: 'No', quantity: 1, unit_price_cents: 100 }])).status).toBe(409)
    expect((await linesOf(org, other.jobId)).items).toEqual([])
  })
})

describe('POST /api/v1/invoices for a job without total_cents', () => {
  it("totals the job's lines, else its booked price; without a job the total is still required", async () => {
    const { org, clientId, jobId } = await booked()
    await put(org, jobId, [
      { description: 'Standard clean', quantity: 1, unit_price_cents: 14_000 },
      { description: 'Fridge', quantity: 2, unit_price_cents: 2_250 },
    ])
    const fromLines = await api(org, 'POST', '/api/v1/invoices', {
      org_client_id: clientId,
      job_id: jobId,
      due_date: '2031-04-01',
    })
    expect(fromLines.status).toBe(201)
    expect((await fromLines.json<{ invoice: { total_cents: number } }>()).invoice.total_cents).toBe(18_500)

    const bare = await booked(org)
    const fromPrice = await api(org, 'POST', '/api/v1/invoices', {
      org_client_id: bare.clientId,
      job_id: bare.jobId,
      due_date: '2031-04-01',
    })
    expect((await fromPrice.json<{ invoice: { total_cents: number } }>()).invoice.total_cents).toBe(14_000)

    // A total given wins, as before.
    const given = await api(org, 'POST', '/api/v1/invoices', {
      org_client_id: clientId,
      job_id: jobId,
      total_cents: 100,
      due_date: '2031-04-01',
    })
    expect((await given.json<{ invoice: { total_cents: number } }>()).invoice.total_cents).toBe(100)

    const noJob = await api(org, 'POST', '/api/v1/invoices', { org_client_id: clientId, due_date: '2031-04-01' })
    expect(noJob.status).toBe(400)
    expect((await noJob.json<{ error: { issues: Issue[] } }>()).error.issues.map((i) => i.path)).toEqual([
      'total_cents',
    ])
  })

  it("does not total another business's job", async () => {
    const mine = await booked()
    const theirs = await booked()
    await put(theirs.org, theirs.jobId, [{ description: 'Theirs', quantity: 1, unit_price_cents: 9_999 }])
    const res = await api(mine.org, 'POST', '/api/v1/invoices', {
      org_client_id: mine.clientId,
      job_id: theirs.jobId,
      due_date: '2031-04-01',
    })
    expect(res.status).toBe(404)
    expect(await (await api(mine.org, 'GET', '/api/v1/invoices')).json()).toEqual({ items: [] })
  })
})

describe('the line-items editor on the job page', () => {
  it('adds a service and a line, removes one, and saves without JavaScript', async () => {
    const { org, jobId } = await booked()
    const deep = await service(org, 'Deep clean', 26_000)
    const { staff, csrf } = await staffOf(org)
    const page = await (await staff.get(`/app/jobs/${jobId}`)).text()
    expect(page).toContain('id="job-lines"')
    expect(page).toContain('No lines yet.')

    // "Add service" fills a row from the service, unsaved.
    const added = await staff.post(`/app/jobs/${jobId}/lines`, {
      _csrf: csrf,
      rows: '0',
      add_service_id: deep,
      do: 'add_service',
    })
    expect(added.status).toBe(200)
    const withService = await added.text()
    expect(withService).toContain('name="line_description_0" value="Deep clean"')
    expect(withService).toContain('name="line_price_0" value="260.00"')
    expect(withService).toContain(`name="line_service_0" value="${deep}"`)
    expect(withService).toContain('Not saved yet.')
    expect((await linesOf(org, jobId)).items).toEqual([])

    const row = (i: number, description: string, quantity: string, price: string, service = '') => ({
      [`line_description_${i}`]: description,
      [`line_quantity_${i}`]: quantity,
      [`line_price_${i}`]: price,
      [`line_service_${i}`]: service,
      [`line_taxable_${i}`]: '1',
    })
    const three = { _csrf: csrf, rows: '3', ...row(0, 'Deep clean', '1', '260.00', deep), ...row(1, 'Oops', '1', '5') }
    Object.assign(three, row(2, 'Fridge', '2', '$22.50'))
    const removed = await (await staff.post(`/app/jobs/${jobId}/lines`, { ...three, do: 'remove_1' })).text()
    expect(removed).not.toContain('Oops')
    expect(removed).toContain('name="line_description_1" value="Fridge"')

    const saved = await staff.post(`/app/jobs/${jobId}/lines`, {
      _csrf: csrf,
      rows: '2',
      ...row(0, 'Deep clean', '1', '260.00', deep),
      ...row(1, 'Fridge', '2', '$22.50'),
      do: 'save',
    })
    expect(saved.status).toBe(303)
    expect(saved.headers.get('location')).toBe(`/app/jobs/${jobId}?done=lines#job-lines`)
    expect(await linesOf(org, jobId)).toMatchObject({
      items: [
        { description: 'Deep clean', quantity: 1, unit_price_cents: 26_000, service_id: deep },
        { description: 'Fridge', quantity: 2, unit_price_cents: 2_250, service_id: null },
      ],
      subtotal_cents: 30_500,
    })
    const after = await (await staff.get(`/app/jobs/${jobId}?done=lines`)).text()
    expect(after).toContain('Lines saved.')
    expect(after).toMatch(/data-testid="lines-subtotal">\$305\.00</)
    // "Create invoice" starts from the lines: the total filled in is their subtotal.
    expect(after).toContain(`/app/invoices/new?client=`)
    expect(after).toContain(`job=${jobId}&amp;amount=305.00`)
  })

  it('saves with htmx, swapping only the card, and comes back 422 with the row error beside its field', async () => {
    const { org, jobId } = await booked()
    const { staff, csrf } = await staffOf(org)
    const bad = await staff.post(
      `/app/jobs/${jobId}/lines`,
      {
        _csrf: csrf,
        rows: '2',
        line_description_0: 'Windows',
        line_quantity_0: '0',
        line_price_0: '4.50',
        line_description_1: 'Gutters',
        line_quantity_1: '1',
        line_price_1: 'lots',
        do: 'save',
      },
      HX,
    )
    expect(bad.status).toBe(422)
    const card = await bad.text()
    expect(card).toMatch(/^<section id="job-lines"/)
    expect(card).toContain('Enter a quantity more than 0, at most 10,000.')
    expect(card).toContain('Enter an amount in dollars, like 120 or 89.50.')
    expect(card).toContain('name="line_price_1" value="lots"')
    expect((await linesOf(org, jobId)).items).toEqual([])

    const ok = await staff.post(
      `/app/jobs/${jobId}/lines`,
      {
        _csrf: csrf,
        rows: '1',
        line_description_0: 'Windows',
        line_quantity_0: '12',
        line_price_0: '4.50',
        do: 'save',
      },
      HX,
    )
    expect(ok.status).toBe(200)
    const saved = await ok.text()
    expect(saved).toMatch(/^<section id="job-lines"[\s\S]*Lines saved\./)
    expect(saved).toMatch(/data-testid="lines-subtotal">\$54\.00</)
    // Unticked, the line is not taxable.
    expect((await linesOf(org, jobId)).items).toMatchObject([{ quantity: 12, unit_price_cents: 450, taxable: false }])
  })

  it("refuses another business's job (404) and a service id swapped in from another business", async () => {
    const mine = await booked()
    const theirs = await booked()
    const theirService = await service(theirs.org, 'Theirs', 1_000)
    const { staff, csrf } = await staffOf(mine.org)
    const line = { _csrf: csrf, rows: '1', line_description_0: 'x', line_price_0: '1', do: 'save' }
    expect((await staff.post(`/app/jobs/${theirs.jobId}/lines`, line)).status).toBe(404)
    expect((await linesOf(theirs.org, theirs.jobId)).items).toEqual([])

    const swapped = await staff.post(`/app/jobs/${mine.jobId}/lines`, { ...line, line_service_0: theirService }, HX)
    expect(swapped.status).toBe(422)
    expect(await swapped.text()).toContain('A service on these lines is not one of yours.')
    const added = await staff.post(
      `/app/jobs/${mine.jobId}/lines`,
      { _csrf: csrf, rows: '0', add_service_id: theirService, do: 'add_service' },
      HX,
    )
    expect(added.status).toBe(422)
    expect((await linesOf(mine.org, mine.jobId)).items).toEqual([])
  })
})
