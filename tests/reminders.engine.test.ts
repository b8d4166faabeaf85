import {
  createExecutionContext,
  createScheduledController,
  env,
  runInDurableObject,
  waitOnExecutionContext,
} from 'cloudflare:test'
import { orgStub } from '../src/organizations'
import { describe, expect, it, vi } from 'vitest'
import type { Env } from '../src/env'
import worker from '../src/index'
import { api } from './helpers/factories'
import { bookJob, decideAt, deliver, messagesOf, orgWithClient, outboxOf, runDueAt } from './helpers/messaging'

const HOUR = 3_600_000

describe('reminders on the clock', () => {
  it('sends the 24 h reminder by SMS once a cron run finds it due, and records it in the outbox', async () => {
    const { org, client, phone } = await orgWithClient()
    const start = new Date(Date.now() + 30 * HOUR).toISOString()
    await bookJob(org, client.org_client_id, start)
    const due = Date.parse(start) - 24 * HOUR
    const schedule = await env.PEOPLE.prepare('select next_due_at from org_schedule where organization_id = ?')
      .bind(org.organizationId)
      .first<{ next_due_at: string }>()
    expect(schedule?.next_due_at).toBe(new Date(due).toISOString())

    // The tick of the minute the reminder falls due: the cron hands its time to the object with run_due.
    const ctx = createExecutionContext()
    await (worker as ExportedHandler<Env>).scheduled!(
      createScheduledController({ scheduledTime: due + 1000, cron: '* * * * *' }),
      env,
      ctx,
    )
    await waitOnExecutionContext(ctx)

    await vi.waitFor(
      async () => {
        const [message] = await messagesOf(org)
        expect(message).toMatchObject({ channel: 'sms', to: phone, status: 'sent', purpose: 'job_upcoming' })
        expect(message!.provider_message_id).toMatch(/^SM[0-9a-f]{32}$/)
        expect(message!.body).toMatch(
          /^Hi Casey, this is Sparkle Cleaning: a reminder of your appointment on .+ Details: https:\/\/homebase\.test\/p\/\S+ Reply STOP to opt out\.$/,
        )
        expect(await outboxOf(message!.id)).toHaveLength(1)
      },
      { timeout: 8000, interval: 200 },
    )
    const reminders = await (await api(org, 'GET', '/api/v1/reminders?status=sent')).json<{ items: unknown[] }>()
    expect(reminders.items).toHaveLength(1)
  })

  it('answers the seed name /functions/v1/reminder-scheduler with the counts', async () => {
    const { org, client } = await orgWithClient()
    await bookJob(org, client.org_client_id, new Date(Date.now() + 3 * HOUR).toISOString())
    // The clock moves past the 2-hour reminder's time (the seed's scheduler runs at the real "now").
    await runInDurableObject(orgStub(env, org.organizationId), (_o, state) => {
      state.storage.sql.exec(
        'update reminders set send_at = ? where send_at > ?',
        new Date(Date.now() - 60_000).toISOString(),
        new Date(Date.now() + 30 * 60_000).toISOString(),
      )
    })
    const res = await api(org, 'POST', '/functions/v1/reminder-scheduler', {})
    expect(await res.json()).toEqual({ sent: 1, skipped: 0, deferred: 0 })
    expect(await (await api(org, 'POST', '/functions/v1/reminder-scheduler', {})).json()).toEqual({
      sent: 0,
      skipped: 0,
      deferred: 0,
    })
  })

  it('claims a due reminder once even when two runs overlap, and a redelivered send is not sent twice', async () => {
    const { org, client } = await orgWithClient()
    await bookJob(org, client.org_client_id, '2030-06-10T19:00:00Z')
    const at = new Date('2030-06-09T19:05:00Z')
    const [a, b] = await Promise.all([decideAt(org, at), decideAt(org, at)])
    expect(a.sent + b.sent).toBe(1)
    const [message] = await messagesOf(org)
    const first = await deliver(org, [message!.id])
    const again = await deliver(org, [message!.id], 2)
    expect(first.explicitAcks).toHaveLength(1)
    expect(again.explicitAcks).toHaveLength(1)
    expect(await outboxOf(message!.id)).toHaveLength(1)
    expect((await messagesOf(org)).filter((m) => m.status === 'sent')).toHaveLength(1)
  })

  it('falls back to email for a client who opted out of SMS, and logs why SMS was skipped', async () => {
    const { org, client, email } = await orgWithClient()
    const res = await api(org, 'POST', `/api/v1/clients/${client.org_client_id}/consents`, {
      sms_opt_in: false,
      reason: 'Asked on the phone',
    })
    expect(await res.json()).toMatchObject({ consents: { sms_opt_in: false, email_opt_in: true } })
    await bookJob(org, client.org_client_id, '2030-06-10T19:00:00Z')
    expect(await runDueAt(org, new Date('2030-06-09T19:00:30Z'))).toEqual({ sent: 1, skipped: 1, deferred: 0 })
    const log = await messagesOf(org)
    expect(log.find((m) => m.channel === 'sms')).toMatchObject({ status: 'skipped', reason: 'opted_out' })
    expect(log.find((m) => m.channel === 'email')).toMatchObject({
      status: 'queued',
      to: email,
      subject: expect.stringContaining('Sparkle Cleaning'),
    })
  })

  it('skips with a reason when the client cannot be reached at all', async () => {
    const { org, client } = await orgWithClient({ phone: null, email: null })
    await bookJob(org, client.org_client_id, '2030-06-10T19:00:00Z')
    expect(await runDueAt(org, new Date('2030-06-09T19:00:30Z'))).toMatchObject({ sent: 0, skipped: 2 })
    expect((await messagesOf(org)).map((m) => m.reason).sort()).toEqual(['no_email', 'no_phone'])
    const skipped = await (await api(org, 'GET', '/api/v1/reminders?status=skipped')).json<{
      items: Array<{ reason: string }>
    }>()
    expect(skipped.items[0]!.reason).toBe('sms: no_phone; email: no_email')
  })

  it('defers a reminder due at night to the morning, on the recipient clock', async () => {
    const { org, client } = await orgWithClient({ quiet: { start: '21:00', end: '08:00' } })
    // Job at 2030-06-11 06:30 PDT: its 24 h and 2 h reminders fall at 06:30 and 04:30 PDT, both quiet.
    await bookJob(org, client.org_client_id, '2030-06-11T13:30:00Z')
    expect(await runDueAt(org, new Date('2030-06-10T13:30:30Z'))).toEqual({ deferred: 1, sent: 0, skipped: 0 })
    const deferred = (await messagesOf(org, '?status=deferred'))[0]!
    expect(Date.parse(deferred.send_after!)).toBeGreaterThanOrEqual(Date.parse('2030-06-10T15:00:00Z'))
    expect(Date.parse(deferred.send_after!)).toBeLessThan(Date.parse('2030-06-10T15:05:00Z'))
    expect(await runDueAt(org, new Date('2030-06-10T14:59:00Z'))).toMatchObject({ sent: 0 })
    expect(await runDueAt(org, new Date('2030-06-10T15:06:00Z'))).toMatchObject({ sent: 1 })
    expect((await messagesOf(org)).find((m) => m.id === deferred.id)!.status).toBe('queued')
  })

  it('defers the 2 h reminder of an early-morning job to 08:00 the same day', async () => {
    const { org, client } = await orgWithClient({ quiet: { start: '21:00', end: '08:00' } })
    await bookJob(org, client.org_client_id, '2030-06-11T13:30:00Z')
    await runDueAt(org, new Date('2030-06-10T15:06:00Z'))
    expect(await runDueAt(org, new Date('2030-06-11T11:30:30Z'))).toMatchObject({ deferred: 1, sent: 0 })
    const deferred = (await messagesOf(org, '?status=deferred'))[0]!
    expect(Date.parse(deferred.send_after!)).toBeGreaterThanOrEqual(Date.parse('2030-06-11T15:00:00Z'))
    expect(Date.parse(deferred.send_after!)).toBeLessThan(Date.parse('2030-06-11T15:05:00Z'))
    expect(await runDueAt(org, new Date('2030-06-11T14:59:00Z'))).toMatchObject({ sent: 0 })
    expect(await runDueAt(org, new Date('2030-06-11T15:06:00Z'))).toMatchObject({ sent: 1 })
    expect((await messagesOf(org)).find((m) => m.id === deferred.id)!.status).toBe('queued')
  })

  it('defers correctly on the day the clocks spring forward', async () => {
    const { org, client } = await orgWithClient({ quiet: { start: '21:00', end: '08:00' } })
    // 2030-03-10 is the US spring-forward day; 08:00 PDT that day is 15:00 UTC.
    await bookJob(org, client.org_client_id, '2030-03-10T12:00:00Z')
    await runDueAt(org, new Date('2030-03-10T10:00:30Z'))
    const deferred = (await messagesOf(org, '?status=deferred'))[0]!
    expect(Date.parse(deferred.send_after!)).toBeGreaterThanOrEqual(Date.parse('2030-03-10T15:00:00Z'))
    expect(Date.parse(deferred.send_after!)).toBeLessThan(Date.parse('2030-03-10T15:05:00Z'))
  })

  it('skips a deferred reminder whose job moved or was cancelled in the meantime', async () => {
    const { org, client } = await orgWithClient({ quiet: { start: '21:00', end: '08:00' } })
    const job = await bookJob(org, client.org_client_id, '2030-06-11T13:30:00Z')
    await runDueAt(org, new Date('2030-06-11T11:30:30Z'))
    await api(org, 'PATCH', `/api/v1/jobs/${job.id}`, { start_at: '2030-06-12T20:00:00Z' })
    await runDueAt(org, new Date('2030-06-11T15:10:00Z'))
    const log = await messagesOf(org)
    expect(log.find((m) => m.reason === 'job_moved')).toBeDefined()
    const pending = await (await api(org, 'GET', '/api/v1/reminders?status=pending')).json<{
      items: Array<{ send_at: string }>
    }>()
    expect(pending.items.map((r) => r.send_at)).toEqual(['2030-06-11T20:00:00.000Z', '2030-06-12T18:00:00.000Z'])
  })
})

