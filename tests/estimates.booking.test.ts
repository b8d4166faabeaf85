/**
 * POST /api/v1/estimates/{id}/job: the approved work booked once as a job for the estimate's
 * client at its subtotal, its lines becoming the job's and then the job's invoice's, confirmed to
 * the client as any booking is; and the due-work run expiring what was never answered.
 */
import { env, runInDurableObject } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import type { OrgObject } from '../durable-objects/org/org-object'
import { orgStub } from '../src/organizations'
import { api, type TestOrg } from './helpers/factories'
import { estimateOf, homeowner, sentEstimate } from './helpers/estimates'
import { messagesOf, runDueAt } from './helpers/messaging'

type Job = { id: string; org_client_id: string; price_cents: number; start_at: string; address_id: string | null }

const book = (org: TestOrg, id: string, body: Record<string, unknown>) =>
  api(org, 'POST', `/api/v1/estimates/${id}/job`, body)

/** A sent estimate the homeowner approved through the link. */
async function approvedEstimate() {
  const sent = await sentEstimate()
  expect((await homeowner().post(`${sent.path}/approve`, { name: 'Casey Jones' })).status).toBe(303)
  return sent
}

/** Moves the organization's object clock (null: real time again). */
const setObjectClock = (org: TestOrg, at: Date | null) =>
  runInDurableObject(orgStub(env, org.organizationId), (o) => (o as OrgObject)['host'].clock.set(at))

describe('POST /api/v1/estimates/{id}/job', () => {
  it('books only an approved estimate, once; the lines carry over to the job and to its invoice', async () => {
    const { org, client, estimate, path } = await sentEstimate()
    await api(org, 'PATCH', `/api/v1/clients/${client.org_client_id}`, { settings: { tax_rate: 10 } })
    const start = '2031-05-01T16:00:00Z'
    const early = await book(org, estimate.id, { start_at: start })
    expect(early.status).toBe(409)
    expect((await early.json<{ error: { message: string } }>()).error.message).toContain('approved')

    await homeowner().post(`${path}/approve`, { name: 'Casey Jones' })
    const res = await book(org, estimate.id, { start_at: start, notify: false })
    expect(res.status).toBe(201)
    const {
      job,
      estimate: booked,
      confirmation,
    } = await res.json<{
      job: Job
      estimate: { job_id: string; status: string }
      confirmation: unknown
    }>()
    expect(job).toMatchObject({
      org_client_id: client.org_client_id,
      price_cents: 45_000,
      start_at: '2031-05-01T16:00:00.000Z',
    })
    expect(booked).toMatchObject({ job_id: job.id, status: 'approved' })
    expect(confirmation).toBeNull()

    const again = await book(org, estimate.id, { start_at: start })
    expect(again.status).toBe(409)
    expect((await again.json<{ error: { message: string } }>()).error.message).toContain(job.id)
    const jobs = await (await api(org, 'GET', `/api/v1/jobs?org_client_id=${client.org_client_id}`)).json<{
      items: Job[]
    }>()
    expect(jobs.items.map((j) => j.id)).toEqual([job.id])

    const lines = await (await api(org, 'GET', `/api/v1/jobs/${job.id}/line-items`)).json<{
      items: Array<{ description: string; quantity: number; unit_price_cents: number; taxable: boolean }>
      subtotal_cents: number
    }>()
    expect(lines.subtotal_cents).toBe(45_000)
    expect(lines.items.map((l) => [l.description, l.quantity, l.unit_price_cents, l.taxable])).toEqual([
      ['Deck staining', 2, 20_000, true],
      ['Travel fee', 1, 5_000, false],
    ])

    // The invoice made from the job starts from those lines, taxed at the client's rate.
    const invoice = await api(org, 'POST', '/api/v1/invoices', {
      org_client_id: client.org_client_id,
      job_id: job.id,
      due_date: '2031-06-01',
    })
    expect(invoice.status).toBe(201)
    const made = (await invoice.json<{ invoice: Record<string, unknown> & { line_items: unknown[] } }>()).invoice
    expect(made).toMatchObject({ subtotal_cents: 45_000, tax_cents: 4_000, total_cents: 49_000 })
    expect(made.line_items).toHaveLength(2)
  })

  it('confirms the visit to the client unless told not to, at a new property when one is given', async () => {
    const { org, client, estimate } = await approvedEstimate()
    const res = await book(org, estimate.id, {
      start_at: '2031-05-02T16:00:00Z',
      address: { address1: '77 Harbor Way', city: 'Alameda', state: 'CA', postal: '94501' },
    })
    expect(res.status).toBe(201)
    const { job, confirmation } = await res.json<{ job: Job; confirmation: { message_id: string } }>()
    expect(confirmation.message_id).toEqual(expect.any(String))
    const [sms] = await messagesOf(org, '?purpose=confirmation')
    expect(sms!.body).toContain("you're booked")
    const card = await (await api(org, 'GET', `/api/v1/clients/${client.org_client_id}`)).json<{
      addresses: Array<{ id: string; address1: string }>
    }>()
    expect(card.addresses.find((a) => a.id === job.address_id)?.address1).toBe('77 Harbor Way')
  })

  it('refuses a crew member who is not on the team, and books nothing', async () => {
    const { org, estimate } = await approvedEstimate()
    const res = await book(org, estimate.id, { start_at: '2031-05-02T16:00:00Z', assigned_to: [crypto.randomUUID()] })
    expect(res.status).toBe(400)
    expect((await estimateOf(org, estimate.id)).job_id).toBeNull()
  })
})

