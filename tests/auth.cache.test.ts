/**
 * The isolate's cache of verified API keys and staff sessions: revocations that take effect at once
 * where they happen and within AUTH_CACHE_TTL_MS elsewhere, expiry kept, a bounded size, and
 * nothing a guesser or another business can use.
 */
import { env } from 'cloudflare:test'
import { afterEach, describe, expect, it } from 'vitest'
import { AUTH_CACHE_MAX, AUTH_CACHE_TTL_MS, liveSessions, TtlCache, verifiedKeys } from '../src/auth/cache'
import { randomToken, sha256Hex } from '../src/auth/crypto'
import { completePasswordReset } from '../src/auth/password-resets'
import { clock } from '../src/clock'
import { peopleDb } from '../src/db'
import { Staff } from './helpers/browserless'
import { api, createClient, createOrg, type TestOrg, unique } from './helpers/factories'

afterEach(() => clock.set(null))

const keyIdOf = async (key: string) =>
  (await env.PEOPLE.prepare('select id from api_keys where key_hash = ?')
    .bind(await sha256Hex(key))
    .first<{ id: string }>())!.id

/** What another isolate does: the row changes in D1 and this isolate's cache is not told. */
const revokeElsewhere = async (key: string) =>
  env.PEOPLE.prepare('update api_keys set revoked_at = ? where key_hash = ?')
    .bind(new Date().toISOString(), await sha256Hex(key))
    .run()

async function signIn(org: { email: string; password: string }) {
  const staff = new Staff()
  expect((await staff.post('/login', { email: org.email, password: org.password })).status).toBe(303)
  return staff
}

const sessionIdOf = (staff: Staff) => sha256Hex(staff.cookie.split('=')[1]!)

/** Invites by API and accepts as a new account; returns the member's id and their browser. */
async function join(org: TestOrg, role: 'admin' | 'member' | 'tech') {
  const email = `crew-${unique()}@example.com`
  const res = await api(org, 'POST', '/api/v1/team/invites', { email, role })
  expect(res.status).toBe(201)
  const person = new Staff()
  const path = new URL((await res.json<{ invite_url: string }>()).invite_url).pathname
  expect((await person.post(path, { password: 'crew password 1' })).status).toBe(303)
  const team = await (await api(org, 'GET', '/api/v1/team')).json<{ items: { user_id: string; email: string }[] }>()
  return { userId: team.items.find((m) => m.email === email)!.user_id, person }
}