describe('providers', () => {
  const twilio = { SMS_PROVIDER: 'twilio' }

  it('retries a Twilio 500 and records the SID of the attempt that succeeds', async () => {
    const { org, client, phone } = await orgWithClient()
    await bookJob(org, client.org_client_id, '2030-06-10T19:00:00Z')
    await decideAt(org, new Date('2030-06-09T19:00:30Z'))
    const [message] = await messagesOf(org)
    const fetchSpy = vi.spyOn(globalThis, 'fetch')
    fetchSpy.mockResolvedValueOnce(
      new Response(JSON.stringify({ code: 20500, message: 'Internal Server Error', status: 500 }), {
        status: 500,
        headers: { 'content-type': 'application/json' },
      }),
    )
    const failed = await deliver(org, [message!.id], 1, twilio)
    expect(failed.retryMessages).toHaveLength(1)
    expect((await messagesOf(org))[0]).toMatchObject({ status: 'queued', attempts: 1 })

    fetchSpy.mockResolvedValueOnce(
      new Response(JSON.stringify({ sid: 'SM0123456789abcdef0123456789abcdef', status: 'queued', to: phone }), {
        status: 201,
        headers: { 'content-type': 'application/json' },
      }),
    )
    const ok = await deliver(org, [message!.id], 2, twilio)
    expect(ok.explicitAcks).toHaveLength(1)
    const [, init] = fetchSpy.mock.calls[1]!
    expect(String(fetchSpy.mock.calls[1]![0])).toBe(
      `https://api.twilio.com/2010-04-01/Accounts/${env.TWILIO_ACCOUNT_SID}/Messages.json`,
    )
    const form = new URLSearchParams(String(init!.body))
    expect(form.get('To')).toBe(phone)
    expect(form.get('From')).toBe(env.TWILIO_FROM_NUMBER)
    expect(new Headers(init!.headers).get('authorization')).toBe(
      `Basic ${btoa(`${env.TWILIO_ACCOUNT_SID}:${env.TWILIO_AUTH_TOKEN}`)}`,
    )
    expect((await messagesOf(org))[0]).toMatchObject({
      status: 'sent',
      provider_message_id: 'SM0123456789abcdef0123456789abcdef',
      attempts: 2,
    })
    fetchSpy.mockRestore()
  })

  it('fails a message at once on a permanent Twilio error and does not retry it', async () => {
    const { org, client } = await orgWithClient()
    await bookJob(org, client.org_client_id, '2030-06-10T19:00:00Z')
    await decideAt(org, new Date('2030-06-09T19:00:30Z'))
    const [message] = await messagesOf(org)
    const fetchSpy = vi
      .spyOn(globalThis, 'fetch')
      .mockResolvedValueOnce(
        new Response(
          JSON.stringify({ code: 21610, message: 'Attempt to send to unsubscribed recipient', status: 400 }),
          { status: 400 },
        ),
      )
    const result = await deliver(org, [message!.id], 1, twilio)
    expect(result.explicitAcks).toHaveLength(1)
    expect(result.retryMessages).toHaveLength(0)
    expect((await messagesOf(org))[0]).toMatchObject({ status: 'failed', reason: expect.stringContaining('21610') })
    expect((await deliver(org, [message!.id], 2, twilio)).explicitAcks).toHaveLength(1)
    expect(fetchSpy).toHaveBeenCalledTimes(1)
    fetchSpy.mockRestore()
  })

  it('marks a message failed on the last retry, and "retry" puts it back in line', async () => {
    const { org, client } = await orgWithClient()
    await bookJob(org, client.org_client_id, '2030-06-10T19:00:00Z')
    await decideAt(org, new Date('2030-06-09T19:00:30Z'))
    const [message] = await messagesOf(org)
    const fetchSpy = vi.spyOn(globalThis, 'fetch').mockResolvedValue(new Response('upstream down', { status: 503 }))
    const last = await deliver(org, [message!.id], 6, twilio)
    expect(last.retryMessages).toHaveLength(1)
    expect((await messagesOf(org))[0]!.status).toBe('failed')
    fetchSpy.mockRestore()
    const retried = await api(org, 'POST', `/api/v1/messages/${message!.id}/retry`)
    expect(retried.status).toBe(202)
    await vi.waitFor(async () => expect((await messagesOf(org))[0]!.status).toBe('sent'), {
      timeout: 8000,
      interval: 200,
    })
  })

  it('sends email through Resend with the message id as Idempotency-Key', async () => {
    const { org, client, email } = await orgWithClient({ phone: null })
    await bookJob(org, client.org_client_id, '2030-06-10T19:00:00Z')
    await decideAt(org, new Date('2030-06-09T19:00:30Z'))
    const message = (await messagesOf(org)).find((m) => m.channel === 'email')!
    const fetchSpy = vi
      .spyOn(globalThis, 'fetch')
      .mockResolvedValueOnce(
        new Response(JSON.stringify({ id: '49a3999c-0ce1-4ea6-ab68-afcd6dc2e794' }), { status: 200 }),
      )
    await deliver(org, [message.id], 1, { EMAIL_PROVIDER: 'resend', RESEND_API_KEY: 're_test_123' })
    const [url, init] = fetchSpy.mock.calls[0]!
    expect(String(url)).toBe('https://api.resend.com/emails')
    const headers = new Headers(init!.headers)
    expect(headers.get('authorization')).toBe('Bearer re_test_123')
    expect(headers.get('idempotency-key')).toBe(message.id)
    const body = JSON.parse(String(init!.body)) as {
      to: string[]
      subject: string
      html: string
      headers: Record<string, string>
    }
    expect(body.to).toEqual([email])
    expect(body.html).toContain('<a href="https://homebase.test/p/')
    expect(body.headers).toEqual({}) // reminders are transactional: no List-Unsubscribe
    expect((await messagesOf(org)).find((m) => m.id === message.id)).toMatchObject({
      status: 'sent',
      provider_message_id: '49a3999c-0ce1-4ea6-ab68-afcd6dc2e794',
    })
    fetchSpy.mockRestore()
  })
})
