/**
 * The assistant on the pages and in the log: the Brief card on a client's page (htmx swaps it; a
 * plain form post shows it on a page), a lead's brief from its page route, /app/assistant listing
 * every interaction with its prompt and answer, GET /api/v1/ai-interactions by kind, subject and
 * cursor, and another business's ids simply not found.
 */
import { describe, expect, it } from 'vitest'
import { addLead, brief, interactionsOf, randomPhone, textIn, withAna } from './helpers/assistant'
import { Staff } from './helpers/browserless'
import { api, createClient, createOrg, type TestOrg } from './helpers/factories'

const HX = { 'hx-request': 'true' }

async function signedIn(org: TestOrg) {
  const staff = new Staff()
  await staff.post('/login', { email: org.email, password: org.password })
  return { staff, csrf: await staff.csrfToken() }
}

describe("the Brief card on a client's page", () => {
  it('offers a brief, and swaps in the summary, next action and priority in place', async () => {
    const { org, id, phone } = await withAna()
    await textIn(phone, 'Is my visit still on?')
    const { staff, csrf } = await signedIn(org)
    const page = await (await staff.get(`/app/clients/${id}`)).text()
    expect(page).toContain('data-testid="brief"')
    expect(page).toContain(`hx-post="/app/assistant/clients/${id}/brief"`)

    const res = await staff.post(`/app/assistant/clients/${id}/brief`, { _csrf: csrf }, HX)
    expect(res.status).toBe(200)
    const html = await res.text()
    expect(html.startsWith('<section class="card brief" id="brief"')).toBe(true)
    expect(html).toContain('High priority')
    expect(html).toContain('Reply to Ana&#39;s text from today')
    expect(html).toContain('Ana Ruiz is')
    expect(html).toContain('Brief me again')
    const [stored] = await interactionsOf(org, '?kind=brief')
    expect(stored).toMatchObject({ subject_id: id, subject_type: 'client' })
  })

  it('works without JavaScript: the brief comes back on a page with a way back', async () => {
    const { org, id } = await withAna()
    const { staff, csrf } = await signedIn(org)
    const res = await staff.post(`/app/assistant/clients/${id}/brief`, { _csrf: csrf })
    expect(res.status).toBe(200)
    const html = await res.text()
    expect(html).toContain('<!DOCTYPE html>')
    expect(html).toContain(`href="/app/clients/${id}"`)
    expect(html).toContain('data-testid="brief-next-action"')
  })

  it("gives a lead's brief from its page route", async () => {
    const { org } = await withAna()
    const lead = await addLead(org, { firstName: 'Maria', serviceInterest: 'Window washing' })
    const { staff, csrf } = await signedIn(org)
    const html = await (await staff.post(`/app/assistant/leads/${lead}/brief`, { _csrf: csrf }, HX)).text()
    expect(html).toContain('Make first contact with Maria about Window washing')
    expect(html).toContain('Medium priority')
  })

  it("is a 404 for another business's client or lead, with nothing stored", async () => {
    const { org, id } = await withAna()
    const lead = await addLead(org, { firstName: 'Maria' })
    const stranger = await createOrg()
    const { staff, csrf } = await signedIn(stranger)
    expect((await staff.post(`/app/assistant/clients/${id}/brief`, { _csrf: csrf }, HX)).status).toBe(404)
    expect((await staff.post(`/app/assistant/leads/${lead}/brief`, { _csrf: csrf }, HX)).status).toBe(404)
    expect(await interactionsOf(stranger)).toEqual([])
    expect(await interactionsOf(org)).toEqual([])
  })

  it('refuses a brief posted without the CSRF token, storing nothing', async () => {
    const { org, id } = await withAna()
    const { staff } = await signedIn(org)
    expect((await staff.post(`/app/assistant/clients/${id}/brief`, {}, HX)).status).toBe(403)
    expect(await interactionsOf(org)).toEqual([])
  })
})

