// Over 300 lines on purpose: the leads pages' one route test (board, moving, list filters, new lead, the lead page, converting, dashboard, client page), sharing one set of helpers.
/** /app/leads: the board's counts and values, moving by form and by htmx, the list's filters, a lead's page, converting, the dashboard and the client page. */
import { describe, expect, it } from 'vitest'
import { Staff } from './helpers/browserless'
import { api, createClient, createOrg, type TestOrg, unique } from './helpers/factories'
import { teammate } from './helpers/team'

const HX = { 'hx-request': 'true' }

type Lead = Record<string, unknown> & {
  id: string
  status_id: string
  custom_fields: Record<string, unknown>
  custom_fields_version: number
  is_converted: boolean
  converted_to_client_id: string | null
}

/** A business in Chicago with its owner signed in, and the session's CSRF token. */
async function signedIn() {
  const org = await createOrg({ timezone: 'America/Chicago' })
  const staff = new Staff()
  await staff.post('/login', { email: org.email, password: org.password })
  return { org, staff, csrf: await staff.csrfToken() }
}

async function addLead(org: TestOrg, body: Record<string, unknown> = {}): Promise<Lead> {
  const res = await api(org, 'POST', '/api/v1/leads', { first_name: 'Dana', ...body })
  expect(res.status).toBe(201)
  return (await res.json<{ lead: Lead }>()).lead
}

const leadOf = async (org: TestOrg, id: string) => (await api(org, 'GET', `/api/v1/leads/${id}`)).json<Lead>()
const html = async (staff: Staff, path: string) => {
  const res = await staff.get(path)
  expect(res.status).toBe(200)
  return res.text()
}

/** One column of the board page: from its section to the next. */
function column(page: string, statusId: string): string {
  const start = page.indexOf(`id="col-${statusId}"`)
  expect(start).toBeGreaterThan(-1)
  const next = page.indexOf('class="board-col"', start)
  return page.slice(start, next === -1 ? undefined : next)
}

/** A column head's count and value, as shown. */
function head(part: string) {
  return {
    count: Number(part.match(/data-testid="col-count">(\d+)</)?.[1]),
    value: part.match(/data-testid="col-value">([^<]+)</)?.[1],
  }
}

/** The custom fields form as posted: a name and a value per row (Staff.post copies a URLSearchParams with its repeats). */
const rows = (csrf: string, pairs: Array<[string, string]>) =>
  new URLSearchParams([
    ['_csrf', csrf],
    ...pairs.flatMap(
      ([n, v]): Array<[string, string]> => [
        ['name', n],
        ['value', v],
      ],
    ),
  ]) as unknown as Record<string, string>

const hourFromNow = (hours: number) => new Date(Date.now() + hours * 3_600_000).toISOString()

