import { SELF } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import { Staff } from './helpers/browserless'
import { api, BASE, createOrg } from './helpers/factories'
import { signInOperator } from './helpers/operator'

/** Every console path a non-operator might try, pages and JSON. */
const PATHS = [
  '/admin',
  '/admin/plans',
  '/admin/api/organizations',
  '/admin/api/organizations?format=csv',
  '/admin/api/organizations.csv',
  '/admin/api/metrics',
]

describe('who may open the operator console', () => {
  it('lets an operator in: the pages, the JSON and the CSV answer 200, under the console nav', async () => {
    const ops = await signInOperator()
    for (const path of PATHS) expect((await ops.get(path)).status, path).toBe(200)
    const home = await (await ops.get('/admin')).text()
    for (const label of ['Businesses', 'Tickets', 'Announcements', 'Plans']) expect(home).toContain(`>${label}</a>`)
    expect(home).toContain('HomeBase console')
    // The second operator of the test bindings too.
    const support = await signInOperator('support@homebase.test')
    expect((await support.get('/admin')).status).toBe(200)
  })

  it('answers 404 to the owner of a business, as for a page that does not exist', async () => {
    const org = await createOrg()
    const owner = new Staff()
    await owner.post('/login', { email: org.email, password: org.password })
    expect((await owner.get('/app')).status).toBe(200)
    for (const path of [...PATHS, `/admin/organizations/${org.organizationId}`]) {
      const res = await owner.get(path)
      expect(res.status, path).toBe(404)
      expect(await res.text()).not.toContain('HomeBase console')
    }
    // Changes too, even with the owner's own CSRF token.
    const token = await owner.csrfToken()
    const refresh = await SELF.fetch(`${BASE}/admin/api/metrics/refresh`, {
      method: 'POST',
      headers: { cookie: owner.cookie, 'x-csrf-token': token, origin: BASE },
    })
    expect(refresh.status).toBe(404)
    const plan = await owner.post('/admin/plans/plan_pro', {
      _csrf: token,
      name: 'Pwned',
      price: '0',
      stripe_price_id: '',
      sms_per_month: '1',
      team_size: '1',
    })
    expect(plan.status).toBe(404)
    const ops = await signInOperator()
    expect(await (await ops.get('/admin/plans')).text()).not.toContain('Pwned')
  })

  it('answers 404 to anyone signed out, and to a business API key', async () => {
    const anonymous = new Staff()
    for (const path of PATHS) expect((await anonymous.get(path)).status, path).toBe(404)
    const json = await anonymous.get('/admin/api/organizations')
    expect(await json.json()).toEqual({ error: { code: 'not_found', message: 'No such page.' } })
    const org = await createOrg()
    expect((await api(org, 'GET', '/admin/api/organizations')).status).toBe(404)
    expect((await api(org, 'GET', '/admin/api/metrics')).status).toBe(404)
  })

  it("answers 404 to an operator's request replayed from a non-operator's session or after the operator signed out", async () => {
    const ops = await signInOperator()
    const token = await ops.consoleToken()
    expect((await ops.api('GET', '/admin/api/organizations')).status).toBe(200)
    // The same request, the operator's CSRF token included, sent with a business owner's cookie.
    const org = await createOrg()
    const owner = new Staff()
    await owner.post('/login', { email: org.email, password: org.password })
    for (const [method, path] of [
      ['GET', '/admin/api/organizations?q=a'],
      ['GET', '/admin/api/metrics'],
      ['POST', '/admin/api/metrics/refresh'],
    ] as const) {
      const res = await SELF.fetch(`${BASE}${path}`, {
        method,
        headers: { cookie: owner.cookie, 'x-csrf-token': token, origin: BASE },
      })
      expect(res.status, `${method} ${path}`).toBe(404)
    }
    // A copied cookie is worth nothing once the operator signs out.
    const copied = ops.cookie
    await ops.post('/logout', { _csrf: token })
    const replay = await SELF.fetch(`${BASE}/admin/api/organizations`, { headers: { cookie: copied } })
    expect(replay.status).toBe(404)
  })

  it("refuses an operator's change without the session's CSRF token", async () => {
    const ops = await signInOperator()
    const res = await SELF.fetch(`${BASE}/admin/api/metrics/refresh`, {
      method: 'POST',
      headers: { cookie: ops.cookie, origin: BASE },
    })
    expect(res.status).toBe(403)
    const wrong = await SELF.fetch(`${BASE}/admin/api/metrics/refresh`, {
      method: 'POST',
      headers: { cookie: ops.cookie, origin: BASE, 'x-csrf-token': 'not-the-token' },
    })
    expect(wrong.status).toBe(403)
  })
})
