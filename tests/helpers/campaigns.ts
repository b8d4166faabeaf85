/** Helpers for campaign tests: an organization without quiet hours, clients, campaigns and their progress. */
import { env } from 'cloudflare:test'
import type { Campaign, CampaignSendRow } from '../../durable-objects/org/campaigns/campaigns'
import { orgStub } from '../../src/organizations'
import { api, createClient, createOrg, unique, type TestOrg } from './factories'

/** A business in Los Angeles with quiet hours off and the given sending settings. */
export async function campaignOrg(settings: { campaign_batch_size?: number; marketing_cap_per_day?: number } = {}) {
  const org = await createOrg({ timezone: 'America/Los_Angeles' })
  await api(org, 'PATCH', '/api/v1/organization', { quiet_hours: { start: '00:00', end: '00:00' } })
  if (Object.keys(settings).length > 0) await orgStub(env, org.organizationId).setCampaignSettings(settings)
  return org
}

let phoneSeq = Math.floor(Math.random() * 9000)
/** A 555 number unique within a test file (storage is per file). */
export const phone = () => `+1415555${String(1000 + (phoneSeq++ % 9000))}`

/** A client in California; email and phone are made up unless given (null: none). */
export async function addClient(
  org: TestOrg,
  fields: { first_name?: string; email?: string | null; phone?: string | null; status?: string; tags?: string[] } = {},
) {
  const email = fields.email === undefined ? `c-${unique()}@example.com` : fields.email
  const tel = fields.phone === undefined ? phone() : fields.phone
  const { email: _e, phone: _p, ...rest } = fields
  const client = await createClient(org, {
    first_name: 'Robin',
    ...rest,
    ...(email ? { email } : {}),
    ...(tel ? { phone: tel } : {}),
    address: { address1: '1 Main St', city: 'Oakland', state: 'CA', postal: '94607' },
  })
  return client.org_client_id
}

/** Creates a campaign through the API (a text to everyone unless told otherwise). */
export async function newCampaign(org: TestOrg, body: Record<string, unknown> = {}): Promise<Campaign> {
  const res = await api(org, 'POST', '/api/v1/campaigns', {
    name: 'Spring special',
    channel: 'sms',
    body: 'Hi {{first_name}}, {{business_name}} has spring openings: {{portal_link}}',
    ...body,
  })
  if (res.status !== 201) throw new Error(`campaign: ${res.status} ${await res.text()}`)
  return res.json<Campaign>()
}

/** Sends a campaign now, or schedules it at `sendAt`. */
export async function send(org: TestOrg, id: string, sendAt?: string): Promise<Campaign> {
  const res = await api(org, 'POST', `/api/v1/campaigns/${id}/send`, sendAt ? { send_at: sendAt } : {})
  if (res.status !== 200) throw new Error(`send: ${res.status} ${await res.text()}`)
  return res.json<Campaign>()
}

export async function campaignOf(org: TestOrg, id: string): Promise<Campaign> {
  return (await api(org, 'GET', `/api/v1/campaigns/${id}`)).json<Campaign>()
}

export async function sendsOf(org: TestOrg, id: string, status?: string): Promise<CampaignSendRow[]> {
  return (
    await (
      await api(org, 'GET', `/api/v1/campaigns/${id}/sends${status ? `?status=${status}` : ''}`)
    ).json<{ items: CampaignSendRow[] }>()
  ).items
}

export type PreviewCounts = {
  matched: number
  will_receive: number
  excluded: { opted_out: number; missing_contact: number; capped: number }
}

export async function preview(org: TestOrg, segment: Record<string, unknown>, channel = 'sms'): Promise<PreviewCounts> {
  const res = await api(org, 'POST', '/api/v1/campaigns/preview', { channel, segment })
  if (res.status !== 200) throw new Error(`preview: ${res.status} ${await res.text()}`)
  return res.json<PreviewCounts>()
}

/** Books a job at `startAt` and marks it completed. */
export async function completedJob(org: TestOrg, orgClientId: string, startAt: string, serviceId?: string) {
  const res = await api(org, 'POST', '/api/v1/jobs', {
    org_client_id: orgClientId,
    start_at: startAt,
    ...(serviceId ? { service_id: serviceId } : {}),
  })
  const { job } = await res.json<{ job: { id: string } }>()
  await api(org, 'PATCH', `/api/v1/jobs/${job.id}`, { status: 'completed' })
  return job.id
}

/** Raises a client's lifetime value by paying an invoice of `cents`. */
export async function paid(org: TestOrg, orgClientId: string, cents: number) {
  const { invoice } = await (
    await api(org, 'POST', '/api/v1/invoices', {
      org_client_id: orgClientId,
      total_cents: cents,
      due_date: '2030-01-01',
    })
  ).json<{ invoice: { id: string } }>()
  await api(org, 'POST', `/api/v1/invoices/${invoice.id}/payments`, { amount_cents: cents })
}

/** The organization's next due time in the registry's index (what the minute cron reads). */
export async function nextDueOf(org: TestOrg): Promise<string | null> {
  return (
    (
      await env.PEOPLE.prepare('select next_due_at from org_schedule where organization_id = ?')
        .bind(org.organizationId)
        .first<{ next_due_at: string }>()
    )?.next_due_at ?? null
  )
}

/** The outbox rows of an organization. */
export async function outboxRows(org: TestOrg) {
  return (
    await env.PEOPLE.prepare('select * from outbox where organization_id = ?')
      .bind(org.organizationId)
      .all<{ message_id: string; to: string; body: string; headers: string }>()
  ).results
}
