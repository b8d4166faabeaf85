/**
 * What a member or tech may not do from the pages: void an invoice, refund a payment, or send,
 * schedule or cancel a campaign (each reaches the books or the whole client list). They get 403
 * and nothing changes; an admin may.
 */
import { describe, expect, it } from 'vitest'
import { Staff } from './helpers/browserless'
import { addClient, campaignOf, campaignOrg, newCampaign } from './helpers/campaigns'
import { api, type TestOrg } from './helpers/factories'
import { teammate } from './helpers/team'

async function signedInAs(org: TestOrg, role: 'member' | 'tech' | 'admin') {
  const id = await teammate(org, { role })
  const team = await (await api(org, 'GET', '/api/v1/team')).json<{ items: { user_id: string; email: string }[] }>()
  const staff = new Staff()
  const res = await staff.post('/login', {
    email: team.items.find((m) => m.user_id === id)!.email,
    password: 'tech password 1',
  })
  expect(res.status).toBe(303)
  return { staff, csrf: await staff.csrfToken() }
}

type Invoice = { id: string; status: string; paid_cents: number; payments: { id: string; status: string }[] }

async function paidInPart(org: TestOrg) {
  const client = await addClient(org, { first_name: 'Rita' })
  const res = await api(org, 'POST', '/api/v1/invoices', {
    org_client_id: client,
    total_cents: 20_000,
    due_date: '2031-03-01',
  })
  const invoice = (await res.json<{ invoice: { id: string } }>()).invoice
  expect((await api(org, 'POST', `/api/v1/invoices/${invoice.id}/payments`, { amount_cents: 5_000 })).status).toBe(201)
  return (await api(org, 'GET', `/api/v1/invoices/${invoice.id}`)).json<Invoice>()
}

describe('money and campaigns by role', () => {
  for (const role of ['member', 'tech'] as const)
    it(`a ${role} can neither void, refund nor send, schedule or cancel a campaign`, async () => {
      const org = await campaignOrg()
      const invoice = await paidInPart(org)
      await addClient(org, { first_name: 'Sam' })
      const campaign = await newCampaign(org)
      const { staff, csrf } = await signedInAs(org, role)

      const posts = [
        [`/app/invoices/${invoice.id}/void`, {}],
        [`/app/invoices/${invoice.id}/payments/${invoice.payments[0]!.id}/refund`, {}],
        [`/app/campaigns/${campaign.id}/send`, { count: '1' }],
        [`/app/campaigns/${campaign.id}/schedule`, { send_at: '2031-01-01T09:00' }],
        [`/app/campaigns/${campaign.id}/cancel`, {}],
      ] as const
      for (const [path, fields] of posts) {
        const res = await staff.post(path, { _csrf: csrf, ...fields })
        expect(res.status, path).toBe(403)
      }
      expect(await (await api(org, 'GET', `/api/v1/invoices/${invoice.id}`)).json<Invoice>()).toMatchObject({
        status: 'open',
        paid_cents: 5_000,
        payments: [{ status: 'succeeded' }],
      })
      expect((await campaignOf(org, campaign.id)).status).toBe('draft')
      // The pages stay theirs to read, without the buttons they may not use.
      const page = await staff.get(`/app/invoices/${invoice.id}`)
      expect(page.status).toBe(200)
      const html = await page.text()
      expect(html).not.toContain('data-testid="void-invoice"')
      expect(html).not.toContain('data-testid="refund-payment"')
      const confirm = await (await staff.get(`/app/campaigns/${campaign.id}/confirm`)).text()
      expect(confirm).not.toContain(`action="/app/campaigns/${campaign.id}/send"`)
      expect(confirm).toContain('An owner or admin sends or schedules it.')
      expect(await (await staff.get(`/app/campaigns/${campaign.id}`)).text()).not.toContain('Cancel campaign')
    })

  it('an admin may void an invoice and refund a payment', async () => {
    const org = await campaignOrg()
    const invoice = await paidInPart(org)
    const { staff, csrf } = await signedInAs(org, 'admin')
    const html = await (await staff.get(`/app/invoices/${invoice.id}`)).text()
    expect(html).toContain('data-testid="void-invoice"')
    expect(html).toContain('data-testid="refund-payment"')
    const refund = await staff.post(`/app/invoices/${invoice.id}/payments/${invoice.payments[0]!.id}/refund`, {
      _csrf: csrf,
    })
    expect(refund.status).toBe(303)
    expect((await staff.post(`/app/invoices/${invoice.id}/void`, { _csrf: csrf })).status).toBe(303)
    expect(await (await api(org, 'GET', `/api/v1/invoices/${invoice.id}`)).json<Invoice>()).toMatchObject({
      status: 'void',
      payments: [{ status: 'refunded' }],
    })
  })
})
