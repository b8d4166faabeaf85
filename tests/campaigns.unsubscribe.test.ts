import { env, SELF } from 'cloudflare:test'
import { describe, expect, it, vi } from 'vitest'
import { signLinkToken } from '../src/messaging/portal-token'
import { api, BASE, type TestOrg } from './helpers/factories'
import { addClient, campaignOrg, newCampaign, outboxRows, preview, send, sendsOf } from './helpers/campaigns'
import { messagesOf, runDueAt } from './helpers/messaging'

type ClientDetail = { consents: { email_opt_in: boolean; sms_opt_in: boolean; marketing_email_opt_in: boolean } }

const consentOf = async (org: TestOrg, id: string) =>
  (await (await api(org, 'GET', `/api/v1/clients/${id}`)).json<ClientDetail>()).consents

/** A POST from outside any HomeBase page: no Origin, no session, as a mail client sends it. */
const post = (path: string, body: string) =>
  SELF.fetch(`${BASE}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body,
  })

async function emailCampaign(org: TestOrg) {
  const campaign = await newCampaign(org, {
    channel: 'email',
    subject: 'Spring openings',
    body: 'Hi {{first_name}}, we have spring openings.',
  })
  await send(org, campaign.id)
  return campaign
}

describe('one-click unsubscribe', () => {
  it('is linked in the email body and the List-Unsubscribe headers; GET only asks, POST unsubscribes', async () => {
    const org = await campaignOrg()
    const client = await addClient(org)
    await emailCampaign(org)
    const [row] = await vi.waitFor(
      async () => {
        const rows = await outboxRows(org)
        expect(rows).toHaveLength(1)
        return rows
      },
      { timeout: 8000, interval: 200 },
    )
    const url = row!.body.match(/Unsubscribe in one click: (https:\/\/homebase\.test\/u\/\S+)$/)?.[1]
    expect(url).toBeDefined()
    expect(JSON.parse(row!.headers)).toEqual({
      'List-Unsubscribe': `<${url}>`,
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    })
    const path = new URL(url!).pathname

    const page = await SELF.fetch(`${BASE}${path}`)
    expect(page.status).toBe(200)
    const html = await page.text()
    expect(html).toContain('Sparkle Cleaning')
    expect(html).toMatch(
      /<form method="post" action="\/u\/[^"]+"><button type="submit" class="primary">Unsubscribe<\/button>/,
    )
    expect((await consentOf(org, client)).marketing_email_opt_in).toBe(true)

    const done = await post(path, '')
    expect(done.status).toBe(200)
    expect(await done.text()).toContain('You are unsubscribed')
    // Offers and news stop; appointment reminders and receipts by email still come.
    expect(await consentOf(org, client)).toEqual({
      email_opt_in: true,
      sms_opt_in: true,
      marketing_email_opt_in: false,
    })
    const timeline = await (await api(org, 'GET', `/api/v1/clients/${client}/timeline`)).json<{
      items: Array<{ type: string; data: { reason?: string; email_opt_in?: boolean } }>
    }>()
    expect(timeline.items.find((i) => i.type === 'consent_changed')?.data).toMatchObject({
      reason: 'unsubscribe link',
      email_opt_in: true,
      marketing_email_opt_in: false,
    })

    // The next email campaign leaves them out, and the preview said so first.
    expect((await preview(org, {}, 'email')).excluded.opted_out).toBe(1)
    const next = await emailCampaign(org)
    expect((await sendsOf(org, next.id)).map((s) => [s.status, s.reason])).toEqual([['skipped', 'unsubscribed']])

    // An invoice reminder is not an offer: it still goes by email.
    expect(
      (
        await api(org, 'POST', '/api/v1/invoices', {
          org_client_id: client,
          total_cents: 9_500,
          due_date: '2030-06-10',
        })
      ).status,
    ).toBe(201)
    await runDueAt(org, new Date('2030-06-10T20:00:00Z'))
    expect((await messagesOf(org, '?purpose=invoice_due'))[0]).toMatchObject({
      channel: 'email',
      status: expect.stringMatching(/^(queued|sent)$/),
    })
  })

  it('answers a mail client’s RFC 8058 one-click POST with 200 and unsubscribes', async () => {
    const org = await campaignOrg()
    const client = await addClient(org)
    const token = await signLinkToken(
      env.PORTAL_SIGNING_KEY!,
      { o: org.organizationId, c: client, p: 'unsubscribe' },
      365,
    )
    const res = await post(`/u/${token}`, 'List-Unsubscribe=One-Click')
    expect(res.status).toBe(200)
    expect(await consentOf(org, client)).toEqual({
      email_opt_in: true,
      sms_opt_in: true,
      marketing_email_opt_in: false,
    })
  })

  it('refuses a tampered or wrong-purpose token with 404 and changes nothing', async () => {
    const org = await campaignOrg()
    const client = await addClient(org)
    const token = await signLinkToken(
      env.PORTAL_SIGNING_KEY!,
      { o: org.organizationId, c: client, p: 'unsubscribe' },
      365,
    )
    const [payload, sig] = token.split('.') as [string, string]
    const tampered = `${payload}.${sig.startsWith('A') ? 'B' : 'A'}${sig.slice(1)}`
    const portal = await signLinkToken(env.PORTAL_SIGNING_KEY!, { o: org.organizationId, c: client }, 30)
    for (const bad of [tampered, portal, 'nonsense']) {
      expect((await SELF.fetch(`${BASE}/u/${bad}`)).status).toBe(404)
      expect((await post(`/u/${bad}`, 'List-Unsubscribe=One-Click')).status).toBe(404)
    }
    expect((await consentOf(org, client)).marketing_email_opt_in).toBe(true)
  })
})
