// Over 300 lines on purpose: rate limits, invites, password reset and the login page share signedIn() and the address helpers.
import { env } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import { sha256Hex } from '../src/auth/crypto'
import { requestPasswordReset, RESET_MINUTES, resetState } from '../src/auth/password-resets'
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
const ownIp = () => ({
  'cf-connecting-ip': `198.51.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`,
})

describe('spend (rate limits)', () => {
  const db = peopleDb(env.PEOPLE)
  const countOf = async (key: string) =>
    (await env.PEOPLE.prepare('select count from rate_limits where key = ?').bind(key).first<{ count: number }>())
      ?.count

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
    const attempts = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        new Staff().post('/login', { email: org.email, password: `wrong password ${i}` }, ownIp()),
      ),
    )
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
    for (let i = 0; i < 4; i++)
      expect((await new Staff().post('/login', { email: org.email, password: `wrong ${i} password` }, ip)).status).toBe(
        401,
      )
    expect((await new Staff().post('/login', { email: org.email, password: org.password }, ip)).status).toBe(303)
    for (let i = 0; i < 5; i++)
      expect((await new Staff().post('/login', { email: org.email, password: `again ${i} wrong` }, ip)).status).toBe(
        401,
      )
    const ipRow = await env.PEOPLE.prepare('select count from rate_limits where key = ?')
      .bind(`login:ip:${ip['cf-connecting-ip']}`)
      .first<{ count: number }>()
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
    const guesses = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        new Staff().post(path, { password: i === 39 ? member.password : `guess number ${i}` }, ownIp()),
      ),
    )
    for (const res of guesses) {
      expect(res.status).toBe(409)
      const body = await res.text()
      expect(body).toContain('sign in')
      expect(body).not.toContain('Wrong password')
      expect(res.headers.get('set-cookie')).toBeNull()
    }
    // Not a member, and the invite is still open for a real sign-in.
    const joined = await env.PEOPLE.prepare('select count(*) as n from memberships where account_id = ?')
      .bind(member.userId)
      .first<{ n: number }>()
    expect(joined?.n).toBe(1)
    const ip = ownIp()
    for (let i = 0; i < 5; i++)
      expect(
        (
          await new Staff().post(
            '/login',
            { email: member.email, password: `wrong ${i} password`, invite: path.split('/').pop()! },
            ip,
          )
        ).status,
      ).toBe(401)
    expect(
      (
        await new Staff().post(
          '/login',
          { email: member.email, password: member.password, invite: path.split('/').pop()! },
          ip,
        )
      ).status,
    ).toBe(429)
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
    const role = await env.PEOPLE.prepare('select role from memberships where account_id = ? and organization_id = ?')
      .bind(member.userId, org.organizationId)
      .first<{ role: string }>()
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

    const memberships = await env.PEOPLE.prepare('select account_id from memberships where organization_id = ?')
      .bind(org.organizationId)
      .all<{ account_id: string }>()
    expect(memberships.results.map((m) => m.account_id)).toEqual([org.userId])
    expect((await new Staff().get(path)).status).toBe(200)
  })
})

