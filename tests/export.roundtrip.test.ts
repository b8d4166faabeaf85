/**
 * A business takes its data with it: everything seeded through the API comes out of
 * GET /api/v1/export.json, goes into a new business through POST /api/v1/import.json, and comes out
 * of that business the same (ids kept, registry and team ids and what must differ normalized away);
 * the zip holds one CSV per table with the JSON's columns and row counts.
 */
import { env } from 'cloudflare:test'
import { strFromU8, unzipSync } from 'fflate'
import { describe, expect, it } from 'vitest'
import { columnsOf, TABLE_NAMES } from '../durable-objects/org/export/tables'
import { parseCsv } from '../src/imports/csv'
import { api, createClient, createOrg, type TestOrg, unique } from './helpers/factories'
import { createJourney, raise } from './helpers/journeys'
import { messagesOf } from './helpers/messaging'
import { teammate } from './helpers/team'

type Doc = Record<string, unknown> & { organization: Record<string, unknown> }
type Row = Record<string, unknown>

async function ok<T>(res: Response, status = 200): Promise<T> {
  expect(res.status, await res.clone().text()).toBe(status)
  return res.json<T>()
}

/** A business with a bit of everything: clients with addresses, tags and notes, a series, an invoice with lines and a payment, messages, a journey enrollment and an opt-out. */
async function seededBusiness() {
  const org = await createOrg({ timezone: 'America/Chicago' })
  await ok(
    await api(org, 'PATCH', '/api/v1/organization', {
      quiet_hours: { start: '00:00', end: '00:00' },
      default_tax_rate: 8.25,
      logo_text: 'Sparkle',
      brand_color: '#2563eb',
      reminders: { job_hours_before: [48, 3] },
    }),
  )
  const tech = await teammate(org, { name: 'Tess Tech' })
  const saved = await ok<{ id?: string; service?: { id: string } }>(
    await api(org, 'POST', '/api/v1/services', { name: 'Deep clean', duration_minutes: 120, price_cents: 26_000 }),
    201,
  )
  const service = saved.service?.id ?? saved.id
  const ana = await createClient(org, {
    first_name: 'Ana',
    last_name: 'Lopez',
    email: `ana-${unique()}@example.com`,
    phone: `+1312555${String(1000 + Math.floor(Math.random() * 8999))}`,
    tags: ['vip', 'weekly'],
    notes: 'Gate code 1234',
    address: { address1: '1 Lake St', city: 'Chicago', state: 'IL', postal: '60601' },
  })
  const boPhone = `+1312556${String(1000 + Math.floor(Math.random() * 8999))}`
  const bo = await createClient(org, { first_name: 'Bo', last_name: 'Ng', phone: boPhone })
  await ok(
    await api(org, 'POST', `/api/v1/clients/${bo.org_client_id}/consents`, {
      sms_opt_in: false,
      reason: 'Replied STOP',
    }),
  )
  // A client known by name only, and a duplicate card of Ana merged into hers.
  await createClient(org, { first_name: 'Cy', last_name: 'Walker' })
  const twin = await createClient(org, { first_name: 'Ana', last_name: 'L.', email: `ana2-${unique()}@example.com` })
  await ok(
    await api(org, 'POST', `/api/v1/clients/${ana.org_client_id}/merge`, { from_org_client_id: twin.org_client_id }),
  )

  // A visit with a crew, lines and a confirmation text; an invoice from its lines, partly paid (a receipt).
  const job = (
    await ok<{ job: { id: string } }>(
      await api(org, 'POST', '/api/v1/jobs', {
        org_client_id: ana.org_client_id,
        service_id: service,
        start_at: '2031-03-04T15:00:00Z',
        assigned_to: [tech],
      }),
      201,
    )
  ).job
  await ok(
    await api(org, 'PUT', `/api/v1/jobs/${job.id}/line-items`, {
      items: [
        { description: 'Deep clean', quantity: 1, unit_price_cents: 26_000, service_id: service },
        { description: 'Oven', quantity: 1.5, unit_price_cents: 333, taxable: false },
      ],
    }),
  )
  const invoice = (
    await ok<{ invoice: { id: string } }>(
      await api(org, 'POST', '/api/v1/invoices', {
        org_client_id: ana.org_client_id,
        job_id: job.id,
        due_date: '2031-04-01',
      }),
      201,
    )
  ).invoice
  await ok(await api(org, 'POST', `/api/v1/invoices/${invoice.id}/payments`, { amount_cents: 10_000 }), 201)

  // A weekly series of four visits for Bo (who cannot be texted: no confirmation goes out).
  await ok(
    await api(org, 'POST', '/api/v1/jobs', {
      org_client_id: bo.org_client_id,
      start_at: '2031-03-05T15:00:00Z',
      recurrence: { freq: 'weekly', count: 4 },
      notify: false,
    }),
    201,
  )

  // A journey that waits a day before its text: Ana is enrolled and waiting.
  const journey = await createJourney(org, {
    name: 'Check in',
    trigger_event: 'manual',
    steps: [
      { type: 'wait', delay_minutes: 1440 },
      { type: 'sms', body: 'How did we do, {{first_name}}?' },
    ],
  })
  const { enrollments } = await raise(org, { type: 'manual', org_client_id: ana.org_client_id })
  expect(enrollments.map((e) => e.journey_id)).toContain(journey)
  await settled(org)
  return { org, ana, bo, boPhone, tech, service }
}

