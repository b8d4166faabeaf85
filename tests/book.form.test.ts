/** The public request form /book/{slug}: a lead and an email to owners and admins; honeypot, timing, replays and rate limits write nothing. */
import { env, SELF } from 'cloudflare:test'
import { afterEach, describe, expect, it } from 'vitest'
import { clock } from '../src/clock'
import { peopleDb } from '../src/db'
import { spendRequest } from '../src/sales/request-form'
import { api, BASE, createOrg, type TestOrg, unique } from './helpers/factories'
import { messagesOf } from './helpers/messaging'
import { teammate } from './helpers/team'

type Lead = { id: string; first_name: string; source: string; notes: string | null; service_interest: string | null }

afterEach(() => clock.set(null))

const slugOf = async (org: TestOrg) =>
  (await (await api(org, 'GET', '/api/v1/organization')).json<{ slug: string }>()).slug

const open = (slug: string) => SELF.fetch(`${BASE}/book/${slug}`)

/** The form's signed stamp, from the page as a person gets it. */
async function stampOf(slug: string): Promise<string> {
  const html = await (await open(slug)).text()
  const stamp = html.match(/name="stamp" value="([^"]+)"/)?.[1]
  if (!stamp) throw new Error('no stamp on the form')
  return stamp
}

/** Posts the form from another site (no Origin check: a business may embed it), from `ip`. */
function send(slug: string, fields: Record<string, string>, ip = '203.0.113.7') {
  return SELF.fetch(`${BASE}/book/${slug}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      origin: 'https://sparkle-cleaning.example',
      'cf-connecting-ip': ip,
    },
    body: new URLSearchParams(fields).toString(),
  })
}

/** A person: opens the form, takes their time, sends it. */
async function request(slug: string, fields: Record<string, string>, ip?: string) {
  const stamp = await stampOf(slug)
  clock.advance(5_000)
  return send(slug, { stamp, website: '', ...fields }, ip)
}

const leadsOf = async (org: TestOrg) => (await (await api(org, 'GET', '/api/v1/leads')).json<{ items: Lead[] }>()).items

const dana = () => ({ first_name: 'Dana', last_name: 'Reyes', email: `dana-${unique()}@example.com` })

describe('GET /book/{slug}', () => {
  it("shows the business's name, the form with its active services, and a honeypot hidden from people", async () => {
    const org = await createOrg({ organization_name: `Shine ${unique()}` })
    await api(org, 'POST', '/api/v1/services', { name: 'Deep clean' })
    const res = await open(await slugOf(org))
    expect(res.status).toBe(200)
    expect(res.headers.get('cache-control')).toBe('no-store')
    const html = await res.text()
    expect(html).toContain('Ask Shine ')
    expect(html).toContain('href="/app.css"')
    for (const name of ['first_name', 'last_name', 'email', 'phone', 'message', 'service_id'])
      expect(html).toContain(`name="${name}"`)
    expect(html).toContain('Deep clean')
    expect(html).toMatch(/<div class="book-trap" aria-hidden="true">[\s\S]*name="website"[^>]*tabindex="-1"/)
  })

  it('answers 404 for a slug no business has', async () => {
    const res = await open(`nobody-${unique()}`)
    expect(res.status).toBe(404)
    expect(await res.text()).toContain('This page does not exist')
  })
})

describe('POST /book/{slug}', () => {
  it('creates a web_form lead with the message and service, thanks the person and emails every owner and admin', async () => {
    const org = await createOrg()
    await teammate(org, { role: 'admin' })
    await teammate(org, { role: 'tech' })
    const service = await (await api(org, 'POST', '/api/v1/services', { name: 'Windows' })).json<{ id: string }>()
    const slug = await slugOf(org)
    const res = await request(slug, {
      ...dana(),
      phone: '(415) 555-0123',
      message: 'Two storey house, all windows please',
      service_id: service.id,
    })
    expect(res.status).toBe(200)
    expect(await res.text()).toContain('has your request')
    const [lead] = await leadsOf(org)
    expect(lead).toMatchObject({
      first_name: 'Dana',
      source: 'web_form',
      notes: 'Two storey house, all windows please',
      service_interest: 'Windows',
      phone: '+14155550123',
    })
    const emails = await messagesOf(org, '?purpose=lead_request')
    expect(emails).toHaveLength(2)
    expect(emails.map((m) => m.to)).toContain(org.email)
    expect(emails[0]!.subject).toBe('New request from Dana Reyes')
    expect(emails[0]!.body).toContain('Two storey house, all windows please')
    expect(emails[0]!.body).toContain(`https://homebase.test/app/leads/${lead!.id}`)
  })

  it('shows the form again with errors for invalid input, writing nothing', async () => {
    const org = await createOrg()
    const slug = await slugOf(org)
    const res = await request(slug, { first_name: '', email: 'not-an-email', phone: '12', message: 'Hi' })
    expect(res.status).toBe(422)
    const html = await res.text()
    expect(html).toContain('Enter your first name.')
    expect(html).toContain('Enter a valid email address')
    expect(html).toContain('>Hi</textarea>')
    const none = await request(slug, { first_name: 'Al' })
    expect(await none.text()).toContain('Enter an email or a phone number')
    expect(await leadsOf(org)).toEqual([])
    expect(await messagesOf(org, '?purpose=lead_request')).toEqual([])
  })

  it('answers a filled honeypot with the same thank-you and writes nothing', async () => {
    const org = await createOrg()
    const slug = await slugOf(org)
    const res = await request(slug, { ...dana(), website: 'http://spam.example' })
    expect(res.status).toBe(200)
    expect(await res.text()).toContain('has your request')
    expect(await leadsOf(org)).toEqual([])
    expect(await messagesOf(org, '?purpose=lead_request')).toEqual([])
  })

  it('quietly drops a form sent within 2 seconds of being shown, or with no or a forged stamp', async () => {
    const org = await createOrg()
    const slug = await slugOf(org)
    const stamp = await stampOf(slug)
    clock.advance(1_000)
    const quick = await send(slug, { ...dana(), stamp })
    expect(quick.status).toBe(200)
    expect(await quick.text()).toContain('has your request')
    expect((await send(slug, dana())).status).toBe(200)
    const [at, nonce] = stamp.split('.')
    expect((await send(slug, { ...dana(), stamp: `${Number(at) - 60_000}.${nonce}.forged` })).status).toBe(200)
    // Another business's stamp is no stamp here.
    const other = await createOrg()
    const theirs = await stampOf(await slugOf(other))
    clock.advance(5_000)
    expect((await send(slug, { ...dana(), stamp: theirs })).status).toBe(200)
    expect(await leadsOf(org)).toEqual([])
    expect(await leadsOf(other)).toEqual([])
  })

  it('shows the form again, filled in, when it was open for more than a day', async () => {
    const org = await createOrg()
    const slug = await slugOf(org)
    const stamp = await stampOf(slug)
    clock.advance(25 * 3_600_000)
    const res = await send(slug, { ...dana(), stamp })
    expect(res.status).toBe(200)
    const html = await res.text()
    expect(html).toContain('send it again')
    expect(html).toContain('value="Dana"')
    expect(await leadsOf(org)).toEqual([])
  })

  it('makes one lead of the same form sent twice', async () => {
    const org = await createOrg()
    const slug = await slugOf(org)
    const stamp = await stampOf(slug)
    clock.advance(5_000)
    const fields = { ...dana(), stamp, message: 'Once please' }
    const [a, b] = [await send(slug, fields), await send(slug, fields)]
    expect([a.status, b.status]).toEqual([200, 200])
    expect(await leadsOf(org)).toHaveLength(1)
    expect(await messagesOf(org, '?purpose=lead_request')).toHaveLength(1)
  })

  it('allows 5 requests per address in 10 minutes, then answers 429 with Retry-After and writes nothing', async () => {
    const org = await createOrg()
    const slug = await slugOf(org)
    const ip = `198.51.100.${Math.floor(Math.random() * 200)}`
    for (let i = 0; i < 5; i++) expect((await request(slug, dana(), ip)).status).toBe(200)
    const limited = await request(slug, dana(), ip)
    expect(limited.status).toBe(429)
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0)
    expect(await limited.text()).toContain('Please try again later')
    expect(await leadsOf(org)).toHaveLength(5)
    // Someone else can still ask.
    expect((await request(slug, dana(), '192.0.2.55')).status).toBe(200)
    expect(await leadsOf(org)).toHaveLength(6)
    // Ten minutes later the address may ask again.
    clock.advance(10 * 60_000)
    expect((await request(slug, dana(), ip)).status).toBe(200)
  })

  it('takes at most 100 requests an hour per business, whatever the addresses', async () => {
    const org = await createOrg()
    const db = peopleDb(env.PEOPLE)
    for (let i = 0; i < 100; i++) expect(await spendRequest(db, org.organizationId, `10.0.${i}.1`)).toBeNull()
    expect(await spendRequest(db, org.organizationId, '10.1.0.1')).toBeGreaterThan(0)
    const limited = await request(await slugOf(org), dana(), '10.2.0.1')
    expect(limited.status).toBe(429)
    expect(await leadsOf(org)).toEqual([])
  })

  it('answers 404 for a slug no business has, writing nothing', async () => {
    const res = await send(`nobody-${unique()}`, dana())
    expect(res.status).toBe(404)
  })
})
