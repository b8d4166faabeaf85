// Over 300 lines on purpose: one describe per kind of work a queue or a webhook can hand over twice (texts, import rows, CRM webhooks, Stripe payments), sharing the hand-run queue.
/**
 * Fault: a queue delivering every message again (after the first delivery was acked, and at the
 * same time as it), and webhook requests arriving twice. No text is sent twice, no import row
 * imported twice, no CRM webhook applied twice, no payment recorded twice.
 */
import { createExecutionContext, env, waitOnExecutionContext } from 'cloudflare:test'
import { afterEach, describe, expect, it } from 'vitest'
import type { Env } from '../src/env'
import worker from '../src/index'
import type { EventMessage, ImportRowsMessage } from '../src/queues/messages'
import type { SendMessage } from '../src/queues/sends'
import { api, BASE, createClient, createOrg, unique, type TestOrg } from './helpers/factories'
import {
  businessWithDueTexts,
  figure,
  nextPhone,
  QueueRun,
  recordingQueue,
  sendBodies,
  twilio,
  twilioEnv,
} from './helpers/faults'
import { decideAt, messagesOf } from './helpers/messaging'
import {
  captureQueue,
  connectWithSecret,
  deliver,
  housecallProHeaders,
  receiptsOf,
  stripeSignature,
} from './helpers/webhooks'

const MINUTE = 60_000
const TEXTS = 8

let restore = () => {}
afterEach(() => restore())

/** Texts decided and waiting for the sends queue. */
async function decidedTexts(count: number) {
  const dueAt = Math.ceil((Date.now() + 2 * 86_400_000) / MINUTE) * MINUTE
  const { org, phones } = await businessWithDueTexts(count, dueAt)
  const decided = await decideAt(org, new Date(dueAt + 30_000))
  expect(decided.queued).toHaveLength(count)
  return { org, phones, ids: decided.queued }
}

describe('the sends queue delivering every message twice', { timeout: 30_000 }, () => {
  it('one after the other: each client is texted once and the log says sent once', async () => {
    const { org, phones, ids } = await decidedTexts(TEXTS)
    const provider = twilio()
    restore = provider.restore
    const run = new QueueRun<SendMessage>('homebase-sends', twilioEnv, { producer: 'SENDS' })
    run.add(sendBodies(org, ids))
    await run.drain()
    run.add(sendBodies(org, ids))
    await run.drain()
    for (const phone of phones) expect(provider.accepted(phone)).toBe(1)
    expect(run.log.filter((l) => l.outcome === 'ack')).toHaveLength(2 * TEXTS)
    const log = await messagesOf(org, '?purpose=job_upcoming')
    expect(log.map((m) => [m.status, m.attempts])).toEqual(Array(TEXTS).fill(['sent', 1]))
    figure('redelivered-sends-sequential', {
      texts: TEXTS,
      deliveries: run.log.length,
      provider_calls: provider.calls.length,
    })
  })

  it('twice within one batch: each client is texted once', async () => {
    const { org, phones, ids } = await decidedTexts(TEXTS)
    const provider = twilio()
    restore = provider.restore
    const run = new QueueRun<SendMessage>('homebase-sends', twilioEnv, { producer: 'SENDS' })
    run.add([...sendBodies(org, ids), ...sendBodies(org, ids)])
    await run.drain()
    for (const phone of phones) expect(provider.accepted(phone)).toBe(1)
    figure('redelivered-sends-same-batch', {
      texts: TEXTS,
      deliveries: run.log.length,
      provider_calls: provider.calls.length,
    })
  })

  // A consumer's claim holds its messages until their outcomes are recorded: a second claim meanwhile sends nothing.
  it('at the same time, in two consumers: each client is texted once', async () => {
    const { org, phones, ids } = await decidedTexts(TEXTS)
    // Twilio takes 200 ms to answer, so the second consumer claims while the first waits on it.
    const provider = twilio(() => new Promise<undefined>((resolve) => setTimeout(resolve, 200)))
    restore = provider.restore
    const run = new QueueRun<SendMessage>('homebase-sends', twilioEnv, { producer: 'SENDS' })
    run.add(sendBodies(org, ids))
    await run.duplicate(2)
    await run.drain()
    figure('redelivered-sends-concurrent', {
      texts: TEXTS,
      provider_calls: provider.calls.length,
      accepted_per_number_max: Math.max(...phones.map((p) => provider.accepted(p))),
    })
    for (const phone of phones) expect(provider.accepted(phone)).toBe(1)
  })
})

type ImportState = { status: string; total: number; done: number; failed: number; created: number }

