import { env } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import { spend } from '../src/auth/rate-limit'
import { peopleDb } from '../src/db'
import { Staff } from './helpers/browserless'
import { createOrg, unique, type TestOrg } from './helpers/factories'

/** A staff member signed in with their own password. */
async function signedIn(org: TestOrg) {
  const staff = new Staff()
  const res = await staff.post('/login', { email: org.email, password: org.password })
  if (res.status !== 303) throw new Error(`login failed: ${res.status}`)
  return staff
}

/** An IP of its own, so one test's attempts never count against another's. */
const ownIp = () => ({ 'cf-connecting-ip': `198.51.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}` })

describe('spend (rate limits)', () => {
  const db = peopleDb(env.PEOPLE)
  const countOf = async (key: string) => (await env.PEOPLE.prepare('select count from rate_limits where key = ?').bind(key).first<{ count: number }>())?.count

  it('counts an attempt on every limit, or on none when one is used up, until the window ends', async () => {
    const tight = { key: `test:tight:${unique()}`, max: 2, windowSeconds: 60 }
    const loose = { key: `test:loose:${unique()}`, max: 5, windowSeconds: 60 }
    const start = Date.parse('2030-01-01T00:00:00Z')
    expect(await spend(db, [tight, loose], start)).toBeNull()
    expect(await spend(db, [tight, loose], start + 1_000)).toBeNull()
    expect(await spend(db, [tight, loose], start + 2_000)).toBe(58)
    expect([await countOf(tight.key), await countOf(loose.key)]).toEqual([2, 2])
    expect(await spend(db, [tight, loose], start + 60_000)).toBeNull()
    expect([await countOf(tight.key), await countOf(loose.key)]).toEqual([1, 1])
  })

  it('lets exactly the maximum of 40 concurrent attempts through', async () => {
    const limit = { key: `test:burst:${unique()}`, max: 5, windowSeconds: 900 }
    const waits = await Promise.all(Array.from({ length: 40 }, () => spend(db, [limit])))
    expect(waits.filter((w) => w === null)).toHaveLength(5)
    expect(await countOf(limit.key)).toBe(5)
  })
})

describe('login limits under concurrent attempts', () => {
  it('evaluates at most 5 of 30 concurrent wrong passwords for one account, and the right one then gets 429', async () => {
    const org = await createOrg()
    const attempts = await Promise.all(Array.from({ length: 30 }, (_, i) =>
      new Staff().post('/login', { email: org.email, password: `wrong password ${i}` }, ownIp())))
    const statuses = attempts.map((r) => r.status)
    expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(5)
    expect(statuses.filter((s) => s !== 401 && s !== 429)).toEqual([])
    const staff = new Staff()
    const right = await staff.post('/login', { email: org.email, password: org.password }, ownIp())
    expect(right.status).toBe(429)
    expect(Number(right.headers.get('retry-after'))).toBeGreaterThan(0)
    expect(staff.cookie).toBe('')
  })

  it('does not count a successful login against the IP, and clears the account after one', async () => {
    const org = await createOrg()
    const ip = ownIp()
    for (let i = 0; i < 4; i++) expect((await new Staff().post('/login', { email: org.email, password: `wrong ${i} password` }, ip)).status).toBe(401)
    expect((await new Staff().post('/login', { email: org.email, password: org.password }, ip)).status).toBe(303)
    for (let i = 0; i < 5; i++) expect((await new Staff().post('/login', { email: org.email, password: `again ${i} wrong` }, ip)).status).toBe(401)
    const ipRow = await env.PEOPLE.prepare('select count from rate_limits where key = ?').bind(`login:ip:${ip['cf-connecting-ip']}`).first<{ count: number }>()
    expect(ipRow?.count).toBe(9)
  })
})