describe('estimates expire with the due-work run', () => {
  it('expires a sent estimate once its last day has ended in the business’s zone, and its link says so', async () => {
    const { org, client, estimate, path } = await sentEstimate({ validUntil: '2031-06-30' })
    // Midnight in Los Angeles is 07:00 UTC in summer: a minute before, it still stands.
    await runDueAt(org, new Date('2031-07-01T06:59:00Z'))
    expect((await estimateOf(org, estimate.id)).status).toBe('sent')
    await runDueAt(org, new Date('2031-07-01T07:00:00Z'))
    const expired = await estimateOf(org, estimate.id)
    expect(expired).toMatchObject({ status: 'expired', expired_at: '2031-07-01T07:00:00.000Z' })
    const timeline = await (await api(org, 'GET', `/api/v1/clients/${client.org_client_id}/timeline`)).json<{
      items: Array<{ type: string }>
    }>()
    expect(timeline.items.filter((i) => i.type === 'estimate_expired')).toHaveLength(1)

    const page = await homeowner().get(path)
    expect(page.status).toBe(200)
    expect(await page.text()).toContain('This estimate expired after Jun 30, 2031')
    expect((await homeowner().post(`${path}/approve`, { name: 'Casey Jones' })).status).toBe(200)
    expect((await estimateOf(org, estimate.id)).status).toBe('expired')
    expect(
      (await api(org, 'POST', `/api/v1/estimates/${estimate.id}/job`, { start_at: '2031-08-01T16:00:00Z' })).status,
    ).toBe(409)
  })

  it('keeps the expiry in the due-time index the cron reads', async () => {
    const { org, estimate } = await sentEstimate({ validUntil: '2031-06-30' })
    const row = await env.PEOPLE.prepare('select next_due_at from org_schedule where organization_id = ?')
      .bind(org.organizationId)
      .first<{ next_due_at: string }>()
    expect(row?.next_due_at).toBe(estimate.expires_at)
  })

  it('honours the last day on the link before the run comes by, and never expires an approved estimate', async () => {
    const lapsed = await sentEstimate({ validUntil: '2031-06-30' })
    await setObjectClock(lapsed.org, new Date('2031-07-02T00:00:00Z'))
    try {
      expect(await (await homeowner().get(lapsed.path)).text()).toContain('This estimate expired')
      expect((await homeowner().post(`${lapsed.path}/approve`, { name: 'Casey Jones' })).status).toBe(200)
      expect((await estimateOf(lapsed.org, lapsed.estimate.id)).status).toBe('expired')
    } finally {
      await setObjectClock(lapsed.org, null)
    }

    const { org, estimate } = await approvedEstimate()
    await runDueAt(org, new Date('2032-01-01T00:00:00Z'))
    expect((await estimateOf(org, estimate.id)).status).toBe('approved')
  })
})
