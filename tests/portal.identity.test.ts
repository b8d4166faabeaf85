import { env } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import { LOGGED_CODE_TEXT } from '../src/portal/deliver-code'
import { Staff } from './helpers/browserless'
import { api, createClient } from './helpers/factories'
import { messagesOf } from './helpers/messaging'
import { bookJob, businessWithClient, codeFromOutbox, Homeowner, portalPath } from './helpers/portal'

/** The same person (one phone) as a client of a cleaner and of a plumber, each with a visit booked. */
async function twoProviders() {
  const cleaner = await businessWithClient('Sparkle Cleaning', { first_name: 'Jordan' })
  const plumber = await businessWithClient('Pipe Pros Plumbing')
  // The plumber knows Jordan by the same phone: the registry makes them one person.
  const atPlumber = await createClient(plumber.org, { first_name: 'Jordan', phone: cleaner.phone })
  expect(atPlumber.person_id).toBe(cleaner.client.person_id)
  await bookJob(cleaner.org, cleaner.client.org_client_id, '2030-06-10T19:00:00Z')
  const plumberJob = await bookJob(plumber.org, atPlumber.org_client_id, '2030-07-01T16:30:00Z')
  return {
    cleaner,
    plumber,
    atPlumber,
    plumberJob,
    phone: cleaner.phone,
    path: await portalPath(cleaner.org, cleaner.client.org_client_id),
  }
}

async function codeSent(home: Homeowner, path: string, phone: string) {
  const res = await home.post(`${path}/verify`, { channel: 'sms', phone: '+14155550000' })
  expect(res.status).toBe(303)
  expect(res.headers.get('location')).toBe(`${path}/verify?via=sms`)
  return codeFromOutbox(phone)
}

const wrong = (code: string) => String((Number(code) + 1) % 1_000_000).padStart(6, '0')

