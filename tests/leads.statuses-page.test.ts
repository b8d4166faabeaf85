/**
 * /app/leads/statuses (the pipeline's steps): listing, adding, editing, moving and deleting them
 * as owners see it on the board, the API's refusals, other roles and other businesses; the
 * dashboard's count of this week's web requests; a crew booked from an approved estimate's page.
 */
import { eq } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { leads } from '../durable-objects/org/schema'
import { withHost } from './helpers/assistant'
import { Staff } from './helpers/browserless'
import { estimateOf, homeowner, sentEstimate } from './helpers/estimates'
import { api, createOrg, type TestOrg, unique } from './helpers/factories'
import { teammate } from './helpers/team'

const HX = { 'hx-request': 'true' }
const PAGE = '/app/leads/statuses'
const DEFAULTS = ['ls_new', 'ls_contacted', 'ls_estimate_sent', 'ls_won', 'ls_lost']

type Status = { id: string; name: string; color: string; icon: string | null; position: number; kind: string }

async function signIn(email: string, password: string) {
  const staff = new Staff()
  await staff.post('/login', { email, password })
  return { staff, csrf: await staff.csrfToken() }
}

/** A business with its owner signed in. */
async function owner() {
  const org = await createOrg()
  return { org, ...(await signIn(org.email, org.password)) }
}

const statusesOf = async (org: TestOrg) =>
  (await (await api(org, 'GET', '/api/v1/lead-statuses')).json<{ items: Status[] }>()).items

/** The board's columns in order, as the page shows them. */
const boardColumns = (page: string) => [...page.matchAll(/class="board-col" id="col-([\w-]+)"/g)].map((m) => m[1])

const html = async (staff: Staff, path: string) => {
  const res = await staff.get(path)
  expect(res.status).toBe(200)
  return res.text()
}

describe('GET /app/leads/statuses', () => {
  it('lists the five default steps in order with their colour, icon and kind; the board links to it for owners', async () => {
    const { staff } = await owner()
    const page = await html(staff, PAGE)
    const rows = [...page.matchAll(/<li class="row" id="status-([\w-]+)" data-status="[\w-]+" data-kind="(\w+)"/g)]
    expect(rows.map((m) => m[1])).toEqual(DEFAULTS)
    expect(rows.map((m) => m[2])).toEqual(['open', 'open', 'open', 'won', 'lost'])
    expect(page).toContain('data-color="#2563eb"')
    expect(page).toMatch(/data-icon="sparkles"><span aria-hidden="true">✨/)
    expect(page).toContain('action="/app/leads/statuses"')
    expect(await html(staff, '/app/leads')).toContain('href="/app/leads/statuses"')
  })
})

