/**
 * The attack that made the registry an identity graph, replayed step by step: a stranger business
 * B, signed up through the public sign-up, tries to read and hijack business A's client through
 * the shared registry. At every step B learns nothing of A's and changes nothing of A's.
 */
import { env } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import { orgStub } from '../src/organizations'
import { Staff } from './helpers/browserless'
import { api, createOrg, unique } from './helpers/factories'
import { bookJob, Homeowner, newPhone, openInvoice, signInFromLink } from './helpers/portal'
import { portalOf } from '../src/portal/remote'

type Client = {
  org_client_id: string
  person_id: string
  first_name: string | null
  last_name: string | null
  primary_email: string | null
  primary_phone_e164: string | null
  consents: Record<string, boolean>
  addresses: unknown[]
}
type Message = { to: string; purpose: string; status: string }

describe('a stranger business against another business’s client', () => {
  it('learns and changes nothing of A’s at any step: lookup, contact change, review request, portal sign-in, actions, upsert', async () => {
    // A, a real business, with its client Dana, a visit and an open invoice.
    const alpha = await createOrg({ organization_name: 'Alpha Secret Cleaning', timezone: 'America/Los_Angeles' })
    await api(alpha, 'PATCH', '/api/v1/organization', {
      google_review_url: 'https://g.page/r/alpha/review',
      quiet_hours: { start: '00:00', end: '00:00' },
    })
    const danaEmail = `dana-${unique()}@example.com`
    const danaPhone = newPhone()
    const created = await (
      await api(alpha, 'POST', '/api/v1/clients', {
        first_name: 'Dana',
        last_name: 'Quintero',
        email: danaEmail,
        phone: danaPhone.typed,
        address: { address1: '77 Hidden Lane', city: 'Berkeley', state: 'CA', postal: '94705' },
      })
    ).json<{ org_client_id: string; person_id: string }>()
    const job = await bookJob(alpha, created.org_client_id, '2030-06-10T19:00:00Z')
    const invoice = await openInvoice(alpha, created.org_client_id, 31_415)
    const aBefore = await (await api(alpha, 'GET', `/api/v1/clients/${created.org_client_id}`)).json<Client>()
    const secrets = [
      'Quintero',
      danaEmail,
      '77 Hidden Lane',
      'Alpha Secret Cleaning',
      job,
      invoice.id,
      alpha.organizationId,
    ]
    const seenByB: string[] = []

    // 1. B types only the phone Dana gave A (and a first name that fits): the same person, yet the answer is B's own words and an id.
    const bravo = await createOrg({ organization_name: 'Bravo Services', timezone: 'America/Los_Angeles' })
    const made = await api(bravo, 'POST', '/api/v1/clients', { first_name: 'Dana', phone: danaPhone.typed })
    expect(made.status).toBe(201)
    const atBravo = JSON.parse(await made.clone().text()) as { org_client_id: string; person_id: string }
    seenByB.push(await made.text())
    expect(atBravo.person_id).toBe(created.person_id)
    const bCard = await api(bravo, 'GET', `/api/v1/people/${atBravo.person_id}`)
    seenByB.push(await bCard.clone().text())
    expect(await bCard.json()).toMatchObject({ first_name: 'Dana', last_name: null, primary_email: null, emails: [] })

    // 2. B sets its own address on "the person": only B's card changes, and A's review request still goes to Dana.
    const attacker = `inbox-${unique()}@bravo.example`
    const changed = await api(bravo, 'POST', `/api/v1/people/${atBravo.person_id}/contact`, { email: attacker })
    expect(changed.status).toBe(200)
    seenByB.push(await changed.text())
    const asked = await api(alpha, 'POST', '/api/v1/review-requests', {
      org_client_id: created.org_client_id,
      channel: 'email',
      send: true,
    })
    expect(asked.status).toBe(201)
    const sent = (
      await (await api(alpha, 'GET', '/api/v1/messages?channel=email')).json<{ items: Message[] }>()
    ).items.filter((m) => m.purpose === 'review_request')
    expect(sent.map((m) => m.to)).toEqual([danaEmail])

    // 3. B makes a portal link for its client, asks for the code (it goes to B's address) and signs in.
    const link = await (
      await api(bravo, 'POST', '/api/v1/portal-links', { org_client_id: atBravo.org_client_id })
    ).json<{ url: string }>()
    const home = new Homeowner()
    await signInFromLink(home, new URL(link.url).pathname, 'email', attacker)
    const me = await (await home.get('/p/me')).text()
    seenByB.push(me)
    expect(me).toContain('Bravo Services')

    // 4. From that session, B cannot confirm A's visit or turn off A's texts.
    const csrf = await home.csrfToken()
    const base = `/p/me/${alpha.organizationId}`
    for (const path of [`${base}/jobs/${job}/confirm`, `${base}/preferences`]) {
      const res = await home.post(path, { _csrf: csrf })
      expect(res.status, path).toBe(404)
      seenByB.push(await res.text())
    }

    // 5. An upsert with Dana's email, another phone and another name rewrites nothing of A's.
    const upsert = await api(bravo, 'POST', '/api/v1/people/upsert', {
      email: danaEmail,
      phone: '(720) 555-0142',
      first_name: 'Mallory',
      last_name: 'Stranger',
    })
    seenByB.push(await upsert.text())

    // Nothing of A's reached B, and A's card, visit, consent and tasks are as they were.
    for (const body of seenByB) for (const secret of secrets) expect(body).not.toContain(secret)
    expect(await (await api(alpha, 'GET', `/api/v1/clients/${created.org_client_id}`)).json<Client>()).toEqual(aBefore)
    expect(aBefore).toMatchObject({
      first_name: 'Dana',
      primary_email: danaEmail,
      primary_phone_e164: danaPhone.e164,
      consents: { sms_opt_in: true, email_opt_in: true },
    })
    expect(
      (await (await api(alpha, 'GET', `/api/v1/jobs/${job}`)).json<{ confirmed_at: string | null }>()).confirmed_at,
    ).toBeNull()
    expect(await portalOf(orgStub(env, alpha.organizationId)).openTasks({ limit: 10 })).toEqual([])

    // A's staff are not told that someone signed in as Dana: nobody proved a point on A's card.
    const staff = new Staff()
    await staff.post('/login', { email: alpha.email, password: alpha.password })
    const page = await (await staff.get(`/app/clients/${created.org_client_id}`)).text()
    expect(page).toContain('Quintero')
    expect(page).not.toContain('data-testid="homeowner-badge"')
  })
})
