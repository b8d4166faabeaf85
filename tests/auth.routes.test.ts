import { env } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import { AUTH_CACHE_TTL_MS } from '../src/auth/cache'
import { sha256Hex } from '../src/auth/crypto'
import { clock } from '../src/clock'
import { Staff } from './helpers/browserless'
import { api, createOrg, unique } from './helpers/factories'

describe('POST /api/v1/signup', () => {
  it('creates the owner, the organization and a working API key', async () => {
    const org = await createOrg({ timezone: 'America/Chicago' })
    expect(org.apiKey).toMatch(/^hb_/)
    const membership = await env.PEOPLE.prepare(
      'select role from memberships where account_id = ? and organization_id = ?',
    )
      .bind(org.userId, org.organizationId)
      .first<{ role: string }>()
    expect(membership?.role).toBe('owner')
    const stored = await env.PEOPLE.prepare('select key_hash from api_keys where organization_id = ?')
      .bind(org.organizationId)
      .first<{ key_hash: string }>()
    expect(stored?.key_hash).toBe(await sha256Hex(org.apiKey))
    expect((await api(org, 'GET', '/api/v1/clients')).status).toBe(200)
    const tz = await env.PEOPLE.prepare('select timezone from organizations where id = ?')
      .bind(org.organizationId)
      .first<{ timezone: string }>()
    expect(tz?.timezone).toBe('America/Chicago')
  })

  it('hashes the password with salted PBKDF2-SHA256 at 100,000 iterations', async () => {
    const org = await createOrg()
    const row = await env.PEOPLE.prepare('select password_hash from accounts where id = ?')
      .bind(org.userId)
      .first<{ password_hash: string }>()
    expect(row?.password_hash).toMatch(/^pbkdf2_sha256\$100000\$[\w-]{22}\$[\w-]{43}$/)
    expect(row?.password_hash).not.toContain(org.password)
  })

  it('answers 409 for an email that already has an account', async () => {
    const org = await createOrg()
    const res = await api(null, 'POST', '/api/v1/signup', {
      email: org.email,
      password: 'another long password',
      organization_name: 'Two',
    })
    expect(res.status).toBe(409)
    expect((await res.json<{ error: { code: string } }>()).error.code).toBe('conflict')
  })

  it('rejects a short password and an unknown time zone with 400', async () => {
    const res = await api(null, 'POST', '/api/v1/signup', {
      email: `x-${unique()}@example.com`,
      password: 'short',
      organization_name: 'X',
      timezone: 'Mars/Olympus',
    })
    expect(res.status).toBe(400)
    const paths = (await res.json<{ error: { issues: Array<{ path: string }> } }>()).error.issues.map((i) => i.path)
    expect(paths).toEqual(expect.arrayContaining(['password', 'timezone']))
  })
})

describe('staff sign-in', () => {
  it('signs up on the page, lands on the home page with the business name, logs out and back in', async () => {
    const staff = new Staff()
    const email = `page-${unique()}@example.com`
    const signup = await staff.post('/signup', {
      organization_name: 'Green Lawns',
      email,
      password: 'a long enough password',
    })
    expect(signup.status).toBe(303)
    expect(signup.headers.get('location')).toBe('/app')
    const cookie = signup.headers.get('set-cookie')!
    expect(cookie).toMatch(/HttpOnly/)
    expect(cookie).toMatch(/Secure/)
    expect(cookie).toMatch(/SameSite=Lax/)

    const home = await staff.get('/app')
    expect(home.status).toBe(200)
    expect(await home.text()).toContain('Green Lawns')

    const csrf = await staff.csrfToken()
    const logout = await staff.post('/logout', { _csrf: csrf })
    expect(logout.status).toBe(303)
    expect((await staff.get('/app')).status).toBe(303)

    const login = await staff.post('/login', { email, password: 'a long enough password' })
    expect(login.status).toBe(303)
    expect(await (await staff.get('/app')).text()).toContain('Green Lawns')
  })

  it('re-renders the sign-up form with the error beside the field', async () => {
    const staff = new Staff()
    const res = await staff.post('/signup', {
      organization_name: 'Kept Name',
      email: 'not-an-email',
      password: 'a long enough password',
    })
    expect(res.status).toBe(422)
    const html = await res.text()
    expect(html).toContain('value="Kept Name"')
    expect(html).toMatch(/class="field has-error"[\s\S]*is not a valid email address/)
  })

  it('refuses a wrong password with 401 and no session', async () => {
    const org = await createOrg()
    const staff = new Staff()
    const res = await staff.post('/login', { email: org.email, password: 'wrong password!' })
    expect(res.status).toBe(401)
    expect(await res.text()).toContain('Wrong email or password')
    expect(staff.cookie).toBe('')
  })

  it('sends a signed-out visitor to /login', async () => {
    const res = await new Staff().get('/app/clients')
    expect(res.status).toBe(303)
    expect(res.headers.get('location')).toBe('/login?next=%2Fapp%2Fclients')
  })

  it('ends an expired session on the server side', async () => {
    const org = await createOrg()
    const staff = new Staff()
    await staff.post('/login', { email: org.email, password: org.password })
    expect((await staff.get('/app')).status).toBe(200)
    const token = staff.cookie.split('=')[1]!
    await env.PEOPLE.prepare('update sessions set expires_at = ? where id = ?')
      .bind('2020-01-01T00:00:00.000Z', await sha256Hex(token))
      .run()
    clock.advance(AUTH_CACHE_TTL_MS) // a session this isolate verified is remembered at most this long
    const res = await staff.get('/app')
    clock.set(null)
    expect(res.status).toBe(303)
    expect(res.headers.get('location')).toMatch(/^\/login/)
  })

  it('rate-limits failed logins per account with 429 and Retry-After', async () => {
    const org = await createOrg()
    const staff = new Staff()
    for (let i = 0; i < 5; i++)
      expect((await staff.post('/login', { email: org.email, password: `wrong ${i} password` })).status).toBe(401)
    const blocked = await staff.post('/login', { email: org.email, password: org.password })
    expect(blocked.status).toBe(429)
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0)
  })

  it('rate-limits failed logins per IP across accounts', async () => {
    const staff = new Staff()
    const ip = { 'cf-connecting-ip': `203.0.113.${Math.floor(Math.random() * 200)}` }
    for (let i = 0; i < 30; i++)
      await staff.post('/login', { email: `nobody-${i}-${unique()}@example.com`, password: 'whatever password' }, ip)
    const org = await createOrg()
    expect((await staff.post('/login', { email: org.email, password: org.password }, ip)).status).toBe(429)
  })
})

