// Over 300 lines on purpose: merges, undo and the audit log share richClient() and relations().
import { describe, expect, it } from 'vitest'
import { Staff } from './helpers/browserless'
import { api, createClient, createOrg, unique, type TestOrg } from './helpers/factories'
import { createJourney, raise } from './helpers/journeys'

type Ids = { org_client_id: string; person_id: string }
type Item = { id: string; org_client_id?: string; type?: string }

const future = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString()
const dueDate = (days: number) => future(days).slice(0, 10)
const phoneNumber = () => `+1617555${String(1000 + Math.floor(Math.random() * 8999))}`
const MERGE_EVENTS = ['clients_merged', 'clients_unmerged']

async function ok<T>(res: Response, status = 200): Promise<T> {
  if (res.status !== status) throw new Error(`${res.url}: ${res.status} ${await res.text()}`)
  return res.json<T>()
}
const list = async <T = Item>(org: TestOrg, path: string) =>
  (await ok<{ items: T[] }>(await api(org, 'GET', path))).items

/**
 * A client with something in every relation: a property, tags, a note, a job (with its reminders),
 * an invoice paid in full, a journey enrollment, and a review request sent by email (a message).
 */
async function richClient(
  org: TestOrg,
  first: string,
  _journeyId: string,
): Promise<Ids & { email: string; phone: string }> {
  const email = `${first.toLowerCase()}-${unique()}@example.com`
  const phone = phoneNumber()
  const client = await createClient(org, {
    first_name: first,
    last_name: 'Rivera',
    email,
    phone,
    tags: [first.toLowerCase(), 'shared'],
    notes: `${first}'s gate code`,
    address: {
      address1: `${Math.floor(Math.random() * 900) + 1} ${first} St`,
      city: 'Boston',
      state: 'MA',
      postal: '02139',
    },
  })
  const id = client.org_client_id
  await ok(await api(org, 'POST', '/api/v1/jobs', { org_client_id: id, start_at: future(5), price_cents: 12_000 }), 201)
  const { invoice } = await ok<{ invoice: { id: string } }>(
    await api(org, 'POST', '/api/v1/invoices', { org_client_id: id, total_cents: 9_000, due_date: dueDate(10) }),
    201,
  )
  await ok(await api(org, 'POST', `/api/v1/invoices/${invoice.id}/payments`, { amount_cents: 9_000 }), 201)
  await raise(org, { type: 'manual', org_client_id: id })
  await ok(await api(org, 'POST', '/api/v1/review-requests', { org_client_id: id, channel: 'email', send: true }), 201)
  return { ...client, email, phone }
}

/** Everything the API says about a client and what hangs off it; merge events on the timeline left out. */
async function relations(org: TestOrg, c: Ids) {
  const id = c.org_client_id
  const invoices = await list<{ id: string }>(org, `/api/v1/invoices?org_client_id=${id}`)
  return {
    client: await ok(await api(org, 'GET', `/api/v1/clients/${id}`)),
    card: await ok(await api(org, 'GET', `/api/v1/people/${c.person_id}`)),
    jobs: await list(org, `/api/v1/jobs?org_client_id=${id}`),
    invoices,
    payments: await Promise.all(
      invoices.map(
        async (i) => (await ok<{ payments: unknown[] }>(await api(org, 'GET', `/api/v1/invoices/${i.id}`))).payments,
      ),
    ),
    messages: await list(org, `/api/v1/messages?org_client_id=${id}`),
    enrollments: await list(org, `/api/v1/enrollments?org_client_id=${id}`),
    reminders: (await list(org, '/api/v1/reminders?limit=500')).filter((r) => r.org_client_id === id),
    review_requests: (await list(org, '/api/v1/review-requests')).filter((r) => r.org_client_id === id),
    timeline: (await list(org, `/api/v1/clients/${id}/timeline`)).filter((t) => !MERGE_EVENTS.includes(t.type ?? '')),
  }
}

const ids = (items: Item[]) => items.map((i) => i.id).sort()
const merge = (org: TestOrg, into: string, from: string) =>
  api(org, 'POST', `/api/v1/clients/${into}/merge`, { from_org_client_id: from })

const auditOf = async (org: TestOrg, query = '') =>
  (
    await ok<{ items: Array<{ action: string; org_client_id: string; actor: string; data: Record<string, unknown> }> }>(
      await api(org, 'GET', `/api/v1/audit-log${query}`),
    )
  ).items