describe('password reset', () => {
  const db = peopleDb(env.PEOPLE)

  /** The reset emails sent to `to`, oldest first. */
  async function resetMail(to: string) {
    return (
      await env.PEOPLE.prepare(
        `select subject, body from outbox where "to" = ? and message_id like 'password_reset:%' order by created_at, rowid`,
      )
        .bind(to)
        .all<{ subject: string; body: string }>()
    ).results
  }
  const linkIn = (body: string) => new URL(body.match(/https?:\/\/\S+\/reset\/[\w-]+/)![0]).pathname

  it('emails a link that sets a new password once, ends every old session and signs in fresh', async () => {
    const org = await createOrg({ organization_name: 'Reset Roofing' })
    const before = [await signedIn(org), await signedIn(org)]
    const forgot = await new Staff().post('/forgot', { email: org.email }, ownIp())
    expect(forgot.status).toBe(200)
    expect(await forgot.text()).toContain('If an account exists for that email, we sent a link')
    const [mail] = await resetMail(org.email)
    expect(mail?.subject).toContain('password')
    const path = linkIn(mail!.body)
    expect(path).toMatch(/^\/reset\/[\w-]{40,}$/)

    const form = await new Staff().get(path)
    expect(form.status).toBe(200)
    expect(await form.text()).toMatch(/type="password"/)
    const short = await new Staff().post(path, { password: 'short' })
    expect(short.status).toBe(422)

    const staff = new Staff()
    const done = await staff.post(path, { password: 'a brand new password' })
    expect(done.status).toBe(303)
    expect(done.headers.get('location')).toBe('/app')
    expect(await (await staff.get('/app')).text()).toContain('Reset Roofing')
    for (const old of before) {
      const res = await old.get('/app')
      expect(res.status).toBe(303)
      expect(res.headers.get('location')).toMatch(/^\/login/)
    }
    const sessions = await env.PEOPLE.prepare('select count(*) as n from sessions where account_id = ?')
      .bind(org.userId)
      .first<{ n: number }>()
    expect(sessions?.n).toBe(1)

    // Single use: the link is gone, and a second post changes nothing.
    expect((await new Staff().get(path)).status).toBe(410)
    expect((await new Staff().post(path, { password: 'an attacker password' })).status).toBe(410)
    expect((await new Staff().post('/login', { email: org.email, password: org.password }, ownIp())).status).toBe(401)
    expect(
      (await new Staff().post('/login', { email: org.email, password: 'an attacker password' }, ownIp())).status,
    ).toBe(401)
    expect(
      (await new Staff().post('/login', { email: org.email, password: 'a brand new password' }, ownIp())).status,
    ).toBe(303)
  })

  it('answers an unknown email with the same page and status, and sends nothing', async () => {
    const org = await createOrg()
    const known = await new Staff().post('/forgot', { email: org.email }, ownIp())
    const nobody = `nobody-${unique()}@example.com`
    const unknown = await new Staff().post('/forgot', { email: nobody }, ownIp())
    expect(unknown.status).toBe(known.status)
    const strip = (html: string, email: string) => html.replaceAll(email, 'EMAIL')
    expect(strip(await unknown.text(), nobody)).toBe(strip(await known.text(), org.email))
    expect(await resetMail(nobody)).toEqual([])
    expect((await new Staff().get('/forgot')).status).toBe(200)
  })

  it('stops working 30 minutes after it was sent', async () => {
    const org = await createOrg()
    const sentAt = Date.parse('2030-01-01T12:00:00Z')
    const made = await requestPasswordReset(db, org.email, `ip-${unique()}`, sentAt)
    expect(made).not.toBeNull()
    expect(RESET_MINUTES).toBe(30)
    expect((await resetState(db, made!.token, sentAt + 29 * 60_000)).status).toBe('open')
    expect((await resetState(db, made!.token, sentAt + 30 * 60_000)).status).toBe('expired')
    // Through the pages, with the real clock: a link sent 31 minutes ago.
    const old = await requestPasswordReset(db, org.email, `ip-${unique()}`, Date.now() - 31 * 60_000)
    expect((await new Staff().get(`/reset/${old!.token}`)).status).toBe(410)
    expect((await new Staff().post(`/reset/${old!.token}`, { password: 'a brand new password' })).status).toBe(410)
    expect((await new Staff().get(`/reset/${'x'.repeat(43)}`)).status).toBe(404)
  })

  it('sends at most 3 links per account an hour, then answers 429 with Retry-After', async () => {
    const org = await createOrg()
    const answers = await Promise.all(
      Array.from({ length: 6 }, () => new Staff().post('/forgot', { email: org.email }, ownIp())),
    )
    expect(answers.map((r) => r.status).sort()).toEqual([200, 200, 200, 429, 429, 429])
    expect(Number(answers.find((r) => r.status === 429)!.headers.get('retry-after'))).toBeGreaterThan(0)
    expect(await resetMail(org.email)).toHaveLength(3)
  })

  it('sends at most 10 links per IP an hour, whatever the emails', async () => {
    const ip = ownIp()
    for (let i = 0; i < 10; i++)
      expect((await new Staff().post('/forgot', { email: `any-${i}-${unique()}@example.com` }, ip)).status).toBe(200)
    const org = await createOrg()
    expect((await new Staff().post('/forgot', { email: org.email }, ip)).status).toBe(429)
    expect(await resetMail(org.email)).toEqual([])
  })

  it('changes only the password of the account the link was sent to', async () => {
    const [a, b] = [await createOrg(), await createOrg()]
    const made = await requestPasswordReset(db, a.email, `ip-${unique()}`)
    const bSession = await signedIn(b)
    const res = await bSession.post(`/reset/${made!.token}`, { password: 'a brand new password', email: b.email })
    expect(res.status).toBe(303)
    const bSessions = await env.PEOPLE.prepare('select count(*) as n from sessions where account_id = ?')
      .bind(b.userId)
      .first<{ n: number }>()
    expect(bSessions?.n).toBe(1)
    expect((await new Staff().post('/login', { email: b.email, password: b.password }, ownIp())).status).toBe(303)
    expect(
      (await new Staff().post('/login', { email: b.email, password: 'a brand new password' }, ownIp())).status,
    ).toBe(401)
    expect(
      (await new Staff().post('/login', { email: a.email, password: 'a brand new password' }, ownIp())).status,
    ).toBe(303)
  })

  it('sends nothing to a homeowner account, which has no password', async () => {
    const email = `homeowner-${unique()}@example.com`
    await env.PEOPLE.prepare(`insert into accounts (id, email, password_hash, kind) values (?, ?, '!', 'homeowner')`)
      .bind(crypto.randomUUID(), email)
      .run()
    const res = await new Staff().post('/forgot', { email }, ownIp())
    expect(res.status).toBe(200)
    expect(await res.text()).toContain('If an account exists for that email, we sent a link')
    expect(await resetMail(email)).toEqual([])
    expect(await requestPasswordReset(db, email, `ip-${unique()}`)).toBeNull()
  })

  it("does not show a member's reset link to the owner on the outbox page", async () => {
    const org = await createOrg()
    const owner = await signedIn(org)
    const memberEmail = `tech-${unique()}@example.com`
    const invited = await owner.post('/app/settings/invites', {
      email: memberEmail,
      role: 'member',
      _csrf: await owner.csrfToken(),
    })
    const path = new URL((await invited.text()).match(/data-testid="invite-link">([^<]+)</)![1]!).pathname
    expect((await new Staff().post(path, { name: 'Tech', password: 'member password 1' })).status).toBe(303)
    await new Staff().post('/forgot', { email: memberEmail }, ownIp())
    expect(await resetMail(memberEmail)).toHaveLength(1)
    const html = await (await owner.get('/dev/outbox')).text()
    expect(html).toContain('Outbox')
    expect(html).not.toContain('/reset/')
  })

  it('keeps only the hash of the emailed token', async () => {
    const org = await createOrg()
    await new Staff().post('/forgot', { email: org.email }, ownIp())
    const path = linkIn((await resetMail(org.email))[0]!.body)
    const token = path.split('/').pop()!
    const row = await env.PEOPLE.prepare('select account_id from password_resets where id = ?')
      .bind(await sha256Hex(token))
      .first<{ account_id: string }>()
    expect(row?.account_id).toBe(org.userId)
  })
})

describe('the login page', () => {
  it('links to the password reset', async () => {
    expect(await (await new Staff().get('/login')).text()).toContain('href="/forgot"')
  })
})