describe('GET /app/leads (the board)', () => {
  it('shows a column per status in order with its count and value, cards with follow-up and owner, converted leads left off', async () => {
    const { org, staff } = await signedIn()
    const dana = await teammate(org, { name: 'Dana Lee', color: '#aa3300' })
    await addLead(org, { first_name: 'Ana', last_name: 'Ruiz', estimated_value_cents: 100_000 })
    await addLead(org, { first_name: 'Ben', company: 'Oak HOA', estimated_value_cents: 250_000 })
    const late = await addLead(org, {
      first_name: 'Cy',
      status_id: 'ls_contacted',
      service_interest: 'Move-out clean',
      estimated_value_cents: 40_000,
      next_follow_up_at: hourFromNow(-3),
      assigned_to: dana,
    })
    const gone = await addLead(org, {
      first_name: 'Di',
      email: `di-${unique()}@example.com`,
      estimated_value_cents: 9_000,
    })
    expect((await api(org, 'POST', `/api/v1/leads/${gone.id}/convert`)).status).toBe(200)

    const page = await html(staff, '/app/leads')
    const order = ['ls_new', 'ls_contacted', 'ls_estimate_sent', 'ls_won', 'ls_lost'].map((id) =>
      page.indexOf(`id="col-${id}"`),
    )
    expect(order.every((at, i) => at > -1 && (i === 0 || at > order[i - 1]!))).toBe(true)
    expect(head(column(page, 'ls_new'))).toEqual({ count: 2, value: '$3,500' })
    expect(head(column(page, 'ls_contacted'))).toEqual({ count: 1, value: '$400' })
    // The converted lead is neither counted nor shown, though it is won now.
    expect(head(column(page, 'ls_won'))).toEqual({ count: 0, value: '$0' })
    expect(page).not.toContain(gone.id)
    expect(column(page, 'ls_new')).toContain('Ana Ruiz')
    expect(column(page, 'ls_new')).toContain('Oak HOA')
    const cy = column(page, 'ls_contacted')
    expect(cy).toContain(`id="lead-${late.id}"`)
    expect(cy).toContain('Move-out clean')
    expect(cy).toMatch(/lead-due is-overdue[^>]*>Overdue since/)
    expect(cy).toContain('style="background:#aa3300" aria-hidden="true">DL</span>')
    // Every card carries its own plain form for keyboards and pages without JavaScript.
    expect(cy).toMatch(new RegExp(`action="/app/leads/${late.id}/status"`))
    expect(page).toContain('href="/app/leads/new"')
    expect(page).toContain('href="/app/leads?view=list"')
    expect(page).toContain('href="/app/assistant"')
    expect(page).toContain('/leads.js')
  })

  it('shows the first 50 cards of a column and links the rest to the list filtered by that status', async () => {
    const { org, staff } = await signedIn()
    for (let i = 0; i < 52; i++) await addLead(org, { first_name: `Lead${i}`, status_id: 'ls_estimate_sent' })
    const part = column(await html(staff, '/app/leads'), 'ls_estimate_sent')
    expect(head(part).count).toBe(52)
    expect(part.match(/class="lead-card"/g)).toHaveLength(50)
    expect(part).toContain('href="/app/leads?view=list&amp;status_id=ls_estimate_sent">+2 more</a>')
    // The list pages through the same 52 by cursor.
    const first = await html(staff, '/app/leads?view=list&status_id=ls_estimate_sent')
    expect(first.match(/data-lead-id=/g)).toHaveLength(50)
    const more = first.match(/hx-get="([^"]*cursor=[^"]*)"/)?.[1]?.replace(/&amp;/g, '&')
    expect(more).toBeDefined()
    const rest = await (await staff.get(more!, HX)).text()
    expect(rest.match(/data-lead-id=/g)).toHaveLength(2)
    expect(rest).not.toContain('<html')
  })
})

