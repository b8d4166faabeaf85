/** The calendar's Unscheduled panel lists approved estimates not booked yet, each with a link to the page that books it. */
import { describe, expect, it } from 'vitest'
import { Staff } from './helpers/browserless'
import { draftEstimate, estimateOf, homeowner, sendEstimate } from './helpers/estimates'
import { api, createClient, createOrg, type TestOrg, unique } from './helpers/factories'

/** A new business with its owner signed in on the pages. */
async function signedIn() {
  const org = await createOrg({ timezone: 'America/Chicago' })
  const staff = new Staff()
  await staff.post('/login', { email: org.email, password: org.password })
  return { org, staff }
}

/** A client named `name` with an estimate (two lines, $450) taken as far as `to`. */
async function estimateFor(org: TestOrg, name: string, to: 'draft' | 'sent' | 'approved' | 'declined') {
  const client = await createClient(org, { first_name: name, email: `${name.toLowerCase()}-${unique()}@example.com` })
  const draft = await draftEstimate(org, { org_client_id: client.org_client_id, valid_until: '2031-06-30' })
  if (to === 'draft') return draft.id
  const { estimate } = await sendEstimate(org, draft.id)
  const path = new URL(estimate.link!).pathname
  if (to === 'approved') expect((await homeowner().post(`${path}/approve`, { name: `${name} Jones` })).status).toBe(303)
  if (to === 'declined') expect((await homeowner().post(`${path}/decline`, { reason: 'too much' })).status).toBe(303)
  expect((await estimateOf(org, draft.id)).status).toBe(to)
  return draft.id
}

/** The Unscheduled panel's estimate rows on the business's calendar, in order: [id, text]. */
async function listed(staff: Staff): Promise<Array<[string, string]>> {
  const html = await (await staff.get('/app/schedule')).text()
  const start = html.indexOf('data-testid="unscheduled"')
  if (start === -1) return []
  const panel = html.slice(start, html.indexOf('</details>', start))
  return [...panel.matchAll(/data-estimate="([^"]+)">([\s\S]*?)<\/li>/g)].map((m) => [m[1]!, m[2]!])
}

describe('approved estimates on the Unscheduled panel', () => {
  it('lists each approved, unbooked estimate, oldest approval first, with its client, total and Book link', async () => {
    const { org, staff } = await signedIn()
    const first = await estimateFor(org, 'Ada', 'approved')
    const second = await estimateFor(org, 'Ben', 'approved')
    await estimateFor(org, 'Cy', 'declined')
    await estimateFor(org, 'Di', 'sent')
    await estimateFor(org, 'Ed', 'draft')

    const rows = await listed(staff)
    expect(rows.map(([id]) => id)).toEqual([first, second])
    const [, ada] = rows[0]!
    expect(ada).toContain('<strong>Ada</strong>')
    expect(ada).toContain('$450.00')
    expect(ada).toContain(`href="/app/estimates/${first}"`)
    expect(ada).toContain('>Book</a>')
    // The link leads to the page whose form books it.
    expect(await (await staff.get(`/app/estimates/${first}`)).text()).toContain('data-testid="book-estimate"')
    const html = await (await staff.get('/app/schedule')).text()
    expect(html).toMatch(/Unscheduled <span class="badge">2<\/span>/)
    for (const name of ['Cy', 'Di', 'Ed']) expect(html).not.toContain(`<strong>${name}</strong>`)
  })

  it('drops an estimate once it is booked', async () => {
    const { org, staff } = await signedIn()
    const id = await estimateFor(org, 'Fay', 'approved')
    expect((await listed(staff)).map(([x]) => x)).toEqual([id])
    const res = await api(org, 'POST', `/api/v1/estimates/${id}/job`, {
      start_at: '2031-05-01T16:00:00Z',
      notify: false,
    })
    expect(res.status, await res.clone().text()).toBe(201)
    expect(await listed(staff)).toEqual([])
    expect(await (await staff.get('/app/schedule')).text()).not.toContain('data-testid="unscheduled"')
  })

  it("never shows another business's estimates", async () => {
    const mine = await signedIn()
    const theirs = await signedIn()
    const ours = await estimateFor(mine.org, 'Gus', 'approved')
    const other = await estimateFor(theirs.org, 'Hal', 'approved')
    expect((await listed(mine.staff)).map(([id]) => id)).toEqual([ours])
    expect((await listed(theirs.staff)).map(([id]) => id)).toEqual([other])
    // Nor can the link be followed from the other business.
    expect((await theirs.staff.get(`/app/estimates/${ours}`)).status).toBe(404)
  })
})
