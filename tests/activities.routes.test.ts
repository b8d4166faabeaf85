/** Activities on clients and leads: logged, listed newest first, on the client timeline, moving a lead's last contact; another business's ids not found. */
import { describe, expect, it } from 'vitest'
import { api, createClient, createOrg, type TestOrg, unique } from './helpers/factories'

type Activity = {
  id: string
  type: string
  direction: string | null
  summary: string
  occurred_at: string
  lead_id: string | null
  org_client_id: string | null
}
type ErrorBody = { error: { code: string; issues?: Array<{ path: string }> } }

const log = (org: TestOrg, path: string, body: Record<string, unknown>) => api(org, 'POST', `${path}/activities`, body)
const listOf = async (org: TestOrg, path: string) =>
  (await (await api(org, 'GET', `${path}/activities`)).json<{ items: Activity[] }>()).items

async function addLead(org: TestOrg, body: Record<string, unknown> = {}) {
  const res = await api(org, 'POST', '/api/v1/leads', { first_name: 'Dana', ...body })
  return (await res.json<{ lead: { id: string; last_contact_at: string | null } }>()).lead
}

describe('POST /api/v1/clients/{id}/activities', () => {
  it('logs a call and a note, lists them newest first, and shows them on the timeline', async () => {
    const org = await createOrg()
    const { org_client_id } = await createClient(org, { first_name: 'Casey', email: `c-${unique()}@example.com` })
    const path = `/api/v1/clients/${org_client_id}`
    const call = await log(org, path, {
      type: 'call',
      direction: 'outbound',
      summary: 'Confirmed the gate code',
      occurred_at: '2030-01-02T15:00:00-05:00',
    })
    expect(call.status).toBe(201)
    expect((await call.json<{ activity: Activity }>()).activity).toMatchObject({
      type: 'call',
      direction: 'outbound',
      summary: 'Confirmed the gate code',
      occurred_at: '2030-01-02T20:00:00.000Z',
      org_client_id,
      lead_id: null,
    })
    await log(org, path, { type: 'note', summary: 'Prefers mornings', occurred_at: '2030-01-03T09:00:00Z' })
    expect((await listOf(org, path)).map((a) => a.summary)).toEqual(['Prefers mornings', 'Confirmed the gate code'])

    const timeline = await (await api(org, 'GET', `${path}/timeline`)).json<{
      items: Array<{ type: string; data: Record<string, unknown> }>
    }>()
    expect(timeline.items.filter((i) => i.type === 'activity').map((i) => i.data['activity_type'])).toEqual([
      'note',
      'call',
    ])
    const rpc = await api(org, 'POST', '/rest/v1/rpc/client_timeline', { p_org_client_id: org_client_id })
    expect((await rpc.json<Array<{ type: string }>>()).filter((i) => i.type === 'activity')).toHaveLength(2)
  })

  it('refuses a type that is not one of the activity types, an empty summary and a bad time, writing nothing', async () => {
    const org = await createOrg()
    const { org_client_id } = await createClient(org, { first_name: 'Casey', email: `c-${unique()}@example.com` })
    const path = `/api/v1/clients/${org_client_id}`
    for (const [body, field] of [
      [{ type: 'fax', summary: 'x' }, 'type'],
      [{ type: 'call', summary: ' ' }, 'summary'],
      [{ type: 'call', summary: 'x', occurred_at: 'yesterday' }, 'occurred_at'],
      [{ type: 'call', summary: 'x', direction: 'sideways' }, 'direction'],
    ] as const) {
      const res = await log(org, path, body)
      expect(res.status).toBe(400)
      expect((await res.json<ErrorBody>()).error.issues?.map((i) => i.path)).toContain(field)
    }
    expect(await listOf(org, path)).toEqual([])
  })

  it("answers 404 for another business's client, writing nothing", async () => {
    const [mine, theirs] = await Promise.all([createOrg(), createOrg()])
    const { org_client_id } = await createClient(theirs, { first_name: 'T', email: `t-${unique()}@example.com` })
    const path = `/api/v1/clients/${org_client_id}`
    expect((await log(mine, path, { type: 'call', summary: 'Hi' })).status).toBe(404)
    expect((await api(mine, 'GET', `${path}/activities`)).status).toBe(404)
    expect(await listOf(theirs, path)).toEqual([])
  })
})

describe('POST /api/v1/leads/{id}/activities', () => {
  it("moves the lead's last contact with calls, meetings, emails and texts, not with notes or older ones", async () => {
    const org = await createOrg()
    const lead = await addLead(org)
    const path = `/api/v1/leads/${lead.id}`
    const lastContact = async () =>
      (await (await api(org, 'GET', path)).json<{ last_contact_at: string | null }>()).last_contact_at
    await log(org, path, { type: 'note', summary: 'Found us on Google', occurred_at: '2030-01-05T10:00:00Z' })
    expect(await lastContact()).toBeNull()
    await log(org, path, {
      type: 'sms',
      direction: 'outbound',
      summary: 'Sent times',
      occurred_at: '2030-01-04T10:00:00Z',
    })
    expect(await lastContact()).toBe('2030-01-04T10:00:00.000Z')
    await log(org, path, { type: 'call', summary: 'Earlier call', occurred_at: '2030-01-01T10:00:00Z' })
    expect(await lastContact()).toBe('2030-01-04T10:00:00.000Z')
    expect((await listOf(org, path)).map((a) => a.type)).toEqual(['note', 'sms', 'call'])
  })

  it('takes no activity on a converted lead (409): its history goes on the client', async () => {
    const org = await createOrg()
    const lead = await addLead(org, { email: `l-${unique()}@example.com` })
    await api(org, 'POST', `/api/v1/leads/${lead.id}/convert`)
    const res = await log(org, `/api/v1/leads/${lead.id}`, { type: 'call', summary: 'Late call' })
    expect(res.status).toBe(409)
  })

  it("answers 404 for another business's lead", async () => {
    const [mine, theirs] = await Promise.all([createOrg(), createOrg()])
    const lead = await addLead(theirs)
    expect((await log(mine, `/api/v1/leads/${lead.id}`, { type: 'call', summary: 'Hi' })).status).toBe(404)
    expect((await api(mine, 'GET', `/api/v1/leads/${lead.id}/activities`)).status).toBe(404)
    expect(await listOf(theirs, `/api/v1/leads/${lead.id}`)).toEqual([])
  })
})

describe('GET /api/v1/leads/activity-types', () => {
  it('lists call, note, meeting, email and sms in order', async () => {
    const org = await createOrg()
    const res = await api(org, 'GET', '/api/v1/leads/activity-types')
    expect((await res.json<{ items: Array<{ key: string }> }>()).items.map((t) => t.key)).toEqual([
      'call',
      'note',
      'meeting',
      'email',
      'sms',
    ])
  })
})
