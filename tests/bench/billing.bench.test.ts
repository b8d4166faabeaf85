/**
 * Getting paid and talking to clients at a business with history: 20,000 clients in the object, 300
 * of them with a conversation (half unread), one thread of 200 messages, and BENCH_INVOICES
 * invoices (2,000 by default, three lines each). Times the invoice page, its printout, the invoice
 * list, the homeowner's pay page, the inbox and a thread through the Worker (session, D1, the
 * object's RPC, rendering: the server's whole time), and a reply sent from the inbox.
 * Run with `npm run bench` (or `node scripts/bench.mjs billing`).
 */
import { env } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import { unwrap } from '../../durable-objects/org/result'
import { orgStub } from '../../src/organizations'
import { Staff } from '../helpers/browserless'
import { sendOneOff } from '../../src/routes/api/conversations'
import { api, createOrg } from '../helpers/factories'
import { messagesOf } from '../helpers/messaging'
import { Homeowner } from '../helpers/portal'
import { type BenchRow, type Stats, stats, timeEach } from './measure'
import { seedOrganization } from './seed'
import { messagingOf } from '../../src/messaging/remote'

const INVOICES = Number(env.BENCH_INVOICES ?? 2_000)
const CONVERSATIONS = 300
const THREAD = 100
const SAMPLES = 40

export type BillingBench = { invoices: number; conversations: number; rows: BenchRow[]; seedSeconds: number }

declare module 'vitest' {
  interface TaskMeta {
    benchBilling?: BillingBench
  }
}

const line = (description: string, unit: number, quantity = 1) => ({
  description,
  quantity,
  unit_price_cents: unit,
})