/** Waits until no message is still on its way (the sends queue delivers to the outbox within a few seconds). */
async function settled(org: TestOrg) {
  for (let i = 0; i < 100; i++) {
    const pending = (await messagesOf(org)).filter((m) => m.status === 'queued')
    if (pending.length === 0) return
    await new Promise((r) => setTimeout(r, 100))
  }
  throw new Error('messages still queued')
}

async function exportOf(org: TestOrg): Promise<Doc> {
  const res = await api(org, 'GET', '/api/v1/export.json')
  expect(res.status).toBe(200)
  expect(res.headers.get('content-disposition')).toMatch(/attachment; filename="homebase-export-.+\.json"/)
  return res.json<Doc>()
}

/**
 * What must be the same in both exports. Left out: when and by whom the file was made, the
 * organization's identity (id, slug, name, its timestamps), the team (each business has its own),
 * the crews (team members of the first business are not on the second's team), and registry
 * person ids (cards are compared by the client they belong to).
 */
function normalized(doc: Doc): Record<string, unknown> {
  const { format, version, exported_at, organization, team, job_crew, ...tables } = doc
  const { id, organization_id, name, slug, created_at, updated_at, plan, ...settings } = organization
  const clientOfPerson = new Map((tables['clients'] as Row[]).map((c) => [c['person_id'], c['id']]))
  const out: Record<string, unknown> = { format, version, settings }
  for (const [table, rows] of Object.entries(tables)) {
    out[table] = (rows as Row[])
      .map((row) => {
        const r = { ...row }
        if (table === 'clients') delete r['person_id']
        if (table === 'client_cards') r['person_id'] = clientOfPerson.get(r['person_id'])
        if (table === 'job_series') delete r['assigned_to']
        return r
      })
      .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)))
  }
  return out
}

