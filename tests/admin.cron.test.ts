import { createExecutionContext, createScheduledController, env, waitOnExecutionContext } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import { runCronTick } from '../src/cron'
import type { Env } from '../src/env'
import worker from '../src/index'
import { createOrg } from './helpers/factories'
import { orgMetricsOf, until } from './helpers/platform'

const dayRow = (day: string) =>
  env.PEOPLE.prepare('select * from platform_metrics where day = ?').bind(day).first<{ computed_at: string }>()

describe('the daily metrics run from the minute cron', () => {
  it('starts once a day, on the first tick at or after 03:00 UTC, even when ticks overlap', async () => {
    const org = await createOrg()
    expect((await runCronTick(env, new Date('2024-03-01T02:59:00Z'))).metrics).toBeNull()
    expect(await dayRow('2024-03-01')).toBeNull()

    // Two ticks running at once (a slow one overlapping the next): exactly one starts the run.
    const [a, b] = await Promise.all([
      runCronTick(env, new Date('2024-03-01T03:00:00Z')),
      runCronTick(env, new Date('2024-03-01T03:00:30Z')),
    ])
    const started = [a.metrics, b.metrics].filter((m) => m !== null)
    expect(started).toHaveLength(1)
    expect(started[0]!.organizations).toBeGreaterThanOrEqual(1)
    const at = started[0]!.started_at
    expect((await dayRow('2024-03-01'))!.computed_at).toBe(at)

    // Later ticks that day do nothing; the queue's consumer has computed the business as of the run.
    for (const time of ['2024-03-01T03:01:00Z', '2024-03-01T13:00:00Z', '2024-03-01T23:59:00Z'])
      expect((await runCronTick(env, new Date(time))).metrics, time).toBeNull()
    await until(async () => (await orgMetricsOf(org.organizationId))?.computed_at === at)
    expect((await dayRow('2024-03-01'))!.computed_at).toBe(at)

    // The next day runs again, once.
    expect((await runCronTick(env, new Date('2024-03-02T01:00:00Z'))).metrics).toBeNull()
    const next = (await runCronTick(env, new Date('2024-03-02T03:04:00Z'))).metrics
    expect(next?.day).toBe('2024-03-02')
    expect((await runCronTick(env, new Date('2024-03-02T03:05:00Z'))).metrics).toBeNull()
  })

  it('still runs the daily job on a day an operator recomputed before 03:00', async () => {
    await createOrg()
    // "Recompute now" at 01:30 wrote the day's row early.
    await env.PEOPLE.prepare(
      "insert into platform_metrics (day, organizations, active_subscriptions, mrr_cents, churned_30d, signups_30d, computed_at) values ('2024-04-01', 1, 0, 0, 0, 0, '2024-04-01T01:30:00.000Z')",
    ).run()
    const run = (await runCronTick(env, new Date('2024-04-01T03:00:00Z'))).metrics
    expect(run?.started_at).toBe('2024-04-01T03:00:00.000Z')
    expect((await dayRow('2024-04-01'))!.computed_at).toBe('2024-04-01T03:00:00.000Z')
  })

  it("runs from the Worker's scheduled handler", async () => {
    await createOrg()
    const ctx = createExecutionContext()
    await (worker as ExportedHandler<Env>).scheduled!(
      createScheduledController({ scheduledTime: Date.parse('2024-05-01T03:00:00Z'), cron: '* * * * *' }),
      env,
      ctx,
    )
    await waitOnExecutionContext(ctx)
    expect((await dayRow('2024-05-01'))!.computed_at).toBe('2024-05-01T03:00:00.000Z')
  })
})
