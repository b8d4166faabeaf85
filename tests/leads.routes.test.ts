/** /api/v1/lead-statuses and /api/v1/leads: the pipeline's statuses, leads with their fields, lists and filters, another business's ids not found. */
import { describe, expect, it } from 'vitest'
import { api, createOrg, type TestOrg, unique } from './helpers/factories'

type Status = { id: string; name: string; color: string; icon: string | null; position: number; kind: string }
type Lead = Record<string, unknown> & { id: string; status_id: string; custom_fields_version: number }
type ErrorBody = { error: { code: string; message: string; issues?: Array<{ path: string; message: string }> } }

const statusesOf = async (org: TestOrg) =>
  (await (await api(org, 'GET', '/api/v1/lead-statuses')).json<{ items: Status[] }>()).items

async function addLead(org: TestOrg, body: Record<string, unknown> = {}): Promise<Lead> {
  const res = await api(org, 'POST', '/api/v1/leads', { first_name: 'Dana', ...body })
  expect(res.status).toBe(201)
  const answer = await res.json<{ lead_id: string; lead: Lead }>()
  expect(answer.lead_id).toBe(answer.lead.id)
  return answer.lead
}

async function addStatus(org: TestOrg, body: Record<string, unknown>): Promise<Status> {
  const res = await api(org, 'POST', '/api/v1/lead-statuses', { color: '#123456', ...body })
  expect(res.status).toBe(201)
  return res.json<Status>()
}

const issuesOf = async (res: Response) => ((await res.json<ErrorBody>()).error.issues ?? []).map((i) => i.path)

describe('GET /api/v1/lead-statuses', () => {
  it('starts every business with New, Contacted, Estimate sent, Won and Lost, in order', async () => {
    const org = await createOrg()
    expect((await statusesOf(org)).map((s) => [s.name, s.kind, s.position])).toEqual([
      ['New', 'open', 0],
      ['Contacted', 'open', 1],
      ['Estimate sent', 'open', 2],
      ['Won', 'won', 3],
      ['Lost', 'lost', 4],
    ])
  })
})

describe('POST and PATCH /api/v1/lead-statuses', () => {
  it('adds a status where asked and moves the others, and reorders on PATCH', async () => {
    const org = await createOrg()
    const quoted = await addStatus(org, { name: 'Site visit', icon: 'home', kind: 'open', position: 1 })
    expect(quoted).toMatchObject({ name: 'Site visit', color: '#123456', icon: 'home', position: 1, kind: 'open' })
    expect((await statusesOf(org)).map((s) => s.name)).toEqual([
      'New',
      'Site visit',
      'Contacted',
      'Estimate sent',
      'Won',
      'Lost',
    ])
    const moved = await api(org, 'PATCH', `/api/v1/lead-statuses/${quoted.id}`, { position: 4, color: '#ABCDEF' })
    expect(moved.status).toBe(200)
    expect(await moved.json()).toMatchObject({ position: 4, color: '#abcdef' })
    expect((await statusesOf(org)).map((s) => [s.name, s.position])).toEqual([
      ['New', 0],
      ['Contacted', 1],
      ['Estimate sent', 2],
      ['Won', 3],
      ['Site visit', 4],
      ['Lost', 5],
    ])
  })

  it('refuses a colour that is not #rrggbb and an unknown kind, naming the field', async () => {
    const org = await createOrg()
    expect(
      await issuesOf(await api(org, 'POST', '/api/v1/lead-statuses', { name: 'X', color: 'red', kind: 'open' })),
    ).toContain('color')
    expect(
      await issuesOf(await api(org, 'POST', '/api/v1/lead-statuses', { name: 'X', color: '#123456', kind: 'maybe' })),
    ).toContain('kind')
    expect(await statusesOf(org)).toHaveLength(5)
  })
})