describe('POST /api/v1/clients/{id}/merge and POST /api/v1/merges/{id}/undo', () => {
  it('moves every relation to the kept client, and an undo restores both clients exactly', async () => {
    const org = await createOrg()
    await ok(await api(org, 'PATCH', '/api/v1/organization', { google_review_url: 'https://g.page/r/example/review' }))
    const journeyId = await createJourney(org, {
      trigger_event: 'manual',
      steps: [
        { type: 'wait', delay_minutes: 60 * 24 * 30 },
        { type: 'sms', body: 'Hi' },
      ],
    })
    const a = await richClient(org, 'Ana', journeyId)
    const b = await richClient(org, 'Ben', journeyId)
    const before = { a: await relations(org, a), b: await relations(org, b) }
    for (const side of [before.a, before.b]) {
      for (const kind of ['jobs', 'invoices', 'messages', 'enrollments', 'reminders', 'review_requests'] as const)
        expect(side[kind].length, kind).toBeGreaterThan(0)
    }

    const merged = await ok<{ merge_id: string; org_client_id: string }>(
      await merge(org, a.org_client_id, b.org_client_id),
    )
    expect(merged.org_client_id).toBe(a.org_client_id)
    expect((await api(org, 'GET', `/api/v1/clients/${b.org_client_id}`)).status).toBe(404)
    const after = await relations(org, a)
    for (const kind of ['jobs', 'invoices', 'messages', 'enrollments', 'reminders', 'review_requests'] as const) {
      expect(ids(after[kind]), kind).toEqual(ids([...before.a[kind], ...before.b[kind]]))
    }
    expect(after.payments.flat()).toHaveLength(2)
    expect(after.client).toMatchObject({
      first_name: 'Ana',
      tags: ['ana', 'shared', 'ben'],
      ltv_cents: 18_000,
      notes: [{ text: "Ana's gate code" }, { text: "Ben's gate code" }],
    })
    expect((after.client as { addresses: unknown[] }).addresses).toHaveLength(2)
    expect(after.card).toMatchObject({ emails: [a.email, b.email], phones: [a.phone, b.phone], primary_email: a.email })
    expect(after.timeline.map((t) => t.id)).toEqual(
      expect.arrayContaining(before.b.timeline.filter((t) => t.type !== 'note').map((t) => t.id)),
    )
    expect(
      (await list(org, '/api/v1/clients')).map((c) => (c as { org_client_id?: string }).org_client_id),
    ).not.toContain(b.org_client_id)
    const [history] = await list<{
      merge_id: string
      moved: Record<string, number>
      actor: string
      undone_at: string | null
    }>(org, '/api/v1/merges')
    expect(history).toMatchObject({
      merge_id: merged.merge_id,
      actor: 'api key',
      undone_at: null,
      moved: { jobs: 1, invoices: 1, payments: 1, enrollments: 1 },
    })

    const undone = await ok<{ merge_id: string; org_client_ids: string[] }>(
      await api(org, 'POST', `/api/v1/merges/${merged.merge_id}/undo`),
    )
    expect(undone).toEqual({ merge_id: merged.merge_id, org_client_ids: [a.org_client_id, b.org_client_id] })
    expect(await relations(org, a)).toEqual(before.a)
    expect(await relations(org, b)).toEqual(before.b)
    expect((await list<{ undone_by: string }>(org, '/api/v1/merges'))[0]!.undone_by).toBe('api key')
    expect((await auditOf(org, `?org_client_id=${b.org_client_id}`)).map((e) => [e.action, e.actor])).toEqual([
      ['unmerge', 'api key'],
      ['merge', 'api key'],
    ])
  })

  it('keeps what was added to the kept client after the merge when it is undone', async () => {
    const org = await createOrg()
    const a = await createClient(org, { first_name: 'Cy', email: `cy-${unique()}@example.com`, tags: ['weekly'] })
    const b = await createClient(org, {
      first_name: 'Di',
      email: `di-${unique()}@example.com`,
      tags: ['vip'],
      notes: 'Di note',
    })
    const { invoice } = await ok<{ invoice: { id: string } }>(
      await api(org, 'POST', '/api/v1/invoices', {
        org_client_id: b.org_client_id,
        total_cents: 5_000,
        due_date: dueDate(3),
      }),
      201,
    )
    await ok(await api(org, 'POST', `/api/v1/invoices/${invoice.id}/payments`, { amount_cents: 5_000 }), 201)
    const bBefore = await relations(org, b)
    const { merge_id } = await ok<{ merge_id: string }>(await merge(org, a.org_client_id, b.org_client_id))

    await ok(
      await api(org, 'PATCH', `/api/v1/clients/${a.org_client_id}`, {
        notes: 'Added after the merge',
        tags: ['weekly', 'vip', 'gold'],
      }),
    )
    const job = await ok<{ job: { id: string } }>(
      await api(org, 'POST', '/api/v1/jobs', { org_client_id: a.org_client_id, start_at: future(2) }),
      201,
    )
    const { invoice: later } = await ok<{ invoice: { id: string } }>(
      await api(org, 'POST', '/api/v1/invoices', {
        org_client_id: a.org_client_id,
        total_cents: 2_000,
        due_date: dueDate(3),
      }),
      201,
    )
    await ok(await api(org, 'POST', `/api/v1/invoices/${later.id}/payments`, { amount_cents: 2_000 }), 201)
    await ok(await api(org, 'POST', `/api/v1/merges/${merge_id}/undo`))

    expect(await relations(org, b)).toEqual(bBefore)
    const kept = await relations(org, a)
    expect(kept.client).toMatchObject({
      ltv_cents: 2_000,
      tags: ['weekly', 'gold'],
      notes: [{ text: 'Added after the merge' }],
    })
    expect(ids(kept.jobs)).toEqual([job.job.id])
    expect(ids(kept.invoices)).toEqual([later.id])
  })

  it('moves a repeating series with its visits, so later visits are booked for the kept client', async () => {
    const org = await createOrg()
    const into = await createClient(org, { first_name: 'Kim', email: `kim-${unique()}@example.com` })
    const from = await createClient(org, { first_name: 'Kim', email: `kim2-${unique()}@example.com` })
    const { series_id } = await ok<{ series_id: string }>(
      await api(org, 'POST', '/api/v1/jobs', {
        org_client_id: from.org_client_id,
        start_at: future(3),
        recurrence: { freq: 'weekly' },
        notify: false,
      }),
      201,
    )
    const { merge_id } = await ok<{ merge_id: string }>(await merge(org, into.org_client_id, from.org_client_id))
    const series = await ok<{ org_client_id: string }>(await api(org, 'GET', `/api/v1/series/${series_id}`))
    expect(series.org_client_id).toBe(into.org_client_id)
    const kept = await list<{ id: string }>(org, `/api/v1/series?org_client_id=${into.org_client_id}`)
    expect(kept.map((s) => s.id)).toEqual([series_id])
    await ok(await api(org, 'POST', `/api/v1/merges/${merge_id}/undo`))
    expect(
      (await ok<{ org_client_id: string }>(await api(org, 'GET', `/api/v1/series/${series_id}`))).org_client_id,
    ).toBe(from.org_client_id)
  })

  it('refuses to merge a card with itself with 400 and writes nothing', async () => {
    const org = await createOrg()
    const a = await createClient(org, { first_name: 'Eve', email: `eve-${unique()}@example.com` })
    const res = await merge(org, a.org_client_id, a.org_client_id)
    expect(res.status).toBe(400)
    expect((await res.json<{ error: { code: string; issues: Array<{ path: string }> } }>()).error).toMatchObject({
      code: 'invalid_input',
      issues: [{ path: 'from_org_client_id' }],
    })
    expect((await api(org, 'POST', `/api/v1/clients/${a.org_client_id}/merge`, {})).status).toBe(400)
    expect(await list(org, '/api/v1/merges')).toEqual([])
    expect((await api(org, 'GET', `/api/v1/clients/${a.org_client_id}`)).status).toBe(200)
  })

  it('answers 404 for another business’s client, either way round, and changes nothing', async () => {
    const [mine, theirs] = [await createOrg(), await createOrg()]
    const a = await createClient(mine, { first_name: 'Fay', email: `fay-${unique()}@example.com` })
    const x = await createClient(theirs, { first_name: 'Gil', email: `gil-${unique()}@example.com` })
    await ok(await api(theirs, 'POST', '/api/v1/jobs', { org_client_id: x.org_client_id, start_at: future(3) }), 201)
    const before = { a: await relations(mine, a), x: await relations(theirs, x) }
    expect((await merge(mine, a.org_client_id, x.org_client_id)).status).toBe(404)
    expect((await merge(mine, x.org_client_id, a.org_client_id)).status).toBe(404)
    expect((await merge(mine, a.org_client_id, crypto.randomUUID())).status).toBe(404)
    expect(await relations(mine, a)).toEqual(before.a)
    expect(await relations(theirs, x)).toEqual(before.x)
    expect(await list(mine, '/api/v1/merges')).toEqual([])
    expect(await list(theirs, '/api/v1/merges')).toEqual([])
  })

  it('answers 404 for a merged client and an unknown merge, 409 for a second undo', async () => {
    const org = await createOrg()
    const a = await createClient(org, { first_name: 'Hal', email: `hal-${unique()}@example.com` })
    const b = await createClient(org, { first_name: 'Ida', email: `ida-${unique()}@example.com` })
    const c = await createClient(org, { first_name: 'Jo', email: `jo-${unique()}@example.com` })
    const { merge_id } = await ok<{ merge_id: string }>(await merge(org, a.org_client_id, b.org_client_id))
    expect((await merge(org, a.org_client_id, b.org_client_id)).status).toBe(404)
    expect((await merge(org, b.org_client_id, c.org_client_id)).status).toBe(404)
    expect((await api(org, 'POST', `/api/v1/merges/${crypto.randomUUID()}/undo`)).status).toBe(404)
    expect((await api(org, 'POST', `/api/v1/merges/${merge_id}/undo`)).status).toBe(200)
    const again = await api(org, 'POST', `/api/v1/merges/${merge_id}/undo`)
    expect(again.status).toBe(409)
    expect((await again.json<{ error: { code: string } }>()).error.code).toBe('conflict')
    expect((await api(org, 'GET', `/api/v1/clients/${b.org_client_id}`)).status).toBe(200)
  })

  it('another business can neither undo a merge by its id nor read its audit log', async () => {
    const [mine, stranger] = [await createOrg(), await createOrg()]
    const a = await createClient(mine, { first_name: 'Kit', email: `kit-${unique()}@example.com` })
    const b = await createClient(mine, { first_name: 'Kit', email: `kit2-${unique()}@example.com` })
    const { merge_id } = await ok<{ merge_id: string }>(await merge(mine, a.org_client_id, b.org_client_id))
    const undo = await api(stranger, 'POST', `/api/v1/merges/${merge_id}/undo`)
    expect(undo.status).toBe(404)
    expect(await auditOf(stranger, `?org_client_id=${a.org_client_id}`)).toEqual([])
    expect(await list(stranger, '/api/v1/merges')).toEqual([])
    // The merge still stands for its own business.
    expect((await api(mine, 'GET', `/api/v1/clients/${b.org_client_id}`)).status).toBe(404)
    expect((await auditOf(mine, `?org_client_id=${a.org_client_id}`)).map((e) => e.action)).toEqual(['merge'])
  })

  it('undoes merges of the same client newest first', async () => {
    const org = await createOrg()
    const [a, b, c] = [
      await createClient(org, { first_name: 'Kai', email: `kai-${unique()}@example.com` }),
      await createClient(org, { first_name: 'Lu', email: `lu-${unique()}@example.com` }),
      await createClient(org, { first_name: 'Mo', email: `mo-${unique()}@example.com` }),
    ]
    const first = await ok<{ merge_id: string }>(await merge(org, a.org_client_id, b.org_client_id))
    const second = await ok<{ merge_id: string }>(await merge(org, c.org_client_id, a.org_client_id))
    expect((await api(org, 'POST', `/api/v1/merges/${first.merge_id}/undo`)).status).toBe(409)
    expect((await api(org, 'POST', `/api/v1/merges/${second.merge_id}/undo`)).status).toBe(200)
    expect((await api(org, 'POST', `/api/v1/merges/${first.merge_id}/undo`)).status).toBe(200)
    for (const x of [a, b, c]) expect((await api(org, 'GET', `/api/v1/clients/${x.org_client_id}`)).status).toBe(200)
  })
})