describe('POST /app/leads/{id}/status', () => {
  it('moves a lead by the plain form, says so on the board, and the counts and values follow', async () => {
    const { org, staff, csrf } = await signedIn()
    const lead = await addLead(org, { first_name: 'Dana', last_name: 'Reyes', estimated_value_cents: 120_000 })
    await addLead(org, { first_name: 'Eli', estimated_value_cents: 30_000 })
    const res = await staff.post(`/app/leads/${lead.id}/status`, {
      _csrf: csrf,
      status_id: 'ls_contacted',
      from: 'ls_new',
    })
    expect(res.status).toBe(303)
    expect(res.headers.get('location')).toBe(`/app/leads?moved=${lead.id}#lead-${lead.id}`)
    expect((await leadOf(org, lead.id)).status_id).toBe('ls_contacted')
    const page = await html(staff, res.headers.get('location')!.split('#')[0]!)
    expect(page).toContain('Moved Dana Reyes to Contacted.')
    expect(head(column(page, 'ls_new'))).toEqual({ count: 1, value: '$300' })
    expect(head(column(page, 'ls_contacted'))).toEqual({ count: 1, value: '$1,200' })
    expect(column(page, 'ls_contacted')).toContain(`id="lead-${lead.id}"`)
    // The move is on the lead's history.
    const { activities } = await (await api(org, 'GET', `/api/v1/leads/${lead.id}`)).json<{
      activities: Array<{ type: string; summary: string }>
    }>()
    expect(activities[0]).toMatchObject({ type: 'status_changed', summary: 'Moved from New to Contacted' })
  })

  it('answers htmx with the card for the top of its new column and both columns’ heads', async () => {
    const { org, staff, csrf } = await signedIn()
    const lead = await addLead(org, { first_name: 'Dana', estimated_value_cents: 50_000 })
    await addLead(org, { first_name: 'Eli', status_id: 'ls_contacted', estimated_value_cents: 20_000 })
    const res = await staff.post(
      `/app/leads/${lead.id}/status`,
      { _csrf: csrf, status_id: 'ls_contacted', from: 'ls_new' },
      HX,
    )
    expect(res.status).toBe(200)
    const body = await res.text()
    expect(body).not.toContain('<html')
    const card = body.match(
      /<hx-partial hx-target="#cards-ls_contacted" hx-swap="afterbegin">([\s\S]*?)<\/hx-partial>/,
    )?.[1]
    expect(card).toContain(`id="lead-${lead.id}" data-lead="${lead.id}" data-status="ls_contacted"`)
    expect(card).toMatch(/<option value="ls_contacted" selected="">Contacted/)
    const heads = (id: string) =>
      body.match(
        new RegExp(`<hx-partial hx-target="#head-${id}" hx-swap="outerHTML">([\\s\\S]*?)</hx-partial>`),
      )?.[1] ?? ''
    expect(head(heads('ls_new'))).toEqual({ count: 0, value: '$0' })
    expect(head(heads('ls_contacted'))).toEqual({ count: 2, value: '$700' })
    expect(body).toContain('Moved Dana to Contacted.')
    expect((await leadOf(org, lead.id)).status_id).toBe('ls_contacted')
  })

  it('refuses a status that is not the business’s (422, the card with the reason) and a converted lead (409)', async () => {
    const { org, staff, csrf } = await signedIn()
    const lead = await addLead(org)
    // Another business's own status is not one of this business's.
    const other = await createOrg()
    const stranger = await api(other, 'POST', '/api/v1/lead-statuses', {
      name: 'Theirs',
      color: '#123456',
      kind: 'open',
    })
    const foreignStatus = (await stranger.json<{ id: string }>()).id
    const bad = await staff.post(`/app/leads/${lead.id}/status`, { _csrf: csrf, status_id: foreignStatus }, HX)
    expect(bad.status).toBe(422)
    const card = await bad.text()
    expect(card).toContain(`id="lead-${lead.id}"`)
    expect(card).toContain('Pick one of your statuses.')
    expect((await leadOf(org, lead.id)).status_id).toBe('ls_new')

    const won = await addLead(org, { email: `w-${unique()}@example.com` })
    await api(org, 'POST', `/api/v1/leads/${won.id}/convert`)
    const late = await staff.post(`/app/leads/${won.id}/status`, { _csrf: csrf, status_id: 'ls_lost' }, HX)
    expect(late.status).toBe(409)
    expect(await late.text()).toContain('This lead became a client')
    expect((await leadOf(org, won.id)).status_id).toBe('ls_won')
  })

  it('lets a tech see the board and move a lead, as the schedule does', async () => {
    const { org } = await signedIn()
    const lead = await addLead(org, { first_name: 'Tess' })
    const email = `tech-${unique()}@example.com`
    const invite = await api(org, 'POST', '/api/v1/team/invites', { email, role: 'tech', name: 'Tia Tech' })
    const { invite_url } = await invite.json<{ invite_url: string }>()
    await new Staff().post(new URL(invite_url).pathname, { password: 'tech password 1' })
    const tech = new Staff()
    await tech.post('/login', { email, password: 'tech password 1' })
    expect(column(await html(tech, '/app/leads'), 'ls_new')).toContain('Tess')
    const res = await tech.post(`/app/leads/${lead.id}/status`, { _csrf: await tech.csrfToken(), status_id: 'ls_lost' })
    expect(res.status).toBe(303)
    expect((await leadOf(org, lead.id)).status_id).toBe('ls_lost')
  })
})

