/**
 * The estimate pages: the list with status filters and totals, a new estimate with lines typed or
 * from services (totals recomputed by each button and as typed), the estimate's page with send,
 * the approval, "Book as job" and the homeowner's view, and the client page's Estimates card.
 */
import { describe, expect, it } from 'vitest'
import { Staff } from './helpers/browserless'
import { api, createOrg, type TestOrg } from './helpers/factories'
import { draftEstimate, estimateOf, homeowner, sentEstimate } from './helpers/estimates'
import { orgWithClient } from './helpers/messaging'

const HX = { 'hx-request': 'true' }

/** A signed-in owner of the business, and their CSRF token. */
async function staffOf(org: TestOrg) {
  const staff = new Staff()
  await staff.post('/login', { email: org.email, password: org.password })
  return { staff, csrf: await staff.csrfToken() }
}

/** The form fields of typed rows, as the page posts them. */
function rowFields(rows: Array<{ description: string; quantity?: string; price: string; taxable?: boolean }>) {
  const fields: Record<string, string> = { rows: String(rows.length) }
  rows.forEach((r, i) => {
    fields[`line_description_${i}`] = r.description
    fields[`line_quantity_${i}`] = r.quantity ?? '1'
    fields[`line_price_${i}`] = r.price
    if (r.taxable !== false) fields[`line_taxable_${i}`] = '1'
  })
  return fields
}

describe('the new-estimate page', () => {
  it('recomputes the totals from the typed lines at the client’s rate, and creates the estimate', async () => {
    const { org, client } = await orgWithClient()
    await api(org, 'PATCH', '/api/v1/organization', { default_tax_rate: 10 })
    const { id: serviceId } = await (
      await api(org, 'POST', '/api/v1/services', { name: 'Window washing', price_cents: 12_000 })
    ).json<{ id: string }>()
    const { staff, csrf } = await staffOf(org)

    const form = await staff.get(`/app/estimates/new?org_client_id=${client.org_client_id}`)
    expect(form.status).toBe(200)
    const blank = await form.text()
    expect(blank).toContain('Window washing')
    expect(blank).toMatch(new RegExp(`<option value="${client.org_client_id}" selected`))

    const base = { _csrf: csrf, org_client_id: client.org_client_id, valid_until: '2031-06-30', notes: 'Ground floor' }
    const typed = rowFields([
      { description: 'Screens', quantity: '3', price: '10' },
      { description: 'Haul away', price: '25', taxable: false },
    ])
    // "Add service" adds its row; the totals follow: 30 + 25 + 120 = 175; tax 10 % of 150.
    const added = await staff.post(
      '/app/estimates',
      { ...base, ...typed, do: 'add_service', add_service_id: serviceId },
      HX,
    )
    expect(added.status).toBe(200)
    const html = await added.text()
    expect(html).toContain('value="Window washing"')
    expect(html).toContain('data-testid="estimate-subtotal">$175.00<')
    expect(html).toContain('data-testid="estimate-tax">$15.00<')
    expect(html).toContain('$190.00')

    // htmx asks for the totals alone as the lines are typed.
    const totals = await staff.post('/app/estimates/totals', { ...base, ...typed }, HX)
    expect(await totals.text()).toContain('data-testid="estimate-total"><strong>$58.00</strong>')

    const saved = await staff.post('/app/estimates', { ...base, ...typed, do: 'save' })
    expect(saved.status).toBe(303)
    const id = saved.headers.get('location')!.split('/').pop()!
    expect(await estimateOf(org, id)).toMatchObject({
      status: 'draft',
      org_client_id: client.org_client_id,
      subtotal_cents: 5_500,
      tax_cents: 300,
      total_cents: 5_800,
      valid_until: '2031-06-30',
    })
  })

  it('comes back filled in with each error beside its field, and writes nothing', async () => {
    const { org, client } = await orgWithClient()
    const { staff, csrf } = await staffOf(org)
    const res = await staff.post('/app/estimates', {
      _csrf: csrf,
      org_client_id: client.org_client_id,
      valid_until: '2020-01-01',
      ...rowFields([{ description: 'Screens', price: 'ten' }]),
      do: 'save',
    })
    expect(res.status).toBe(422)
    const html = await res.text()
    expect(html).toContain('value="Screens"')
    expect(html).toContain('Enter an amount in dollars')
    expect(html).toContain('Pick today or a later day.')
    const none = await staff.post('/app/estimates', { _csrf: csrf, valid_until: '2031-06-30', rows: '1', do: 'save' })
    expect(none.status).toBe(422)
    expect(await none.text()).toContain('Choose a client.')
    const list = await (await api(org, 'GET', '/api/v1/estimates')).json<{ items: unknown[] }>()
    expect(list.items).toEqual([])
  })
})

