import { env } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import { spend } from '../src/auth/rate-limit'
import { peopleDb } from '../src/db'
import { Staff } from './helpers/browserless'
import { createOrg, unique } from './helpers/factories'

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