describe.skipIf(env.BENCH !== 'on')(`invoices and the inbox of a business with ${INVOICES} invoices`, () => {
  it('renders the invoice, its printout, the pay page, the inbox and a thread', {
    timeout: 20 * 60_000,
  }, async (ctx) => {
    const started = Date.now()
    const org = await createOrg({ organization_name: 'Bench Billing Co', timezone: 'America/Chicago' })
    const stub = orgStub(env, org.organizationId)
    // Seeded inside the object, not through HTTP: the test harness's SELF.fetch slows down as its
    // requests add up (workers-sdk#15446), which would fold the seeding into the timings.
    const { sample } = await seedOrganization(stub, {
      clientCount: 20_000,
      jobCount: 0,
      serviceIds: [],
      progress: () => {},
    })
    await api(org, 'PATCH', '/api/v1/organization', {
      default_tax_rate: 8.25,
      payment_instructions: 'Pay by check to Bench Billing Co, 1 Main St.',
    })

    // Clients who wrote in: one reply each, half of them read.
    const writers = sample.filter((p) => p.phone).slice(0, CONVERSATIONS)
    expect(writers).toHaveLength(CONVERSATIONS)
    const talking: string[] = []
    for (const [i, person] of writers.entries()) {
      expect(await stub.recordInboundSms(person.phone!, `Can you come a bit earlier on Tuesday? (${i})`, null)).toBe(
        person.org_client_id,
      )
      talking.push(person.org_client_id)
      if (i % 2 === 0) await messagingOf(stub).markConversationRead(person.org_client_id)
    }
    // One long thread: 100 of their texts and 100 of ours.
    const busy = talking[1]!
    for (let i = 0; i < THREAD; i++) {
      await stub.recordInboundSms(writers[1]!.phone!, `Question number ${i} about the gate code and the dog`, null)
      await sendOneOff(stub, 'Bench Billing Co', busy, {
        channel: 'sms',
        body: `Answer ${i}: we will text when we are on the way.`,
      })
    }

    // Invoices over the talking clients, three lines each; the measured one has 20 lines and a payment.
    for (let n = 0; n < INVOICES; n++)
      unwrap(
        await stub.createInvoice({
          org_client_id: talking[n % talking.length]!,
          due_date: '2031-01-15',
          status: 'open',
          line_items: [line('Standard clean', 14_000), line('Oven', 4_500), line('Travel', 1_500)],
        }),
      )
    const lines = Array.from({ length: 20 }, (_, i) => line(`Window ${i + 1}, inside and out`, 1_250, 2))
    const created = await api(org, 'POST', '/api/v1/invoices', {
      org_client_id: talking[2]!,
      due_date: '2031-01-15',
      line_items: lines,
    })
    expect(created.status).toBe(201)
    const invoice = (await created.json<{ invoice: { id: string; total_cents: number } }>()).invoice
    expect((await api(org, 'POST', `/api/v1/invoices/${invoice.id}/payments`, { amount_cents: 10_000 })).status).toBe(
      201,
    )
    expect((await api(org, 'POST', `/api/v1/invoices/${invoice.id}/send`, { channel: 'sms' })).status).toBe(201)
    const [sent] = await messagesOf(org, '?purpose=invoice')
    const payPath = sent!.body.match(/https?:\/\/[^/\s]+(\/p\/[\w.-]+)/)?.[1]
    expect(payPath).toBeDefined()
    const seedSeconds = (Date.now() - started) / 1000

    const staff = new Staff()
    await staff.post('/login', { email: org.email, password: org.password })
    const csrf = await staff.csrfToken()
    const homeowner = new Homeowner()
    const runs = Array.from({ length: 20 }, (_, i) => i)
    const rows: BenchRow[] = []
    const row = (operation: string, http: Stats, note?: string): BenchRow => ({
      operation,
      reps: 1,
      server: null,
      rpc: null,
      http,
      note,
    })
    // The pages, and the smallest staff request as a floor (session, org, one RPC, 0 KB). They are
    // timed in turns, one request of each per round, so the harness's slowdown as requests add up
    // falls on every row alike instead of on whichever page happens to be measured last.
    const pages: { operation: string; get: () => Promise<Response>; contains: string }[] = [
      {
        operation: 'the unread badge in the nav (htmx), a floor',
        get: () => staff.get('/app/inbox/badge'),
        contains: 'unread',
      },
      {
        operation: 'invoice page, 20 lines and a payment',
        get: () => staff.get(`/app/invoices/${invoice.id}`),
        contains: 'Window 20',
      },
      {
        operation: 'invoice printout',
        get: () => staff.get(`/app/invoices/${invoice.id}/print`),
        contains: 'Window 20',
      },
      {
        operation: `invoice list (newest 200 of ${INVOICES + 1})`,
        get: () => staff.get('/app/invoices'),
        contains: invoice.id,
      },
      { operation: "the homeowner's pay page (portal)", get: () => homeowner.get(payPath!), contains: 'Window 20' },
      {
        operation: `inbox (${CONVERSATIONS} conversations, newest 100)`,
        get: () => staff.get('/app/inbox'),
        contains: 'earlier on Tuesday',
      },
      {
        operation: 'inbox, unread only',
        get: () => staff.get('/app/inbox?unread=true'),
        contains: 'earlier on Tuesday',
      },
      {
        operation: `a thread of ${THREAD * 2} messages (opening marks it read)`,
        get: () => staff.get(`/app/inbox/${busy}`),
        contains: 'Answer 99',
      },
    ]
    const sizes: number[] = []
    for (const p of pages) {
      const html = await (await p.get()).text()
      expect(html).toContain(p.contains)
      sizes.push(html.length)
    }
    const samples: number[][] = pages.map(() => [])
    for (let round = 0; round < SAMPLES; round++)
      for (const [i, p] of pages.entries()) {
        const t0 = Date.now()
        const res = await p.get()
        expect(res.status).toBe(200)
        await res.text()
        samples[i]!.push(Date.now() - t0)
      }
    for (const [i, p] of pages.entries())
      rows.push(row(p.operation, stats(samples[i]!), `${(sizes[i]! / 1024).toFixed(0)} KB of HTML`))

    // A reply from the inbox: consent read, the message written and queued, the thread swapped in.
    const reply = stats(
      await timeEach(runs, 1, async (i) => {
        const res = await staff.post(
          `/app/inbox/${talking[10 + i]!}/reply`,
          { _csrf: csrf, channel: 'sms', body: `Yes, 8:00 works (${i})` },
          { 'hx-request': 'true' },
        )
        expect(res.status).toBe(200)
        await res.text()
      }),
    )
    rows.push(row('reply from the inbox (htmx)', reply))

    const result: BillingBench = { invoices: INVOICES + 1, conversations: CONVERSATIONS, rows, seedSeconds }
    ;(ctx.task.meta as { benchBilling?: BillingBench }).benchBilling = result
    console.log(JSON.stringify(result, null, 2))
  })
})