describe('counts after a merge', () => {
  it('leaves the merged card out of client stats, search and the list, and brings it back on undo', async () => {
    const org = await createOrg()
    const u = unique()
    const a = await createClient(org, { first_name: 'Counted', last_name: `Once${u}`, email: `once-${u}@example.com` })
    const b = await createClient(org, {
      first_name: 'Counted',
      last_name: `Twice${u}`,
      email: `twice-${u}@example.com`,
    })
    const stats = async () => ok<{ total_clients: number }>(await api(org, 'GET', '/api/v1/stats/clients'))
    const listed = async () =>
      (
        await ok<{ items: Array<{ org_client_id: string }> }>(await api(org, 'GET', '/api/v1/clients?limit=50'))
      ).items.map((i) => i.org_client_id)
    const found = async () =>
      (
        await ok<{ items: Array<{ org_client_id: string }> }>(
          await api(org, 'GET', `/api/v1/clients?q=${encodeURIComponent(`twice-${u}@example.com`)}`),
        )
      ).items.map((i) => i.org_client_id)
    expect((await stats()).total_clients).toBe(2)
    const { merge_id } = await ok<{ merge_id: string }>(await merge(org, a.org_client_id, b.org_client_id))
    expect((await stats()).total_clients).toBe(1)
    expect(await listed()).toEqual([a.org_client_id])
    // The kept card gained the other card's email, so searching for it finds the kept client only.
    expect(await found()).toEqual([a.org_client_id])
    await ok(await api(org, 'POST', `/api/v1/merges/${merge_id}/undo`))
    expect((await stats()).total_clients).toBe(2)
    expect((await listed()).sort()).toEqual([a.org_client_id, b.org_client_id].sort())
    expect(await found()).toEqual([b.org_client_id])
  })
})

