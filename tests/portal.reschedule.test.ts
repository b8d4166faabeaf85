/** The reschedule loop: a homeowner asks for other times, staff accept one, the visit moves, the request closes, the homeowner is told. */
import { describe, expect, it } from 'vitest'
import { Staff } from './helpers/browserless'
import { api, createOrg } from './helpers/factories'
import { messagesOf } from './helpers/messaging'
import { bookJob, businessWithClient, Homeowner, portalPath } from './helpers/portal'

const VISIT = '2030-06-10T19:00:00Z'

type Task = { id: string; job_id: string; preferred_times: string[] }

/** A client of the business asks, from the portal, for 9:00 on Jun 12 or 14:30 on Jun 13 (Los Angeles). */
async function requested(name: string) {
  const { org, client } = await businessWithClient(name, { first_name: 'Dana' })
  const jobId = await bookJob(org, client.org_client_id, VISIT)
  const path = await portalPath(org, client.org_client_id)
  const asked = await new Homeowner().post(`${path}/jobs/${jobId}/reschedule`, {
    first: '2030-06-12T09:00',
    second: '2030-06-13T14:30',
  })
  expect(asked.status).toBe(303)
  const [task] = (await (await api(org, 'GET', '/api/v1/tasks')).json<{ items: Task[] }>()).items
  return { org, client, jobId, task: task! }
}

describe('accepting a reschedule request', () => {
  it('by API: moves the visit to the chosen time, moves its reminders, closes the request and tells the client', async () => {
    const { org, jobId, task } = await requested('Accept Co')
    expect(task.job_id).toBe(jobId)
    const chosen = task.preferred_times[1]!
    const res = await api(org, 'POST', `/api/v1/tasks/${task.id}/accept`, { start_at: chosen })
    expect(res.status).toBe(200)
    const accepted = await res.json<{ start_at: string; told: { message_id?: string } }>()
    expect(accepted.start_at).toBe(new Date(chosen).toISOString())
    expect(accepted.told.message_id).toBeTruthy()

    const job = await (await api(org, 'GET', `/api/v1/jobs/${jobId}`)).json<{ start_at: string }>()
    expect(job.start_at).toBe(new Date(chosen).toISOString())
    const pending = (
      await (await api(org, 'GET', '/api/v1/reminders?status=pending')).json<{ items: { send_at: string }[] }>()
    ).items
    expect(pending.map((r) => r.send_at).sort()).toEqual(
      [Date.parse(chosen) - 24 * 3_600_000, Date.parse(chosen) - 2 * 3_600_000].map((t) => new Date(t).toISOString()),
    )
    expect((await (await api(org, 'GET', '/api/v1/tasks')).json<{ items: Task[] }>()).items).toEqual([])
    const [told] = await messagesOf(org, '?purpose=reschedule_accepted')
    expect(told).toMatchObject({ id: accepted.told.message_id, channel: 'sms' })
    expect(told!.body).toContain('your visit is now on Thu, Jun 13 at 2:30 PM')

    // Accepting again: the request is closed, nothing moves and nobody is told twice.
    expect((await api(org, 'POST', `/api/v1/tasks/${task.id}/accept`, { start_at: chosen })).status).toBe(404)
    expect(await messagesOf(org, '?purpose=reschedule_accepted')).toHaveLength(1)
  })

  it('only at a time the client offered (400), and another business cannot accept it (404)', async () => {
    const { org, jobId, task } = await requested('Offered Co')
    const other = await api(org, 'POST', `/api/v1/tasks/${task.id}/accept`, { start_at: '2030-06-14T17:00:00Z' })
    expect(other.status).toBe(400)
    const stranger = await createOrg()
    const stolen = await api(stranger, 'POST', `/api/v1/tasks/${task.id}/accept`, { start_at: task.preferred_times[0] })
    expect(stolen.status).toBe(404)
    // Nor see it, nor close it.
    expect((await (await api(stranger, 'GET', '/api/v1/tasks')).json<{ items: Task[] }>()).items).toEqual([])
    expect((await api(stranger, 'POST', `/api/v1/tasks/${task.id}/done`)).status).toBe(404)
    expect((await (await api(org, 'GET', `/api/v1/jobs/${jobId}`)).json<{ start_at: string }>()).start_at).toBe(
      new Date(VISIT).toISOString(),
    )
    expect((await (await api(org, 'GET', '/api/v1/tasks')).json<{ items: Task[] }>()).items).toHaveLength(1)
  })

  it('from the dashboard: one button per offered time', async () => {
    const { org, jobId, task } = await requested('Button Co')
    const staff = new Staff()
    await staff.post('/login', { email: org.email, password: org.password })
    const dashboard = await (await staff.get('/app')).text()
    expect(dashboard).toContain('Move to Wed, Jun 12, 9:00 AM')
    expect(dashboard).toContain('Move to Thu, Jun 13, 2:30 PM')
    const res = await staff.post(`/app/tasks/${task.id}/accept`, {
      _csrf: await staff.csrfToken(),
      back: '/app',
      time: task.preferred_times[0]!,
    })
    expect(res.status).toBe(303)
    expect((await (await api(org, 'GET', `/api/v1/jobs/${jobId}`)).json<{ start_at: string }>()).start_at).toBe(
      new Date(task.preferred_times[0]!).toISOString(),
    )
    expect(await (await staff.get('/app')).text()).not.toContain('data-testid="open-tasks"')
  })
})
