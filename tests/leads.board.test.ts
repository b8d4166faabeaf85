/** The pipeline board (per status: count, value, first cards) and the follow-ups due, as the pages read them from the object. */
import { env } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import { orgStub } from '../src/organizations'
import { sales } from '../src/sales/remote'
import { api, createOrg, type TestOrg, unique } from './helpers/factories'

async function addLead(org: TestOrg, body: Record<string, unknown>) {
  const res = await api(org, 'POST', '/api/v1/leads', { first_name: 'Lead', ...body })
  expect(res.status).toBe(201)
  return (await res.json<{ lead: { id: string } }>()).lead
}

const leadsOf = (org: TestOrg) => sales(orgStub(env, org.organizationId)).leads

describe('board()', () => {
  it('gives every status in order its count, value and first cards, most recently changed first', async () => {
    const org = await createOrg()
    const a = await addLead(org, { first_name: 'Ana', estimated_value_cents: 1000 })
    const b = await addLead(org, { first_name: 'Ben', estimated_value_cents: 2500 })
    await addLead(org, { first_name: 'Cy', status_id: 'ls_contacted' })
    const won = await addLead(org, {
      first_name: 'Di',
      email: `d-${unique()}@example.com`,
      estimated_value_cents: 9000,
    })
    await api(org, 'POST', `/api/v1/leads/${won.id}/convert`)
    // Touching Ana makes her the first card of New.
    await api(org, 'PATCH', `/api/v1/leads/${a.id}`, { notes: 'Called back' })

    const columns = await leadsOf(org).board({ cards_per_status: 1 })
    expect(columns.map((c) => [c.status.name, c.count, c.value_cents, c.leads.map((l) => l.first_name)])).toEqual([
      ['New', 2, 3500, ['Ana']],
      ['Contacted', 1, 0, ['Cy']],
      ['Estimate sent', 0, 0, []],
      ['Won', 0, 0, []],
      ['Lost', 0, 0, []],
    ])
    expect(Object.keys(columns[0]!.leads[0]!).sort()).toEqual(
      [
        'assigned_to',
        'company',
        'estimated_value_cents',
        'first_name',
        'id',
        'is_converted',
        'last_name',
        'next_follow_up_at',
        'service_interest',
        'source',
        'updated_at',
      ].sort(),
    )
    const all = await leadsOf(org).board({ include_converted: true })
    expect(all.find((c) => c.status.kind === 'won')).toMatchObject({ count: 1, value_cents: 9000 })
    expect(all[0]!.leads.map((l) => l.id)).toEqual([a.id, b.id])
  })
})

describe('followUpsDue()', () => {
  it('lists open leads to follow up before the time, the most overdue first, leaving out lost and converted ones', async () => {
    const org = await createOrg()
    const late = await addLead(org, { first_name: 'Late', next_follow_up_at: '2030-01-01T09:00:00Z' })
    const today = await addLead(org, { first_name: 'Today', next_follow_up_at: '2030-01-02T09:00:00Z' })
    await addLead(org, { first_name: 'Later', next_follow_up_at: '2030-02-01T09:00:00Z' })
    await addLead(org, { first_name: 'Lost', status_id: 'ls_lost', next_follow_up_at: '2030-01-01T08:00:00Z' })
    const converted = await addLead(org, {
      first_name: 'Gone',
      phone: '+14155550111',
      next_follow_up_at: '2030-01-01T07:00:00Z',
    })
    await api(org, 'POST', `/api/v1/leads/${converted.id}/convert`)
    const due = await leadsOf(org).followUpsDue('2030-01-03T00:00:00.000Z')
    expect(due.map((l) => l.id)).toEqual([late.id, today.id])
  })
})
