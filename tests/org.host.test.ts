/**
 * The ORG object's host: its clock decides what is due, and its one write helper keeps the
 * registry's due-time index in step (and rolls back an expected failure).
 */
import { env, runInDurableObject } from 'cloudflare:test'
import { eq, sql } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import type { OrgHost } from '../durable-objects/org/host'
import type { OrgObject } from '../durable-objects/org/org-object'
import { reminders } from '../durable-objects/org/schema'
import { notFound } from '../src/errors'
import { orgStub } from '../src/organizations'
import { api, type TestOrg } from './helpers/factories'
import { bookJob, messagesOf, orgWithClient } from './helpers/messaging'

const HOUR = 3_600_000

/** Runs `fn` with the organization's object's host (the object's internals, as only a test reaches them). */
function withHost<T>(org: TestOrg, fn: (host: OrgHost) => T | Promise<T>) {
  return runInDurableObject(orgStub(env, org.organizationId), (instance) => fn((instance as OrgObject)['host']))
}

const scheduleOf = async (org: TestOrg) =>
  (
    await env.PEOPLE.prepare('select next_due_at from org_schedule where organization_id = ?')
      .bind(org.organizationId)
      .first<{ next_due_at: string }>()
  )?.next_due_at ?? null

describe("the object's clock", () => {
  it('decides nothing before a reminder is due, and sends it once the clock is moved past its time', async () => {
    const { org, client } = await orgWithClient()
    const start = Date.now() + 3 * 24 * HOUR
    await bookJob(org, client.org_client_id, new Date(start).toISOString())
    const stub = orgStub(env, org.organizationId)

    expect(await stub.runDueWork()).toEqual({ sent: 0, skipped: 0, deferred: 0 })
    expect(await messagesOf(org)).toEqual([])

    const moved = new Date(start - 24 * HOUR + 60_000)
    await withHost(org, (host) => host.clock.set(moved))
    expect(await stub.runDueWork()).toEqual({ sent: 1, skipped: 0, deferred: 0 })
    const [message] = await messagesOf(org)
    expect(message).toMatchObject({ channel: 'sms', purpose: 'job_upcoming' })
    // The 2-hour reminder is still ahead of the object's clock: the index points at it.
    expect(await scheduleOf(org)).toBe(new Date(start - 2 * HOUR).toISOString())
  })

  it("lets a cron tick ahead of the object's clock decide, and otherwise decides by the object's clock", async () => {
    const { org, client } = await orgWithClient()
    const start = Date.now() + 3 * 24 * HOUR
    await bookJob(org, client.org_client_id, new Date(start).toISOString())
    const stub = orgStub(env, org.organizationId)

    expect(await stub.runDueWorkForTick(new Date(start - 25 * HOUR).toISOString())).toEqual({
      sent: 0,
      skipped: 0,
      deferred: 0,
    })
    await withHost(org, (host) => host.clock.set(new Date(start - 23 * HOUR)))
    // A tick behind the object's clock is not "now": the object's clock is.
    expect(await stub.runDueWorkForTick(new Date(start - 48 * HOUR).toISOString())).toEqual({
      sent: 1,
      skipped: 0,
      deferred: 0,
    })
  })
})

describe('the one write helper', () => {
  it('moves the due-time index when a write adds earlier due work, and leaves it when a write fails', async () => {
    const { org, client } = await orgWithClient()
    const start = Date.now() + 3 * 24 * HOUR
    const job = await bookJob(org, client.org_client_id, new Date(start).toISOString())
    expect(await scheduleOf(org)).toBe(new Date(start - 24 * HOUR).toISOString())

    const earlier = new Date(start - 30 * HOUR).toISOString()
    const failed = await withHost(org, (host) =>
      host.write(() => {
        host.db.update(reminders).set({ sendAt: earlier }).where(eq(reminders.jobId, job.id)).run()
        throw notFound('job')
      }),
    )
    expect(failed).toMatchObject({ ok: false, error: { status: 404 } })
    expect(await scheduleOf(org)).toBe(new Date(start - 24 * HOUR).toISOString())

    const done = await withHost(org, (host) =>
      host.write(() => host.db.update(reminders).set({ sendAt: earlier }).where(eq(reminders.jobId, job.id)).run()),
    )
    expect(done.ok).toBe(true)
    expect(await scheduleOf(org)).toBe(earlier)
  })

  it('re-reads the next due time only after a write that could move it', async () => {
    const { org, client } = await orgWithClient()
    const start = Date.now() + 3 * 24 * HOUR
    const version = () =>
      withHost(org, (host) => host.db.get<{ n: number }>(sql`select n from due_version where id = 1`)!.n)
    const before = await version()
    await bookJob(org, client.org_client_id, new Date(start).toISOString())
    expect(await version()).toBeGreaterThan(before)
    expect(await scheduleOf(org)).toBe(new Date(start - 24 * HOUR).toISOString())

    // A template, a service, a sent message's status: nothing that decides a due time, so no re-read.
    const booked = await version()
    expect(
      (await api(org, 'PUT', '/api/v1/templates/job_upcoming/sms', { body: 'See you {{job_time}}.' })).status,
    ).toBe(200)
    expect((await api(org, 'POST', '/api/v1/services', { name: 'Deep clean', price_cents: 20000 })).status).toBe(201)
    expect(await version()).toBe(booked)

    // The index is trusted only while the count stands: a change made behind the helper's back is
    // still found by the next write that could move the time.
    const earlier = new Date(start - 30 * HOUR).toISOString()
    await withHost(org, (host) =>
      host.db
        .update(reminders)
        .set({ sendAt: earlier })
        .where(eq(reminders.sendAt, new Date(start - 24 * HOUR).toISOString()))
        .run(),
    )
    expect(await version()).toBe(booked + 1)
    await withHost(org, (host) => host.write(() => null))
    expect(await scheduleOf(org)).toBe(earlier)
  })
})