describe('/app/assistant', () => {
  it('lists every interaction newest first, by kind, each opening to its prompt and answer', async () => {
    const { org, id, phone } = await withAna()
    await textIn(phone, 'Thanks <b>so</b> much, looks amazing!')
    await brief(org, 'clients', id)
    const { staff } = await signedIn(org)
    const html = await (await staff.get('/app/assistant')).text()
    const kinds = [...html.matchAll(/data-kind="(\w+)"/g)].map((m) => m[1])
    expect(kinds).toEqual(['brief', 'sentiment'])
    expect(html).toContain(`href="/app/clients/${id}"`)
    expect(html).toContain('data-testid="interaction-prompt"')
    expect(html).toContain('Thanks &lt;b&gt;so&lt;/b&gt; much')
    expect(html).not.toContain('<b>so</b>')
    expect(html).toContain('by the API')
    expect(html).toContain('automatic')

    const briefsOnly = await (await staff.get('/app/assistant?kind=brief')).text()
    expect([...briefsOnly.matchAll(/data-kind="(\w+)"/g)].map((m) => m[1])).toEqual(['brief'])
    expect(briefsOnly).toContain('aria-current="page">Brief</a>')
  })

  it("shows only this business's interactions", async () => {
    const a = await withAna()
    await brief(a.org, 'clients', a.id)
    const stranger = await createOrg()
    const { staff } = await signedIn(stranger)
    const html = await (await staff.get('/app/assistant')).text()
    expect(html).toContain('data-testid="interactions-empty"')
    expect(html).not.toContain(a.id)
  })
})

describe('GET /api/v1/ai-interactions', () => {
  it('filters by kind and subject and pages by cursor', async () => {
    const { org, id, phone } = await withAna()
    const other = await createClient(org, { first_name: 'Ben', phone: randomPhone() })
    await textIn(phone, 'See you then')
    await brief(org, 'clients', id)
    await brief(org, 'clients', other.org_client_id)
    await brief(org, 'clients', id)

    const all = await interactionsOf(org)
    expect(all.map((i) => i.kind)).toEqual(['brief', 'brief', 'brief', 'sentiment'])
    expect(all[0]).toEqual({
      id: expect.any(String),
      kind: 'brief',
      model: 'homebase-builtin',
      prompt: expect.stringContaining('Client: Ana Ruiz'),
      response: expect.stringContaining('"next_action"'),
      created_at: expect.any(String),
      subject_type: 'client',
      subject_id: id,
      requested_by: 'api',
    })
    expect((await interactionsOf(org, '?kind=sentiment')).map((i) => i.subject_type)).toEqual(['message'])
    expect((await interactionsOf(org, `?subject_id=${id}`)).map((i) => i.id)).toEqual([all[0]!.id, all[2]!.id])

    const first = await (await api(org, 'GET', '/api/v1/ai-interactions?limit=2')).json<{
      items: Array<{ id: string }>
      next_cursor: string
    }>()
    expect(first.items.map((i) => i.id)).toEqual([all[0]!.id, all[1]!.id])
    const second = await (
      await api(org, 'GET', `/api/v1/ai-interactions?limit=2&cursor=${encodeURIComponent(first.next_cursor)}`)
    ).json<{ items: Array<{ id: string }>; next_cursor: string | null }>()
    expect(second.items.map((i) => i.id)).toEqual([all[2]!.id, all[3]!.id])
    expect(second.next_cursor).toBeNull()
  })

  it('refuses an unknown kind, and needs an API key', async () => {
    const { org } = await withAna()
    expect((await api(org, 'GET', '/api/v1/ai-interactions?kind=poem')).status).toBe(400)
    expect((await api(null, 'GET', '/api/v1/ai-interactions')).status).toBe(401)
    expect((await brief(null, 'clients', crypto.randomUUID())).status).toBe(401)
  })
})