describe('API keys', () => {
  it('remembers a verified key by its SHA-256, never the key itself', async () => {
    const org = await createOrg()
    expect((await api(org, 'GET', '/api/v1/clients')).status).toBe(200)
    expect(verifiedKeys.get(await sha256Hex(org.apiKey))?.organization.id).toBe(org.organizationId)
    expect(verifiedKeys.get(org.apiKey)).toBeUndefined()
  })

  it('stops a key revoked in this isolate at once', async () => {
    const org = await createOrg()
    const staff = await signIn(org)
    expect((await api(org, 'GET', '/api/v1/clients')).status).toBe(200)
    const revoked = await staff.post(`/app/settings/api-keys/${await keyIdOf(org.apiKey)}/revoke`, {
      _csrf: await staff.csrfToken(),
    })
    expect(revoked.status).toBeLessThan(400)
    expect((await api(org, 'GET', '/api/v1/clients')).status).toBe(401)
  })

  it('stops a key revoked in another isolate within AUTH_CACHE_TTL_MS', async () => {
    const org = await createOrg()
    expect((await api(org, 'GET', '/api/v1/clients')).status).toBe(200)
    await revokeElsewhere(org.apiKey)
    // Still remembered here: this is the bound the README states, not longer.
    clock.advance(AUTH_CACHE_TTL_MS - 1_000)
    expect((await api(org, 'GET', '/api/v1/clients')).status).toBe(200)
    clock.advance(1_000)
    expect((await api(org, 'GET', '/api/v1/clients')).status).toBe(401)
    expect(verifiedKeys.get(await sha256Hex(org.apiKey))).toBeUndefined()
  })

  it('never lets a cached key answer for another business', async () => {
    const [a, b] = [await createOrg(), await createOrg()]
    const aClient = await createClient(a, { first_name: 'Alma', email: `alma-${unique()}@example.com` })
    expect((await api(a, 'GET', `/api/v1/clients/${aClient.org_client_id}`)).status).toBe(200)
    expect((await api(b, 'GET', '/api/v1/clients')).status).toBe(200)
    // Both keys are cached now; b's still opens only b's business.
    expect((await api(b, 'GET', `/api/v1/clients/${aClient.org_client_id}`)).status).toBe(404)
    const list = await (await api(b, 'GET', '/api/v1/clients')).json<{ items: { org_client_id: string }[] }>()
    expect(list.items.map((c) => c.org_client_id)).not.toContain(aClient.org_client_id)
    expect((await api(b, 'POST', '/rest/v1/rpc/client_stats', { p_org_id: a.organizationId })).status).toBe(404)
  })

  it('does not open for a key that shares a cached key’s visible prefix', async () => {
    const org = await createOrg()
    expect((await api(org, 'GET', '/api/v1/clients')).status).toBe(200)
    const lookalike = `${org.apiKey.slice(0, 10)}${'A'.repeat(org.apiKey.length - 10)}`
    expect((await api({ ...org, apiKey: lookalike }, 'GET', '/api/v1/clients')).status).toBe(401)
  })

  it('remembers nothing about keys that do not exist, however many are tried', async () => {
    const org = await createOrg()
    expect((await api(org, 'GET', '/api/v1/clients')).status).toBe(200)
    const before = verifiedKeys.size
    for (let i = 0; i < 30; i++)
      expect((await api({ ...org, apiKey: `hb_guess${unique()}` }, 'GET', '/api/v1/clients')).status).toBe(401)
    expect(verifiedKeys.size).toBe(before)
  })

  it('shows a business’s new country to its cached key at once', async () => {
    const org = await createOrg()
    expect((await api(org, 'GET', '/api/v1/clients')).status).toBe(200)
    expect((await api(org, 'PATCH', '/api/v1/organization', { country: 'GB' })).status).toBe(200)
    // A UK number without its country code is read in the business's new country.
    const made = await createClient(org, { first_name: 'Ada', phone: '020 7946 0958' })
    const client = await (await api(org, 'GET', `/api/v1/clients/${made.org_client_id}`)).json<{
      primary_phone_e164: string
    }>()
    expect(client.primary_phone_e164).toBe('+442079460958')
  })
})

