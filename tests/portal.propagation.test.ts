// Over 300 lines on purpose: a homeowner's change reaching each chosen business shares the three-provider setup (threeProviders()).
import { env } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import { peopleDb } from '../src/db'
import { orgStub } from '../src/organizations'
import { deliverCode } from '../src/portal/deliver-code'
import { issueCode } from '../src/portal/codes'
import { Staff } from './helpers/browserless'
import { api, createClient, createOrg, unique, type TestOrg } from './helpers/factories'
import {
  bookJob,
  businessWithClient,
  codeFromOutbox,
  Homeowner,
  newPhone,
  openInvoice,
  portalPath,
  signInFromLink,
} from './helpers/portal'
import { portalOf } from '../src/portal/remote'
import { cardsOf } from '../src/clients/remote'

const wrong = (code: string) => String((Number(code) + 1) % 1_000_000).padStart(6, '0')

/** The form fields that send a change to these providers. */
const to = (...orgs: TestOrg[]) => Object.fromEntries(orgs.map((o) => [`to_${o.organizationId}`, 'on']))

async function card(org: TestOrg, personId: string) {
  const found = await cardsOf(orgStub(env, org.organizationId)).getPersonCard(personId)
  if (!found) throw new Error('no card')
  return found
}

async function timeline(org: TestOrg, orgClientId: string) {
  const res = await api(org, 'GET', `/api/v1/clients/${orgClientId}/timeline`)
  return (await res.json<{ items: Array<{ type: string; data: Record<string, unknown> }> }>()).items
}

const contactTasks = async (org: TestOrg) =>
  (await portalOf(orgStub(env, org.organizationId)).openTasks({ limit: 20 })).filter(
    (t) => t.type === 'contact_changed',
  )

async function outboxCount(to: string) {
  return (await env.PEOPLE.prepare('select count(*) as n from outbox where "to" = ?').bind(to).first<{ n: number }>())!
    .n
}

async function accountOf(point: string) {
  return (
    await env.PEOPLE.prepare('select account_id from account_points where point = ?')
      .bind(point)
      .first<{ account_id: string }>()
  )?.account_id
}

/** One person (one email) as a client of three businesses, signed in by a code to that email. */
async function threeProviders() {
  const email = `casey-${unique()}@example.com`
  const a = await businessWithClient('Amber Cleaning', { email, first_name: 'Casey' })
  const b = await businessWithClient('Birch Plumbing', { email, first_name: 'Casey' })
  const c = await businessWithClient('Cedar Lawns', { email, first_name: 'Casey' })
  expect(new Set([a.client.person_id, b.client.person_id, c.client.person_id]).size).toBe(1)
  const home = new Homeowner()
  await signInFromLink(home, await portalPath(a.org, a.client.org_client_id), 'email', email)
  return { a, b, c, email, personId: a.client.person_id, home, csrf: await home.csrfToken() }
}

