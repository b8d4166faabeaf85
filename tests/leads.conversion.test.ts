// Over 300 lines on purpose: conversion by the API, by booking and by approval, with the claims and the history it keeps, share these leads and clients helpers.
/** One-way conversion of a lead to a client: once, never back, no second client, its history readable from the client; booking for a lead; the report. */
import { env, runInDurableObject } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import { orgStub } from '../src/organizations'
import { api, createClient, createOrg, type TestOrg, unique } from './helpers/factories'

type Lead = Record<string, unknown> & {
  id: string
  status_id: string
  is_converted: boolean
  converted_to_client_id: string | null
  conversion_date: string | null
}
type Converted = { org_client_id: string; lead: Lead }
type ErrorBody = { error: { code: string; message: string } }
type Activity = { type: string; summary: string; source: string; lead_id: string | null }

async function addLead(org: TestOrg, body: Record<string, unknown> = {}): Promise<Lead> {
  const res = await api(org, 'POST', '/api/v1/leads', { first_name: 'Dana', last_name: 'Reyes', ...body })
  expect(res.status).toBe(201)
  return (await res.json<{ lead: Lead }>()).lead
}

const convert = (org: TestOrg, id: string) => api(org, 'POST', `/api/v1/leads/${id}/convert`)
const clientsOf = async (org: TestOrg) =>
  (await (await api(org, 'GET', '/api/v1/clients')).json<{ items: Array<{ org_client_id: string; status: string }> }>())
    .items
const email = () => `lead-${unique()}@example.com`