describe('an estimate’s page', () => {
  it('sends by text, shows the homeowner’s link, the approval, and books the work as a job', async () => {
    const { org, client } = await orgWithClient()
    const draft = await draftEstimate(org, { org_client_id: client.org_client_id, valid_until: '2031-06-30' })
    const { staff, csrf } = await staffOf(org)
    const page = await (await staff.get(`/app/estimates/${draft.id}`)).text()
    expect(page).toContain('Deck staining')
    expect(page).toContain('Send by text')
    expect(page).not.toContain('View as homeowner')

    const sent = await staff.post(`/app/estimates/${draft.id}/send`, { _csrf: csrf, channel: 'sms' }, HX)
    expect(sent.status).toBe(200)
    const panel = await sent.text()
    expect(panel).toContain('Estimate sent by text.')
    const { link } = await estimateOf(org, draft.id)
    const full = await (await staff.get(`/app/estimates/${draft.id}`)).text()
    expect(full).toContain(`href="${link}"`)

    const path = new URL(link!).pathname
    await homeowner().post(`${path}/approve`, { name: 'Casey Jones' })
    const approved = await (await staff.get(`/app/estimates/${draft.id}`)).text()
    expect(approved).toContain('Casey Jones')
    expect(approved).toContain('Book as job')

    const booked = await staff.post(`/app/estimates/${draft.id}/job`, {
      _csrf: csrf,
      start: '2031-05-01T09:00',
      duration: '120',
    })
    expect(booked.status).toBe(303)
    const after = await estimateOf(org, draft.id)
    expect(after.job_id).toEqual(expect.any(String))
    const job = await (await api(org, 'GET', `/api/v1/jobs/${after.job_id}`)).json<{
      start_at: string
      end_at: string
    }>()
    // 9:00 in Los Angeles (PDT), two hours long.
    expect(job).toMatchObject({ start_at: '2031-05-01T16:00:00.000Z', end_at: '2031-05-01T18:00:00.000Z' })
    const done = await (await staff.get(`/app/estimates/${draft.id}?done=booked`)).text()
    expect(done).toContain(`href="/app/jobs/${after.job_id}"`)
    expect(done).not.toContain('data-testid="book-estimate"')
  })

  it('says why a send did not go, in place', async () => {
    const { org, client } = await orgWithClient({ phone: null })
    const draft = await draftEstimate(org, { org_client_id: client.org_client_id })
    const { staff, csrf } = await staffOf(org)
    const res = await staff.post(`/app/estimates/${draft.id}/send`, { _csrf: csrf, channel: 'sms' }, HX)
    expect(res.status).toBe(409)
    expect(await res.text()).toContain('no mobile number')
    expect((await estimateOf(org, draft.id)).status).toBe('draft')
  })

  it('lists estimates by status with what is out and approved, and the client page lists the client’s', async () => {
    const { org, client, estimate } = await sentEstimate()
    await draftEstimate(org, { org_client_id: client.org_client_id })
    const { staff } = await staffOf(org)
    const all = await (await staff.get('/app/estimates')).text()
    expect(all).toContain('2 shown · $450.00 awaiting an answer · $0.00 approved')
    const sentOnly = await (await staff.get('/app/estimates?status=sent')).text()
    expect(sentOnly).toContain(`data-estimate-id="${estimate.id}"`)
    expect(sentOnly.match(/data-estimate-id=/g)).toHaveLength(1)

    const card = await (await staff.get(`/app/clients/${client.org_client_id}`)).text()
    expect(card).toContain(`hx-get="/app/estimates/for-client/${client.org_client_id}"`)
    expect(card).toContain(`/app/estimates/new?org_client_id=${client.org_client_id}`)
    const rows = await (await staff.get(`/app/estimates/for-client/${client.org_client_id}`, HX)).text()
    expect(rows.match(/href="\/app\/estimates\//g)).toHaveLength(2)
  })

  it("is a 404 for another business's estimate, on every page and action", async () => {
    const { org, client } = await orgWithClient()
    const draft = await draftEstimate(org, { org_client_id: client.org_client_id })
    const stranger = await createOrg()
    const { staff, csrf } = await staffOf(stranger)
    expect((await staff.get(`/app/estimates/${draft.id}`)).status).toBe(404)
    for (const action of ['send', 'job', 'lines', 'delete'])
      expect(
        (await staff.post(`/app/estimates/${draft.id}/${action}`, { _csrf: csrf, start: '2031-05-01T09:00' })).status,
        action,
      ).toBe(404)
    const rows = await (await staff.get(`/app/estimates/for-client/${client.org_client_id}`, HX)).text()
    expect(rows).toContain('No estimates yet.')
    expect((await estimateOf(org, draft.id)).status).toBe('draft')
  })
})