describe('DELETE /api/v1/lead-statuses/{id}', () => {
  it('deletes a status no lead uses, refuses one in use (409), and never the last won or lost', async () => {
    const org = await createOrg()
    const spare = await addStatus(org, { name: 'Spare', kind: 'open' })
    const used = await addStatus(org, { name: 'Used', kind: 'open' })
    await addLead(org, { status_id: used.id })
    const inUse = await api(org, 'DELETE', `/api/v1/lead-statuses/${used.id}`)
    expect(inUse.status).toBe(409)
    expect((await inUse.json<ErrorBody>()).error.message).toMatch(/1 lead has this status/)
    expect((await api(org, 'DELETE', `/api/v1/lead-statuses/${spare.id}`)).status).toBe(200)
    expect((await api(org, 'DELETE', '/api/v1/lead-statuses/ls_won')).status).toBe(409)
    expect((await api(org, 'DELETE', '/api/v1/lead-statuses/ls_lost')).status).toBe(409)
    expect((await api(org, 'PATCH', '/api/v1/lead-statuses/ls_lost', { kind: 'open' })).status).toBe(409)
    expect((await statusesOf(org)).map((s) => s.name)).toEqual([
      'New',
      'Contacted',
      'Estimate sent',
      'Won',
      'Lost',
      'Used',
    ])
    expect((await statusesOf(org)).map((s) => s.position)).toEqual([0, 1, 2, 3, 4, 5])
  })

  it('never deletes the last open status', async () => {
    const org = await createOrg()
    for (const id of ['ls_new', 'ls_contacted'])
      expect((await api(org, 'DELETE', `/api/v1/lead-statuses/${id}`)).status).toBe(200)
    expect((await api(org, 'DELETE', '/api/v1/lead-statuses/ls_estimate_sent')).status).toBe(409)
  })

  it("answers 404 for another business's status, changing nothing", async () => {
    const [mine, theirs] = await Promise.all([createOrg(), createOrg()])
    const their = await addStatus(theirs, { name: 'Theirs', kind: 'open' })
    expect((await api(mine, 'PATCH', `/api/v1/lead-statuses/${their.id}`, { name: 'Mine' })).status).toBe(404)
    expect((await api(mine, 'DELETE', `/api/v1/lead-statuses/${their.id}`)).status).toBe(404)
    const refused = await api(mine, 'POST', '/api/v1/leads', { first_name: 'Al', status_id: their.id })
    expect(refused.status).toBe(400)
    expect(await issuesOf(refused)).toEqual(['status_id'])
    expect((await statusesOf(theirs)).find((s) => s.id === their.id)?.name).toBe('Theirs')
  })
})

describe('POST /api/v1/leads', () => {
  it('creates a lead in the first open status with its fields, contact points normalized', async () => {
    const org = await createOrg()
    const lead = await addLead(org, {
      last_name: 'Reyes',
      email: '  Dana@Example.COM ',
      phone: '(415) 555-2671',
      company: 'Reyes Property Group',
      service_interest: 'Deep clean',
      estimated_value_cents: 45000,
      next_follow_up_at: '2030-03-04T09:00:00-08:00',
      notes: 'Wants a quote for two units',
      custom_fields: { units: 2, gate_code: '1234', pets: true },
    })
    expect(lead).toMatchObject({
      first_name: 'Dana',
      last_name: 'Reyes',
      email: 'dana@example.com',
      phone: '+14155552671',
      company: 'Reyes Property Group',
      source: 'manual',
      service_interest: 'Deep clean',
      estimated_value_cents: 45000,
      status_id: 'ls_new',
      next_follow_up_at: '2030-03-04T17:00:00.000Z',
      custom_fields: { units: 2, gate_code: '1234', pets: true },
      custom_fields_version: 1,
      is_converted: false,
      converted_to_client_id: null,
      conversion_date: null,
    })
  })

  it('refuses bad fields with a 400 naming each, and writes nothing', async () => {
    const org = await createOrg()
    for (const [body, field] of [
      [{}, 'first_name'],
      [{ first_name: 'A', email: 'not-an-email' }, 'email'],
      [{ first_name: 'A', phone: '1-800-FLOWERS' }, 'phone'],
      [{ first_name: 'A', estimated_value_cents: -1 }, 'estimated_value_cents'],
      [{ first_name: 'A', next_follow_up_at: 'tomorrow' }, 'next_follow_up_at'],
      [{ first_name: 'A', custom_fields: { nested: { a: 1 } } }, 'custom_fields.nested'],
      [
        { first_name: 'A', custom_fields: Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`f${i}`, i])) },
        'custom_fields',
      ],
      [{ first_name: 'A', assigned_to: crypto.randomUUID() }, 'assigned_to'],
      [{ first_name: 'A', account_id: crypto.randomUUID() }, 'account_id'],
    ] as const) {
      const res = await api(org, 'POST', '/api/v1/leads', body)
      expect(res.status, JSON.stringify(body)).toBe(400)
      expect(await issuesOf(res)).toContain(field)
    }
    const list = await (await api(org, 'GET', '/api/v1/leads')).json<{ items: Lead[] }>()
    expect(list.items).toEqual([])
  })

  it('takes a team member as the owner, and not another business’s user', async () => {
    const [org, other] = await Promise.all([createOrg(), createOrg()])
    expect(await addLead(org, { assigned_to: org.userId })).toMatchObject({ assigned_to: org.userId })
    const res = await api(org, 'POST', '/api/v1/leads', { first_name: 'A', assigned_to: other.userId })
    expect(res.status).toBe(400)
    expect(await issuesOf(res)).toEqual(['assigned_to'])
  })

  it('writes once when the same POST is replayed with an Idempotency-Key', async () => {
    const org = await createOrg()
    const key = `lead-${unique()}`
    const body = { first_name: 'Once', email: `once-${unique()}@example.com` }
    const first = await api(org, 'POST', '/api/v1/leads', body, { 'idempotency-key': key })
    const again = await api(org, 'POST', '/api/v1/leads', body, { 'idempotency-key': key })
    expect([first.status, again.status]).toEqual([201, 201])
    expect(again.headers.get('idempotent-replayed')).toBe('true')
    expect((await again.json<{ lead_id: string }>()).lead_id).toBe((await first.json<{ lead_id: string }>()).lead_id)
    expect((await (await api(org, 'GET', '/api/v1/leads')).json<{ items: Lead[] }>()).items).toHaveLength(1)
  })
})

