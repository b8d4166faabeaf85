/**
 * The schedule at a busy business: 20 people on the team and BENCH_SCHEDULE_JOBS jobs (2,000 by
 * default) in one month, each with a crew of one or two. Times the staff calendar's day, week and
 * month pages through the Worker (session, D1, the object's RPC, rendering: the server's whole
 * time), and booking a weekly series of 52 visits with their reminders. Run with `npm run bench`.
 */
import { env } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import { unwrap } from '../../durable-objects/org/result'
import { orgStub } from '../../src/organizations'
import { Staff } from '../helpers/browserless'
import { api, createOrg } from '../helpers/factories'
import { teammate } from '../helpers/team'
import { type BenchRow, type Stats, stats, timeEach } from './measure'
import { seedOrganization } from './seed'

const JOBS = Number(env.BENCH_SCHEDULE_JOBS ?? 2_000)
const PEOPLE = 20
const SAMPLES = 40
const TZ = 'America/Chicago'

export type ScheduleBench = { jobs: number; people: number; rows: BenchRow[]; seedSeconds: number }

declare module 'vitest' {
  interface TaskMeta {
    benchSchedule?: ScheduleBench
  }
}

/** A deterministic pseudo-random sequence, so every run books the same month. */
function random(seed: number) {
  let s = seed
  return () => {
    s = (s * 1_103_515_245 + 12_345) % 2_147_483_648
    return s / 2_147_483_648
  }
}

describe.skipIf(env.BENCH !== 'on')(`the schedule of ${PEOPLE} people and ${JOBS} jobs a month`, () => {
  it('renders the day, week and month views and books 52-visit series', { timeout: 20 * 60_000 }, async (ctx) => {
    const started = Date.now()
    const org = await createOrg({ organization_name: 'Bench Schedule Co', timezone: TZ })
    // The team: the owner and 19 people who joined through invites.
    for (let i = 1; i < PEOPLE; i++) await teammate(org, { name: `Crew Member ${i}` })
    const team = (await (await api(org, 'GET', '/api/v1/team')).json<{ items: { user_id: string }[] }>()).items
    expect(team).toHaveLength(PEOPLE)
    const stub = orgStub(env, org.organizationId)
    const { clientIds: clients } = await seedOrganization(stub, {
      clientCount: 300,
      jobCount: 0,
      serviceIds: [],
      progress: () => {},
    })
    // One month of work from the 1st of next month, 8:00–17:00 local, in 30-minute steps.
    const month = new Date()
    month.setUTCMonth(month.getUTCMonth() + 1, 1)
    const first = month.toISOString().slice(0, 10)
    const rnd = random(7)
    for (let n = 0; n < JOBS; n++) {
      const day = Math.floor(rnd() * 28)
      const slot = Math.floor(rnd() * 18)
      const start = new Date(`${first}T14:00:00Z`)
      start.setUTCDate(start.getUTCDate() + day)
      start.setUTCMinutes(start.getUTCMinutes() + slot * 30)
      const crew = [team[Math.floor(rnd() * PEOPLE)]!.user_id]
      if (rnd() < 0.3) crew.push(team[Math.floor(rnd() * PEOPLE)]!.user_id)
      unwrap(
        await stub.createJob({
          org_client_id: clients[n % clients.length]!,
          start_at: start.toISOString(),
          end_at: new Date(start.getTime() + 90 * 60_000).toISOString(),
          price_cents: 12_000,
          assigned_to: crew,
        }),
      )
    }
    const seedSeconds = (Date.now() - started) / 1000

    const staff = new Staff()
    await staff.post('/login', { email: org.email, password: org.password })
    const week = new Date(`${first}T12:00:00Z`)
    week.setUTCDate(week.getUTCDate() + 8)
    const date = week.toISOString().slice(0, 10)
    const page = (view: string) => async () => {
      const res = await staff.get(`/app/schedule?view=${view}&date=${date}`)
      expect(res.status).toBe(200)
      await res.text()
    }
    const runs = Array.from({ length: SAMPLES }, (_, i) => i)
    const rows: BenchRow[] = []
    const row = (operation: string, http: Stats, targetMs?: number, note?: string): BenchRow => ({
      operation,
      reps: 1,
      server: null,
      rpc: null,
      http,
      targetMs,
      note,
    })
    const weekBytes = (await (await staff.get(`/app/schedule?view=week&date=${date}`)).text()).length
    rows.push(
      row(
        'week view (time grid)',
        stats(await timeEach(runs, 1, page('week'))),
        15,
        `${(weekBytes / 1024).toFixed(0)} KB of HTML`,
      ),
    )
    rows.push(row('day view (a column per person)', stats(await timeEach(runs, 1, page('day'))), 15))
    rows.push(row('month view', stats(await timeEach(runs, 1, page('month')))))
    const weekRpc = stats(
      await timeEach(runs, 1, () =>
        stub.listJobs({ from: `${date}T00:00:00Z`, to: `${date}T23:59:59Z`, limit: 1000 }).then(() => undefined),
      ),
    )
    rows.push({ ...row("one day's jobs with crews and overlaps (RPC)", weekRpc), http: null, rpc: weekRpc })
    const weekEnd = new Date(Date.parse(`${date}T00:00:00Z`) + 7 * 86_400_000).toISOString()
    const sevenDays = stats(
      await timeEach(runs, 1, () =>
        stub.listJobs({ from: `${date}T00:00:00Z`, to: weekEnd, limit: 1000 }).then(() => undefined),
      ),
    )
    rows.push({ ...row("a week's jobs with crews and overlaps (RPC)", sevenDays), http: null, rpc: sevenDays })

    // A weekly series of 52 visits, each with its reminders and crew, booked in one request.
    const seriesStart = new Date(`${first}T15:00:00Z`)
    seriesStart.setUTCFullYear(seriesStart.getUTCFullYear() + 1)
    const series = stats(
      await timeEach(runs.slice(0, 20), 1, async (i) => {
        const res = await api(org, 'POST', '/api/v1/jobs', {
          org_client_id: clients[i]!,
          start_at: seriesStart.toISOString(),
          end_at: new Date(seriesStart.getTime() + 2 * 3_600_000).toISOString(),
          assigned_to: [team[i % PEOPLE]!.user_id],
          recurrence: { freq: 'weekly', count: 52 },
          notify: false,
        })
        expect(res.status).toBe(201)
      }),
    )
    rows.push(row('book a weekly series of 52 visits (POST /api/v1/jobs)', series, 100))

    const result: ScheduleBench = { jobs: JOBS, people: PEOPLE, rows, seedSeconds }
    ;(ctx.task.meta as { benchSchedule?: ScheduleBench }).benchSchedule = result
    console.log(JSON.stringify(result, null, 2))
  })
})