describe('invites for an email that already has an account', () => {
  /** An owner's business with an open invite for `email`; returns the invite's path. */
  async function inviteTo(email: string, organization_name = 'Pipe Pros') {
    const org = await createOrg({ organization_name })
    const owner = await signedIn(org)
    const invited = await owner.post('/app/settings/invites', { email, role: 'member', _csrf: await owner.csrfToken() })
    expect(invited.status).toBe(201)
    const link = (await invited.text()).match(/data-testid="invite-link">([^<]+)</)![1]!
    return { org, path: new URL(link).pathname, token: new URL(link).pathname.split('/').pop()! }
  }

  it('never checks a password on the invite page: 40 guesses all get "sign in instead", and /login keeps its limit', async () => {
    const member = await createOrg({ organization_name: 'Own Business' })
    const { path } = await inviteTo(member.email)
    const page = await new Staff().get(path)
    const html = await page.text()
    expect(html).toContain('You already have a HomeBase account')
    expect(html).not.toMatch(/type="password"/)
    const guesses = await Promise.all(Array.from({ length: 40 }, (_, i) =>
      new Staff().post(path, { password: i === 39 ? member.password : `guess number ${i}` }, ownIp())))
    for (const res of guesses) {
      expect(res.status).toBe(409)
      const body = await res.text()
      expect(body).toContain('sign in')
      expect(body).not.toContain('Wrong password')
      expect(res.headers.get('set-cookie')).toBeNull()
    }
    // Not a member, and the invite is still open for a real sign-in.
    const joined = await env.PEOPLE.prepare('select count(*) as n from memberships where account_id = ?').bind(member.userId).first<{ n: number }>()
    expect(joined?.n).toBe(1)
    const ip = ownIp()
    for (let i = 0; i < 5; i++) expect((await new Staff().post('/login', { email: member.email, password: `wrong ${i} password`, invite: path.split('/').pop()! }, ip)).status).toBe(401)
    expect((await new Staff().post('/login', { email: member.email, password: member.password, invite: path.split('/').pop()! }, ip)).status).toBe(429)
  })

  it('joins by signing in through /login with the invite, into the invited business', async () => {
    const member = await createOrg({ organization_name: 'Own Business' })
    const { org, path, token } = await inviteTo(member.email, 'Drain Kings')
    const html = await (await new Staff().get(path)).text()
    expect(html).toContain(`href="/login?invite=${token}"`)
    const login = await new Staff().get(`/login?invite=${token}`)
    expect(await login.text()).toContain(`name="invite" value="${token}"`)

    const staff = new Staff()
    const res = await staff.post('/login', { email: member.email, password: member.password, invite: token })
    expect(res.status).toBe(303)
    expect(res.headers.get('location')).toBe('/app')
    const home = await (await staff.get('/app')).text()
    expect(home).toContain('Drain Kings')
    expect(home).toContain('(member)')
    const role = await env.PEOPLE.prepare('select role from memberships where account_id = ? and organization_id = ?').bind(member.userId, org.organizationId).first<{ role: string }>()
    expect(role?.role).toBe('member')
    expect((await new Staff().get(path)).status).toBe(404)
  })

  it('lets a signed-in member whose email matches accept with one button that needs the CSRF token', async () => {
    const member = await createOrg({ organization_name: 'Own Business' })
    const { path } = await inviteTo(member.email, 'Roof Rangers')
    const staff = await signedIn(member)
    const html = await (await staff.get(path)).text()
    expect(html).not.toMatch(/type="password"/)
    const csrf = html.match(/name="_csrf" value="([^"]+)"/)?.[1]
    expect(csrf).toBeDefined()

    expect((await staff.post(path, {})).status).toBe(403)
    expect((await staff.post(path, { _csrf: 'not-the-token' })).status).toBe(403)
    const accepted = await staff.post(path, { _csrf: csrf! })
    expect(accepted.status).toBe(303)
    expect(await (await staff.get('/app')).text()).toContain('Roof Rangers')
  })

  it('cannot be accepted by an account with another email, signed in or signing in', async () => {
    const member = await createOrg({ organization_name: 'Invited One' })
    const other = await createOrg({ organization_name: 'Someone Else' })
    const { org, path, token } = await inviteTo(member.email, 'Gutter Gurus')

    const staff = await signedIn(other)
    const page = await staff.get(path)
    const html = await page.text()
    expect(html).toContain(member.email)
    expect(html).not.toContain('name="_csrf"')
    const csrf = await staff.csrfToken()
    expect((await staff.post(path, { _csrf: csrf })).status).toBe(409)

    const login = new Staff()
    const res = await login.post('/login', { email: other.email, password: other.password, invite: token })
    expect(res.status).toBe(303)
    expect(await (await login.get('/app')).text()).toContain('Someone Else')

    const memberships = await env.PEOPLE.prepare('select account_id from memberships where organization_id = ?').bind(org.organizationId).all<{ account_id: string }>()
    expect(memberships.results.map((m) => m.account_id)).toEqual([org.userId])
    expect((await new Staff().get(path)).status).toBe(200)
  })
})