describe('a homeowner sends new details to the providers they pick', () => {
  it('proves a new phone by code first, then changes exactly the ticked providers’ cards, with a timeline entry and a staff task', async () => {
    const { a, b, c, personId, home, csrf } = await threeProviders()
    const me = await (await home.get('/p/me')).text()
    expect(me).toContain('Your details')
    for (const org of [a, b, c])
      expect(me).toMatch(new RegExp(`name="to_${org.org.organizationId}" value="on" checked`))
    const phone = newPhone()
    const before = { a: await card(a.org, personId), c: await card(c.org, personId) }

    const asked = await home.post('/p/me/details', { _csrf: csrf, phone: phone.typed, ...to(a.org, b.org) })
    expect(asked.status).toBe(200)
    expect(await asked.text()).toContain('Check your new number')
    const code = await codeFromOutbox(phone.e164)
    // Nothing changes before the code is typed, nor with a wrong one.
    expect((await card(a.org, personId)).phones).toEqual(before.a.phones)
    const bad = await home.post('/p/me/details', {
      _csrf: csrf,
      phone: phone.typed,
      ...to(a.org, b.org),
      step: 'code',
      code_sms: wrong(code),
    })
    expect(bad.status).toBe(422)
    expect(await bad.text()).toContain('You have 4 tries left.')
    expect((await card(a.org, personId)).phones).toEqual(before.a.phones)
    expect(await contactTasks(a.org)).toHaveLength(0)

    const done = await home.post('/p/me/details', {
      _csrf: csrf,
      phone: phone.typed,
      ...to(a.org, b.org),
      step: 'code',
      code_sms: code,
    })
    expect(done.status).toBe(303)
    const page = await (await home.get(done.headers.get('location')!)).text()
    expect(page).toMatch(
      /Saved\. Your new details went to (Amber Cleaning and Birch Plumbing|Birch Plumbing and Amber Cleaning)\./,
    )

    const accountId = await accountOf(phone.e164)
    expect(accountId).toBeTruthy()
    for (const { org, client, phone: old } of [a, b]) {
      const now = await card(org, personId)
      expect(now.primary_phone_e164).toBe(phone.e164)
      expect(now.phones).toEqual([phone.e164, old])
      expect(now.provenance[`phone:${phone.e164}`]).toMatchObject({ source: 'homeowner', by: accountId })
      const entry = (await timeline(org, client.org_client_id)).find((i) => i.type === 'contact_changed')
      expect(entry?.data).toMatchObject({ field: 'phone', from: old, to: phone.e164, source: 'homeowner' })
      const [task] = await contactTasks(org)
      expect(task).toMatchObject({
        org_client_id: client.org_client_id,
        status: 'open',
        note: `phone → ${phone.typed}`,
      })
    }
    // The provider left unticked hears nothing.
    expect(await card(c.org, personId)).toEqual(before.c)
    expect((await timeline(c.org, c.client.org_client_id)).some((i) => i.type === 'contact_changed')).toBe(false)
    expect(await contactTasks(c.org)).toHaveLength(0)

    // The registry holds the new number as proven, and staff see the notice on their dashboard.
    const row = await env.PEOPLE.prepare('select verified_at from person_phones where person_id = ? and phone_e164 = ?')
      .bind(personId, phone.e164)
      .first<{ verified_at: string | null }>()
    expect(row?.verified_at).toBeTruthy()
    const staff = new Staff()
    await staff.post('/login', { email: a.org.email, password: a.org.password })
    expect(await (await staff.get('/app')).text()).toContain(
      `updated their contact details: <span data-testid="task-change">phone → ${phone.typed}</span>`,
    )
  })

  it('sends a new name and address without a code: the default address changes, with the homeowner as its source', async () => {
    const { a, b, personId, home, csrf } = await threeProviders()
    const res = await home.post('/p/me/details', {
      _csrf: csrf,
      first_name: 'Cass',
      last_name: 'Moreno',
      address1: '41 Harbor Way',
      address2: 'Unit 3',
      city: 'Alameda',
      state: 'CA',
      postal: '94501',
      ...to(b.org),
    })
    expect(res.status).toBe(303)
    const client = await (await api(b.org, 'GET', `/api/v1/clients/${b.client.org_client_id}`)).json<{
      first_name: string
      last_name: string
    }>()
    expect(client).toMatchObject({ first_name: 'Cass', last_name: 'Moreno' })
    const addresses = await cardsOf(orgStub(env, b.org.organizationId)).listAddresses(b.client.org_client_id)
    expect(addresses).toHaveLength(1)
    expect(addresses![0]).toMatchObject({
      address1: '41 Harbor Way',
      address2: 'Unit 3',
      city: 'Alameda',
      postal: '94501',
      is_default: true,
      source: 'homeowner',
    })
    const [task] = await contactTasks(b.org)
    expect(task!.note).toBe('name → Cass Moreno; address → 41 Harbor Way, Unit 3, Alameda, CA 94501')
    expect((await card(a.org, personId)).first_name).toBe('Casey')
  })

  it('comes back filled in with each problem beside its field, and changes nothing', async () => {
    const { a, personId, home, csrf } = await threeProviders()
    const res = await home.post('/p/me/details', {
      _csrf: csrf,
      phone: '12',
      address1: '5 Oak St',
      email: 'casey.new@example.com',
    })
    expect(res.status).toBe(422)
    const html = await res.text()
    expect(html).toContain('Enter a phone number with its area code')
    expect(html).toContain('Enter the city.')
    expect(html).toContain('Tick at least one provider')
    expect(html).toContain('value="casey.new@example.com"')
    expect((await home.post('/p/me/details', { phone: '(415) 555-0100', ...to(a.org) })).status).toBe(403)
    expect(await outboxCount('casey.new@example.com')).toBe(0)
    expect((await card(a.org, personId)).emails).toHaveLength(1)
  })
})

