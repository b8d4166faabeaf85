/**
 * The Settings page: one page whose sections (business, payments, reviews, messaging) each save
 * with or without htmx, come back with errors beside their fields and write nothing when refused.
 */
import { describe, expect, it } from 'vitest'
import { Staff } from './helpers/browserless'
import { api, createOrg, type TestOrg, unique } from './helpers/factories'

const HX = { 'hx-request': 'true' }

async function signedIn(org?: TestOrg) {
  const owner = org ?? (await createOrg())
  const staff = new Staff()
  await staff.post('/login', { email: owner.email, password: owner.password })
  return { org: owner, staff, csrf: await staff.csrfToken() }
}

/** A member of the team (not an owner or admin), signed in. */
async function member(org: TestOrg) {
  const email = `member-${unique()}@example.com`
  const { invite_url } = await (await api(org, 'POST', '/api/v1/team/invites', { email, role: 'member' })).json<{
    invite_url: string
  }>()
  await new Staff().post(new URL(invite_url).pathname, { password: 'member password 1' })
  const staff = new Staff()
  await staff.post('/login', { email, password: 'member password 1' })
  return { staff, csrf: await staff.csrfToken() }
}

const organization = async (org: TestOrg) =>
  (await api(org, 'GET', '/api/v1/organization')).json<Record<string, unknown>>()

const BUSINESS = {
  name: 'Bright Windows',
  phone: '415.555.0188',
  address1: '9 Elm St',
  address2: '',
  city: 'Austin',
  state: 'TX',
  postal: '78701',
  timezone: 'Central',
  logo_text: 'BRIGHT',
  brand_color: '#0055AA',
  default_tax_rate: '8.25',
}

describe('GET /app/settings', () => {
  it('shows each section under the anchor other pages link to, filled in from the business', async () => {
    const { org, staff } = await signedIn()
    await api(org, 'PATCH', '/api/v1/organization', { phone: '+14155550111', default_tax_rate: 7.5 })
    const html = await (await staff.get('/app/settings')).text()
    for (const id of ['business', 'payments', 'reviews', 'messaging']) {
      expect(html).toContain(`id="${id}"`)
      expect(html).toContain(`href="#${id}"`)
    }
    expect(html).toContain('value="(415) 555-0111"')
    expect(html).toContain('value="7.5"')
    expect(html).toContain('list="tz-options"')
    expect(html).toContain('<option value="America/Chicago">Central Time (US &amp; Canada)</option>')
    expect(html).toContain('Why HomeBase does not offer review gating.')
  })

  it('warns where the public review link is missing, and not once it is set', async () => {
    const { org, staff } = await signedIn()
    expect(await (await staff.get('/app/settings')).text()).toContain('data-testid="review-link-missing"')
    await api(org, 'PATCH', '/api/v1/organization', { google_review_url: 'https://g.page/r/bright/review' })
    const html = await (await staff.get('/app/settings')).text()
    expect(html).not.toContain('data-testid="review-link-missing"')
    expect(html).toContain('href="https://g.page/r/bright/review"')
  })

  it('says whether Stripe is connected', async () => {
    const { org, staff } = await signedIn()
    expect(await (await staff.get('/app/settings')).text()).toMatch(/Not connected<\/span> Stripe not connected/)
    await api(org, 'PATCH', '/api/v1/organization', { stripe_account_id: 'acct_1Bright' })
    expect(await (await staff.get('/app/settings')).text()).toMatch(
      /Connected<\/span> Stripe connected \(acct_1Bright\)/,
    )
  })
})