describe('changing the pipeline from its page', () => {
  it('adds, renames, recolours, moves and deletes steps, and the board follows', async () => {
    const { org, staff, csrf } = await owner()
    // Added with htmx: the section comes back with it after the last open step, before Won.
    const added = await staff.post(
      PAGE,
      { _csrf: csrf, name: 'Site visit', color: '#FF8800', icon: 'calendar', kind: 'open', position: '3' },
      HX,
    )
    expect(added.status).toBe(201)
    const section = await added.text()
    expect(section).toMatch(/^<div id="lead-statuses"/)
    expect(section).toContain('Added Site visit.')
    const visit = (await statusesOf(org)).find((s) => s.name === 'Site visit')!
    expect(visit).toMatchObject({ color: '#ff8800', icon: 'calendar', kind: 'open', position: 3 })
    expect(boardColumns(await html(staff, '/app/leads'))).toEqual([
      ...DEFAULTS.slice(0, 3),
      visit.id,
      'ls_won',
      'ls_lost',
    ])

    // Edited without JavaScript: name, colour, icon and kind saved together, then back to the page.
    expect((await staff.get(`${PAGE}/${visit.id}/edit`)).status).toBe(200)
    const saved = await staff.post(`${PAGE}/${visit.id}`, {
      _csrf: csrf,
      name: 'Walkthrough',
      color: '#123456',
      icon: 'wrench',
      kind: 'open',
    })
    expect(saved.status).toBe(303)
    expect(saved.headers.get('location')).toBe(PAGE)
    const board = await html(staff, '/app/leads')
    expect(board).toContain('style="background:#123456"')
    expect(board).toMatch(/id="name-[\w-]+">\s*<span[^>]*><\/span>\s*Walkthrough/)

    // Moved up twice with the same form: a replay leaves it where the first one put it.
    const up = { _csrf: csrf, to: '2' }
    expect((await staff.post(`${PAGE}/${visit.id}/move`, up, HX)).status).toBe(200)
    const again = await staff.post(`${PAGE}/${visit.id}/move`, up, HX)
    expect(await again.text()).toContain('Walkthrough stays where it is.')
    expect((await statusesOf(org)).map((s) => s.id)).toEqual([
      'ls_new',
      'ls_contacted',
      visit.id,
      'ls_estimate_sent',
      'ls_won',
      'ls_lost',
    ])
    expect(boardColumns(await html(staff, '/app/leads'))[2]).toBe(visit.id)

    // Deleted: off the page, the API and the board.
    const gone = await staff.post(`${PAGE}/${visit.id}/delete`, { _csrf: csrf }, HX)
    expect(gone.status).toBe(200)
    expect(await gone.text()).toContain('Deleted Walkthrough.')
    expect((await statusesOf(org)).map((s) => s.id)).toEqual(DEFAULTS)
    expect(boardColumns(await html(staff, '/app/leads'))).toEqual(DEFAULTS)
  })

  it('refuses to delete a step leads use or the last of its kind, in the API’s words, and changes nothing', async () => {
    const { org, staff, csrf } = await owner()
    expect((await api(org, 'POST', '/api/v1/leads', { first_name: 'Ana', status_id: 'ls_contacted' })).status).toBe(201)
    const before = await statusesOf(org)
    const used = await staff.post(`${PAGE}/ls_contacted/delete`, { _csrf: csrf }, HX)
    expect(used.status).toBe(409)
    expect(await used.text()).toContain('1 lead has this status: move them to another one first.')
    const last = await staff.post(`${PAGE}/ls_won/delete`, { _csrf: csrf })
    expect(last.status).toBe(409)
    expect(await last.text()).toContain('The pipeline needs a won status')
    // The last lost step keeps its kind; the row stays open with what was typed.
    const kind = await staff.post(
      `${PAGE}/ls_lost`,
      { _csrf: csrf, name: 'Gone cold', color: '#6b7280', icon: 'x', kind: 'open' },
      HX,
    )
    expect(kind.status).toBe(409)
    const answer = await kind.text()
    expect(answer).toContain('The pipeline needs a lost status')
    expect(answer).toContain('value="Gone cold"')
    expect(await statusesOf(org)).toEqual(before)
  })

  it('keeps a form that does not read filled in, with the error beside the field', async () => {
    const { org, staff, csrf } = await owner()
    const res = await staff.post(
      PAGE,
      { _csrf: csrf, name: ' ', color: 'red', icon: 'rocket', kind: 'open', position: '0' },
      HX,
    )
    expect(res.status).toBe(422)
    const page = await res.text()
    expect(page).toContain('Name the step.')
    expect(page).toContain('Pick a colour.')
    expect(page).toContain('Pick one of the icons.')
    expect(await statusesOf(org)).toHaveLength(5)
  })
})

describe('who may change the pipeline', () => {
  it('shows a tech the steps without forms and refuses their changes (403); the board has no link for them', async () => {
    const org = await createOrg()
    const email = `tech-${unique()}@example.com`
    const invite = await api(org, 'POST', '/api/v1/team/invites', { email, role: 'tech', name: 'Tia Tech' })
    const { invite_url } = await invite.json<{ invite_url: string }>()
    await new Staff().post(new URL(invite_url).pathname, { password: 'tech password 1' })
    const { staff, csrf } = await signIn(email, 'tech password 1')
    const page = await html(staff, PAGE)
    expect(page).toContain('Only owners and admins change the pipeline.')
    expect(page).not.toContain('action="/app/leads/statuses')
    expect(await html(staff, '/app/leads')).not.toContain('href="/app/leads/statuses"')
    const tries: Array<[string, Record<string, string>]> = [
      [PAGE, { name: 'Mine', color: '#000000', kind: 'open', position: '0' }],
      [`${PAGE}/ls_new`, { name: 'Renamed', color: '#000000', kind: 'open' }],
      [`${PAGE}/ls_new/move`, { to: '2' }],
      [`${PAGE}/ls_estimate_sent/delete`, {}],
    ]
    for (const [path, fields] of tries) expect((await staff.post(path, { _csrf: csrf, ...fields })).status).toBe(403)
    expect((await staff.get(`${PAGE}/ls_new/edit`)).status).toBe(403)
    expect((await statusesOf(org)).map((s) => [s.id, s.name])).toEqual(
      DEFAULTS.map((id, i) => [id, ['New', 'Contacted', 'Estimate sent', 'Won', 'Lost'][i]]),
    )
  })

  it('lets an admin change it', async () => {
    const org = await createOrg()
    const email = `admin-${unique()}@example.com`
    const invite = await api(org, 'POST', '/api/v1/team/invites', { email, role: 'admin', name: 'Ada Admin' })
    const { invite_url } = await invite.json<{ invite_url: string }>()
    await new Staff().post(new URL(invite_url).pathname, { password: 'admin password 1' })
    const { staff, csrf } = await signIn(email, 'admin password 1')
    const res = await staff.post(`${PAGE}/ls_new`, {
      _csrf: csrf,
      name: 'Fresh',
      color: '#2563eb',
      icon: '',
      kind: 'open',
    })
    expect(res.status).toBe(303)
    expect((await statusesOf(org))[0]).toMatchObject({ id: 'ls_new', name: 'Fresh', icon: null })
  })

  it('finds no step of another business (404) and changes nothing there', async () => {
    const mine = await owner()
    const theirs = await owner()
    const res = await api(theirs.org, 'POST', '/api/v1/lead-statuses', {
      name: 'Private',
      color: '#111111',
      kind: 'open',
    })
    const { id } = await res.json<Status>()
    const { staff, csrf } = mine
    expect((await staff.get(`${PAGE}/${id}/edit`)).status).toBe(404)
    const posts: Array<[string, Record<string, string>]> = [
      [`${PAGE}/${id}`, { name: 'Hijacked', color: '#000000', icon: '', kind: 'open' }],
      [`${PAGE}/${id}/move`, { to: '0' }],
      [`${PAGE}/${id}/delete`, {}],
    ]
    for (const [path, fields] of posts)
      expect((await staff.post(path, { _csrf: csrf, ...fields }, HX)).status).toBe(404)
    expect((await statusesOf(theirs.org)).find((s) => s.id === id)).toMatchObject({ name: 'Private', position: 5 })
    expect(await statusesOf(mine.org)).toHaveLength(5)
  })
})

