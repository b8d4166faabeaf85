import { SELF } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import { Staff } from './helpers/browserless'
import { api, BASE, createOrg, type TestOrg } from './helpers/factories'
import { addClient, campaignOf, campaignOrg, newCampaign, phone, sendsOf } from './helpers/campaigns'

type Message = { id: string; to: string; subject: string | null; body: string; purpose: string; status: string }

async function signedIn(org: TestOrg) {
  const staff = new Staff()
  await staff.post('/login', { email: org.email, password: org.password })
  return { staff, csrf: await staff.csrfToken() }
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

async function messages(org: TestOrg, query: string): Promise<Message[]> {
  return (await (await api(org, 'GET', `/api/v1/messages?${query}`)).json<{ items: Message[] }>()).items
}

/**
 * A segment of six tagged clients where only three can get a text: one opted out, one without a
 * phone, and a duplicate card merged into another (its client is the card it went into).
 */
async function mixedSegment(org: TestOrg) {
  const ann = await addClient(org, { first_name: 'Ann', tags: ['spring'] })
  await addClient(org, { first_name: 'Bea', tags: ['spring'] })
  const out = await addClient(org, { first_name: 'Cal', tags: ['spring'] })
  await api(org, 'POST', `/api/v1/clients/${out}/consents`, { sms_opt_in: false, reason: 'Asked us to stop' })
  await addClient(org, { first_name: 'Dee', tags: ['spring'], phone: null })
  const kept = await addClient(org, { first_name: 'Eli', tags: ['spring'] })
  const twin = await addClient(org, { first_name: 'Eli', tags: ['spring'], phone: phone() })
  const merged = await api(org, 'POST', `/api/v1/clients/${kept}/merge`, { from_org_client_id: twin })
  expect(merged.status).toBe(200)
  await addClient(org, { first_name: 'Fay', tags: ['autumn'] })
  return { ann }
}

describe('the campaign confirm step', { timeout: 30_000 }, () => {
  it('shows the message rendered for the first recipient and the exact count, which is what the send queues', async () => {
    const org = await campaignOrg()
    const { staff, csrf } = await signedIn(org)
    const { ann } = await mixedSegment(org)

    // The form makes a draft and leads to the confirm step: nothing goes out yet.
    const created = await postForm(staff, '/app/campaigns', [
      ['_csrf', csrf],
      ['name', 'Spring'],
      ['channel', 'sms'],
      ['tags', 'spring'],
      ['body', 'Hi {{first_name}}, {{business_name}} has spring openings: {{portal_link}}'],
      ['when', 'now'],
    ])
    expect(created.status).toBe(303)
    const confirmPath = created.headers.get('location')!
    expect(confirmPath).toMatch(/^\/app\/campaigns\/[\w-]+\/confirm$/)
    const id = confirmPath.split('/')[3]!
    expect(await campaignOf(org, id)).toMatchObject({ status: 'draft', total: 0 })
    expect(await messages(org, 'purpose=campaign')).toEqual([])

    const page = await (await staff.get(confirmPath)).text()
    expect(page).toContain('data-testid="confirm-count">3<')
    expect(page).toContain('5 clients match · left out: 1 opted out · 1 without a mobile number · 0 already had')
    expect(page).toMatch(/As Ann \(\+1\d{10}\) will get it/)
    const business = (await (await api(org, 'GET', '/api/v1/organization')).json<{ name: string }>()).name
    const shown = unhtml(page.match(/data-testid="confirm-body">([^<]*)</)?.[1] ?? '')
    expect(shown).toMatch(
      new RegExp(
        `^Hi Ann, ${escapeRegExp(business)} has spring openings: https?://\\S+/p/\\S+ Reply STOP to opt out\\.$`,
      ),
    )
    expect(page).toMatch(/name="count" value="3"/)

    // "Send now" from the confirm step queues exactly the count it showed.
    const sent = await postForm(staff, `/app/campaigns/${id}/send`, [
      ['_csrf', csrf],
      ['count', '3'],
    ])
    expect(sent.status).toBe(303)
    expect(sent.headers.get('location')).toBe(`/app/campaigns/${id}`)
    const queued = await sendsOf(org, id, 'queued')
    expect(queued).toHaveLength(3)
    expect(queued.map((s) => s.org_client_id)).toContain(ann)
    expect((await campaignOf(org, id)).progress).toMatchObject({ total: 5, queued: 3, skipped: 2 })
    // The first recipient's text is the one the confirm step showed, links aside (each send signs its own).
    const annText = (await messages(org, `purpose=campaign&org_client_id=${ann}`))[0]!
    expect(annText.body.replace(/\/p\/\S+/, '/p/…')).toBe(shown.replace(/\/p\/\S+/, '/p/…'))

    // Posting again changes nothing: the campaign already went.
    const logged = (await messages(org, 'purpose=campaign')).length
    const again = await postForm(staff, `/app/campaigns/${id}/send`, [
      ['_csrf', csrf],
      ['count', '3'],
    ])
    expect(again.status).toBe(303)
    expect(await messages(org, 'purpose=campaign')).toHaveLength(logged)
  })

  it('refuses a send whose count is stale or missing, and schedules from the confirm step only for a time ahead', async () => {
    const org = await campaignOrg()
    const { staff, csrf } = await signedIn(org)
    await addClient(org, { tags: ['vip'] })
    const campaign = await newCampaign(org, { segment: { tags: ['vip'] } })

    const stale = await postForm(staff, `/app/campaigns/${campaign.id}/send`, [
      ['_csrf', csrf],
      ['count', '19'],
    ])
    expect(stale.status).toBe(409)
    expect(await stale.text()).toContain('1 client would receive it now, not 19')
    const oneClick = await postForm(staff, `/app/campaigns/${campaign.id}/send`, [['_csrf', csrf]])
    expect(oneClick.status).toBe(303)
    expect(oneClick.headers.get('location')).toBe(`/app/campaigns/${campaign.id}/confirm`)
    expect(await campaignOf(org, campaign.id)).toMatchObject({ status: 'draft', total: 0 })

    const past = await postForm(staff, `/app/campaigns/${campaign.id}/schedule`, [
      ['_csrf', csrf],
      ['send_at', '2020-01-01T09:00'],
    ])
    expect(past.status).toBe(422)
    expect(await past.text()).toContain('Pick a time in the future.')
    const later = await postForm(staff, `/app/campaigns/${campaign.id}/schedule`, [
      ['_csrf', csrf],
      ['send_at', '2031-05-01T09:00'],
    ])
    expect(later.status).toBe(303)
    // 9:00 in Los Angeles (PDT) is 16:00 UTC.
    expect(await campaignOf(org, campaign.id)).toMatchObject({
      status: 'scheduled',
      send_at: '2031-05-01T16:00:00.000Z',
    })
    // The campaign page leads back to the confirm step instead of sending in one click.
    const own = await (await staff.get(`/app/campaigns/${campaign.id}`)).text()
    expect(own).toContain(`href="/app/campaigns/${campaign.id}/confirm"`)
    expect(own).not.toContain(`action="/app/campaigns/${campaign.id}/send"`)
  })
})

describe('the test send', { timeout: 30_000 }, () => {
  it('emails the rendered message to the signed-in staff member only: not a client, not counted, not capped', async () => {
    const org = await campaignOrg({ marketing_cap_per_day: 1 })
    const { staff, csrf } = await signedIn(org)
    const robin = await addClient(org, { first_name: 'Robin', tags: ['vip'] })
    const campaign = await newCampaign(org, {
      channel: 'email',
      subject: 'Spring for {{first_name}}',
      body: 'Hi {{first_name}}, book: {{portal_link}}',
      segment: { tags: ['vip'] },
    })

    const first = await postForm(staff, `/app/campaigns/${campaign.id}/test`, [['_csrf', csrf]], {
      'hx-request': 'true',
    })
    expect(first.status).toBe(201)
    expect(await first.text()).toContain(`Sent a test to ${org.email}`)
    const second = await postForm(staff, `/app/campaigns/${campaign.id}/test`, [['_csrf', csrf]])
    expect(second.status).toBe(303)
    expect(second.headers.get('location')).toContain(`/app/campaigns/${campaign.id}/confirm?tested=`)

    const tests = await messages(org, 'purpose=campaign_test')
    expect(tests).toHaveLength(2)
    for (const t of tests) {
      expect(t).toMatchObject({ to: org.email, status: 'queued', subject: '[Test] Spring for Robin' })
      expect(t.body).toContain('Hi Robin, book: ')
      // Stand-in links: a forwarded test opens nobody's portal and unsubscribes nobody.
      expect(t.body).toMatch(/\/p\/test-link/)
      expect(t.body).toMatch(/Unsubscribe in one click: \S+\/u\/test-link/)
    }
    expect(await messages(org, `org_client_id=${robin}`)).toEqual([])

    // Through the API it goes to whoever made the key.
    const res = await api(org, 'POST', `/api/v1/campaigns/${campaign.id}/test`)
    expect(res.status).toBe(201)
    const { message_id, to } = await res.json<{ message_id: string; to: string }>()
    expect(to).toBe(org.email)
    expect((await messages(org, 'purpose=campaign_test')).map((m) => m.id)).toContain(message_id)

    // Three tests later the campaign has sent nothing, and Robin (cap 1 a day) still gets its message.
    expect(await campaignOf(org, campaign.id)).toMatchObject({ status: 'draft', total: 0 })
    const confirm = await (await api(org, 'GET', `/api/v1/campaigns/${campaign.id}/preview`)).json<{
      will_receive: number
      sample: { name: string; to: string; subject: string }
    }>()
    expect(confirm).toMatchObject({ will_receive: 1, sample: { name: 'Robin', subject: 'Spring for Robin' } })
    await api(org, 'POST', `/api/v1/campaigns/${campaign.id}/send`, {})
    expect((await sendsOf(org, campaign.id)).map((s) => s.status)).toEqual(['queued'])
  })
})

describe('the live audience count', { timeout: 30_000 }, () => {
  it('asks again as staff type or tick, the newest asking replacing one on its way, and counts merged cards once', async () => {
    const org = await campaignOrg()
    const { staff, csrf } = await signedIn(org)
    await mixedSegment(org)
    const form = await (await staff.get('/app/campaigns/new')).text()
    expect(form).toContain(
      `hx-trigger="load, input changed delay:300ms from:&#39;#campaign-audience&#39;, change changed from:&#39;#campaign-audience&#39;"`,
    )
    expect(form).toContain('hx-sync="this:replace"')
    expect(form).toMatch(/<div id="campaign-audience">[\s\S]*name="tags"[\s\S]*<\/div>[\s\S]*id="campaign-preview"/)

    const count = async (fields: Array<[string, string]>) =>
      (await postForm(staff, '/app/campaigns/preview', [['_csrf', csrf], ...fields], { 'hx-request': 'true' })).text()
    const all = await count([['channel', 'sms']])
    expect(all).toContain('data-testid="preview-matched">6<')
    const typed = await count([
      ['channel', 'sms'],
      ['tags', 'spring'],
    ])
    expect(typed).toContain('data-testid="preview-will-receive">3<')
    expect(typed).toContain('data-testid="preview-matched">5<')
  })
})

describe('a stranger business', { timeout: 30_000 }, () => {
  it('cannot preview, confirm, test-send or send another business’s campaign (404)', async () => {
    const owner = await campaignOrg()
    await addClient(owner, { tags: ['vip'] })
    const campaign = await newCampaign(owner, { segment: { tags: ['vip'] } })
    const stranger = await createOrg()
    const { staff, csrf } = await signedIn(stranger)

    expect((await api(stranger, 'POST', `/api/v1/campaigns/${campaign.id}/test`)).status).toBe(404)
    expect((await api(stranger, 'GET', `/api/v1/campaigns/${campaign.id}/preview`)).status).toBe(404)
    expect((await staff.get(`/app/campaigns/${campaign.id}/confirm`)).status).toBe(404)
    expect((await postForm(staff, `/app/campaigns/${campaign.id}/test`, [['_csrf', csrf]])).status).toBe(404)
    expect(
      (
        await postForm(staff, `/app/campaigns/${campaign.id}/send`, [
          ['_csrf', csrf],
          ['count', '1'],
        ])
      ).status,
    ).toBe(404)
    expect(await messages(owner, 'purpose=campaign_test')).toEqual([])
    expect(await campaignOf(owner, campaign.id)).toMatchObject({ status: 'draft', total: 0 })
  })
})

/** Text as the page showed it, unescaped. */
function unhtml(text: string): string {
  return text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}