describe('GET /api/v1/clients/duplicates', () => {
  it('lists pairs with the same email, phone, or name and address, and never another business’s clients', async () => {
    const [org, other] = [await createOrg(), await createOrg()]
    const shared = { email: `shared-${unique()}@example.com`, phone: phoneNumber() }
    const ann = await createClient(org, { first_name: 'Ann', email: shared.email })
    const bob = await createClient(org, { first_name: 'Bob', email: `bob-${unique()}@example.com` })
    await ok(await api(org, 'POST', `/api/v1/people/${bob.person_id}/contact`, { email: shared.email }))
    const carl = await createClient(org, { first_name: 'Carl', phone: shared.phone })
    const dana = await createClient(org, { first_name: 'Dana', last_name: 'Stone', phone: shared.phone })
    const address = { address1: '12 Oak St', city: 'Cambridge', state: 'MA', postal: '02139' }
    const pat = await createClient(org, {
      first_name: 'Pat',
      last_name: 'Kim',
      email: `pat-${unique()}@example.com`,
      address,
    })
    const pat2 = await createClient(org, {
      first_name: 'PAT',
      last_name: 'kim',
      email: `pk-${unique()}@example.com`,
      address: { ...address, address1: '12  oak st' },
    })
    await createClient(org, {
      first_name: 'Pat',
      last_name: 'Kim',
      email: `pat3-${unique()}@example.com`,
      address: { ...address, address1: '14 Oak St' },
    })
    for (const body of [
      { first_name: 'Ann', email: shared.email },
      { first_name: 'Zed', phone: shared.phone },
      { first_name: 'Pat', last_name: 'Kim', address },
    ]) {
      await createClient(other, { email: `o-${unique()}@example.com`, ...body })
    }

    const { items } = await ok<{ items: Array<{ org_client_ids: string[]; reasons: string[] }> }>(
      await api(org, 'GET', '/api/v1/clients/duplicates'),
    )
    expect(items).toEqual([
      { org_client_ids: [pat.org_client_id, pat2.org_client_id], reasons: ['same_name_and_address'] },
      { org_client_ids: [carl.org_client_id, dana.org_client_id], reasons: ['same_phone'] },
      { org_client_ids: [ann.org_client_id, bob.org_client_id], reasons: ['same_email'] },
    ])
    expect((await ok<{ items: unknown[] }>(await api(other, 'GET', '/api/v1/clients/duplicates'))).items).toEqual([])
  })
})

