import { env, SELF } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import { orgStub } from '../src/organizations'
import { Staff } from './helpers/browserless'
import { api, BASE } from './helpers/factories'
import { runDueAt } from './helpers/messaging'
import { addClient, campaignOf, campaignOrg, newCampaign, send } from './helpers/campaigns'

async function signedIn(settings: { campaign_batch_size?: number } = {}) {
  const org = await campaignOrg(settings)
  const staff = new Staff()
  await staff.post('/login', { email: org.email, password: org.password })
  return { org, staff, csrf: await staff.csrfToken() }
}

/** Posts form fields in order, repeating a name as a browser does for ticked checkboxes. */
function postForm(staff: Staff, path: string, fields: Array<[string, string]>, headers: Record<string, string> = {}) {
  return SELF.fetch(`${BASE}${path}`, {
    method: 'POST',
    redirect: 'manual',
    body: new URLSearchParams(fields).toString(),
    headers: { origin: BASE, 'content-type': 'application/x-www-form-urlencoded', cookie: staff.cookie, ...headers },
  })
}

describe('campaign pages', () => {
  it('list campaigns with their progress, and let the owner change the sending settings', async () => {
    const { org, staff, csrf } = await signedIn()
    await addClient(org)
    const campaign = await newCampaign(org, { name: 'Gutter promo' })
    await send(org, campaign.id)
    const html = await (await staff.get('/app/campaigns')).text()
    expect(html).toContain('Gutter promo')
    expect(html).toMatch(/badge-completed">sent<\/span>/)
    expect(html).toContain('1 of 1')

    expect(
      (
        await staff.post('/app/campaigns/settings', {
          campaign_batch_size: '50',
          marketing_cap_per_day: '2',
          _csrf: csrf,
        })
      ).status,
    ).toBe(303)
    expect(await orgStub(env, org.organizationId).campaignSettings()).toEqual({
      campaign_batch_size: 50,
      marketing_cap_per_day: 2,
    })
    const invalid = await staff.post('/app/campaigns/settings', {
      campaign_batch_size: '0',
      marketing_cap_per_day: '2',
      _csrf: csrf,
    })
    expect(invalid.status).toBe(422)
    expect(await invalid.text()).toContain('At least 1.')
    expect((await orgStub(env, org.organizationId).campaignSettings()).campaign_batch_size).toBe(50)
  })

  it('count who a segment reaches as the form changes', async () => {
    const { org, staff, csrf } = await signedIn()
    await addClient(org, { status: 'active', tags: ['vip'] })
    await addClient(org, { status: 'lead', tags: ['vip'], email: null })
    await addClient(org, { status: 'inactive', tags: ['vip'] })
    const form = await (await staff.get('/app/campaigns/new')).text()
    expect(form).toContain('hx-post="/app/campaigns/preview"')
    expect(form).toContain(`hx-trigger="load, input changed delay:300ms from:&#39;#campaign-audience&#39;`)

    const res = await postForm(
      staff,
      '/app/campaigns/preview',
      [
        ['_csrf', csrf],
        ['channel', 'email'],
        ['status', 'active'],
        ['status', 'lead'],
        ['tags', 'vip, gold'],
      ],
      { 'hx-request': 'true' },
    )
    const html = await res.text()
    expect(html).toContain('data-testid="preview-matched">2<')
    expect(html).toContain('data-testid="preview-will-receive">1<')
    expect(html).toContain('0 opted out · 1 without the contact detail · 0 already had')
    const bad = await (
      await postForm(
        staff,
        '/app/campaigns/preview',
        [
          ['_csrf', csrf],
          ['ltv_min', 'lots'],
        ],
        { 'hx-request': 'true' },
      )
    ).text()
    expect(bad).toContain('Fix the fields marked')
  })

  it('send a campaign from the form and follow its progress until it is done', async () => {
    const { org, staff, csrf } = await signedIn({ campaign_batch_size: 1 })
    await addClient(org, { tags: ['spring'] })
    await addClient(org, { tags: ['spring'] })
    const invalid = await postForm(staff, '/app/campaigns', [
      ['_csrf', csrf],
      ['name', ''],
      ['channel', 'email'],
      ['tags', 'spring'],
      ['body', 'Hi'],
      ['when', 'now'],
    ])
    expect(invalid.status).toBe(422)
    const page = await invalid.text()
    expect(page).toContain('an email needs a subject')
    expect(page).toContain('value="spring"')
    expect((await (await api(org, 'GET', '/api/v1/campaigns')).json<{ items: unknown[] }>()).items).toEqual([])

    const created = await postForm(staff, '/app/campaigns', [
      ['_csrf', csrf],
      ['name', 'Spring'],
      ['channel', 'sms'],
      ['tags', 'spring'],
      ['body', 'Hi {{first_name}}!'],
      ['when', 'now'],
    ])
    expect(created.status).toBe(303)
    // The form leads to the confirm step, which sends the count it shows.
    const id = created.headers.get('location')!.split('/')[3]!
    const path = `/app/campaigns/${id}`
    await postForm(staff, `${path}/send`, [
      ['_csrf', csrf],
      ['count', '2'],
    ])
    expect((await campaignOf(org, id)).progress).toMatchObject({ total: 2, pending: 1 })
    const sending = await (await staff.get(path)).text()
    expect(sending).toMatch(/hx-get="\/app\/campaigns\/[^"]+\/progress" hx-trigger="every 2s" hx-swap="outerHTML"/)
    expect(sending).toContain('1 of 2 decided')
    expect(sending).toContain('Cancel campaign')

    await runDueAt(org, new Date(Date.now() + 60_000))
    const partial = await (await staff.get(`${path}/progress`, { 'hx-request': 'true' })).text()
    expect(partial).toContain('2 of 2 decided')
    expect(partial).toContain('data-status="sent"')
    const filtered = await (await staff.get(`${path}?status=pending`)).text()
    expect(filtered).toContain('No recipients with this status.')
  })

  it('schedule a campaign for a future time only, and cancel it', async () => {
    const { org, staff, csrf } = await signedIn()
    await addClient(org)
    const fields = (sendAt: string): Array<[string, string]> => [
      ['_csrf', csrf],
      ['name', 'Later'],
      ['channel', 'sms'],
      ['body', 'Hi'],
      ['when', 'later'],
      ['send_at', sendAt],
    ]
    const past = await postForm(staff, '/app/campaigns', fields('2020-01-01T09:00'))
    expect(past.status).toBe(422)
    expect(await past.text()).toContain('Pick a time in the future.')

    const created = await postForm(staff, '/app/campaigns', fields('2031-05-01T09:00'))
    const id = created.headers.get('location')!.split('/')[3]!
    await postForm(staff, `/app/campaigns/${id}/schedule`, [
      ['_csrf', csrf],
      ['send_at', '2031-05-01T09:00'],
    ])
    // 9:00 in Los Angeles (PDT) is 16:00 UTC.
    expect(await campaignOf(org, id)).toMatchObject({ status: 'scheduled', send_at: '2031-05-01T16:00:00.000Z' })
    const page = await (await staff.get(`/app/campaigns/${id}`)).text()
    expect(page).not.toContain('every 2s')

    const cancel = await staff.post(`/app/campaigns/${id}/cancel`, { _csrf: csrf }, { 'hx-request': 'true' })
    expect(cancel.headers.get('hx-redirect')).toBe(`/app/campaigns/${id}`)
    expect((await campaignOf(org, id)).status).toBe('cancelled')
    expect(await (await staff.get(`/app/campaigns/${id}`)).text()).not.toContain('Cancel campaign')
  })
})
