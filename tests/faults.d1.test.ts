/**
 * Fault: D1 is unavailable for a booking after the ORG object committed it, first only for the
 * registry's due-time index write, then for everything left of the request. The booking answers
 * 201 with its job (a retry with its Idempotency-Key gets the same job, never a second one), the
 * index heals (the cron's check_schedule sweep, or the object's alarm) and the reminders go out.
 */
import {
  createExecutionContext,
  createScheduledController,
  env,
  runDurableObjectAlarm,
  runInDurableObject,
  waitOnExecutionContext,
} from 'cloudflare:test'
import { describe, expect, it, vi } from 'vitest'
import type { Env } from '../src/env'
import worker from '../src/index'
import { orgStub } from '../src/organizations'
import type { EventMessage } from '../src/queues/messages'
import { api, BASE, createOrg, type TestOrg } from './helpers/factories'
import { faultyD1, figure, patchObjectEnv, QueueRun, recordingQueue } from './helpers/faults'
import { messagesOf, orgWithClient } from './helpers/messaging'

const HOUR = 3_600_000
const MINUTE = 60_000

const indexOf = async (org: TestOrg) =>
  (
    await env.PEOPLE.prepare('select next_due_at from org_schedule where organization_id = ?')
      .bind(org.organizationId)
      .first<{ next_due_at: string }>()
  )?.next_due_at ?? null

/**
 * Breaks D1 for the organization's object: writes to the due-time index fail. `onFailure` runs at
 * the first failure (the object has committed by then). `heal()` gives the object its D1 back.
 */
async function breakIndexWrites(org: TestOrg, onFailure: () => void = () => {}) {
  let failures = 0
  await patchObjectEnv(org, (current) => ({
    ...current,
    PEOPLE: faultyD1(current.PEOPLE, {
      fails: (sql) => {
        if (!/org_schedule/.test(sql)) return false
        failures++
        onFailure()
        return true
      },
    }).binding,
  }))
  return {
    failures: () => failures,
    heal: () => patchObjectEnv(org, (current) => ({ ...current, PEOPLE: env.PEOPLE })),
  }
}

/** A cron tick at `at` whose events are kept for the test to deliver. */
async function tick(at: number) {
  const events = recordingQueue<EventMessage>()
  const ctx = createExecutionContext()
  await (worker as ExportedHandler<Env>).scheduled!(
    createScheduledController({ scheduledTime: at, cron: '* * * * *' }),
    { ...env, EVENTS: events.queue } as Env,
    ctx,
  )
  await waitOnExecutionContext(ctx)
  return events.sent
}

/** Delivers events through the Worker's consumer (the objects' own sends use the real queue). */
async function consume(messages: EventMessage[]) {
  const run = new QueueRun<EventMessage>('homebase-events', () => env as Env, { producer: 'EVENTS' })
  run.add(messages)
  await run.drain()
  return run
}

const book = (org: TestOrg, body: unknown, key: string) =>
  api(org, 'POST', '/api/v1/jobs', body, { 'idempotency-key': key })

