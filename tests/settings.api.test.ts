/**
 * The owner's settings through `PATCH /api/v1/organization`: each field is set and read back in
 * snake_case, the registry's row and the object's profile stay in step, and bad input is a 400
 * naming the field with nothing written.
 */
import { env, runInDurableObject } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import { orgStub } from '../src/organizations'
import { api, createOrg, type TestOrg } from './helpers/factories'

type Organization = Record<string, unknown> & { name: string }

const patch = (org: TestOrg, body: unknown) => api(org, 'PATCH', '/api/v1/organization', body)
const show = async (org: TestOrg) => (await api(org, 'GET', '/api/v1/organization')).json<Organization>()
const registryRow = (org: TestOrg) =>
  env.PEOPLE.prepare('select name, timezone, phone, google_review_url, sms_from from organizations where id = ?')
    .bind(org.organizationId)
    .first()
const profileRow = (org: TestOrg) =>
  runInDurableObject(orgStub(env, org.organizationId), (_, state) =>
    state.storage.sql
      .exec(
        `select name, timezone, phone, google_review_url, default_tax_rate, address, logo_text, brand_color,
           payment_instructions from profile where id = 1`,
      )
      .one(),
  )

const EVERYTHING = {
  name: 'Sparkle & Shine Cleaning',
  phone: '(415) 555-0142',
  address: { address1: '12 Main St', address2: 'Suite 4', city: 'Oakland', state: 'CA', postal: '94607' },
  timezone: 'America/Chicago',
  default_tax_rate: 10.25,
  logo_text: 'SPARKLE',
  brand_color: '#1A7F5A',
  google_review_url: 'https://g.page/r/sparkle/review',
  payment_instructions: 'Zelle to pay@sparkle.example',
}