/** A new business with its owner signed in on the pages. */
async function signedIn() {
  const org = await createOrg()
  const staff = new Staff()
  await staff.post('/login', { email: org.email, password: org.password })
  return { org, staff, csrf: await staff.csrfToken() }
}

describe('pages /app/clients/duplicates, /app/clients/{id}/merge and /app/clients/merges', () => {
  it('suggests, previews, merges and undoes from the pages, with the staff member in the audit log', async () => {
    const { org, staff, csrf } = await signedIn()
    const phone = phoneNumber()
    const a = await createClient(org, { first_name: 'Nia', last_name: 'Park', phone })
    const b = await createClient(org, {
      first_name: 'Omar',
      last_name: 'Park',
      phone,
      email: `omar-${unique()}@example.com`,
    })
    await ok(await api(org, 'POST', '/api/v1/jobs', { org_client_id: b.org_client_id, start_at: future(4) }), 201)

    const list = await (await staff.get('/app/clients')).text()
    expect(list).toContain('href="/app/clients/duplicates"')
    const suggestions = await staff.get('/app/clients/duplicates')
    expect(suggestions.status).toBe(200)
    const html = await suggestions.text()
    expect(html).toContain('Nia Park')
    expect(html).toContain('Same phone')
    expect(html).toContain(`href="/app/clients/${a.org_client_id}/merge?from=${b.org_client_id}"`)

    const preview = await staff.get(`/app/clients/${a.org_client_id}/merge?from=${b.org_client_id}`)
    expect(preview.status).toBe(200)
    const page = await preview.text()
    expect(page).toMatch(/Merge Omar Park into Nia Park/)
    expect(page).toMatch(/data-testid="merge-moves"[\s\S]*?<dt>Jobs<\/dt><dd>1<\/dd>/)
    expect(page).toContain(`action="/app/clients/${a.org_client_id}/merge"`)
    expect(page).toContain(`name="from_org_client_id" value="${b.org_client_id}"`)

    expect(
      (await staff.post(`/app/clients/${a.org_client_id}/merge`, { from_org_client_id: b.org_client_id })).status,
    ).toBe(403)
    const merged = await staff.post(`/app/clients/${a.org_client_id}/merge`, {
      _csrf: csrf,
      from_org_client_id: b.org_client_id,
    })
    expect(merged.status).toBe(303)
    expect(merged.headers.get('location')).toBe(`/app/clients/${a.org_client_id}`)
    expect((await staff.get(`/app/clients/${a.org_client_id}`)).status).toBe(200)
    expect((await staff.get(`/app/clients/${b.org_client_id}`)).status).toBe(404)

    const history = await (await staff.get('/app/clients/merges')).text()
    const mergeId = history.match(/data-merge="([^"]+)"/)?.[1]
    expect(mergeId).toBeDefined()
    expect(history).toContain(`action="/app/clients/merges/${mergeId}/undo"`)
    expect(history).toMatch(/data-testid="audit-log"[\s\S]*Merged Omar Park into[\s\S]*Nia Park[\s\S]*by owner-/)
    const undone = await staff.post(`/app/clients/merges/${mergeId}/undo`, { _csrf: csrf })
    expect(undone.status).toBe(303)
    expect((await staff.get(`/app/clients/${b.org_client_id}`)).status).toBe(200)
    const after = await (await staff.get('/app/clients/merges?undone=1')).text()
    expect(after).toContain('The merge was undone')
    expect(after).not.toContain(`action="/app/clients/merges/${mergeId}/undo"`)
    expect((await auditOf(org)).map((e) => [e.action, e.actor])).toEqual([
      ['unmerge', org.email],
      ['merge', org.email],
    ])
  })

  it('answers 404 on the preview for a client of another business, and sends visitors without a session to sign in', async () => {
    const { org, staff } = await signedIn()
    const other = await createOrg()
    const a = await createClient(org, { first_name: 'Pia', email: `pia-${unique()}@example.com` })
    const x = await createClient(other, { first_name: 'Quin', email: `quin-${unique()}@example.com` })
    expect((await staff.get(`/app/clients/${a.org_client_id}/merge?from=${x.org_client_id}`)).status).toBe(404)
    expect((await staff.get(`/app/clients/${a.org_client_id}/merge?from=${a.org_client_id}`)).status).toBe(400)
    const anonymous = await new Staff().get('/app/clients/duplicates')
    expect(anonymous.status).toBe(303)
    expect(anonymous.headers.get('location')).toContain('/login')
  })
})
