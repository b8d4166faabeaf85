/**
 * Estimates for leads: taxed at the business's default, sent to a client card made for the lead
 * (status `lead`, keeping both ids), and the lead converted when the homeowner approves; a
 * converted, unknown or another business's lead gets no estimate.
 */
import { describe, expect, it } from 'vitest'
import { api, createOrg, type TestOrg } from './helpers/factories'
import { draftEstimate, estimateOf, homeowner, linkPath, sendEstimate } from './helpers/estimates'
import { messagesOf } from './helpers/messaging'

type Lead = { id: string; is_converted: boolean; converted_to_client_id: string | null }

/** A business without quiet hours, at a 10 % default rate. */
async function business() {
  const org = await createOrg({ timezone: 'America/Los_Angeles' })
  await api(org, 'PATCH', '/api/v1/organization', {
    quiet_hours: { start: '00:00', end: '00:00' },
    default_tax_rate: 10,
  })
  return org
}

async function createLead(org: TestOrg, body: Record<string, unknown>): Promise<string> {
  const res = await api(org, 'POST', '/api/v1/leads', { first_name: 'Jordan', last_name: 'Reyes', ...body })
  expect(res.status, await res.clone().text()).toBe(201)
  return (await res.json<{ lead_id: string }>()).lead_id
}

const leadOf = async (org: TestOrg, id: string) => (await api(org, 'GET', `/api/v1/leads/${id}`)).json<Lead>()

describe('estimates for a lead', () => {
  it('is sent to a client card made for the lead, and approving it converts the lead to that client', async () => {
    const org = await business()
    const phone = `+1415555${String(1000 + Math.floor(Math.random() * 8999))}`
    const leadId = await createLead(org, { phone, source: 'web_form' })
    const draft = await draftEstimate(org, { lead_id: leadId, valid_until: '2031-06-30' })
    // $400 taxable at the business's 10 %, $50 not.
    expect(draft).toMatchObject({ lead_id: leadId, org_client_id: null, tax_cents: 4_000, total_cents: 49_000 })

    const { estimate, message } = await sendEstimate(org, draft.id)
    expect(estimate.lead_id).toBe(leadId)
    expect(estimate.org_client_id).toEqual(expect.any(String))
    const client = await (await api(org, 'GET', `/api/v1/clients/${estimate.org_client_id}`)).json<{
      first_name: string
      last_name: string
      status: string
    }>()
    expect(client).toMatchObject({ first_name: 'Jordan', last_name: 'Reyes', status: 'lead' })
    const [sms] = await messagesOf(org, '?purpose=estimate')
    expect(sms).toMatchObject({ id: message.message_id, to: phone })
    // The lead moves along the pipeline to "Estimate sent", and is not a client yet.
    expect(await leadOf(org, leadId)).toMatchObject({ is_converted: false, status_id: 'ls_estimate_sent' })

    const res = await homeowner().post(`${linkPath(sms!.body)}/approve`, { name: 'Jordan Reyes' })
    expect(res.status).toBe(303)
    expect(await leadOf(org, leadId)).toMatchObject({
      is_converted: true,
      converted_to_client_id: estimate.org_client_id,
    })
    // The approval stands once; approving again neither converts nor changes anything.
    expect((await homeowner().post(`${linkPath(sms!.body)}/approve`, { name: 'Jordan Reyes' })).status).toBe(200)
    expect((await estimateOf(org, draft.id)).status).toBe('approved')

    // A converted lead gets no new estimate: the client does.
    const more = await api(org, 'POST', '/api/v1/estimates', {
      lead_id: leadId,
      line_items: [{ description: 'Railing', unit_price_cents: 100 }],
    })
    expect(more.status).toBe(409)
  })

  it('says why a lead with no phone or email cannot be sent its estimate, and makes no client', async () => {
    const org = await business()
    const leadId = await createLead(org, {})
    const draft = await draftEstimate(org, { lead_id: leadId })
    const res = await api(org, 'POST', `/api/v1/estimates/${draft.id}/send`, {})
    expect(res.status).toBe(409)
    expect((await res.json<{ error: { code: string } }>()).error.code).toBe('not_sent')
    expect(await estimateOf(org, draft.id)).toMatchObject({ status: 'draft', org_client_id: null })
  })

  it("finds no estimate for another business's lead, and lists a lead's estimates by lead_id", async () => {
    const org = await business()
    const stranger = await business()
    const theirLead = await createLead(stranger, { email: 'theirs@example.com' })
    const res = await api(org, 'POST', '/api/v1/estimates', {
      lead_id: theirLead,
      line_items: [{ description: 'Railing', unit_price_cents: 100 }],
    })
    expect(res.status).toBe(404)

    const leadId = await createLead(org, { email: 'ours@example.com' })
    const draft = await draftEstimate(org, { lead_id: leadId })
    const list = await (await api(org, 'GET', `/api/v1/estimates?lead_id=${leadId}`)).json<{
      items: Array<{ id: string; name: string }>
    }>()
    expect(list.items).toEqual([expect.objectContaining({ id: draft.id, name: 'Jordan Reyes' })])
  })
})