describe('PATCH /api/v1/organization', () => {
  it('sets every setting of the Settings page and answers with each in snake_case', async () => {
    const org = await createOrg()
    const res = await patch(org, EVERYTHING)
    expect(res.status).toBe(200)
    const expected = {
      name: 'Sparkle & Shine Cleaning',
      phone: '+14155550142',
      address: {
        address1: '12 Main St',
        address2: 'Suite 4',
        city: 'Oakland',
        state: 'CA',
        postal: '94607',
        country: 'US',
      },
      timezone: 'America/Chicago',
      default_tax_rate: 10.25,
      logo_text: 'SPARKLE',
      brand_color: '#1a7f5a',
      google_review_url: 'https://g.page/r/sparkle/review',
      payment_instructions: 'Zelle to pay@sparkle.example',
      stripe_account_id: null,
    }
    expect(await res.json()).toMatchObject(expected)
    expect(await show(org)).toMatchObject(expected)
  })

  it('keeps the registry row and the object profile in step', async () => {
    const org = await createOrg()
    expect((await patch(org, EVERYTHING)).status).toBe(200)
    expect(await registryRow(org)).toEqual({
      name: 'Sparkle & Shine Cleaning',
      timezone: 'America/Chicago',
      phone: '+14155550142',
      google_review_url: 'https://g.page/r/sparkle/review',
      sms_from: null,
    })
    const p = await profileRow(org)
    expect(p).toMatchObject({
      name: 'Sparkle & Shine Cleaning',
      timezone: 'America/Chicago',
      phone: '+14155550142',
      google_review_url: 'https://g.page/r/sparkle/review',
      default_tax_rate: 10.25,
      logo_text: 'SPARKLE',
      brand_color: '#1a7f5a',
    })
    expect(JSON.parse(String(p['address']))).toMatchObject({ city: 'Oakland', country: 'US' })
  })

  it('clears a setting with null and keeps what the patch leaves out', async () => {
    const org = await createOrg()
    await patch(org, EVERYTHING)
    const res = await patch(org, { default_tax_rate: null, address: null, logo_text: '', phone: null })
    expect(res.status).toBe(200)
    expect(await show(org)).toMatchObject({
      default_tax_rate: null,
      address: null,
      logo_text: null,
      phone: null,
      brand_color: '#1a7f5a',
      name: 'Sparkle & Shine Cleaning',
    })
  })

  it('takes a zone in any case and stores its IANA spelling, also for renamed zones', async () => {
    const org = await createOrg()
    expect(await (await patch(org, { timezone: 'america/denver' })).json()).toMatchObject({
      timezone: 'America/Denver',
    })
    expect(await (await patch(org, { timezone: 'Asia/Calcutta' })).json()).toMatchObject({ timezone: 'Asia/Kolkata' })
    expect(await (await patch(org, { timezone: 'Pacific/Honolulu' })).json()).toMatchObject({
      timezone: 'Pacific/Honolulu',
    })
  })

  it('accepts tax rates from 0 to 30 with up to three decimals', async () => {
    const org = await createOrg()
    for (const rate of [0, 8.875, 30]) {
      const res = await patch(org, { default_tax_rate: rate })
      expect(res.status).toBe(200)
      expect((await res.json<Organization>())['default_tax_rate']).toBe(rate)
    }
  })

  const refused: Array<[string, Record<string, unknown>, string]> = [
    ['a tax rate over 30', { default_tax_rate: 30.5 }, 'default_tax_rate'],
    ['a negative tax rate', { default_tax_rate: -1 }, 'default_tax_rate'],
    ['a tax rate with four decimals', { default_tax_rate: 10.2555 }, 'default_tax_rate'],
    ['a US name instead of a zone', { timezone: 'Central' }, 'timezone'],
    ['a made-up zone', { timezone: 'Mars/Olympus' }, 'timezone'],
    ['an abbreviation', { timezone: 'EST' }, 'timezone'],
    ['an old alias', { timezone: 'US/Central' }, 'timezone'],
    ['a review link over http', { google_review_url: 'http://g.page/r/sparkle/review' }, 'google_review_url'],
    ['a review link that is no link', { google_review_url: 'javascript:alert(1)' }, 'google_review_url'],
    ['a phone with letters', { phone: '1-800-FLOWERS' }, 'phone'],
    ['a colour by name', { brand_color: 'green' }, 'brand_color'],
    ['an address without a city', { address: { address1: '1 Main St', state: 'CA', postal: '94607' } }, 'address.city'],
    ['an address in a country nobody has', { address: { ...EVERYTHING.address, country: 'XX' } }, 'address.country'],
    ['a wordmark too long for an invoice', { logo_text: 'x'.repeat(41) }, 'logo_text'],
    ['an empty name', { name: ' ' }, 'name'],
  ]
  for (const [what, body, field] of refused) {
    it(`refuses ${what} with a 400 naming ${field}, and writes nothing`, async () => {
      const org = await createOrg()
      await patch(org, EVERYTHING)
      const res = await patch(org, { name: 'Renamed Co', default_tax_rate: 5, ...body })
      expect(res.status).toBe(400)
      const { error } = await res.json<{ error: { code: string; issues: Array<{ path: string }> } }>()
      expect(error.code).toBe('invalid_input')
      expect(error.issues.map((i) => i.path)).toContain(field)
      const after = await show(org)
      expect(after).toMatchObject({ name: 'Sparkle & Shine Cleaning', default_tax_rate: 10.25 })
      expect((await registryRow(org))!['name']).toBe('Sparkle & Shine Cleaning')
    })
  }

  it("changes only the key's own business", async () => {
    const [mine, theirs] = await Promise.all([createOrg(), createOrg()])
    await patch(theirs, { name: 'Theirs Co', default_tax_rate: 7 })
    await patch(mine, { name: 'Mine Co', default_tax_rate: 9 })
    expect(await show(theirs)).toMatchObject({ name: 'Theirs Co', default_tax_rate: 7 })
    expect(await show(mine)).toMatchObject({ name: 'Mine Co', default_tax_rate: 9 })
  })
})
