import { env } from 'cloudflare:test'
import { describe, expect, it, vi } from 'vitest'
import { orgStub } from '../src/organizations'
import { Staff } from './helpers/browserless'
import { api, createOrg } from './helpers/factories'
import { replyFrom } from './helpers/journeys'
import {
  addClient,
  campaignOf,
  campaignOrg,
  completedJob,
  newCampaign,
  paid,
  preview,
  send,
  sendsOf,
} from './helpers/campaigns'

const ids = async (org: Awaited<ReturnType<typeof campaignOrg>>, segment: Record<string, unknown>, channel = 'sms') => {
  const c = await newCampaign(org, { segment, channel, ...(channel === 'email' ? { subject: 'News' } : {}) })
  await send(org, c.id)
  return (await sendsOf(org, c.id)).map((s) => s.org_client_id).sort()
}

describe('campaign segments', () => {
  it('match by status and by any of the tags', async () => {
    const org = await campaignOrg()
    const lead = await addClient(org, { status: 'lead', tags: ['gutters'] })
    const vip = await addClient(org, { status: 'active', tags: ['vip', 'weekly'] })
    const weekly = await addClient(org, { status: 'inactive', tags: ['weekly'] })
    await addClient(org, { status: 'active', tags: ['monthly'] })
    expect((await preview(org, { status: ['lead', 'inactive'] })).matched).toBe(2)
    expect(await ids(org, { status: ['lead', 'inactive'] })).toEqual([lead, weekly].sort())
    expect(await ids(org, { tags: ['vip', 'gutters'] })).toEqual([lead, vip].sort())
    expect(await ids(org, { status: ['active'], tags: ['weekly'] })).toEqual([vip])
  })

  it('compare the day of the most recent completed job in the business’s zone', async () => {
    const org = await campaignOrg()
    // 2030-03-10T06:00Z is still March 9 in Los Angeles.
    const lateEvening = await addClient(org)
    await completedJob(org, lateEvening, '2030-03-10T06:00:00Z')
    const older = await addClient(org)
    await completedJob(org, older, '2030-01-15T18:00:00Z')
    // A cancelled later job does not count as the last job.
    const { job } = await (
      await api(org, 'POST', '/api/v1/jobs', { org_client_id: older, start_at: '2030-06-01T18:00:00Z' })
    ).json<{ job: { id: string } }>()
    await api(org, 'PATCH', `/api/v1/jobs/${job.id}`, { status: 'canceled' })
    await addClient(org) // never had a job: in neither segment
    expect(await ids(org, { last_job_before: '2030-03-10' })).toEqual([lateEvening, older].sort())
    expect(await ids(org, { last_job_before: '2030-03-09' })).toEqual([older])
    expect(await ids(org, { last_job_after: '2030-03-09' })).toEqual([])
    expect(await ids(org, { last_job_after: '2030-03-08' })).toEqual([lateEvening])
    expect((await preview(org, { last_job_after: '2030-01-01', last_job_before: '2030-02-01' })).matched).toBe(1)
  })

  it('match clients who have had a completed job with the service', async () => {
    const org = await campaignOrg()
    const service = await (
      await api(org, 'POST', '/api/v1/services', { name: 'Gutter cleaning', price_cents: 15000 })
    ).json<{ id: string }>()
    const had = await addClient(org)
    await completedJob(org, had, '2030-02-01T18:00:00Z', service.id)
    const booked = await addClient(org)
    await api(org, 'POST', '/api/v1/jobs', {
      org_client_id: booked,
      start_at: '2030-08-01T18:00:00Z',
      service_id: service.id,
    })
    await completedJob(org, await addClient(org), '2030-02-01T18:00:00Z')
    expect(await ids(org, { service_id: service.id })).toEqual([had])
  })

  it('match lifetime value at least and at most', async () => {
    const org = await campaignOrg()
    const small = await addClient(org)
    await paid(org, small, 5_000)
    const big = await addClient(org)
    await paid(org, big, 120_000)
    const none = await addClient(org)
    expect(await ids(org, { ltv_min_cents: 100_000 })).toEqual([big])
    expect(await ids(org, { ltv_max_cents: 5_000 })).toEqual([small, none].sort())
    expect(await ids(org, { ltv_min_cents: 1, ltv_max_cents: 100_000 })).toEqual([small])
  })

  it('with opted_in, match only clients who chose the channel themselves', async () => {
    const org = await campaignOrg()
    const chose = await addClient(org)
    await api(org, 'POST', `/api/v1/clients/${chose}/consents`, {
      email_opt_in: true,
      reason: 'Signed up at the counter',
    })
    const declined = await addClient(org)
    await api(org, 'POST', `/api/v1/clients/${declined}/consents`, { email_opt_in: false, reason: 'Asked us to stop' })
    await addClient(org) // opted in only by default
    expect(await preview(org, { opted_in: true }, 'email')).toEqual({
      matched: 1,
      will_receive: 1,
      excluded: { opted_out: 0, missing_contact: 0, capped: 0 },
    })
    expect(await ids(org, { opted_in: true }, 'email')).toEqual([chose])
    expect((await preview(org, {}, 'email')).matched).toBe(3)
  })

  it('count a channel as chosen only when that channel itself was turned on, never by changing the other', async () => {
    const org = await campaignOrg()
    const phone = '+14155550177'
    const unsubscribed = await addClient(org, { phone })
    // Turning email off (an unsubscribe) says nothing about texts.
    await api(org, 'POST', `/api/v1/clients/${unsubscribed}/consents`, {
      email_opt_in: false,
      reason: 'unsubscribe link',
    })
    expect(await ids(org, { opted_in: true }, 'sms')).toEqual([])
    // Staff unticking email on the client page leaves texts on by default, not by choice.
    const staffChanged = await addClient(org)
    const staff = new Staff()
    await staff.post('/login', { email: org.email, password: org.password })
    await staff.post(`/app/clients/${staffChanged}/consents`, {
      _csrf: await staff.csrfToken(),
      sms_opt_in: 'on',
      reason: 'No more email',
    })
    expect(await ids(org, { opted_in: true }, 'sms')).toEqual([])
    // A START reply is a choice of texts.
    expect((await replyFrom(phone, 'START')).status).toBe(200)
    expect(await ids(org, { opted_in: true }, 'sms')).toEqual([unsubscribed])
  })
})

