/**
 * An account's page adds up its own: the jobs and invoices of its clients (and jobs at its sites),
 * an invoice billed to the account, the open balance and what was paid this year; a third client's
 * work, on no account, never counts, and an invoice stays billed to the account its client was on.
 */
import { describe, expect, it } from 'vitest'
import { api, createClient, createOrg, type TestOrg, unique } from './helpers/factories'

type Rollup = {
  jobs: Array<{ id: string; org_client_id: string; client_name: string }>
  jobs_count: number
  invoices: Array<{ id: string; org_client_id: string; account_id: string | null; balance_cents: number }>
  invoices_count: number
  totals: { open_balance_cents: number; paid_this_year_cents: number }
}

async function job(org: TestOrg, orgClientId: string, startAt: string) {
  const res = await api(org, 'POST', '/api/v1/jobs', { org_client_id: orgClientId, start_at: startAt, notify: false })
  expect(res.status).toBe(201)
  return (await res.json<{ job: { id: string } }>()).job.id
}

async function invoice(org: TestOrg, orgClientId: string, totalCents: number) {
  const res = await api(org, 'POST', '/api/v1/invoices', {
    org_client_id: orgClientId,
    total_cents: totalCents,
    due_date: '2031-06-01',
  })
  expect(res.status).toBe(201)
  return (await res.json<{ invoice: { id: string } }>()).invoice.id
}

const rollup = async (org: TestOrg, id: string) => (await api(org, 'GET', `/api/v1/accounts/${id}`)).json<Rollup>()

describe('GET /api/v1/accounts/{id}', () => {
  it("rolls up two clients' jobs and invoices, not a third client's, with the open balance and this year's payments", async () => {
    const org = await createOrg()
    const account = (
      await (await api(org, 'POST', '/api/v1/accounts', { name: 'Lakeside HOA' })).json<{ account_id: string }>()
    ).account_id
    const ann = await createClient(org, {
      first_name: 'Ann',
      email: `ann-${unique()}@example.com`,
      account_id: account,
    })
    const bo = await createClient(org, { first_name: 'Bo', email: `bo-${unique()}@example.com`, account_id: account })
    const cal = await createClient(org, { first_name: 'Cal', email: `cal-${unique()}@example.com` })

    const annJob = await job(org, ann.org_client_id, '2031-05-01T16:00:00Z')
    const boJob = await job(org, bo.org_client_id, '2031-05-03T16:00:00Z')
    await job(org, cal.org_client_id, '2031-05-04T16:00:00Z')
    const annInvoice = await invoice(org, ann.org_client_id, 10_000)
    const boInvoice = await invoice(org, bo.org_client_id, 25_000)
    await invoice(org, cal.org_client_id, 99_900)
    const paid = await api(org, 'POST', `/api/v1/invoices/${boInvoice}/payments`, { amount_cents: 5_000 })
    expect(paid.status).toBe(201)

    const view = await rollup(org, account)
    expect(view.jobs.map((j) => [j.id, j.client_name])).toEqual([
      [boJob, 'Bo'],
      [annJob, 'Ann'],
    ])
    expect(view.jobs_count).toBe(2)
    expect(view.invoices.map((i) => [i.id, i.account_id, i.balance_cents]).sort()).toEqual(
      [
        [annInvoice, account, 10_000],
        [boInvoice, account, 20_000],
      ].sort(),
    )
    expect(view.invoices_count).toBe(2)
    expect(view.totals).toEqual({ open_balance_cents: 30_000, paid_this_year_cents: 5_000 })
    const listed = await (await api(org, 'GET', '/api/v1/accounts')).json<{ items: Array<Record<string, unknown>> }>()
    expect(listed.items).toMatchObject([{ id: account, contact_count: 2, open_balance_cents: 30_000 }])

    // Bo leaves the account: his jobs go with him, the invoice billed to the account stays on it.
    await api(org, 'PATCH', `/api/v1/clients/${bo.org_client_id}`, { account_id: null })
    const after = await rollup(org, account)
    expect(after.jobs.map((j) => j.id)).toEqual([annJob])
    expect(after.invoices.map((i) => i.id).sort()).toEqual([annInvoice, boInvoice].sort())
  })

  it("counts a client's invoices from before it joined the account, billed to no account", async () => {
    const org = await createOrg()
    const client = await createClient(org, { first_name: 'Dee', email: `dee-${unique()}@example.com` })
    const before = await invoice(org, client.org_client_id, 4_000)
    const account = (
      await (await api(org, 'POST', '/api/v1/accounts', { name: 'Pine Offices' })).json<{ account_id: string }>()
    ).account_id
    await api(org, 'PATCH', `/api/v1/clients/${client.org_client_id}`, { account_id: account })
    const view = await rollup(org, account)
    expect(view.invoices.map((i) => [i.id, i.account_id])).toEqual([[before, null]])
    expect(view.totals.open_balance_cents).toBe(4_000)
  })
})