describe('GET /api/v1/export.json and POST /api/v1/import.json', () => {
  it('reproduces the business in a new one: exporting it again gives the same data', async () => {
    const { org, ana, bo } = await seededBusiness()
    const first = await exportOf(org)
    expect(first).toMatchObject({ format: 'homebase-export', version: 1 })
    expect(first.organization).toMatchObject({ id: org.organizationId, timezone: 'America/Chicago' })
    const count = (t: string) => (first[t] as Row[]).length
    expect(count('clients')).toBe(4)
    expect(count('client_cards')).toBe(4)
    expect((first['clients'] as Row[]).filter((c) => c['merged_into'] === ana.org_client_id)).toHaveLength(1)
    expect(count('client_addresses')).toBe(1)
    expect(count('jobs')).toBe(5)
    expect(count('job_series')).toBe(1)
    expect(count('job_crew')).toBe(1)
    expect(count('job_line_items')).toBe(2)
    expect(count('invoice_line_items')).toBe(2)
    expect(count('payments')).toBe(1)
    expect(count('journeys')).toBe(1)
    expect(count('enrollments')).toBe(1)
    expect((first['messages'] as Row[]).map((m) => m['purpose']).sort()).toEqual(['confirmation', 'receipt'])
    expect(first['consents']).toEqual([expect.objectContaining({ opt_in: false, reason: 'Replied STOP' })])
    const anaRow = (first['clients'] as Row[]).find((c) => c['id'] === ana.org_client_id)!
    expect(anaRow).toMatchObject({
      tags: ['vip', 'weekly'],
      notes: [expect.objectContaining({ text: 'Gate code 1234' })],
    })

    const copy = await createOrg()
    const imported = await ok<{ imported: Record<string, number>; crew_left_out: string[] }>(
      await api(copy, 'POST', '/api/v1/import.json', first),
      201,
    )
    expect(imported.imported).toMatchObject({ clients: 4, jobs: 5, invoices: 1, payments: 1, consents: 1 })
    expect(imported.crew_left_out).toHaveLength(1)

    const second = await exportOf(copy)
    expect(normalized(second)).toEqual(normalized(first))
    expect(second['job_crew']).toEqual([])

    // The copy works as a business: its clients are found by search and read with their consent.
    const found = await ok<{ items: Array<{ org_client_id: string }> }>(
      await api(copy, 'GET', '/api/v1/clients?q=Lopez'),
    )
    expect(found.items.map((c) => c.org_client_id)).toEqual([ana.org_client_id])
    const boHere = await ok<{ consents: { sms_opt_in: boolean } }>(
      await api(copy, 'GET', `/api/v1/clients/${bo.org_client_id}`),
    )
    expect(boHere.consents.sms_opt_in).toBe(false)
    // The registry holds the three live clients' people for the copy (Ana and Bo the same people as before), not the merged card.
    const held = await env.PEOPLE.prepare('select person_id from org_people where organization_id = ?')
      .bind(copy.organizationId)
      .all<{ person_id: string }>()
    expect(held.results).toHaveLength(3)
    expect(held.results.map((r) => r.person_id)).toEqual(expect.arrayContaining([ana.person_id, bo.person_id]))
  })

  it('keeps an opted-out client opted out: nothing is texted to them from the new business', async () => {
    const { org, bo, boPhone } = await seededBusiness()
    const copy = await createOrg()
    await ok(await api(copy, 'POST', '/api/v1/import.json', await exportOf(org)), 201)
    const visit = (
      await ok<{ items: Array<{ id: string }> }>(
        await api(copy, 'GET', `/api/v1/jobs?org_client_id=${bo.org_client_id}`),
      )
    ).items[0]!
    const res = await api(copy, 'POST', `/api/v1/jobs/${visit.id}/on-my-way`, {})
    expect(res.status).toBe(409)
    expect(await res.json()).toMatchObject({ error: { code: 'not_sent' } })
    const toBo = (await messagesOf(copy)).filter((m) => m.to === boPhone)
    expect(toBo.filter((m) => m.status === 'sent' || m.status === 'queued')).toEqual([])
  })
})

describe('GET /api/v1/export.zip', () => {
  it('holds one CSV per table with the columns and row counts of the JSON export', async () => {
    const { org } = await seededBusiness()
    const doc = await exportOf(org)
    const res = await api(org, 'GET', '/api/v1/export.zip')
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('application/zip')
    const files = unzipSync(new Uint8Array(await res.arrayBuffer()))
    expect(Object.keys(files).sort()).toEqual(
      ['organization', 'team', 'consents', ...TABLE_NAMES].map((n) => `${n}.csv`).sort(),
    )
    for (const name of TABLE_NAMES) {
      const table = parseCsv(strFromU8(files[`${name}.csv`]!))
      expect(table.header, name).toEqual(columnsOf(name).map((c) => c.name))
      expect(table.records.length, name).toBe((doc[name] as Row[]).length)
    }
    const consents = parseCsv(strFromU8(files['consents.csv']!))
    expect(consents.header).toEqual(['point', 'opt_in', 'marketing_opt_in', 'opted_in_at', 'reason', 'updated_at'])
    expect(consents.records).toHaveLength(1)
    expect(consents.records[0]![1]).toBe('false')
    const clients = parseCsv(strFromU8(files['clients.csv']!))
    const tags = clients.header.indexOf('tags')
    expect(clients.records.map((r) => r[tags])).toContain('["vip","weekly"]')
    const organization = parseCsv(strFromU8(files['organization.csv']!))
    expect(organization.records[0]![organization.header.indexOf('id')]).toBe(org.organizationId)
  })
})