/** Posts a CSV through the Worker with the imports queue kept, so the test delivers it. */
async function postImport(org: TestOrg, csv: string) {
  const imports = recordingQueue<ImportRowsMessage>()
  const ctx = createExecutionContext()
  const res = await (worker as ExportedHandler<Env>).fetch!(
    new Request(`${BASE}/api/v1/clients/import`, {
      method: 'POST',
      headers: { authorization: `Bearer ${org.apiKey}`, 'content-type': 'text/csv' },
      body: csv,
    }) as Request<unknown, IncomingRequestCfProperties>,
    { ...env, IMPORTS: imports.queue } as Env,
    ctx,
  )
  await waitOnExecutionContext(ctx)
  expect(res.status).toBe(202)
  return { importId: (await res.json<{ import_id: string }>()).import_id, messages: imports.sent }
}

describe('the imports queue delivering every batch twice', { timeout: 40_000 }, () => {
  const ROWS = 180
  const csv = (tag: string) =>
    [
      'first_name,last_name,email,phone',
      ...Array.from({ length: ROWS }, (_, r) => `Ima${r},Porter,ima${r}-${tag}@redelivery.example,${nextPhone()}`),
    ].join('\n')

  async function importTwice(
    deliverTwice: (run: QueueRun<ImportRowsMessage>, m: ImportRowsMessage[]) => Promise<void>,
  ) {
    const org = await createOrg()
    const { importId, messages } = await postImport(org, csv(unique()))
    expect(messages.length).toBeGreaterThan(1)
    const run = new QueueRun<ImportRowsMessage>('homebase-imports', () => env as Env, { batchSize: 20 })
    await deliverTwice(run, messages)
    const state = await (await api(org, 'GET', `/api/v1/imports/${importId}`)).json<ImportState>()
    const clients = await (await api(org, 'GET', '/api/v1/clients?limit=200')).json<{ items: unknown[] }>()
    return { org, state, clients: clients.items.length, batches: messages.length, run }
  }

  it('after the first was acked, within one batch, and at the same time: every row once', async () => {
    const ways: Record<string, (run: QueueRun<ImportRowsMessage>, m: ImportRowsMessage[]) => Promise<void>> = {
      sequential: async (run, m) => {
        run.add(m)
        await run.drain()
        run.add(m)
        await run.drain()
      },
      same_batch: async (run, m) => {
        run.add([...m, ...m])
        await run.drain()
      },
      concurrent: async (run, m) => {
        run.add(m)
        await run.duplicate(2)
        await run.drain()
      },
    }
    const figures: Record<string, unknown> = { rows: ROWS }
    for (const [way, twice] of Object.entries(ways)) {
      const { state, clients, batches, run } = await importTwice(twice)
      expect(state, way).toMatchObject({ status: 'done', total: ROWS, done: ROWS, failed: 0, created: ROWS })
      expect(clients, way).toBe(ROWS)
      expect(run.dead, way).toEqual([])
      figures[way] = { batches, deliveries: run.log.length, clients, created: state.created }
    }
    figure('redelivered-import-rows', figures)
  })
})