describe('another business’s lead', () => {
  it('is not found on any lead page or form (404), and nothing changes', async () => {
    const mine = await signedIn()
    const theirs = await signedIn()
    const lead = await addLead(theirs.org, { first_name: 'Private', email: `p-${unique()}@example.com` })
    const { staff, csrf } = mine
    expect((await staff.get(`/app/leads/${lead.id}`)).status).toBe(404)
    expect((await staff.get(`/app/leads/${lead.id}/convert`)).status).toBe(404)
    const posts: Array<[string, Record<string, string>]> = [
      [`/app/leads/${lead.id}/status`, { status_id: 'ls_lost' }],
      [`/app/leads/${lead.id}`, { first_name: 'Hijacked' }],
      [`/app/leads/${lead.id}/fields`, { name: 'x', value: 'y' }],
      [`/app/leads/${lead.id}/activities`, { type: 'note', summary: 'Was here' }],
      [`/app/leads/${lead.id}/convert`, {}],
    ]
    for (const [path, fields] of posts) {
      const res = await staff.post(path, { _csrf: csrf, ...fields })
      expect([path, res.status]).toEqual([path, 404])
    }
    const after = await leadOf(theirs.org, lead.id)
    expect(after).toMatchObject({ first_name: 'Private', status_id: 'ls_new', is_converted: false, custom_fields: {} })
    expect(await (await html(staff, '/app/leads')).includes('Private')).toBe(false)
  })
})

describe('GET /app/leads?view=list', () => {
  it('filters by status, source, follow-up, owner and search, and answers htmx with the rows only', async () => {
    const { org, staff } = await signedIn()
    const dana = await teammate(org, { name: 'Dana Lee' })
    const overdue = await addLead(org, { first_name: 'Olive', next_follow_up_at: hourFromNow(-30), source: 'phone' })
    const soon = await addLead(org, { first_name: 'Sol', next_follow_up_at: hourFromNow(0.02), assigned_to: dana })
    const later = await addLead(org, {
      first_name: 'Lars',
      next_follow_up_at: hourFromNow(24 * 9),
      company: 'Birch Offices',
    })
    const none = await addLead(org, { first_name: 'Nia', status_id: 'ls_contacted', source: 'web_form' })
    const ids = async (query: string) =>
      [...(await html(staff, `/app/leads?view=list&${query}`)).matchAll(/data-lead-id="([^"]+)"/g)].map((m) => m[1])
    expect(await ids('')).toEqual([none.id, later.id, soon.id, overdue.id])
    expect(await ids('status_id=ls_contacted')).toEqual([none.id])
    expect(await ids('source=phone')).toEqual([overdue.id])
    expect(await ids('follow_up=overdue')).toEqual([overdue.id])
    expect(await ids('follow_up=today')).toEqual(expect.arrayContaining([overdue.id]))
    expect(await ids('follow_up=today')).not.toContain(later.id)
    expect(await ids('follow_up=week')).not.toContain(later.id)
    expect(await ids('follow_up=none')).toEqual([none.id])
    expect(await ids(`assigned_to=${dana}`)).toEqual([soon.id])
    expect(await ids('q=birch')).toEqual([later.id])
    expect(await ids('q=birch&status_id=ls_contacted')).toEqual([])
    // A filter the page does not know is no filter, never an error.
    expect(await ids('follow_up=someday&status_id=')).toHaveLength(4)
    const rows = await staff.get('/app/leads?view=list&q=olive', HX)
    expect(rows.headers.get('vary')).toContain('HX-Request')
    const body = await rows.text()
    expect(body).not.toContain('<html')
    expect(body).toContain(`href="/app/leads/${overdue.id}"`)
    expect(body).toContain('Phone call')
  })
})