describe('POST /api/v1/leads/{id}/convert', () => {
  it('makes an active client from the lead and marks the lead converted and won', async () => {
    const org = await createOrg()
    const lead = await addLead(org, { email: email(), phone: '(415) 555-0142', status_id: 'ls_contacted' })
    const res = await convert(org, lead.id)
    expect(res.status).toBe(200)
    const { org_client_id, lead: converted } = await res.json<Converted>()
    expect(converted).toMatchObject({
      id: lead.id,
      is_converted: true,
      converted_to_client_id: org_client_id,
      status_id: 'ls_won',
    })
    expect(Date.parse(converted.conversion_date!)).not.toBeNaN()
    const client = await (await api(org, 'GET', `/api/v1/clients/${org_client_id}`)).json<Record<string, unknown>>()
    expect(client).toMatchObject({
      first_name: 'Dana',
      last_name: 'Reyes',
      primary_email: lead['email'],
      primary_phone_e164: '+14155550142',
      status: 'active',
    })
  })

  it('is one way: the converted lead takes no PATCH and no second conversion (409), and no second client is made', async () => {
    const org = await createOrg()
    const lead = await addLead(org, { email: email() })
    const { org_client_id } = await (await convert(org, lead.id)).json<Converted>()
    const patched = await api(org, 'PATCH', `/api/v1/leads/${lead.id}`, { status_id: 'ls_new' })
    expect(patched.status).toBe(409)
    expect((await patched.json<ErrorBody>()).error.code).toBe('conflict')
    const again = await convert(org, lead.id)
    expect(again.status).toBe(409)
    expect((await again.json<ErrorBody>()).error.message).toMatch(/already converted/)
    expect((await clientsOf(org)).map((c) => c.org_client_id)).toEqual([org_client_id])
    expect(await (await api(org, 'GET', `/api/v1/leads/${lead.id}`)).json()).toMatchObject({
      status_id: 'ls_won',
      is_converted: true,
    })
  })

  it('answers exactly one of several conversions at once, with one client', async () => {
    const org = await createOrg()
    const lead = await addLead(org, { phone: '+14155550177' })
    const answers = await Promise.all([convert(org, lead.id), convert(org, lead.id), convert(org, lead.id)])
    expect(answers.map((r) => r.status).sort()).toEqual([200, 409, 409])
    expect(await clientsOf(org)).toHaveLength(1)
  })

  it('refuses a lead with neither email nor phone (400), leaving it open and making no client', async () => {
    const org = await createOrg()
    const lead = await addLead(org)
    const res = await convert(org, lead.id)
    expect(res.status).toBe(400)
    expect((await res.json<ErrorBody>()).error.message).toMatch(/no email or phone/)
    expect(await clientsOf(org)).toEqual([])
    expect(await (await api(org, 'GET', `/api/v1/leads/${lead.id}`)).json()).toMatchObject({ is_converted: false })
    // Once it has a phone it converts.
    await api(org, 'PATCH', `/api/v1/leads/${lead.id}`, { phone: '415 555 0190' })
    expect((await convert(org, lead.id)).status).toBe(200)
  })

  it('finds the client card a lead already had (status lead) and makes it active', async () => {
    const org = await createOrg()
    const address = email()
    const card = await createClient(org, { first_name: 'Dana', email: address, status: 'lead' })
    const lead = await addLead(org, { email: address })
    const { org_client_id } = await (await convert(org, lead.id)).json<Converted>()
    expect(org_client_id).toBe(card.org_client_id)
    expect(await clientsOf(org)).toEqual([expect.objectContaining({ org_client_id, status: 'active' })])
  })

  it("moves the lead's account and account contacts to the client", async () => {
    const org = await createOrg()
    const accountId = crypto.randomUUID()
    await runInDurableObject(orgStub(env, org.organizationId), (_o, state) => {
      state.storage.sql.exec(`insert into accounts (id, name) values (?, 'Oak HOA')`, accountId)
    })
    const lead = await addLead(org, { email: email(), account_id: accountId })
    await runInDurableObject(orgStub(env, org.organizationId), (_o, state) => {
      state.storage.sql.exec(
        `insert into account_contacts (id, account_id, first_name, lead_id, is_primary) values (?, ?, 'Dana', ?, 1)`,
        crypto.randomUUID(),
        accountId,
        lead.id,
      )
    })
    const { org_client_id } = await (await convert(org, lead.id)).json<Converted>()
    const rows = await runInDurableObject(orgStub(env, org.organizationId), (_o, state) => ({
      client: state.storage.sql.exec('select account_id from org_clients where id = ?', org_client_id).one(),
      contacts: state.storage.sql.exec('select lead_id, org_client_id from account_contacts').toArray(),
    }))
    expect(rows.client).toEqual({ account_id: accountId })
    expect(rows.contacts).toEqual([{ lead_id: null, org_client_id }])
  })

  it("answers 404 for another business's lead, converting nothing", async () => {
    const [mine, theirs] = await Promise.all([createOrg(), createOrg()])
    const their = await addLead(theirs, { email: email() })
    expect((await convert(mine, their.id)).status).toBe(404)
    expect(await clientsOf(mine)).toEqual([])
    expect(await (await api(theirs, 'GET', `/api/v1/leads/${their.id}`)).json()).toMatchObject({ is_converted: false })
  })
})