describe('GET and PATCH /api/v1/leads/{id}', () => {
  it('reads the lead with its status and activities', async () => {
    const org = await createOrg()
    const lead = await addLead(org)
    const res = await api(org, 'GET', `/api/v1/leads/${lead.id}`)
    expect(res.status).toBe(200)
    expect(await res.json()).toMatchObject({
      id: lead.id,
      status: { id: 'ls_new', name: 'New', kind: 'open' },
      activities: [],
      is_converted: false,
    })
  })

  it('changes fields; a new status sets status_changed_at and is logged; new custom field names bump the version', async () => {
    const org = await createOrg()
    const lead = await addLead(org, { custom_fields: { units: 2 } })
    const res = await api(org, 'PATCH', `/api/v1/leads/${lead.id}`, {
      status_id: 'ls_contacted',
      phone: '415.555.2671',
      estimated_value_cents: 90000,
      custom_fields: { units: 3 },
    })
    expect(res.status).toBe(200)
    const changed = await res.json<Lead>()
    expect(changed).toMatchObject({
      status_id: 'ls_contacted',
      phone: '+14155552671',
      estimated_value_cents: 90000,
      custom_fields_version: 1,
    })
    expect(changed['status_changed_at']).not.toBe(lead['status_changed_at'])
    const renamed = await api(org, 'PATCH', `/api/v1/leads/${lead.id}`, { custom_fields: { units: 3, floors: 2 } })
    expect((await renamed.json<Lead>()).custom_fields_version).toBe(2)
    const detail = await (await api(org, 'GET', `/api/v1/leads/${lead.id}`)).json<{
      activities: Array<{ type: string; summary: string; source: string }>
    }>()
    expect(detail.activities).toEqual([
      expect.objectContaining({ type: 'status_changed', summary: 'Moved from New to Contacted', source: 'system' }),
    ])
  })

  it("answers 404 for another business's lead on read and change, and changes nothing", async () => {
    const [mine, theirs] = await Promise.all([createOrg(), createOrg()])
    const their = await addLead(theirs, { first_name: 'Theirs' })
    expect((await api(mine, 'GET', `/api/v1/leads/${their.id}`)).status).toBe(404)
    expect((await api(mine, 'PATCH', `/api/v1/leads/${their.id}`, { first_name: 'Mine' })).status).toBe(404)
    expect((await (await api(theirs, 'GET', `/api/v1/leads/${their.id}`)).json<Lead>())['first_name']).toBe('Theirs')
  })
})

describe('GET /api/v1/leads', () => {
  it('lists newest first and filters by status, source, owner, follow-up and a typed query', async () => {
    const org = await createOrg({ timezone: 'America/Chicago' })
    const a = await addLead(org, { first_name: 'Ana', email: 'ana@example.com', source: 'referral' })
    const b = await addLead(org, {
      first_name: 'Ben',
      company: 'Oak HOA',
      phone: '+1 312 555 0199',
      next_follow_up_at: '2030-01-01T12:00:00Z',
      assigned_to: org.userId,
    })
    const c = await addLead(org, {
      first_name: 'Cy',
      status_id: 'ls_contacted',
      next_follow_up_at: '2030-02-01T12:00:00Z',
    })
    const ids = async (query: string) =>
      (await (await api(org, 'GET', `/api/v1/leads${query}`)).json<{ items: Lead[] }>()).items.map((l) => l.id)
    expect(await ids('')).toEqual([c.id, b.id, a.id])
    expect(await ids('?status_id=ls_contacted')).toEqual([c.id])
    expect(await ids('?source=referral')).toEqual([a.id])
    expect(await ids(`?assigned_to=${org.userId}`)).toEqual([b.id])
    expect(await ids('?follow_up_before=2030-01-15')).toEqual([b.id])
    expect(await ids('?follow_up_before=2030-03-01T00:00:00Z')).toEqual([c.id, b.id])
    expect(await ids('?q=oak')).toEqual([b.id])
    expect(await ids('?q=(312) 555-0199')).toEqual([b.id])
    expect(await ids('?q=ANA@')).toEqual([a.id])
    expect(await ids('?q=%25')).toEqual([])
  })

  it('pages with a cursor', async () => {
    const org = await createOrg()
    for (const name of ['One', 'Two', 'Three']) await addLead(org, { first_name: name })
    const first = await (await api(org, 'GET', '/api/v1/leads?limit=2')).json<{ items: Lead[]; next_cursor: string }>()
    expect(first.items.map((l) => l['first_name'])).toEqual(['Three', 'Two'])
    const rest = await (await api(org, 'GET', `/api/v1/leads?limit=2&cursor=${first.next_cursor}`)).json<{
      items: Lead[]
      next_cursor: string | null
    }>()
    expect(rest.items.map((l) => l['first_name'])).toEqual(['One'])
    expect(rest.next_cursor).toBeNull()
  })
})
