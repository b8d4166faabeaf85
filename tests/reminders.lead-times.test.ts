/** Reminder lead times on Settings › Messaging, and visits still to come re-planned when they change. */
import { env } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import { Staff } from './helpers/browserless'
import { api, createOrg, type TestOrg } from './helpers/factories'
import { bookJob, messagesOf, orgWithClient, runDueAt } from './helpers/messaging'
import { inOrg } from './helpers/platform'

type Reminder = { id: string; job_id: string | null; offset: string; send_at: string; status: string }

const HOUR = 3_600_000
const htmx = { 'hx-request': 'true' }

const leadTimesOf = async (org: TestOrg) =>
  (await (await api(org, 'GET', '/api/v1/organization')).json<{ reminders: unknown }>()).reminders

const pending = async (org: TestOrg) =>
  (await (await api(org, 'GET', '/api/v1/reminders?status=pending')).json<{ items: Reminder[] }>()).items

const nextDueAt = async (org: TestOrg) =>
  (
    await env.PEOPLE.prepare('select next_due_at from org_schedule where organization_id = ?')
      .bind(org.organizationId)
      .first<{ next_due_at: string }>()
  )?.next_due_at

async function signIn(org: TestOrg) {
  const owner = new Staff()
  await owner.post('/login', { email: org.email, password: org.password })
  return { owner, csrf: await owner.csrfToken() }
}

const at = (start: string, hoursBefore: number) => new Date(Date.parse(start) - hoursBefore * HOUR).toISOString()
const minuteAfter = (iso: string) => new Date(Date.parse(iso) + 60_000)

describe('the lead-times form on Settings › Messaging', () => {
  it('shows the lead times and saves new ones, repeats dropped, longest first', async () => {
    const org = await createOrg()
    const { owner, csrf } = await signIn(org)
    const page = await (await owner.get('/app/settings/messaging')).text()
    expect(page).toContain('action="/app/settings/reminders"')
    expect(page).toContain('value="24, 2"')
    const res = await owner.post('/app/settings/reminders', {
      job_hours_before: '2, 48 24,24',
      invoice_days_before: '0, 7',
      _csrf: csrf,
    })
    expect([res.status, res.headers.get('location')]).toEqual([
      303,
      '/app/settings/messaging?saved=1#reminder-lead-times',
    ])
    expect(await leadTimesOf(org)).toEqual({ job_hours_before: [48, 24, 2], invoice_days_before: [7, 0] })
    expect(await (await owner.get('/app/settings/messaging?saved=1')).text()).toContain('value="48, 24, 2"')

    const swapped = await owner.post(
      '/app/settings/reminders',
      { job_hours_before: '720, 1', invoice_days_before: '3', _csrf: csrf },
      htmx,
    )
    expect(swapped.status).toBe(200)
    const section = await swapped.text()
    expect(section).toMatch(/^<section class="card" id="reminder-lead-times"/)
    expect(section).toContain('value="720, 1"')
    expect(await leadTimesOf(org)).toEqual({ job_hours_before: [720, 1], invoice_days_before: [3] })
  })

  it('refuses what is not a list of whole hours or days in range, beside the field, and saves nothing', async () => {
    const org = await createOrg()
    const { owner, csrf } = await signIn(org)
    for (const [fields, field, words] of [
      [{ job_hours_before: '24, 0', invoice_days_before: '2' }, 'job_hours_before', 'from 1 to 720'],
      [{ job_hours_before: 'tomorrow', invoice_days_before: '2' }, 'job_hours_before', 'from 1 to 720'],
      [{ job_hours_before: '1.5', invoice_days_before: '2' }, 'job_hours_before', 'from 1 to 720'],
      [{ job_hours_before: '-3', invoice_days_before: '2' }, 'job_hours_before', 'from 1 to 720'],
      [{ job_hours_before: '', invoice_days_before: '2' }, 'job_hours_before', 'from 1 to 720'],
      [{ job_hours_before: '721', invoice_days_before: '2' }, 'job_hours_before', 'from 1 to 720'],
      [{ job_hours_before: '1 2 3 4 5 6 7 8 9 10 11', invoice_days_before: '2' }, 'job_hours_before', 'at most 10'],
      [{ job_hours_before: '24', invoice_days_before: '31' }, 'invoice_days_before', 'from 0 to 30'],
    ] as const) {
      const res = await owner.post('/app/settings/reminders', { ...fields, _csrf: csrf })
      expect(res.status).toBe(422)
      const html = await res.text()
      expect(html).toContain(`id="f-${field}-error"`)
      expect(html).toContain(words)
      // The form comes back as typed.
      expect(html).toContain(`value="${fields[field]}"`)
    }
    const swapped = await owner.post(
      '/app/settings/reminders',
      { job_hours_before: '0', invoice_days_before: '2', _csrf: csrf },
      htmx,
    )
    expect(swapped.status).toBe(422)
    expect(await swapped.text()).toMatch(
      /^<section class="card" id="reminder-lead-times"[\s\S]*f-job_hours_before-error/,
    )
    expect(await leadTimesOf(org)).toEqual({ job_hours_before: [24, 2], invoice_days_before: [2, 0] })
  })

  it('is for owners and admins: a member sees the times and cannot change them (403)', async () => {
    const org = await createOrg()
    const email = `member-${crypto.randomUUID()}@example.com`
    const { invite_url } = await (await api(org, 'POST', '/api/v1/team/invites', { email, role: 'member' })).json<{
      invite_url: string
    }>()
    const member = new Staff()
    await member.post(new URL(invite_url).pathname, { password: 'member password 1' })
    const page = await (await member.get('/app/settings/messaging')).text()
    expect(page).toContain('24, 2 hours before a visit')
    expect(page).not.toContain('action="/app/settings/reminders"')
    const res = await member.post('/app/settings/reminders', {
      job_hours_before: '1',
      invoice_days_before: '0',
      _csrf: await member.csrfToken(),
    })
    expect(res.status).toBe(403)
    expect(await leadTimesOf(org)).toEqual({ job_hours_before: [24, 2], invoice_days_before: [2, 0] })
  })
})

