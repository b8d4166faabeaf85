/**
 * A cron tick overlapping in-flight work, as it does every minute at load: one tick decides a
 * burst of reminders, the next tick comes while their sends are still going out (with more due
 * work of its own), and a CSV import is posted on top. The import must finish and every
 * reminder go out exactly once, through the real queues.
 */
import { createExecutionContext, createScheduledController, env, SELF, waitOnExecutionContext } from 'cloudflare:test'
import { describe, expect, it, vi } from 'vitest'
import type { Env } from '../src/env'
import worker from '../src/index'
import { api, BASE, createOrg, type TestOrg } from './helpers/factories'

const ORGS = 6
const JOBS_PER_TICK = 10
/** Each job has two reminders (24 h and 2 h before); as of these ticks both are due. */
const REMINDERS = 2 * 2 * JOBS_PER_TICK
const MINUTE = 60_000

async function tick(at: number) {
  const ctx = createExecutionContext()
  await (worker as ExportedHandler<Env>).scheduled!(
    createScheduledController({ scheduledTime: at, cron: '* * * * *' }),
    env,
    ctx,
  )
  await waitOnExecutionContext(ctx)
}

async function businessWithJobs(i: number, firstDue: number): Promise<TestOrg> {
  const org = await createOrg({ timezone: 'America/Los_Angeles' })
  await api(org, 'PATCH', '/api/v1/organization', { quiet_hours: { start: '00:00', end: '00:00' } })
  // Half the jobs' 2-hour reminders fall due at the first tick, half at the next one.
  for (let j = 0; j < 2 * JOBS_PER_TICK; j++) {
    const start = new Date(firstDue + 2 * 3600_000 + (j % 2) * MINUTE).toISOString()
    const res = await api(org, 'POST', '/api/v1/jobs', {
      client: { first_name: `C${j}`, phone: `+1212${300 + i}${String(1000 + j)}` },
      start_at: start,
    })
    if (res.status !== 201) throw new Error(`job: ${res.status} ${await res.text()}`)
  }
  return org
}

const sentReminders = async (org: TestOrg) =>
  (
    await (
      await api(org, 'GET', '/api/v1/messages?purpose=job_upcoming&limit=500')
    ).json<{ items: Array<{ id: string; status: string }> }>()
  ).items

describe('a cron tick overlapping in-flight sends, then an import', { timeout: 120_000 }, () => {
  it('finishes the import and sends every reminder exactly once', async () => {
    // Two days out, so nothing else in this file's storage is due at these ticks.
    const firstDue = Math.ceil((Date.now() + 2 * 86_400_000) / MINUTE) * MINUTE
    const orgs = await Promise.all(Array.from({ length: ORGS }, (_, i) => businessWithJobs(i, firstDue)))

    await tick(firstDue)
    // The next minute's tick while the first tick's sends are on their way.
    await vi.waitFor(async () => expect((await sentReminders(orgs[0]!)).length).toBeGreaterThan(0), {
      timeout: 30_000,
      interval: 50,
    })
    await tick(firstDue + MINUTE)

    const csv = [
      'first_name,last_name,email',
      ...Array.from({ length: 1_000 }, (_, r) => `Ima${r},Porter,ima${r}@overlap.example`),
    ].join('\n')
    const posted = await SELF.fetch(`${BASE}/api/v1/clients/import`, {
      method: 'POST',
      headers: { authorization: `Bearer ${orgs[1]!.apiKey}`, 'content-type': 'text/csv' },
      body: csv,
    })
    expect(posted.status).toBe(202)
    const { import_id } = await posted.json<{ import_id: string }>()

    const state = await vi.waitFor(
      async () => {
        const s = await (await api(orgs[1]!, 'GET', `/api/v1/imports/${import_id}`)).json<{
          status: string
          done: number
          created: number
        }>()
        expect(s.status).toBe('done')
        return s
      },
      { timeout: 60_000, interval: 200 },
    )
    expect(state).toMatchObject({ done: 1_000, created: 1_000 })

    const ids: string[] = []
    for (const org of orgs) {
      await vi.waitFor(
        async () => {
          const reminders = await sentReminders(org)
          expect(reminders).toHaveLength(REMINDERS)
          expect(reminders.every((m) => m.status === 'sent')).toBe(true)
        },
        { timeout: 60_000, interval: 200 },
      )
      ids.push(...(await sentReminders(org)).map((m) => m.id))
    }
    // Each reminder reached the outbox once: the overlapping tick decided nothing twice.
    const rows = await env.PEOPLE.prepare(
      'select message_id, count(*) as n from outbox where message_id in (select value from json_each(?)) group by message_id',
    )
      .bind(JSON.stringify(ids))
      .all<{ message_id: string; n: number }>()
    expect(rows.results).toHaveLength(ORGS * REMINDERS)
    expect(rows.results.every((r) => r.n === 1)).toBe(true)
  })
})