describe('portal access by proof', () => {
  it('a business that puts its own email on its card of another business’s client sees only its own records', async () => {
    const victim = `dana-${unique()}@example.com`
    const alpha = await createOrg({ organization_name: 'Alpha Secret Cleaning', timezone: 'America/Los_Angeles' })
    const atAlpha = await createClient(alpha, {
      first_name: 'Dana',
      last_name: 'Quintero',
      email: victim,
      phone: newPhone().e164,
      address: { address1: '77 Hidden Lane', city: 'Berkeley', state: 'CA', postal: '94705' },
    })
    const alphaJob = await bookJob(alpha, atAlpha.org_client_id, '2030-06-10T19:00:00Z')
    const alphaInvoice = await openInvoice(alpha, atAlpha.org_client_id, 31_415)

    // Bravo signs up, files the same email, then puts an address it controls on its own card.
    const bravo = await createOrg({ organization_name: 'Bravo Services', timezone: 'America/Los_Angeles' })
    const atBravo = await createClient(bravo, { first_name: 'Someone', email: victim })
    expect(atBravo.person_id).toBe(atAlpha.person_id)
    const attacker = `inbox-${unique()}@bravo.example`
    expect((await api(bravo, 'POST', `/api/v1/people/${atBravo.person_id}/contact`, { email: attacker })).status).toBe(
      200,
    )
    const link = await (
      await api(bravo, 'POST', '/api/v1/portal-links', { org_client_id: atBravo.org_client_id })
    ).json<{ url: string }>()
    const path = new URL(link.url).pathname

    const victimMail = await outboxCount(victim)
    const home = new Homeowner()
    await signInFromLink(home, path, 'email', attacker)
    expect(await outboxCount(victim)).toBe(victimMail)
    const csrf = await home.csrfToken()

    const secrets = [
      'Alpha Secret Cleaning',
      'Dana',
      'Quintero',
      '77 Hidden Lane',
      alphaJob,
      alphaInvoice.id,
      alpha.organizationId,
      '314.15',
    ]
    const bodies: string[] = []
    const me = await home.get('/p/me')
    bodies.push(await me.text())
    expect(bodies[0]).toContain('Bravo Services')
    expect(bodies[0]).toContain('One provider')
    const base = `/p/me/${alpha.organizationId}`
    for (const [method, url, status] of [
      ['POST', `${base}/jobs/${alphaJob}/confirm`, 404],
      ['GET', `${base}/jobs/${alphaJob}/reschedule`, 404],
      ['POST', `${base}/jobs/${alphaJob}/reschedule`, 404],
      ['POST', `${base}/preferences`, 404],
      ['POST', `${base}/invoices/${alphaInvoice.id}/pay`, 404],
      ['POST', `${base}/jobs/${alphaJob}/review`, 404],
    ] as const) {
      const res =
        method === 'GET'
          ? await home.get(url)
          : await home.post(url, { _csrf: csrf, first: '2030-06-12T09:00', second: '2030-06-13T09:00' })
      expect(res.status, url).toBe(status)
      bodies.push(await res.text())
    }
    // Nor can the change form reach Alpha: only the providers the account sees are ticked.
    const pushed = await home.post('/p/me/details', { _csrf: csrf, first_name: 'Mallory', ...to(alpha, bravo) })
    expect(pushed.status).toBe(303)
    bodies.push(await (await home.get(pushed.headers.get('location')!)).text())
    for (const body of bodies) for (const secret of secrets) expect(body).not.toContain(secret)

    const alphaCard = await (await api(alpha, 'GET', `/api/v1/people/${atAlpha.person_id}`)).json<{
      first_name: string
      emails: string[]
    }>()
    expect(alphaCard).toMatchObject({ first_name: 'Dana', emails: [victim] })
    expect(
      (await api(alpha, 'GET', `/api/v1/jobs/${alphaJob}`).then((r) => r.json<{ confirmed_at: string | null }>()))
        .confirmed_at,
    ).toBeNull()
    const detail = await (await api(alpha, 'GET', `/api/v1/clients/${atAlpha.org_client_id}`)).json<{
      consents: Record<string, boolean>
    }>()
    expect(detail.consents).toMatchObject({ sms_opt_in: true, email_opt_in: true })
    expect(await portalOf(orgStub(env, alpha.organizationId)).openTasks({ limit: 10 })).toHaveLength(0)
    expect((await card(bravo, atBravo.person_id)).first_name).toBe('Mallory')
  })

  it('a signed link still opens its one client’s page without signing in', async () => {
    const { org, client } = await businessWithClient('Link Only Co', { first_name: 'Lee' })
    const res = await new Homeowner().get(await portalPath(org, client.org_client_id))
    expect(res.status).toBe(200)
    expect(await res.text()).toContain('Hi Lee')
  })
})

