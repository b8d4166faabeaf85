/** Reminder lead times as the business's settings: `reminders` on PATCH /api/v1/organization. */
import { describe, expect, it } from 'vitest'
import { api, createClient, createOrg, type TestOrg, unique } from './helpers/factories'

type Reminder = { type: string; offset: string; send_at: string; status: string }

const remindersOf = async (org: TestOrg) =>
  (await (await api(org, 'GET', '/api/v1/reminders?status=pending')).json<{ items: Reminder[] }>()).items

const HOUR = 3_600_000

describe('reminder lead times', () => {
  it('are 24 h and 2 h before a job, and 2 days before and on the due date, until the business sets its own', async () => {
    const org = await createOrg({ timezone: 'America/Chicago' })
    const settings = await (await api(org, 'GET', '/api/v1/organization')).json<{ reminders: unknown }>()
    expect(settings.reminders).toEqual({ job_hours_before: [24, 2], invoice_days_before: [2, 0] })

    const patched = await api(org, 'PATCH', '/api/v1/organization', {
      reminders: { job_hours_before: [3, 48], invoice_days_before: [0, 7] },
    })
    expect(patched.status).toBe(200)
    expect((await patched.json<{ reminders: unknown }>()).reminders).toEqual({
      job_hours_before: [48, 3],
      invoice_days_before: [7, 0],
    })

    const client = await createClient(org, { first_name: 'Lee', email: `lee-${unique()}@example.com` })
    const start = '2031-09-10T15:00:00.000Z'
    await api(org, 'POST', '/api/v1/jobs', { org_client_id: client.org_client_id, start_at: start })
    await api(org, 'POST', '/api/v1/invoices', {
      org_client_id: client.org_client_id,
      total_cents: 12000,
      due_date: '2031-09-20',
      status: 'open',
    })
    const rows = await remindersOf(org)
    const job = rows.filter((r) => r.type === 'job_upcoming').map((r) => [r.offset, r.send_at])
    expect(job.sort()).toEqual(
      [
        ['3h', new Date(Date.parse(start) - 3 * HOUR).toISOString()],
        ['48h', new Date(Date.parse(start) - 48 * HOUR).toISOString()],
      ].sort(),
    )
    const invoice = rows.filter((r) => r.type === 'invoice_due').map((r) => [r.offset, r.send_at])
    // 9:00 in Chicago (CDT, UTC−5) a week before and on the due date.
    expect(invoice.sort()).toEqual(
      [
        ['due', '2031-09-20T14:00:00.000Z'],
        ['due-7d', '2031-09-13T14:00:00.000Z'],
      ].sort(),
    )
  })

  it('give a job booked inside the first lead time only the later ones', async () => {
    const org = await createOrg()
    await api(org, 'PATCH', '/api/v1/organization', { reminders: { job_hours_before: [48, 12] } })
    const client = await createClient(org, { first_name: 'Mo', email: `mo-${unique()}@example.com` })
    const soon = new Date(Date.now() + 30 * HOUR).toISOString()
    await api(org, 'POST', '/api/v1/jobs', { org_client_id: client.org_client_id, start_at: soon })
    expect((await remindersOf(org)).map((r) => r.offset)).toEqual(['12h'])
  })

  it('take up to 10 of each, up to 30 days before a visit, repeats dropped', async () => {
    const org = await createOrg()
    const res = await api(org, 'PATCH', '/api/v1/organization', {
      reminders: { job_hours_before: [720, 1, 2, 3, 4, 5, 6, 7, 2, 8], invoice_days_before: [0, 1, 2, 3, 4, 5] },
    })
    expect(res.status).toBe(200)
    expect((await res.json<{ reminders: unknown }>()).reminders).toEqual({
      job_hours_before: [720, 8, 7, 6, 5, 4, 3, 2, 1],
      invoice_days_before: [5, 4, 3, 2, 1, 0],
    })
  })

  it('refuse lead times out of range, or more than 10, and change nothing', async () => {
    const org = await createOrg()
    for (const reminders of [
      { job_hours_before: [0] },
      { job_hours_before: [-2] },
      { job_hours_before: [721] },
      { job_hours_before: [1.5] },
      { invoice_days_before: [-1] },
      { job_hours_before: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11] },
    ]) {
      expect((await api(org, 'PATCH', '/api/v1/organization', { reminders })).status).toBe(400)
    }
    const settings = await (await api(org, 'GET', '/api/v1/organization')).json<{ reminders: unknown }>()
    expect(settings.reminders).toEqual({ job_hours_before: [24, 2], invoice_days_before: [2, 0] })
  })
})