describe('CSRF protection', () => {
  it('rejects a form post from another origin', async () => {
    const org = await createOrg()
    const res = await new Staff().post(
      '/login',
      { email: org.email, password: org.password },
      { origin: 'https://evil.example' },
    )
    expect(res.status).toBe(403)
  })

  it('rejects a signed-in form post without the session token', async () => {
    const org = await createOrg()
    const staff = new Staff()
    await staff.post('/login', { email: org.email, password: org.password })
    const res = await staff.post('/app/settings/api-keys', { name: 'sneaky' })
    expect(res.status).toBe(403)
    const keys = await env.PEOPLE.prepare('select count(*) as n from api_keys where organization_id = ?')
      .bind(org.organizationId)
      .first<{ n: number }>()
    expect(keys?.n).toBe(1)
  })
})

describe('API keys', () => {
  it('are made on the settings page, shown once, and stop working once revoked', async () => {
    const org = await createOrg()
    const staff = new Staff()
    await staff.post('/login', { email: org.email, password: org.password })
    const csrf = await staff.csrfToken()
    const made = await staff.post('/app/settings/api-keys', { name: 'Zapier', _csrf: csrf }, { 'hx-request': 'true' })
    expect(made.status).toBe(201)
    const key = (await made.text()).match(/data-testid="new-api-key">(hb_[\w-]+)</)?.[1]
    expect(key).toBeDefined()
    const asNewKey = { ...org, apiKey: key! }
    expect((await api(asNewKey, 'GET', '/api/v1/clients')).status).toBe(200)

    const settings = await (await staff.get('/app/settings')).text()
    expect(settings).not.toContain(key!)
    const keyId = (await env.PEOPLE.prepare('select id from api_keys where key_hash = ?')
      .bind(await sha256Hex(key!))
      .first<{ id: string }>())!.id
    const revoked = await staff.post(
      `/app/settings/api-keys/${keyId}/revoke`,
      { _csrf: csrf },
      { 'hx-request': 'true' },
    )
    expect(await revoked.text()).toContain('revoked')

    const res = await api(asNewKey, 'GET', '/api/v1/clients')
    expect(res.status).toBe(401)
    expect((await api(org, 'GET', '/api/v1/clients')).status).toBe(200)
  })

  it("cannot revoke another organization's key", async () => {
    const [a, b] = [await createOrg(), await createOrg()]
    const staff = new Staff()
    await staff.post('/login', { email: b.email, password: b.password })
    const aKey = (await env.PEOPLE.prepare('select id from api_keys where organization_id = ?')
      .bind(a.organizationId)
      .first<{ id: string }>())!.id
    const res = await staff.post(`/app/settings/api-keys/${aKey}/revoke`, { _csrf: await staff.csrfToken() })
    expect(res.status).toBe(404)
    expect((await api(a, 'GET', '/api/v1/clients')).status).toBe(200)
  })
})

describe('team invites', () => {
  it('lets the owner invite a member who then signs in to the same business', async () => {
    const org = await createOrg({ organization_name: 'Pipe Pros' })
    const owner = new Staff()
    await owner.post('/login', { email: org.email, password: org.password })
    const memberEmail = `tech-${unique()}@example.com`
    const invited = await owner.post('/app/settings/invites', {
      email: memberEmail,
      role: 'member',
      _csrf: await owner.csrfToken(),
    })
    expect(invited.status).toBe(201)
    const link = (await invited.text()).match(/data-testid="invite-link">([^<]+)</)![1]!
    const path = new URL(link).pathname

    const member = new Staff()
    expect(await (await member.get(path)).text()).toContain('Join Pipe Pros')
    const joined = await member.post(path, { name: 'Tech', password: 'member password 1' })
    expect(joined.status).toBe(303)
    const home = await (await member.get('/app')).text()
    expect(home).toContain('Pipe Pros')
    expect(home).toContain('(member)')

    // The link works once, and a member cannot make API keys.
    expect((await new Staff().get(path)).status).toBe(404)
    const denied = await member.post('/app/settings/api-keys', {
      name: 'x',
      _csrf: await member.csrfToken().catch(() => ''),
    })
    expect(denied.status).toBe(403)
  })
})