describe('/app/leads/new', () => {
  it('creates a lead with the follow-up on the business’s clock and the value in dollars, and opens it', async () => {
    const { org, staff, csrf } = await signedIn()
    const dana = await teammate(org, { name: 'Dana Lee' })
    expect(await html(staff, '/app/leads/new')).toContain('name="next_follow_up_at" type="datetime-local"')
    const res = await staff.post('/app/leads', {
      _csrf: csrf,
      first_name: 'Mara',
      last_name: 'Quinn',
      company: 'Quinn Dental',
      email: 'MARA@Example.com',
      phone: '(312) 555-0188',
      source: 'referral',
      service_interest: 'Office cleaning',
      estimated_value: '$1,200.50',
      status_id: 'ls_contacted',
      next_follow_up_at: '2031-04-02T09:30',
      assigned_to: dana,
      notes: 'Referred by Oak HOA',
    })
    expect(res.status).toBe(303)
    const id = res.headers.get('location')!.match(/^\/app\/leads\/([0-9a-f-]+)$/)![1]!
    expect(await leadOf(org, id)).toMatchObject({
      first_name: 'Mara',
      last_name: 'Quinn',
      company: 'Quinn Dental',
      email: 'mara@example.com',
      phone: '+13125550188',
      source: 'referral',
      service_interest: 'Office cleaning',
      estimated_value_cents: 120_050,
      status_id: 'ls_contacted',
      next_follow_up_at: '2031-04-02T14:30:00.000Z',
      assigned_to: dana,
      notes: 'Referred by Oak HOA',
    })
    const page = await html(staff, `/app/leads/${id}`)
    expect(page).toContain('value="2031-04-02T09:30"')
    expect(page).toContain('value="1200.50"')
  })

  it('shows each error beside its field and writes nothing', async () => {
    const { org, staff, csrf } = await signedIn()
    const res = await staff.post(
      '/app/leads',
      {
        _csrf: csrf,
        first_name: '',
        phone: '12',
        estimated_value: 'lots',
        next_follow_up_at: 'soon',
        assigned_to: crypto.randomUUID(),
      },
      HX,
    )
    expect(res.status).toBe(422)
    const form = await res.text()
    expect(form).toContain('id="new-lead"')
    expect(form).toMatch(/id="f-first_name-error">Enter a first name\./)
    expect(form).toMatch(/id="f-phone-error">Enter a phone number/)
    expect(form).toMatch(/id="f-estimated_value-error">Enter an amount in dollars/)
    expect(form).toMatch(/id="f-next_follow_up_at-error">Pick a date and a time/)
    // Someone not on the team is refused once the rest is right.
    const stranger = await staff.post('/app/leads', { _csrf: csrf, first_name: 'Ok', assigned_to: crypto.randomUUID() })
    expect(stranger.status).toBe(422)
    expect(await stranger.text()).toMatch(/id="f-assigned_to-error">is not on this business/)
    const { items } = await (await api(org, 'GET', '/api/v1/leads')).json<{ items: unknown[] }>()
    expect(items).toHaveLength(0)
  })
})