describe('D1 failing after the object committed a booking', { timeout: 40_000 }, () => {
  it('the index write fails: 201 with the job, a retry gets the same job, the sweep heals the index and the reminder goes out', async () => {
    const { org, client } = await orgWithClient()
    const start = Math.ceil((Date.now() + 3 * 86_400_000) / MINUTE) * MINUTE
    const body = { org_client_id: client.org_client_id, start_at: new Date(start).toISOString(), notify: false }
    const outage = await breakIndexWrites(org)
    const res = await book(org, body, 'faults-d1-1')
    expect(res.status).toBe(201)
    const { job } = await res.json<{ job: { id: string } }>()
    const replay = await book(org, body, 'faults-d1-1')
    expect(replay.status).toBe(201)
    expect(replay.headers.get('idempotent-replayed')).toBe('true')
    expect((await replay.json<{ job: { id: string } }>()).job.id).toBe(job.id)
    expect(outage.failures()).toBeGreaterThanOrEqual(1)
    expect(await indexOf(org)).toBeNull()
    await outage.heal()

    // The object's alarm retry is gone too (the object moved): only the cron's sweep can heal it.
    await runInDurableObject(orgStub(env, org.organizationId), (_o, state) => state.storage.deleteAlarm())
    await env.PEOPLE.prepare('update organizations set schedule_checked_at = ?').bind(new Date().toISOString()).run()
    await env.PEOPLE.prepare('update organizations set schedule_checked_at = null where id = ?')
      .bind(org.organizationId)
      .run()
    const swept = await tick(Date.now())
    const check = swept.filter((m) => m.type === 'check_schedule' && m.organization_id === org.organizationId)
    expect(check).toHaveLength(1)
    await consume(check)
    const due = start - 24 * HOUR
    expect(await indexOf(org)).toBe(new Date(due).toISOString())

    // The tick of the minute the reminder falls due wakes the organization, and the reminder goes out once.
    const atDue = await tick(due + 1_000)
    const runDue = atDue.filter((m) => m.type === 'run_due' && m.organization_id === org.organizationId)
    expect(runDue).toHaveLength(1)
    const started = Date.now()
    await consume(runDue)
    await vi.waitFor(
      async () => {
        const sent = await messagesOf(org, '?purpose=job_upcoming')
        expect(sent.map((m) => m.status)).toEqual(['sent'])
      },
      { timeout: 15_000, interval: 100 },
    )
    const jobs = await (await api(org, 'GET', '/api/v1/jobs')).json<{ items: Array<{ id: string }> }>()
    expect(jobs.items.map((j) => j.id)).toEqual([job.id])
    figure('d1-index-write-failed', {
      booking_status: res.status,
      retry_status: replay.status,
      jobs: jobs.items.length,
      index_write_failures: outage.failures(),
      healed_by: 'check_schedule sweep (1 tick)',
      reminder_sent_ms_after_due_tick: Date.now() - started,
    })

    // Another business asking for this job: not found.
    const stranger = await createOrg()
    expect((await api(stranger, 'GET', `/api/v1/jobs/${job.id}`)).status).toBe(404)
  })

  it('D1 down for the rest of the request: still 201 with the job, one job, and the alarm heals the index', async () => {
    const { org, client } = await orgWithClient()
    const start = Math.ceil((Date.now() + 4 * 86_400_000) / MINUTE) * MINUTE
    const body = { org_client_id: client.org_client_id, start_at: new Date(start).toISOString(), notify: false }
    // From the object's failed index write on, every D1 call of the Worker fails too.
    let down = false
    const outage = await breakIndexWrites(org, () => {
      down = true
    })
    const workerD1 = faultyD1(env.PEOPLE, { fails: () => true, on: () => down })
    const ctx = createExecutionContext()
    const res = await (worker as ExportedHandler<Env>).fetch!(
      new Request(`${BASE}/api/v1/jobs`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${org.apiKey}`,
          'content-type': 'application/json',
          'idempotency-key': 'faults-d1-2',
        },
        body: JSON.stringify(body),
      }) as Request<unknown, IncomingRequestCfProperties>,
      { ...env, PEOPLE: workerD1.binding } as Env,
      ctx,
    )
    // D1 comes back while the answer is out: the key is kept by a later try, after the answer.
    down = false
    await waitOnExecutionContext(ctx)
    await outage.heal()
    expect(res.status).toBe(201)
    const { job } = await res.json<{ job: { id: string; start_at: string } }>()
    expect(job.start_at).toBe(new Date(start).toISOString())
    expect(workerD1.state.failures).toBeGreaterThanOrEqual(1)
    const jobs = await (await api(org, 'GET', '/api/v1/jobs')).json<{ items: Array<{ id: string }> }>()
    expect(jobs.items.map((j) => j.id)).toEqual([job.id])
    // A retry with the same key gets the same job at once (not 409 while the claim lapses, nor a second job).
    const again = await book(org, body, 'faults-d1-2')
    expect(again.status).toBe(201)
    expect((await again.json<{ job: { id: string } }>()).job.id).toBe(job.id)

    expect(await indexOf(org)).toBeNull()
    expect(await runDurableObjectAlarm(orgStub(env, org.organizationId))).toBe(true)
    expect(await indexOf(org)).toBe(new Date(start - 24 * HOUR).toISOString())
    figure('d1-down-after-commit', {
      booking_status: res.status,
      worker_d1_failures: workerD1.state.failures,
      jobs: jobs.items.length,
      healed_by: 'object alarm',
    })
  })
})