describe("the lead's history from the client", () => {
  it('stays readable: lead-history, client_lead_history and the client timeline', async () => {
    const org = await createOrg()
    const lead = await addLead(org, { email: email(), source: 'referral', service_interest: 'Windows' })
    await api(org, 'POST', `/api/v1/leads/${lead.id}/activities`, { type: 'call', summary: 'Asked for a quote' })
    const { org_client_id } = await (await convert(org, lead.id)).json<Converted>()

    const history = await api(org, 'GET', `/api/v1/clients/${org_client_id}/lead-history`)
    expect(history.status).toBe(200)
    const { items } = await history.json<{ items: Array<Lead & { activities: Activity[] }> }>()
    expect(items).toHaveLength(1)
    expect(items[0]).toMatchObject({ id: lead.id, source: 'referral', is_converted: true })
    expect(items[0]!.activities.map((a) => [a.type, a.summary])).toEqual([
      ['converted', 'Became a client'],
      ['call', 'Asked for a quote'],
    ])

    const rpc = await api(org, 'POST', '/rest/v1/rpc/client_lead_history', { p_org_client_id: org_client_id })
    expect(rpc.status).toBe(200)
    const bare = await rpc.json<Lead[]>()
    expect(Array.isArray(bare)).toBe(true)
    expect(bare[0]).toMatchObject({ id: lead.id })

    const timeline = await (await api(org, 'GET', `/api/v1/clients/${org_client_id}/timeline`)).json<{
      items: Array<{ type: string; data: Record<string, unknown> }>
    }>()
    const types = timeline.items.map((i) => i.type)
    expect(types).toEqual(expect.arrayContaining(['lead', 'lead_converted', 'activity']))
    expect(timeline.items.find((i) => i.type === 'lead')?.data).toMatchObject({
      lead_id: lead.id,
      source: 'referral',
      service_interest: 'Windows',
    })
    expect(timeline.items.find((i) => i.type === 'activity' && i.data['activity_type'] === 'call')?.data).toMatchObject(
      {
        summary: 'Asked for a quote',
        lead_id: lead.id,
      },
    )
  })

  it("answers 404 for another business's client", async () => {
    const [mine, theirs] = await Promise.all([createOrg(), createOrg()])
    const lead = await addLead(theirs, { email: email() })
    const { org_client_id } = await (await convert(theirs, lead.id)).json<Converted>()
    expect((await api(mine, 'GET', `/api/v1/clients/${org_client_id}/lead-history`)).status).toBe(404)
    expect(
      (await api(mine, 'POST', '/rest/v1/rpc/client_lead_history', { p_org_client_id: org_client_id })).status,
    ).toBe(404)
  })
})

describe('POST /api/v1/jobs with lead_id', () => {
  it('converts the lead, then books the job for its new client', async () => {
    const org = await createOrg()
    const lead = await addLead(org, { email: email() })
    const res = await api(org, 'POST', '/api/v1/jobs', {
      lead_id: lead.id,
      start_at: '2030-05-01T16:00:00Z',
      notify: false,
    })
    expect(res.status).toBe(201)
    const { job } = await res.json<{ job: { org_client_id: string } }>()
    const after = await (await api(org, 'GET', `/api/v1/leads/${lead.id}`)).json<Lead>()
    expect(after).toMatchObject({ is_converted: true, converted_to_client_id: job.org_client_id })
    // Booking again for the converted lead books for the same client.
    const again = await api(org, 'POST', '/api/v1/jobs', {
      lead_id: lead.id,
      start_at: '2030-05-08T16:00:00Z',
      notify: false,
    })
    expect((await again.json<{ job: { org_client_id: string } }>()).job.org_client_id).toBe(job.org_client_id)
    expect(await clientsOf(org)).toHaveLength(1)
  })

  it("refuses a lead and a client together (400) and another business's lead (404)", async () => {
    const [mine, theirs] = await Promise.all([createOrg(), createOrg()])
    const lead = await addLead(theirs, { email: email() })
    const both = await api(mine, 'POST', '/api/v1/jobs', {
      lead_id: lead.id,
      client: { first_name: 'X' },
      start_at: '2030-05-01T16:00:00Z',
    })
    expect(both.status).toBe(400)
    const stranger = await api(mine, 'POST', '/api/v1/jobs', { lead_id: lead.id, start_at: '2030-05-01T16:00:00Z' })
    expect(stranger.status).toBe(404)
    expect(await (await api(theirs, 'GET', `/api/v1/leads/${lead.id}`)).json()).toMatchObject({ is_converted: false })
  })
})