describe('/app/leads/{id}', () => {
  it('edits the lead in place, clears an emptied field, and logs activities', async () => {
    const { org, staff, csrf } = await signedIn()
    const lead = await addLead(org, { first_name: 'Dana', company: 'Old Co', estimated_value_cents: 1000 })
    const page = await html(staff, `/app/leads/${lead.id}`)
    expect(page).toContain(`href="/app/estimates/new?lead_id=${lead.id}"`)
    expect(page).toContain(`/app/assistant/leads/${lead.id}/brief`)
    expect(page).toContain(`href="/app/leads/${lead.id}/convert"`)
    const saved = await staff.post(
      `/app/leads/${lead.id}`,
      {
        _csrf: csrf,
        first_name: 'Dana',
        last_name: 'Reyes',
        company: '',
        estimated_value: '2500',
        status_id: 'ls_estimate_sent',
        source: 'phone',
      },
      HX,
    )
    expect(saved.status).toBe(200)
    const fragment = await saved.text()
    expect(fragment).toContain('Saved.')
    expect(fragment).toMatch(/<hx-partial hx-target="#lead-head"[\s\S]*Dana Reyes[\s\S]*Estimate sent/)
    expect(fragment).toMatch(/<hx-partial hx-target="#activities"[\s\S]*Moved from New to Estimate sent/)
    expect(await leadOf(org, lead.id)).toMatchObject({
      last_name: 'Reyes',
      company: null,
      estimated_value_cents: 250_000,
      status_id: 'ls_estimate_sent',
      source: 'phone',
    })
    const bad = await staff.post(`/app/leads/${lead.id}`, { _csrf: csrf, first_name: '', email: 'nope' })
    expect(bad.status).toBe(422)
    expect(await bad.text()).toMatch(/id="f-email-error">Enter a valid email/)

    const logged = await staff.post(
      `/app/leads/${lead.id}/activities`,
      { _csrf: csrf, type: 'call', direction: 'inbound', summary: 'Asked for a Friday visit' },
      HX,
    )
    expect(logged.status).toBe(200)
    const card = await logged.text()
    expect(card).toMatch(/Call · From them<\/strong> <span class="activity-summary">Asked for a Friday visit/)
    const empty = await staff.post(`/app/leads/${lead.id}/activities`, { _csrf: csrf, type: 'call', summary: ' ' }, HX)
    expect(empty.status).toBe(422)
    expect(await empty.text()).toContain('Say what happened.')
    const detail = await (await api(org, 'GET', `/api/v1/leads/${lead.id}`)).json<{
      activities: Array<{ type: string }>
      last_contact_at: string | null
    }>()
    expect(detail.activities.filter((a) => a.type === 'call')).toHaveLength(1)
    expect(detail.last_contact_at).not.toBeNull()
  })

  it('edits custom fields as rows, keeps a number a number, and bumps the schema version when names change', async () => {
    const { org, staff, csrf } = await signedIn()
    const lead = await addLead(org, { custom_fields: { rooms: 4, gate: '1234' } })
    const page = await html(staff, `/app/leads/${lead.id}`)
    expect(page).toContain('schema version 1')
    // Same names, a changed value: the version stays, the untouched number stays a number.
    await staff.post(
      `/app/leads/${lead.id}/fields`,
      rows(csrf, [
        ['rooms', '4'],
        ['gate', '9999'],
        ['', ''],
      ]),
    )
    expect(await leadOf(org, lead.id)).toMatchObject({
      custom_fields: { rooms: 4, gate: '9999' },
      custom_fields_version: 1,
    })
    const res = await staff.post(
      `/app/leads/${lead.id}/fields`,
      rows(csrf, [
        ['rooms', '5'],
        ['', ''],
        ['pets', 'one dog'],
      ]),
      HX,
    )
    expect(res.status).toBe(200)
    expect(await res.text()).toContain('schema version 2')
    expect(await leadOf(org, lead.id)).toMatchObject({
      custom_fields: { rooms: '5', pets: 'one dog' },
      custom_fields_version: 2,
    })
    const twice = await staff.post(
      `/app/leads/${lead.id}/fields`,
      rows(csrf, [
        ['pets', 'a'],
        ['pets', 'b'],
      ]),
      HX,
    )
    expect(twice.status).toBe(422)
    expect(await twice.text()).toContain('is there twice')
    expect((await leadOf(org, lead.id)).custom_fields_version).toBe(2)
  })

  it('converts to a client after the confirm step; the page is then read-only and links to the client, whose page shows the lead', async () => {
    const { org, staff, csrf } = await signedIn()
    const lead = await addLead(org, { first_name: 'Mara', last_name: 'Quinn', email: `m-${unique()}@example.com` })
    await api(org, 'POST', `/api/v1/leads/${lead.id}/activities`, {
      type: 'note',
      summary: 'Wants a quote for the office',
    })
    const confirm = await html(staff, `/app/leads/${lead.id}/convert`)
    expect(confirm).toContain('Make Mara Quinn a client?')
    const res = await staff.post(`/app/leads/${lead.id}/convert`, { _csrf: csrf })
    expect(res.status).toBe(303)
    expect(res.headers.get('location')).toBe(`/app/leads/${lead.id}`)
    const converted = await leadOf(org, lead.id)
    expect(converted.is_converted).toBe(true)
    const page = await html(staff, `/app/leads/${lead.id}`)
    expect(page).toContain('data-testid="converted"')
    expect(page).toContain(`href="/app/clients/${converted.converted_to_client_id}"`)
    expect(page).not.toContain('id="lead-edit"')
    expect(page).not.toContain(`action="/app/leads/${lead.id}/activities"`)
    expect(page).not.toContain(`href="/app/leads/${lead.id}/convert"`)
    // A second conversion (a replayed form) makes no second client.
    const again = await staff.post(`/app/leads/${lead.id}/convert`, { _csrf: csrf })
    expect(again.status).toBe(303)
    expect((await staff.get(`/app/leads/${lead.id}/convert`)).status).toBe(303)
    const client = await html(staff, `/app/clients/${converted.converted_to_client_id}`)
    expect(client).toMatch(/From lead: <a href="\/app\/leads\/[^"]+">Mara Quinn<\/a>/)
    expect(client).toContain('Wants a quote for the office')
    const { items } = await (await api(org, 'GET', '/api/v1/clients')).json<{ items: unknown[] }>()
    expect(items).toHaveLength(1)
  })

  it('says why a lead without an email or phone cannot be converted yet, and converts nothing', async () => {
    const { org, staff, csrf } = await signedIn()
    const lead = await addLead(org, { first_name: 'Nobody' })
    const res = await staff.post(`/app/leads/${lead.id}/convert`, { _csrf: csrf })
    expect(res.status).toBe(422)
    expect(await res.text()).toContain('This lead has no email or phone')
    expect((await leadOf(org, lead.id)).is_converted).toBe(false)
  })
})