describe('staff sessions', () => {
  it('ends a signed-out session at once, even for a copy of its cookie', async () => {
    const org = await createOrg()
    const staff = await signIn(org)
    expect((await staff.get('/app')).status).toBe(200)
    const copy = new Staff()
    copy.cookie = staff.cookie
    expect((await copy.get('/app')).status).toBe(200)
    expect((await staff.post('/logout', { _csrf: await staff.csrfToken() })).status).toBe(303)
    const replayed = await copy.get('/app')
    expect(replayed.status).toBe(303)
    expect(replayed.headers.get('location')).toMatch(/^\/login/)
  })

  it('ends a session signed out in another isolate within AUTH_CACHE_TTL_MS', async () => {
    const org = await createOrg()
    const staff = await signIn(org)
    expect((await staff.get('/app')).status).toBe(200)
    await env.PEOPLE.prepare('delete from sessions where id = ?')
      .bind(await sessionIdOf(staff))
      .run()
    clock.advance(AUTH_CACHE_TTL_MS - 1_000)
    expect((await staff.get('/app')).status).toBe(200)
    clock.advance(1_000)
    expect((await staff.get('/app')).status).toBe(303)
  })

  it('never keeps a session past its own expiry', async () => {
    const org = await createOrg()
    const staff = await signIn(org)
    // The session ends one second from now: sooner than the cache would forget it.
    await env.PEOPLE.prepare('update sessions set expires_at = ? where id = ?')
      .bind(new Date(Date.now() + 1_000).toISOString(), await sessionIdOf(staff))
      .run()
    expect((await staff.get('/app')).status).toBe(200)
    expect(liveSessions.get(await sessionIdOf(staff))).toBeDefined()
    clock.advance(1_500)
    expect(1_500).toBeLessThan(AUTH_CACHE_TTL_MS)
    expect((await staff.get('/app')).status).toBe(303)
  })

  it('ends a removed teammate’s session at once', async () => {
    const org = await createOrg()
    const { userId, person } = await join(org, 'member')
    expect((await person.get('/app')).status).toBe(200)
    expect((await api(org, 'DELETE', `/api/v1/team/${userId}`)).status).toBe(200)
    expect((await person.get('/app')).status).toBe(303)
  })

  it('gives a teammate’s new role to their open session at once', async () => {
    const org = await createOrg()
    const { userId, person } = await join(org, 'admin')
    expect((await person.get('/app/billing')).status).toBe(200)
    expect((await api(org, 'PATCH', `/api/v1/team/${userId}`, { role: 'tech' })).status).toBe(200)
    expect((await person.get('/app/billing')).status).toBe(403)
  })

  it('ends every session of an account whose password was reset', async () => {
    const org = await createOrg()
    const staff = await signIn(org)
    expect((await staff.get('/app')).status).toBe(200)
    const sessionId = await sessionIdOf(staff)
    expect(liveSessions.get(sessionId)).toBeDefined()
    const token = randomToken(32)
    await env.PEOPLE.prepare('insert into password_resets (id, account_id, expires_at) values (?, ?, ?)')
      .bind(await sha256Hex(token), org.userId, new Date(Date.now() + 600_000).toISOString())
      .run()
    expect(await completePasswordReset(peopleDb(env.PEOPLE), token, 'a brand new password 1')).not.toBeNull()
    expect((await staff.get('/app')).status).toBe(303)
  })

  it('never opens another business’s page from a cached session', async () => {
    const [a, b] = [await createOrg(), await createOrg()]
    const aClient = await createClient(a, { first_name: 'Alma', email: `alma-${unique()}@example.com` })
    const staffB = await signIn(b)
    expect((await staffB.get('/app')).status).toBe(200)
    expect((await staffB.get(`/app/clients/${aClient.org_client_id}`)).status).toBe(404)
  })

  it('remembers nothing about cookies that open no session', async () => {
    const before = liveSessions.size
    for (let i = 0; i < 30; i++) {
      const guess = new Staff()
      guess.cookie = `hb_session=${unique()}`
      expect((await guess.get('/app')).status).toBe(303)
    }
    expect(liveSessions.size).toBe(before)
  })
})

describe('the cache itself', () => {
  it('stays at its cap, dropping the least recently used first', () => {
    const cache = new TtlCache<number>(60_000, 3)
    cache.set('a', 1)
    cache.set('b', 2)
    cache.set('c', 3)
    expect(cache.get('a')).toBe(1) // a is now the most recently used
    cache.set('d', 4)
    expect(cache.size).toBe(3)
    expect(cache.get('b')).toBeUndefined()
    expect([cache.get('a'), cache.get('c'), cache.get('d')]).toEqual([1, 3, 4])
  })

  it('keeps the real caches at AUTH_CACHE_MAX however many live secrets pass through', async () => {
    const org = await createOrg()
    expect((await api(org, 'GET', '/api/v1/clients')).status).toBe(200)
    const organization = verifiedKeys.get(await sha256Hex(org.apiKey))!.organization
    for (let i = 0; i < AUTH_CACHE_MAX + 200; i++)
      verifiedKeys.set(`filler-${i}`, { keyId: `k${i}`, makerId: null, organization })
    expect(verifiedKeys.size).toBe(AUTH_CACHE_MAX)
    // The real key was pushed out; it is simply looked up in D1 again.
    expect(verifiedKeys.get(await sha256Hex(org.apiKey))).toBeUndefined()
    expect((await api(org, 'GET', '/api/v1/clients')).status).toBe(200)
    expect(verifiedKeys.size).toBe(AUTH_CACHE_MAX)
    verifiedKeys.clear()
  })

  it('forgets an entry at its own expiry when that comes before the TTL', () => {
    const cache = new TtlCache<string>(60_000, 10)
    const now = clock.now().getTime()
    cache.set('s', 'session', now + 500)
    expect(cache.get('s')).toBe('session')
    clock.set(new Date(now + 500))
    expect(cache.get('s')).toBeUndefined()
    cache.set('gone', 'session', now - 1)
    expect(cache.get('gone')).toBeUndefined()
  })
})
