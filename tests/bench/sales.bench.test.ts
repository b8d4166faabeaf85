/**
 * The sales pipeline at a busy business: BENCH_SALES_LEADS leads (5,000 by default) spread over
 * the five default statuses, with values, follow-ups and owners. Times the board page and the
 * list through the Worker (session, D1, the object's RPC, rendering: the server's whole time),
 * the board's read alone over RPC, and moving a lead as the board's htmx does. Run with
 * `node scripts/bench.mjs sales`.
 */
import { env, runInDurableObject } from 'cloudflare:test'
import { drizzle } from 'drizzle-orm/durable-sqlite'
import { describe, expect, it } from 'vitest'
import * as schema from '../../durable-objects/org/schema'
import { createLead } from '../../durable-objects/org/sales/leads/leads'
import { orgStub } from '../../src/organizations'
import { sales } from '../../src/sales/remote'
import { Staff } from '../helpers/browserless'
import { api, createOrg } from '../helpers/factories'
import { teammate } from '../helpers/team'
import { type BenchRow, type Stats, stats, timeEach } from './measure'
import { pick, random, syntheticPerson } from './synthetic'

const LEADS = Number((env as { BENCH_SALES_LEADS?: string }).BENCH_SALES_LEADS ?? 5_000)
const PEOPLE = 5
const SAMPLES = 40
const TZ = 'America/Chicago'
const DAY = 86_400_000

/** How the leads spread over the default statuses. */
const SPREAD: Array<[string, number]> = [
  ['ls_new', 0.3],
  ['ls_contacted', 0.25],
  ['ls_estimate_sent', 0.2],
  ['ls_won', 0.15],
  ['ls_lost', 0.1],
]
const SOURCES = ['web_form', 'phone', 'referral', 'manual']
const INTERESTS = ['Deep clean', 'Move-out clean', 'Weekly cleaning', 'Office cleaning', 'Windows', 'Carpets']

export type SalesBench = { leads: number; people: number; rows: BenchRow[]; seedSeconds: number }

declare module 'vitest' {
  interface TaskMeta {
    benchSales?: SalesBench
  }
}

describe.skipIf(env.BENCH !== 'on')(`the pipeline of ${LEADS} leads`, () => {
  it('renders the board and the list, and moves a lead', { timeout: 20 * 60_000 }, async (ctx) => {
    const started = Date.now()
    const org = await createOrg({ organization_name: 'Bench Sales Co', timezone: TZ })
    for (let i = 1; i < PEOPLE; i++) await teammate(org, { name: `Sales Person ${i}` })
    const team = (await (await api(org, 'GET', '/api/v1/team')).json<{ items: { user_id: string }[] }>()).items
    expect(team).toHaveLength(PEOPLE)
    const stub = orgStub(env, org.organizationId)
    // Written inside the object through the module's own createLead, in one storage transaction, over the last 180 days.
    await runInDurableObject(stub, (_instance, state) => {
      const db = drizzle(state.storage, { schema })
      const rnd = random(11)
      state.storage.transactionSync(() => {
        for (let n = 0; n < LEADS; n++) {
          const person = syntheticPerson(rnd, n)
          let r = rnd()
          const status = SPREAD.find(([, share]) => (r -= share) < 0)?.[0] ?? 'ls_new'
          const followUp = rnd() < 0.6 ? new Date(Date.now() + (rnd() * 30 - 10) * DAY).toISOString() : null
          createLead(
            db,
            {
              first_name: person.first_name ?? 'Lead',
              last_name: person.last_name,
              email: person.emails[0] ?? null,
              phone: person.phones[0] ?? null,
              company: rnd() < 0.3 ? `${person.last_name} Properties` : null,
              source: pick(rnd, SOURCES),
              service_interest: pick(rnd, INTERESTS),
              estimated_value_cents: Math.round(10_000 + rnd() * 990_000),
              status_id: status,
              next_follow_up_at: followUp,
              assigned_to: rnd() < 0.8 ? pick(rnd, team).user_id : null,
            },
            new Date(Date.now() - (LEADS - n) * ((180 * DAY) / LEADS)),
          )
        }
      })
    })
    const seedSeconds = (Date.now() - started) / 1000

    const staff = new Staff()
    await staff.post('/login', { email: org.email, password: org.password })
    const csrf = await staff.csrfToken()
    const page = (path: string) => async () => {
      const res = await staff.get(path)
      expect(res.status).toBe(200)
      await res.text()
    }
    const runs = Array.from({ length: SAMPLES }, (_, i) => i)
    const row = (operation: string, http: Stats, targetMs?: number, note?: string): BenchRow => ({
      operation,
      reps: 1,
      server: null,
      rpc: null,
      http,
      targetMs,
      note,
    })
    const board = await (await staff.get('/app/leads')).text()
    expect(board.match(/class="lead-card"/g)).toHaveLength(5 * 50)
    const rows: BenchRow[] = []
    rows.push(
      row(
        'pipeline board, GET /app/leads (5 columns, 50 cards each)',
        stats(await timeEach(runs, 1, page('/app/leads'))),
        50,
        `${(board.length / 1024).toFixed(0)} KB of HTML`,
      ),
    )
    rows.push(
      row(
        'leads list, GET /app/leads?view=list (first 50)',
        stats(await timeEach(runs, 1, page('/app/leads?view=list'))),
      ),
    )
    rows.push(
      row(
        'leads list filtered: follow-up overdue, one owner',
        stats(await timeEach(runs, 1, page(`/app/leads?view=list&follow_up=overdue&assigned_to=${team[1]!.user_id}`))),
      ),
    )
    const rpc = stats(
      await timeEach(runs, 1, () =>
        sales(stub)
          .leads.board({ cards_per_status: 50 })
          .then(() => undefined),
      ),
    )
    rows.push({ ...row("the board's read: counts, values and 50 cards a column (RPC)", rpc), http: null, rpc })

    // Moving cards as the board's htmx does: each a status change, its history entry, and both column heads.
    const { items } = await sales(stub).leads.listLeads({ status_id: 'ls_new', limit: SAMPLES })
    const moves = stats(
      await timeEach(runs, 1, async (i) => {
        const res = await staff.post(
          `/app/leads/${items[i]!.id}/status`,
          { _csrf: csrf, status_id: 'ls_contacted', from: 'ls_new' },
          { 'hx-request': 'true' },
        )
        expect(res.status).toBe(200)
        await res.text()
      }),
    )
    rows.push(row('move a lead, POST /app/leads/{id}/status (htmx)', moves))

    const result: SalesBench = { leads: LEADS, people: PEOPLE, rows, seedSeconds }
    ;(ctx.task.meta as { benchSales?: SalesBench }).benchSales = result
    console.log(JSON.stringify(result, null, 2))
  })
})