describe('POST /api/v1/campaigns', () => {
  it('creates a draft with its segment and lists it', async () => {
    const org = await campaignOrg()
    const res = await api(org, 'POST', '/api/v1/campaigns', {
      name: 'Fall tune-up',
      channel: 'email',
      subject: 'Fall is here',
      body: 'Hi {{first_name}}',
      segment: { tags: ['hvac'] },
    })
    expect(res.status).toBe(201)
    const campaign = await res.json<{
      id: string
      status: string
      segment: unknown
      progress: Record<string, number>
    }>()
    expect(campaign).toMatchObject({
      status: 'draft',
      segment: { tags: ['hvac'] },
      progress: { total: 0, pending: 0, queued: 0, sent: 0, delivered: 0, failed: 0, skipped: 0 },
    })
    const list = await (await api(org, 'GET', '/api/v1/campaigns')).json<{ items: Array<{ id: string }> }>()
    expect(list.items.map((c) => c.id)).toEqual([campaign.id])
  })

  it('refuses bad input with 400 and writes nothing', async () => {
    const org = await campaignOrg()
    const bad: Array<[unknown, string]> = [
      [{ name: 'X', channel: 'fax', body: 'Hi' }, 'channel'],
      [{ name: 'X', channel: 'email', body: 'Hi' }, 'subject'],
      [{ name: 'X', channel: 'sms', body: 'Hi', segment: { tag: ['vip'] } }, 'segment'],
      [{ name: 'X', channel: 'sms', body: 'Hi', segment: { ltv_min_cents: -5 } }, 'segment.ltv_min_cents'],
      [
        { name: 'X', channel: 'sms', body: 'Hi', segment: { ltv_min_cents: 500, ltv_max_cents: 100 } },
        'segment.ltv_min_cents',
      ],
      [
        { name: 'X', channel: 'sms', body: 'Hi', segment: { last_job_before: '2030-02-31' } },
        'segment.last_job_before',
      ],
      [{ name: 'X', channel: 'sms', body: 'Hi', segment: { status: ['vip'] } }, 'segment.status.0'],
      [{ name: 'X', channel: 'sms', body: 'Hi', segment: { service_id: 'no-such-service' } }, 'segment.service_id'],
      [{ name: '', channel: 'sms', body: 'Hi' }, 'name'],
    ]
    for (const [body, path] of bad) {
      const res = await api(org, 'POST', '/api/v1/campaigns', body)
      expect(res.status, JSON.stringify(body)).toBe(400)
      const error = (await res.json<{ error: { code: string; issues: Array<{ path: string }> } }>()).error
      expect(error.code).toBe('invalid_input')
      expect(error.issues.map((i) => i.path)).toContain(path)
    }
    const wrongType = await api(org, 'POST', '/api/v1/campaigns', undefined, { 'content-type': 'text/plain' })
    expect(wrongType.status).toBe(400)
    expect(
      (await api(org, 'POST', '/api/v1/campaigns/preview', { channel: 'sms', segment: { opted_in: 'yes' } })).status,
    ).toBe(400)
    expect((await (await api(org, 'GET', '/api/v1/campaigns')).json<{ items: unknown[] }>()).items).toEqual([])
  })
})

