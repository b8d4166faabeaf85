/** The client page's repeating visits: the series in words, the next visit, and cancelling the rest. */
import { describe, expect, it } from 'vitest'
import { Staff } from './helpers/browserless'
import { api, createClient, createOrg, type TestOrg, unique } from './helpers/factories'

async function signedIn() {
  const org = await createOrg({ timezone: 'America/Chicago' })
  const staff = new Staff()
  await staff.post('/login', { email: org.email, password: org.password })
  return { org, staff, csrf: await staff.csrfToken() }
}

async function withSeries(org: TestOrg) {
  const client = await createClient(org, { first_name: 'Noa', email: `noa-${unique()}@example.com` })
  const res = await api(org, 'POST', '/api/v1/jobs', {
    org_client_id: client.org_client_id,
    start_at: '2031-03-04T15:00:00.000Z',
    recurrence: { freq: 'weekly', interval: 2, count: 6 },
    notify: false,
  })
  const { series_id } = await res.json<{ series_id: string }>()
  return { clientId: client.org_client_id, seriesId: series_id }
}

const statuses = async (org: TestOrg, seriesId: string) =>
  (
    await (await api(org, 'GET', `/api/v1/jobs?series_id=${seriesId}`)).json<{ items: { status: string }[] }>()
  ).items.map((j) => j.status)

describe('repeating visits on the client page', () => {
  it('shows the series in words with its next visit, and lists only that visit among the jobs', async () => {
    const { org, staff } = await signedIn()
    const { clientId } = await withSeries(org)
    const html = await (await staff.get(`/app/clients/${clientId}`)).text()
    expect(html).toContain('Every 2 weeks on Tuesday at 9:00 AM, 6 visits')
    expect(html).toContain('6 visits to come')
    const jobsCard = html.slice(html.indexOf('id="client-jobs"'), html.indexOf('id="client-invoices"'))
    expect(jobsCard.match(/href="\/app\/jobs\//g)).toHaveLength(1)
  })

  it('cancels the rest of a series, which the page then says', async () => {
    const { org, staff, csrf } = await signedIn()
    const { clientId, seriesId } = await withSeries(org)
    const res = await staff.post(`/app/series/${seriesId}/cancel`, { _csrf: csrf })
    expect(res.status).toBe(303)
    expect(res.headers.get('location')).toBe(`/app/clients/${clientId}?series_cancelled=6`)
    expect(await statuses(org, seriesId)).toEqual(Array.from({ length: 6 }, () => 'cancelled'))
    const html = await (await staff.get(res.headers.get('location')!)).text()
    expect(html).toContain('6 visits cancelled. Their reminders will not be sent.')
    expect(html).not.toContain('Every 2 weeks on Tuesday')
  })

  it("cannot cancel another business's series, nor without the form's token", async () => {
    const { org, staff } = await signedIn()
    const { seriesId } = await withSeries(org)
    const { staff: stranger, csrf } = await signedIn()
    expect((await stranger.post(`/app/series/${seriesId}/cancel`, { _csrf: csrf })).status).toBe(404)
    expect((await staff.post(`/app/series/${seriesId}/cancel`, {})).status).toBe(403)
    expect(await statuses(org, seriesId)).toEqual(Array.from({ length: 6 }, () => 'scheduled'))
  })
})