describe('the dashboard’s web requests', () => {
  it('counts this week’s requests from the public form only, converted ones too', async () => {
    const { org, staff } = await owner()
    const made: string[] = []
    for (const [first_name, source] of [
      ['W1', 'web_form'],
      ['W2', 'web_form'],
      ['W3', 'web_form'],
      ['M1', 'manual'],
      ['Old', 'web_form'],
    ]) {
      const res = await api(org, 'POST', '/api/v1/leads', {
        first_name,
        source,
        email: `${first_name}-${unique()}@example.com`,
      })
      made.push((await res.json<{ lead_id: string }>()).lead_id)
    }
    // One request from ten days ago, and one of this week's that became a client.
    await withHost(org, (host) => {
      host.db
        .update(leads)
        .set({ createdAt: new Date(Date.now() - 10 * 86_400_000).toISOString() })
        .where(eq(leads.id, made[4]!))
        .run()
    })
    expect((await api(org, 'POST', `/api/v1/leads/${made[0]}/convert`)).status).toBe(200)
    const page = await html(staff, '/app')
    expect(page).toMatch(/data-testid="new-requests">\s*<a[^>]*>3 new requests this week/)
  })
})

describe('booking an approved estimate from its page', () => {
  it('puts the ticked crew on the job; someone not on the team is refused beside the crew', async () => {
    const { org, estimate, path } = await sentEstimate()
    await homeowner().post(`${path}/approve`, { name: 'Casey Jones' })
    const dana = await teammate(org, { name: 'Dana Lee' })
    const sam = await teammate(org, { name: 'Sam Ortiz' })
    const { staff, csrf } = await signIn(org.email, org.password)
    const page = await html(staff, `/app/estimates/${estimate.id}`)
    expect(page).toContain(`name="assigned_to" value="${dana}"`)
    expect(page).toContain('Sam Ortiz')

    const stranger = await createOrg()
    const form = (crew: string[]) =>
      new URLSearchParams([
        ['_csrf', csrf],
        ['start', '2031-05-01T09:00'],
        ['crew_shown', '1'],
        ...crew.map((id): [string, string] => ['assigned_to', id]),
      ]) as unknown as Record<string, string>
    const refused = await staff.post(`/app/estimates/${estimate.id}/job`, form([dana, stranger.userId]), HX)
    expect(refused.status).toBe(422)
    const panel = await refused.text()
    expect(panel).toContain('Pick people on your team.')
    expect(panel).toMatch(new RegExp(`value="${dana}"\\s+checked`))
    expect((await estimateOf(org, estimate.id)).job_id).toBeNull()

    const booked = await staff.post(`/app/estimates/${estimate.id}/job`, form([dana, sam]))
    expect(booked.status).toBe(303)
    const { job_id } = await estimateOf(org, estimate.id)
    const job = await (await api(org, 'GET', `/api/v1/jobs/${job_id}`)).json<{ assigned_to: string[] }>()
    expect([...job.assigned_to].sort()).toEqual([dana, sam].sort())
  })
})