describe('campaign actions', () => {
  it('send and cancel answer 400 for a bad send_at, 409 once sent, and 404 for another organization’s campaign', async () => {
    const org = await campaignOrg()
    const other = await campaignOrg()
    await addClient(org)
    const campaign = await newCampaign(org)
    expect((await api(org, 'POST', `/api/v1/campaigns/${campaign.id}/send`, { send_at: 'tomorrow' })).status).toBe(400)
    expect((await campaignOf(org, campaign.id)).status).toBe('draft')
    for (const [method, path] of [
      ['GET', ''],
      ['POST', '/send'],
      ['POST', '/cancel'],
      ['GET', '/sends'],
    ] as const) {
      const res = await api(other, method, `/api/v1/campaigns/${campaign.id}${path}`)
      expect(res.status, path).toBe(404)
      expect((await res.json<{ error: { code: string } }>()).error.code).toBe('not_found')
    }
    const sent = await (await api(org, 'POST', `/api/v1/campaigns/${campaign.id}/send`)).json<{
      status: string
      total: number
    }>()
    expect(sent).toMatchObject({ status: 'sent', total: 1 })
    // Once every message is handed to the provider there is nothing left to cancel.
    await vi.waitFor(async () => expect((await campaignOf(org, campaign.id)).progress.sent).toBe(1), {
      timeout: 8000,
      interval: 200,
    })
    expect((await api(org, 'POST', `/api/v1/campaigns/${campaign.id}/send`, {})).status).toBe(409)
    expect((await api(org, 'POST', `/api/v1/campaigns/${campaign.id}/cancel`)).status).toBe(409)
    expect((await api(org, 'GET', `/api/v1/campaigns/${campaign.id}/sends?status=lost`)).status).toBe(400)
  })
})

describe('PATCH /api/v1/organization sending settings', () => {
  it('sets the batch size and the daily marketing cap, and refuses values out of range', async () => {
    const org = await createOrg()
    const res = await api(org, 'PATCH', '/api/v1/organization', { campaign_batch_size: 50, marketing_cap_per_day: 2 })
    expect(res.status).toBe(200)
    expect(await res.json()).toMatchObject({ campaign_batch_size: 50, marketing_cap_per_day: 2 })
    const bad = await api(org, 'PATCH', '/api/v1/organization', { campaign_batch_size: 0, marketing_cap_per_day: 1.5 })
    expect(bad.status).toBe(400)
    const issues = (await bad.json<{ error: { issues: Array<{ path: string }> } }>()).error.issues.map((i) => i.path)
    expect(issues).toEqual(expect.arrayContaining(['campaign_batch_size', 'marketing_cap_per_day']))
    expect(await orgStub(env, org.organizationId).campaignSettings()).toEqual({
      campaign_batch_size: 50,
      marketing_cap_per_day: 2,
    })
  })
})