describe('codes for a new phone or email', () => {
  it('work only for the account that asked, and not after 5 wrong tries', async () => {
    const first = await threeProviders()
    const other = await businessWithClient('Other Home Co')
    const stranger = new Homeowner()
    await signInFromLink(stranger, await portalPath(other.org, other.client.org_client_id), 'email', other.email)
    const phone = newPhone()
    await first.home.post('/p/me/details', { _csrf: first.csrf, phone: phone.typed, ...to(first.a.org) })
    const code = await codeFromOutbox(phone.e164)

    // Forwarded to another account, the code proves nothing and changes nothing.
    const replay = await stranger.post('/p/me/details', {
      _csrf: await stranger.csrfToken(),
      phone: phone.typed,
      ...to(other.org),
      step: 'code',
      code_sms: code,
    })
    expect(replay.status).toBe(422)
    expect(await replay.text()).toContain('There is no code waiting for you')
    expect((await card(other.org, other.client.person_id)).phones).toEqual([other.phone])
    // Nor does it sign anyone in at a link.
    const link = await portalPath(first.a.org, first.a.client.org_client_id)
    expect((await new Homeowner().post(`${link}/verify/code`, { code })).status).toBe(422)

    // Five wrong tries lock it: then even the right code does nothing.
    const form = { _csrf: first.csrf, phone: phone.typed, ...to(first.a.org), step: 'code' }
    for (let i = 4; i >= 1; i--)
      expect(await (await first.home.post('/p/me/details', { ...form, code_sms: wrong(code) })).text()).toContain(
        `You have ${i} ${i === 1 ? 'try' : 'tries'} left.`,
      )
    expect(await (await first.home.post('/p/me/details', { ...form, code_sms: wrong(code) })).text()).toContain(
      'this code is locked',
    )
    const late = await first.home.post('/p/me/details', { ...form, code_sms: code })
    expect(late.status).toBe(422)
    expect(await late.text()).toContain('this code is locked')
    expect((await card(first.a.org, first.personId)).phones).toEqual([first.a.phone])
    expect(await accountOf(phone.e164)).toBeUndefined()
  })

  it('are limited per number', async () => {
    const { a, home, csrf } = await threeProviders()
    const phone = newPhone()
    for (let i = 0; i < 3; i++)
      expect((await home.post('/p/me/details', { _csrf: csrf, phone: phone.typed, ...to(a.org) })).status).toBe(200)
    const limited = await home.post('/p/me/details', { _csrf: csrf, phone: phone.typed, ...to(a.org) })
    expect(limited.status).toBe(429)
    expect(await outboxCount(phone.e164)).toBe(3)
  })
})

describe('sign-in codes from a link', () => {
  it('go to the contact point on the link business’s own card, never to one another business or the registry holds', async () => {
    const email = `robin-${unique()}@example.com`
    const a = await businessWithClient('Ash Cleaning', { email })
    const b = await businessWithClient('Beech Plumbing', { email })
    expect(b.client.person_id).toBe(a.client.person_id)
    // Ash gives its card a new email: the registry now holds it for this person too.
    const ashEmail = `robin-ash-${unique()}@example.com`
    await api(a.org, 'POST', `/api/v1/people/${a.client.person_id}/contact`, { email: ashEmail })
    const path = await portalPath(b.org, b.client.org_client_id)
    const home = new Homeowner()
    expect((await home.post(`${path}/verify`, { channel: 'sms', phone: a.phone, to: a.phone })).status).toBe(303)
    expect((await home.post(`${path}/verify`, { channel: 'email', email: ashEmail })).status).toBe(303)
    expect(await outboxCount(b.phone)).toBe(1)
    expect(await outboxCount(email)).toBe(1)
    expect(await outboxCount(a.phone)).toBe(0)
    expect(await outboxCount(ashEmail)).toBe(0)
  })

  it('are not sent when the card no longer holds the point the code was made for', async () => {
    const { org, client, phone } = await businessWithClient('Moved Co')
    const db = peopleDb(env.PEOPLE)
    const stale = newPhone().e164
    const { id, code } = await issueCode(db, env.PORTAL_SIGNING_KEY!, {
      personId: client.person_id,
      channel: 'sms',
      destination: stale,
    })
    const sent = await deliverCode(env, orgStub(env, org.organizationId), client.org_client_id, 'sms', code, id, stale)
    expect(sent).toEqual({ skipped: 'contact_changed' })
    expect(await outboxCount(phone)).toBe(0)
    expect(await outboxCount(stale)).toBe(0)
  })
})