describe('one-time code and every provider', () => {
  it('shows other providers only after the phone is verified', async () => {
    const { cleaner, plumber, phone, path } = await twoProviders()
    const home = new Homeowner()
    const before = await (await home.get(path)).text()
    expect(before).toContain('Sparkle Cleaning')
    expect(before).not.toContain('Pipe Pros Plumbing')
    expect(before).toContain(`By text to the number ending in ${phone.slice(-4)}`)
    const me = await (await home.get('/p/me')).text()
    expect(me).not.toContain('Pipe Pros Plumbing')
    expect(me).toContain('Send me a code')

    const codePage = await (await home.get(`${path}/verify?via=sms`)).text()
    expect(codePage).toContain('autocomplete="one-time-code"')
    const code = await codeSent(home, path, phone)
    // The business's message log records the send, never the code itself.
    expect(await messagesOf(plumber.org, '?purpose=portal_code')).toHaveLength(0)
    const [logged] = await messagesOf(cleaner.org, '?purpose=portal_code')
    expect(logged!.body).toBe(LOGGED_CODE_TEXT)
    expect(logged!.body).not.toContain(code)
    expect(logged!.status).toBe('sent')

    const bad = await home.post(`${path}/verify/code`, { code: wrong(code) })
    expect(bad.status).toBe(422)
    expect(await bad.text()).toContain('You have 4 tries left.')
    const ok = await home.post(`${path}/verify/code`, { code })
    expect(ok.status).toBe(303)
    expect(ok.headers.get('location')).toBe('/p/me?done=verified')
    const cookie = home.setCookie!
    for (const attr of ['Path=/p', 'HttpOnly', 'Secure', 'SameSite=Lax']) expect(cookie).toContain(attr)

    const all = await (await home.get('/p/me')).text()
    expect(all).toContain('Sparkle Cleaning')
    expect(all).toContain('Pipe Pros Plumbing')
    expect(all).toContain('Mon, Jul 1, 9:30 AM')
    expect(all).toContain('2 providers')
    expect(new TextEncoder().encode(all).length).toBeLessThan(50_000)
    // The provider's own link now points to every provider instead of offering a code.
    expect(await (await home.get(path)).text()).toContain('See every provider in one place')
    // A code works once.
    expect((await new Homeowner().post(`${path}/verify/code`, { code })).status).toBe(422)
  })

  it('lets a verified homeowner act at another provider with the session’s CSRF token, and shows staff the badge', async () => {
    const { plumber, atPlumber, plumberJob, phone, path } = await twoProviders()
    const home = new Homeowner()
    await home.post(`${path}/verify/code`, { code: await codeSent(home, path, phone) })
    const csrf = await home.csrfToken()
    const base = `/p/me/${plumber.org.organizationId}`
    expect((await home.post(`${base}/jobs/${plumberJob}/confirm`, {})).status).toBe(403)
    const res = await home.post(`${base}/jobs/${plumberJob}/confirm`, { _csrf: csrf })
    expect(res.status).toBe(303)
    expect(res.headers.get('location')).toBe('/p/me?done=confirmed')
    expect(
      (await (await api(plumber.org, 'GET', `/api/v1/jobs/${plumberJob}`)).json<{ confirmed_at: string | null }>())
        .confirmed_at,
    ).not.toBeNull()

    const staff = new Staff()
    await staff.post('/login', { email: plumber.org.email, password: plumber.org.password })
    expect(await (await staff.get(`/app/clients/${atPlumber.org_client_id}`)).text()).toContain(
      'data-testid="homeowner-badge"',
    )
    expect(await (await staff.get(`/app/clients/${plumber.client.org_client_id}`)).text()).not.toContain(
      'data-testid="homeowner-badge"',
    )

    // A business where this person is no client is nothing to them.
    const stranger = await businessWithClient('Stranger Landscaping')
    const strangerJob = await bookJob(stranger.org, stranger.client.org_client_id, '2030-06-10T19:00:00Z')
    expect(
      (await home.post(`/p/me/${stranger.org.organizationId}/jobs/${strangerJob}/confirm`, { _csrf: csrf })).status,
    ).toBe(404)
    expect(await (await home.get('/p/me')).text()).not.toContain('Stranger Landscaping')

    const out = await home.post('/p/me/logout', { _csrf: csrf })
    expect(out.status).toBe(303)
    expect(home.cookie).toBe('')
    expect(await (await home.get('/p/me')).text()).not.toContain('Pipe Pros Plumbing')
  })

  it('shows a provider only where its own card holds a phone or email the homeowner proved', async () => {
    const cleaner = await businessWithClient('Sparkle Cleaning', { first_name: 'Jordan' })
    // The roofer knows Jordan by the same email and another phone: one person in the registry.
    const roofer = await businessWithClient('Roof Right', { first_name: 'Jordan', email: cleaner.email })
    expect(roofer.client.person_id).toBe(cleaner.client.person_id)
    const path = await portalPath(cleaner.org, cleaner.client.org_client_id)
    const byPhone = new Homeowner()
    await byPhone.post(`${path}/verify/code`, { code: await codeSent(byPhone, path, cleaner.phone) })
    const me = await (await byPhone.get('/p/me')).text()
    expect(me).toContain('Sparkle Cleaning')
    expect(me).not.toContain('Roof Right')
    expect(
      (await byPhone.post(`/p/me/${roofer.org.organizationId}/preferences`, { _csrf: await byPhone.csrfToken() }))
        .status,
    ).toBe(404)

    // Proving the email, which the roofer's card holds, opens the roofer too.
    const byEmail = new Homeowner()
    expect((await byEmail.post(`${path}/verify`, { channel: 'email' })).status).toBe(303)
    await byEmail.post(`${path}/verify/code`, { code: await codeFromOutbox(cleaner.email) })
    const both = await (await byEmail.get('/p/me')).text()
    expect(both).toContain('Roof Right')
    expect(both).toContain('2 providers')
  })

  it('locks a code after 5 wrong tries, even for the right code', async () => {
    const { phone, path } = await twoProviders()
    const home = new Homeowner()
    const code = await codeSent(home, path, phone)
    for (let i = 4; i >= 1; i--)
      expect(await (await home.post(`${path}/verify/code`, { code: wrong(code) })).text()).toContain(
        `You have ${i} ${i === 1 ? 'try' : 'tries'} left.`,
      )
    expect(await (await home.post(`${path}/verify/code`, { code: wrong(code) })).text()).toContain(
      'this code is locked',
    )
    const right = await home.post(`${path}/verify/code`, { code })
    expect(right.status).toBe(422)
    expect(await right.text()).toContain('this code is locked')
    expect(home.cookie).toBe('')
  })

  it('refuses an expired code and limits how many codes are sent', async () => {
    const { phone, path, cleaner } = await twoProviders()
    const home = new Homeowner()
    const code = await codeSent(home, path, phone)
    await env.PEOPLE.prepare('update homeowner_codes set expires_at = ? where person_id = ?')
      .bind(new Date(Date.now() - 1000).toISOString(), cleaner.client.person_id)
      .run()
    const late = await home.post(`${path}/verify/code`, { code })
    expect(late.status).toBe(422)
    expect(await late.text()).toContain('more than 10 minutes old')
    // Stored hashed: the table never holds the code.
    const row = await env.PEOPLE.prepare(
      'select code_hash from homeowner_codes where person_id = ? order by created_at desc',
    )
      .bind(cleaner.client.person_id)
      .first<{ code_hash: string }>()
    expect(row!.code_hash).not.toContain(code)
    expect(row!.code_hash).toMatch(/^[0-9a-f]{64}$/)

    await codeSent(home, path, phone)
    await codeSent(home, path, phone)
    const limited = await home.post(`${path}/verify`, { channel: 'sms' })
    expect(limited.status).toBe(429)
    expect(await limited.text()).toContain('You asked for several codes')
  })

  it('does not send a code by a channel the homeowner turned off', async () => {
    const { path } = await twoProviders()
    const home = new Homeowner()
    await home.post(`${path}/preferences`, { email: 'on' })
    const res = await home.post(`${path}/verify`, { channel: 'sms' })
    expect(res.status).toBe(422)
    expect(await res.text()).toContain('You turned off texts from this business')
  })
})