describe('a client with status lead', () => {
  it('becomes active when a job is booked for it', async () => {
    const org = await createOrg()
    const card = await createClient(org, { first_name: 'Lee', email: email(), status: 'lead' })
    const res = await api(org, 'POST', '/api/v1/jobs', {
      org_client_id: card.org_client_id,
      start_at: '2030-06-01T16:00:00Z',
      notify: false,
    })
    expect(res.status).toBe(201)
    expect(await (await api(org, 'GET', `/api/v1/clients/${card.org_client_id}`)).json()).toMatchObject({
      status: 'active',
    })
  })

  it('becomes active when an invoice of it is paid in full, not before', async () => {
    const org = await createOrg()
    const card = await createClient(org, { first_name: 'Lee', email: email(), status: 'lead' })
    const made = await api(org, 'POST', '/api/v1/invoices', {
      org_client_id: card.org_client_id,
      total_cents: 10000,
      due_date: '2030-06-01',
    })
    const { invoice } = await made.json<{ invoice: { id: string } }>()
    const status = async () =>
      (await (await api(org, 'GET', `/api/v1/clients/${card.org_client_id}`)).json<{ status: string }>()).status
    await api(org, 'POST', `/api/v1/invoices/${invoice.id}/payments`, { amount_cents: 4000 })
    expect(await status()).toBe('lead')
    await api(org, 'POST', `/api/v1/invoices/${invoice.id}/payments`, { amount_cents: 6000 })
    expect(await status()).toBe('active')
  })
})

describe('GET /api/v1/reports/conversions', () => {
  it('counts leads, conversions and value in all, by source and by status', async () => {
    const org = await createOrg()
    const won = await addLead(org, { email: email(), source: 'web_form', estimated_value_cents: 30000 })
    await addLead(org, { source: 'web_form', estimated_value_cents: 10000 })
    await addLead(org, { source: 'referral', estimated_value_cents: 5000, status_id: 'ls_contacted' })
    await convert(org, won.id)
    const res = await api(org, 'GET', '/api/v1/reports/conversions')
    expect(res.status).toBe(200)
    const report = await res.json<{
      from: string
      to: string
      totals: Record<string, number>
      by_source: Array<Record<string, unknown>>
      by_status: Array<Record<string, unknown>>
    }>()
    expect(report.totals).toEqual({
      leads: 3,
      converted: 1,
      conversion_rate: 0.3333,
      value_cents: 45000,
      converted_value_cents: 30000,
    })
    expect(report.by_source).toEqual([
      {
        source: 'web_form',
        leads: 2,
        converted: 1,
        conversion_rate: 0.5,
        value_cents: 40000,
        converted_value_cents: 30000,
      },
      { source: 'referral', leads: 1, converted: 0, conversion_rate: 0, value_cents: 5000, converted_value_cents: 0 },
    ])
    expect(report.by_status.map((s) => [s['name'], s['kind'], s['leads'], s['value_cents']])).toEqual([
      ['New', 'open', 1, 10000],
      ['Contacted', 'open', 1, 5000],
      ['Estimate sent', 'open', 0, 0],
      ['Won', 'won', 1, 30000],
      ['Lost', 'lost', 0, 0],
    ])
    const days = (Date.parse(report.to) - Date.parse(report.from)) / 86_400_000
    expect(days).toBe(89)

    const rpc = await api(org, 'POST', '/rest/v1/rpc/lead_conversion_summary', {})
    expect(rpc.status).toBe(200)
    expect((await rpc.json<Array<{ name: string; leads: number }>>()).map((r) => [r.name, r.leads])).toEqual([
      ['New', 1],
      ['Contacted', 1],
      ['Estimate sent', 0],
      ['Won', 1],
      ['Lost', 0],
    ])
  })

  it('counts only the leads created in the period asked for', async () => {
    const org = await createOrg({ timezone: 'America/New_York' })
    await addLead(org)
    const past = await api(org, 'GET', '/api/v1/reports/conversions?from=2020-01-01&to=2020-12-31')
    expect(await past.json()).toMatchObject({ from: '2020-01-01', to: '2020-12-31', totals: { leads: 0 } })
    const bad = await api(org, 'GET', '/api/v1/reports/conversions?from=2021-01-01&to=2020-12-31')
    expect(bad.status).toBe(400)
  })
})