describe('the dashboard and the client page', () => {
  it('lists follow-ups due by the end of today, overdue first, and counts this week’s web requests', async () => {
    const { org, staff } = await signedIn()
    const older = await addLead(org, { first_name: 'Oldest', next_follow_up_at: hourFromNow(-48) })
    const newer = await addLead(org, { first_name: 'Recent', next_follow_up_at: hourFromNow(-1) })
    await addLead(org, { first_name: 'Faraway', next_follow_up_at: hourFromNow(24 * 3) })
    await addLead(org, { first_name: 'Web1', source: 'web_form' })
    await addLead(org, { first_name: 'Web2', source: 'web_form' })
    const page = await html(staff, '/app')
    const card = page.slice(page.indexOf('data-testid="follow-ups"'))
    expect(card.indexOf(older.id)).toBeGreaterThan(-1)
    expect(card.indexOf(older.id)).toBeLessThan(card.indexOf(newer.id))
    expect(card).not.toContain('Faraway')
    expect(card).toMatch(/data-testid="new-requests">\s*<a[^>]*>2 new requests this week/)
  })

  it('logs an activity on a client from its page; another business’s client is not found', async () => {
    const { org, staff, csrf } = await signedIn()
    const { org_client_id } = await createClient(org, { first_name: 'Casey', email: `c-${unique()}@example.com` })
    const res = await staff.post(`/app/clients/${org_client_id}/activities`, {
      _csrf: csrf,
      type: 'meeting',
      direction: '',
      summary: 'Walked the site',
    })
    expect(res.status).toBe(303)
    const page = await html(staff, `/app/clients/${org_client_id}`)
    expect(page).toContain(`action="/app/clients/${org_client_id}/activities"`)
    expect(page).toMatch(/Meeting<\/strong> <span class="activity-summary">Walked the site/)
    const other = await signedIn()
    const theirs = await createClient(other.org, { first_name: 'Private', email: `p-${unique()}@example.com` })
    const stray = await staff.post(`/app/clients/${theirs.org_client_id}/activities`, {
      _csrf: csrf,
      type: 'note',
      summary: 'x',
    })
    expect(stray.status).toBe(404)
    const { items } = await (await api(other.org, 'GET', `/api/v1/clients/${theirs.org_client_id}/activities`)).json<{
      items: unknown[]
    }>()
    expect(items).toHaveLength(0)
  })
})