describe('POST /app/settings/business', () => {
  it('saves the business details, reading "Central" as America/Chicago (htmx answers with the section)', async () => {
    const { org, staff, csrf } = await signedIn()
    const res = await staff.post('/app/settings/business', { _csrf: csrf, ...BUSINESS }, HX)
    expect(res.status).toBe(200)
    const html = await res.text()
    expect(html).toMatch(/^<section class="card" id="business">/)
    expect(html).toContain('Saved.')
    expect(html).toContain('value="America/Chicago"')
    expect(await organization(org)).toMatchObject({
      name: 'Bright Windows',
      phone: '+14155550188',
      timezone: 'America/Chicago',
      address: { address1: '9 Elm St', city: 'Austin', state: 'TX', postal: '78701', country: 'US' },
      logo_text: 'BRIGHT',
      brand_color: '#0055aa',
      default_tax_rate: 8.25,
    })
    // The header names the business by its new name on the next page.
    expect(await (await staff.get('/app')).text()).toContain('data-testid="org-name">Bright Windows<')
  })

  it('goes back to the section without JavaScript', async () => {
    const { staff, csrf } = await signedIn()
    const res = await staff.post('/app/settings/business', { _csrf: csrf, ...BUSINESS })
    expect(res.status).toBe(303)
    expect(res.headers.get('location')).toBe('/app/settings?saved=business#business')
    expect(await (await staff.get('/app/settings?saved=business')).text()).toMatch(
      /id="business">\s*<h2>Business<\/h2>\s*<p class="notice"/,
    )
  })

  it('clears the phone, address, wordmark, colour and tax rate left empty', async () => {
    const { org, staff, csrf } = await signedIn()
    await staff.post('/app/settings/business', { _csrf: csrf, ...BUSINESS }, HX)
    const empty = {
      ...BUSINESS,
      phone: '',
      address1: '',
      city: '',
      state: '',
      postal: '',
      logo_text: '',
      brand_color: '',
      default_tax_rate: '',
    }
    expect((await staff.post('/app/settings/business', { _csrf: csrf, ...empty }, HX)).status).toBe(200)
    expect(await organization(org)).toMatchObject({
      name: 'Bright Windows',
      phone: null,
      address: null,
      logo_text: null,
      brand_color: null,
      default_tax_rate: null,
    })
  })

  const refused: Array<[string, Record<string, string>, string, RegExp]> = [
    ['a tax rate over 30', { default_tax_rate: '31' }, 'f-default_tax_rate-error', /Enter a rate from 0 to 30/],
    ['a tax rate with four decimals', { default_tax_rate: '8.2555' }, 'f-default_tax_rate-error', /up to 3 decimals/],
    ['a zone nobody has', { timezone: 'Mars/Olympus' }, 'tz-error', /Pick a time zone from the list/],
    ['a phone with letters', { phone: '1-800-FLOWERS' }, 'f-phone-error', /area code/],
    ['half an address', { city: '' }, 'f-city-error', /Enter the city/],
    ['a colour by name', { brand_color: 'teal' }, 'f-brand_color-error', /#rrggbb/],
    ['no name', { name: '' }, 'f-name-error', /Enter the business name/],
  ]
  for (const [what, change, errorId, message] of refused) {
    it(`refuses ${what}: the section again with the error beside the field, nothing saved`, async () => {
      const { org, staff, csrf } = await signedIn()
      const before = await organization(org)
      const res = await staff.post('/app/settings/business', { _csrf: csrf, ...BUSINESS, ...change }, HX)
      expect(res.status).toBe(422)
      const html = await res.text()
      expect(html).toMatch(new RegExp(`id="${errorId}">[^<]*${message.source}`))
      // What was typed comes back.
      expect(html).toContain('value="BRIGHT"')
      expect(await organization(org)).toEqual(before)
    })
  }

  it('answers a refused form without JavaScript with the whole page, the error in place', async () => {
    const { staff, csrf } = await signedIn()
    const res = await staff.post('/app/settings/business', { _csrf: csrf, ...BUSINESS, default_tax_rate: '45' })
    expect(res.status).toBe(422)
    const html = await res.text()
    expect(html).toContain('<h1>Settings</h1>')
    expect(html).toMatch(/id="f-default_tax_rate-error">Enter a rate from 0 to 30/)
  })

  it('is for owners and admins: a member sees the details and cannot change them', async () => {
    const { org } = await signedIn()
    const { staff, csrf } = await member(org)
    const page = await (await staff.get('/app/settings')).text()
    expect(page).not.toContain('action="/app/settings/business"')
    expect(page).toContain('<dt>Time zone</dt>')
    const res = await staff.post('/app/settings/business', { _csrf: csrf, ...BUSINESS }, HX)
    expect(res.status).toBe(403)
    expect((await organization(org))['name']).toBe('Sparkle Cleaning')
  })
})

describe('POST /app/settings/reviews', () => {
  it('saves an https link, refuses anything else beside the field, and removes it when emptied', async () => {
    const { org, staff, csrf } = await signedIn()
    const bad = await staff.post('/app/settings/reviews', { _csrf: csrf, google_review_url: 'http://g.page/r/x' }, HX)
    expect(bad.status).toBe(422)
    const form = await bad.text()
    expect(form).toMatch(/^<section class="card" id="reviews">/)
    expect(form).toContain('Enter the link starting with https://')
    expect(form).toContain('value="http://g.page/r/x"')
    expect((await organization(org))['google_review_url']).toBeNull()

    const ok = await staff.post('/app/settings/reviews', { _csrf: csrf, google_review_url: 'https://g.page/r/x' }, HX)
    expect(ok.status).toBe(200)
    expect(await ok.text()).not.toContain('review-link-missing')
    expect((await organization(org))['google_review_url']).toBe('https://g.page/r/x')

    expect((await staff.post('/app/settings/reviews', { _csrf: csrf, google_review_url: '' })).status).toBe(303)
    expect((await organization(org))['google_review_url']).toBeNull()
  })
})

describe('POST /app/settings/sender', () => {
  it("saves the business's own number and refuses one another business sends from (409), keeping the old one", async () => {
    const other = await createOrg()
    const taken = `+1303555${String(1000 + Math.floor(Math.random() * 8999))}`
    expect((await api(other, 'PATCH', '/api/v1/organization', { sms_from: taken })).status).toBe(200)
    const { org, staff, csrf } = await signedIn()
    const mine = `+1720555${String(1000 + Math.floor(Math.random() * 8999))}`
    expect((await staff.post('/app/settings/sender', { _csrf: csrf, sms_from: mine }, HX)).status).toBe(200)
    expect((await organization(org))['sms_from']).toBe(mine)

    const refused = await staff.post('/app/settings/sender', { _csrf: csrf, sms_from: taken }, HX)
    expect(refused.status).toBe(409)
    const html = await refused.text()
    expect(html).toMatch(/id="f-sms_from-error">Another business already sends from that number/)
    expect((await organization(org))['sms_from']).toBe(mine)

    const nonsense = await staff.post('/app/settings/sender', { _csrf: csrf, sms_from: '12' }, HX)
    expect(nonsense.status).toBe(422)
    expect((await organization(org))['sms_from']).toBe(mine)
  })
})

describe('POST /app/settings/payments', () => {
  it('saves the instructions and answers with the section under #payments', async () => {
    const { org, staff, csrf } = await signedIn()
    const res = await staff.post(
      '/app/settings/payments',
      { _csrf: csrf, stripe_account_id: '', payment_instructions: 'Check to 9 Elm St' },
      HX,
    )
    expect(res.status).toBe(200)
    expect(await res.text()).toMatch(/^<section class="card" id="payments">/)
    expect(await organization(org)).toMatchObject({
      payment_instructions: 'Check to 9 Elm St',
      stripe_account_id: null,
    })
    const plain = await staff.post('/app/settings/payments', { _csrf: csrf, payment_instructions: 'Cash' })
    expect(plain.headers.get('location')).toBe('/app/settings?saved=payments#payments')
  })
})