describe('CRM webhooks twice: the same request, and its queue message', { timeout: 30_000 }, () => {
  const SECRET = 'hcp-faults-secret-1'

  it('a Housecall Pro job posted twice and its crm_webhook delivered twice books one job for one client', async () => {
    const org = await createOrg()
    const connection = await connectWithSecret(org, 'housecallpro', SECRET)
    const queue = captureQueue()
    restore = queue.restore
    const customer = {
      id: `cus_${unique()}`,
      first_name: 'Dana',
      last_name: 'Reyes',
      email: `dana-${unique()}@example.com`,
      mobile_number: nextPhone(),
      home_number: null,
      work_number: null,
      company: null,
      updated_at: '2026-03-01T09:00:00Z',
    }
    const job = (id: string) => ({
      id,
      invoice_number: '1001',
      description: 'Window cleaning',
      work_status: 'scheduled',
      customer,
      address: { street: '9 Elm St', street_line_2: null, city: 'Oakland', state: 'CA', zip: '94607', country: 'US' },
      schedule: { scheduled_start: '2030-03-10T16:00:00Z', scheduled_end: '2030-03-10T18:00:00Z' },
      work_timestamps: { on_my_way_at: null, started_at: null, completed_at: null },
      total_amount: 18000,
      outstanding_balance: 18000,
      updated_at: '2030-03-01T09:00:00Z',
    })
    const answers: unknown[] = []
    for (const id of ['job_1', 'job_2']) {
      const body = JSON.stringify({ event: 'job.created', job: job(id) })
      const headers = await housecallProHeaders(body, SECRET)
      // The same signed request twice, once after the other and then twice at once.
      for (const _ of [1, 2])
        answers.push(await (await deliver(`/webhooks/housecallpro/${connection}`, body, headers)).json())
      const both = await Promise.all([1, 2].map(() => deliver(`/webhooks/housecallpro/${connection}`, body, headers)))
      for (const res of both) {
        expect(res.status).toBe(200)
        answers.push(await res.json())
      }
    }
    const queued = queue.queued.splice(0)
    expect(queued).toHaveLength(2)
    const run = new QueueRun<EventMessage>('homebase-events', () => env as Env, { producer: 'EVENTS' })
    run.add(queued)
    await run.drain()
    run.add([...queued, ...queued])
    await run.duplicate(2)
    await run.drain()

    const jobs = (
      await (await api(org, 'GET', '/api/v1/jobs?limit=50')).json<{ items: Array<{ external_id: string }> }>()
    ).items
    expect(jobs.map((j) => j.external_id).sort()).toEqual(['job_1', 'job_2'])
    const clients = (await (await api(org, 'GET', '/api/v1/clients?limit=50')).json<{ items: unknown[] }>()).items
    expect(clients).toHaveLength(1)
    expect((await receiptsOf(org)).map((r) => r.status)).toEqual(['processed', 'processed'])
    expect(answers.filter((a) => (a as { duplicate?: boolean }).duplicate === false)).toHaveLength(2)
    figure('redelivered-crm-webhooks', {
      http_requests: answers.length,
      queue_deliveries: run.log.length,
      jobs: jobs.length,
      clients: clients.length,
    })

    // Another business's connection id with this business's payload: not found, nothing stored.
    const stranger = await createOrg()
    const body = JSON.stringify({ event: 'job.created', job: job('job_3') })
    const res = await deliver(
      `/webhooks/housecallpro/${crypto.randomUUID()}`,
      body,
      await housecallProHeaders(body, SECRET),
    )
    expect(res.status).toBe(404)
    expect(await receiptsOf(stranger)).toEqual([])
  })
})

describe('a Stripe payment webhook twice', () => {
  it('the same signed event posted twice in a row and twice at once records one payment', async () => {
    const org = await createOrg()
    await api(org, 'PATCH', '/api/v1/organization', { stripe_account_id: 'acct_1RedeliveryTest01' })
    const client = await createClient(org, { first_name: 'Ivy', email: `ivy-${unique()}@example.com` })
    const invoiceId = (
      await (
        await api(org, 'POST', '/api/v1/invoices', {
          org_client_id: client.org_client_id,
          total_cents: 12500,
          due_date: '2030-05-01',
        })
      ).json<{ invoice: { id: string } }>()
    ).invoice.id
    const event = (id: string) =>
      JSON.stringify({
        id,
        object: 'event',
        account: 'acct_1RedeliveryTest01',
        api_version: '2026-10-28.endive',
        created: Math.floor(Date.now() / 1000),
        type: 'checkout.session.completed',
        livemode: false,
        data: {
          object: {
            id: `cs_test_${unique()}`,
            object: 'checkout.session',
            mode: 'payment',
            payment_status: 'paid',
            status: 'complete',
            amount_total: 12500,
            currency: 'usd',
            payment_intent: `pi_${unique()}`,
            customer: null,
            customer_details: { email: 'ivy@example.com', phone: null },
            metadata: { organization_id: org.organizationId, invoice_id: invoiceId },
          },
        },
      })
    const body = event(`evt_${unique()}`)
    const post = async () =>
      deliver('/webhooks/stripe', body, { 'stripe-signature': await stripeSignature(body, env.STRIPE_WEBHOOK_SECRET!) })
    const answers = [await post(), await post(), ...(await Promise.all([post(), post()]))]
    for (const res of answers) expect(res.status).toBe(200)
    const recorded = (await Promise.all(answers.map((r) => r.json<{ recorded: boolean }>()))).filter((a) => a.recorded)
    expect(recorded).toHaveLength(1)
    const invoice = await (await api(org, 'GET', `/api/v1/invoices/${invoiceId}`)).json<{
      status: string
      paid_cents: number
      payments: unknown[]
    }>()
    expect(invoice).toMatchObject({ status: 'paid', paid_cents: 12500 })
    expect(invoice.payments).toHaveLength(1)
    figure('redelivered-stripe-payment', { posts: answers.length, payments: invoice.payments.length })
  })
})