describe('new lead times and visits still to come', () => {
  it("re-plan an upcoming visit's reminders, which then go out at the new times only", async () => {
    const { org, client } = await orgWithClient()
    const start = new Date(Math.ceil((Date.now() + 10 * 24 * HOUR) / 60_000) * 60_000).toISOString()
    const job = await bookJob(org, client.org_client_id, start)
    expect((await pending(org)).map((r) => r.offset).sort()).toEqual(['24h', '2h'])

    const { owner, csrf } = await signIn(org)
    await owner.post('/app/settings/reminders', { job_hours_before: '72, 6', invoice_days_before: '2, 0', _csrf: csrf })
    const rows = await pending(org)
    expect(rows.map((r) => [r.job_id, r.offset, r.send_at]).sort()).toEqual(
      [
        [job.id, '72h', at(start, 72)],
        [job.id, '6h', at(start, 6)],
      ].sort(),
    )
    // The due-time index follows: the cron next wakes the business at the 72-hour reminder.
    expect(await nextDueAt(org)).toBe(at(start, 72))

    expect((await runDueAt(org, minuteAfter(at(start, 72)))).sent).toBe(1)
    // The old 24-hour time passes with nothing to send.
    expect((await runDueAt(org, minuteAfter(at(start, 24)))).sent).toBe(0)
    expect((await runDueAt(org, minuteAfter(at(start, 6)))).sent).toBe(1)
    expect((await runDueAt(org, minuteAfter(at(start, 2)))).sent).toBe(0)
    expect((await messagesOf(org)).filter((m) => m.purpose === 'job_upcoming')).toHaveLength(2)
  })

  it('never repeat a reminder already sent for the same lead time, nor plan one whose time has passed', async () => {
    const { org, client } = await orgWithClient()
    const start = new Date(Math.ceil((Date.now() + 30 * HOUR) / 60_000) * 60_000).toISOString()
    const job = await bookJob(org, client.org_client_id, start)
    // The 24-hour reminder goes out (the run's clock is past its time).
    expect((await runDueAt(org, minuteAfter(at(start, 24)))).sent).toBe(1)

    // 48 h before has passed; 24 h was sent; 12 h is new.
    await api(org, 'PATCH', '/api/v1/organization', { reminders: { job_hours_before: [48, 24, 12] } })
    expect((await pending(org)).map((r) => [r.job_id, r.offset])).toEqual([[job.id, '12h']])

    expect((await runDueAt(org, minuteAfter(at(start, 12)))).sent).toBe(1)
    const sent = (await messagesOf(org)).filter((m) => m.purpose === 'job_upcoming')
    expect(sent).toHaveLength(2)
  })

  it('keep a reminder that fell due and waits for the next run, so a change made meanwhile loses none', async () => {
    const { org, client } = await orgWithClient()
    const start = new Date(Math.ceil((Date.now() + 25 * HOUR) / 60_000) * 60_000).toISOString()
    const job = await bookJob(org, client.org_client_id, start)
    // The 24-hour reminder's time has come, but no run has sent it yet when the owner saves new times.
    await inOrg(org, (host) => host.clock.set(minuteAfter(at(start, 24))))
    try {
      expect(
        (await api(org, 'PATCH', '/api/v1/organization', { reminders: { job_hours_before: [24, 3] } })).status,
      ).toBe(200)
    } finally {
      await inOrg(org, (host) => host.clock.set(null))
    }
    expect((await pending(org)).map((r) => [r.job_id, r.offset, r.send_at]).sort()).toEqual(
      [
        [job.id, '24h', at(start, 24)],
        [job.id, '3h', at(start, 3)],
      ].sort(),
    )
    expect((await runDueAt(org, minuteAfter(at(start, 24)))).sent).toBe(1)
    expect((await runDueAt(org, minuteAfter(at(start, 3)))).sent).toBe(1)
    expect((await messagesOf(org)).filter((m) => m.purpose === 'job_upcoming')).toHaveLength(2)
  })

  it('leave finished and cancelled visits alone, and the times unchanged change nothing', async () => {
    const { org, client } = await orgWithClient()
    const start = new Date(Date.now() + 5 * 24 * HOUR).toISOString()
    const cancelled = await bookJob(org, client.org_client_id, start)
    await api(org, 'PATCH', `/api/v1/jobs/${cancelled.id}`, { status: 'cancelled' })
    const kept = await bookJob(org, client.org_client_id, start)
    const before = (await pending(org)).map((r) => r.id)
    expect(before).toHaveLength(2)
    await api(org, 'PATCH', '/api/v1/organization', { reminders: { job_hours_before: [2, 24, 2] } })
    expect((await pending(org)).map((r) => r.id)).toEqual(before)

    await api(org, 'PATCH', '/api/v1/organization', { reminders: { job_hours_before: [96] } })
    expect((await pending(org)).map((r) => [r.job_id, r.offset])).toEqual([[kept.id, '96h']])
  })

  it('re-plan the reminders of open invoices not yet due, at 9:00 in the business zone', async () => {
    const { org, client } = await orgWithClient()
    const invoice = async (status: 'open' | 'draft') =>
      (
        await (
          await api(org, 'POST', '/api/v1/invoices', {
            org_client_id: client.org_client_id,
            total_cents: 9000,
            due_date: '2031-06-20',
            status,
          })
        ).json<{ invoice: { id: string } }>()
      ).invoice.id
    const open = await invoice('open')
    await invoice('draft')
    const { owner, csrf } = await signIn(org)
    await owner.post('/app/settings/reminders', { job_hours_before: '24, 2', invoice_days_before: '5, 0', _csrf: csrf })
    const rows = (await pending(org)) as Array<Reminder & { invoice_id: string | null }>
    // 9:00 in Los Angeles (PDT, UTC−7).
    expect(rows.map((r) => [r.invoice_id, r.offset, r.send_at]).sort()).toEqual(
      [
        [open, 'due', '2031-06-20T16:00:00.000Z'],
        [open, 'due-5d', '2031-06-15T16:00:00.000Z'],
      ].sort(),
    )
  })

  it("touch no other business's settings or reminders", async () => {
    const [{ org, client }, other] = await Promise.all([orgWithClient(), orgWithClient()])
    const start = new Date(Date.now() + 5 * 24 * HOUR).toISOString()
    await bookJob(org, client.org_client_id, start)
    const theirs = await bookJob(other.org, other.client.org_client_id, start)
    const { owner, csrf } = await signIn(org)
    await owner.post('/app/settings/reminders', { job_hours_before: '50', invoice_days_before: '1', _csrf: csrf })
    expect((await pending(org)).map((r) => r.offset)).toEqual(['50h'])
    expect(await leadTimesOf(other.org)).toEqual({ job_hours_before: [24, 2], invoice_days_before: [2, 0] })
    expect((await pending(other.org)).map((r) => [r.job_id, r.offset]).sort()).toEqual(
      [
        [theirs.id, '24h'],
        [theirs.id, '2h'],
      ].sort(),
    )
  })
})
