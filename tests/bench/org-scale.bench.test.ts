// Over 300 lines on purpose: one benchmark seeds an organization once and times every hot path on it.
/**
 * One organization at scale (100k clients, 300k jobs by default): search, client page, list, stats
 * and booking, timed inside the ORG object, over RPC from the test, and as HTTP requests through
 * the Worker's fetch handler. Run with `npm run bench`; `npm test` skips this file.
 */
import { env, runInDurableObject, SELF } from 'cloudflare:test'
import { drizzle } from 'drizzle-orm/durable-sqlite'
import { beforeAll, describe, expect, it } from 'vitest'
import * as clients from '../../durable-objects/org/crm/clients'
import type { OrgDb } from '../../durable-objects/org/db'
import * as jobs from '../../durable-objects/org/crm/jobs'
import * as reports from '../../durable-objects/org/crm/reports'
import * as schema from '../../durable-objects/org/schema'
import { orgStub } from '../../src/organizations'
import { api, BASE, createOrg, type TestOrg } from '../helpers/factories'
import { harnessLookup, request } from './fetch-handler'
import {
  clockAdvancesDuringCpu,
  stats,
  timeEach,
  timeEachSync,
  type BenchRow,
  type BenchSeed,
  type Stats,
} from './measure'
import { seedOrganization, type SeedResult } from './seed'
import { pick, random, syntheticPerson, usPhone } from './synthetic'

const CLIENTS = Number(env.BENCH_CLIENTS ?? 100_000)
const JOBS = Number(env.BENCH_JOBS ?? 300_000)
const TZ = 'America/New_York'
const SEARCH_TARGET_MS = 5
const PAGE_TARGET_MS = 15
/** Time allowed per operation and layer before sampling stops early. */
const BUDGET_MS = 12_000

type Stub = ReturnType<typeof orgStub>
type Layers<T> = {
  server?: (db: OrgDb, item: T) => unknown
  rpc?: (stub: Stub, item: T) => Promise<unknown>
  http?: (item: T) => Promise<unknown>
}
type Plan = { samples: number; reps: number; httpSamples?: number; httpReps?: number }
type Task = { meta: { bench?: BenchRow[]; benchSeed?: BenchSeed } }

const log = (line: string) => console.log(line)
const fmt = (ms: number | undefined) => (ms === undefined ? '–' : ms.toFixed(2))
const count = (n: number) => n.toLocaleString('en-US')

describe.skipIf(env.BENCH !== 'on')(`an organization with ${count(CLIENTS)} clients and ${count(JOBS)} jobs`, () => {
  let org: TestOrg
  let stub: Stub
  let serviceId: string
  let seeded: SeedResult
  let serverClock = false
  const rnd = random(7)

  beforeAll(async () => {
    org = await createOrg({ organization_name: 'Bench Cleaning Co' })
    stub = orgStub(env, org.organizationId)
    const services: string[] = []
    for (const [i, name] of ['Standard clean', 'Deep clean', 'Move-out clean'].entries()) {
      const res = await api(org, 'POST', '/api/v1/services', {
        name,
        duration_minutes: 120 + 60 * i,
        price_cents: 12_000 + 6_000 * i,
      })
      services.push((await res.json<{ id: string }>()).id)
    }
    serviceId = services[0]!
    log(`seeding ${count(CLIENTS)} clients and ${count(JOBS)} jobs inside the ORG object`)
    seeded = await seedOrganization(stub, { clientCount: CLIENTS, jobCount: JOBS, serviceIds: services, progress: log })
    serverClock = await runInDurableObject(stub, () => clockAdvancesDuringCpu())
    log(
      `seeded in ${(seeded.clientSeconds + seeded.jobSeconds).toFixed(0)} s; the in-object clock ${serverClock ? 'advances during CPU work' : 'is frozen between I/O, so in-object timing is skipped'}`,
    )
  })

  /** Records a row on the test (the bench runner collects them) and prints it. */
  function record(task: Task, row: BenchRow): BenchRow {
    const part = (name: string, s: Stats | null) =>
      s ? `${name} p50 ${fmt(s.p50)} p95 ${fmt(s.p95)} (n=${s.n})` : `${name} –`
    log(
      `${row.operation}: ${[part('server', row.server), part('rpc', row.rpc), part('http', row.http)].join(' · ')} ms`,
    )
    task.meta.bench = [...(task.meta.bench ?? []), row]
    task.meta.benchSeed = {
      clients: CLIENTS,
      jobs: JOBS,
      clientSeconds: seeded.clientSeconds,
      jobSeconds: seeded.jobSeconds,
    }
    return row
  }

  /** Times one operation at each layer it has. */
  async function measure<T>(
    task: Task,
    operation: string,
    targetMs: number | undefined,
    items: T[],
    plan: Plan,
    layers: Layers<T>,
  ): Promise<BenchRow> {
    const warm = items.slice(0, 3)
    const planned = items.slice(0, plan.samples)
    let server: number[] | null = null
    if (layers.server && serverClock) {
      const run = layers.server
      server = await runInDurableObject(stub, (_instance, state) => {
        const db = drizzle(state.storage, { schema })
        timeEachSync(warm, 1, (item) => run(db, item))
        return timeEachSync(planned, plan.reps, (item) => run(db, item), BUDGET_MS)
      })
    }
    let rpc: number[] | null = null
    if (layers.rpc) {
      const run = layers.rpc
      await timeEach(warm, 1, (item) => run(stub, item))
      rpc = await timeEach(planned, plan.reps, (item) => run(stub, item), BUDGET_MS)
    }
    let http: number[] | null = null
    if (layers.http) {
      await timeEach(warm, 1, layers.http)
      http = await timeEach(
        items.slice(0, plan.httpSamples ?? plan.samples),
        plan.httpReps ?? plan.reps,
        layers.http,
        BUDGET_MS,
      )
    }
    return record(task, {
      operation,
      targetMs,
      reps: plan.reps,
      server: server && stats(server),
      rpc: rpc && stats(rpc),
      http: http && stats(http),
    })
  }

  const searchLayers: Layers<string> = {
    server: (db, q) => clients.listClients(db, { q, limit: 50 }),
    rpc: (s, q) => s.listClients({ q, limit: 50 }),
    http: async (q) =>
      expect((await request(org, 'GET', `/api/v1/clients?q=${encodeURIComponent(q)}`)).status).toBe(200),
  }

  const person = () => pick(rnd, seeded.sample)
  const prefix = (word: string, min: number, max: number) =>
    word.slice(0, min + Math.floor(rnd() * (max - min + 1))).toLowerCase()
  const phoneDigits = () => {
    for (;;) {
      const phone = person().phone
      if (phone) return phone.slice(2)
    }
  }
  const fragment = (length: number) => {
    const digits = phoneDigits()
    const start = Math.floor(rnd() * (digits.length - length + 1))
    return digits.slice(start, start + length)
  }
  const times = (n: number, make: () => string) => Array.from({ length: n }, make)
  const namePrefixes = () => times(100, () => prefix(rnd() < 0.5 ? person().first_name : person().last_name, 3, 5))

  it('answers a name search through SELF.fetch (the first requests of the run)', async ({ task }) => {
    const queries = namePrefixes().slice(0, 30)
    const self = await timeEach(queries, 1, async (q) => {
      const res = await SELF.fetch(`${BASE}/api/v1/clients?q=${encodeURIComponent(q)}`, {
        headers: { authorization: `Bearer ${org.apiKey}` },
      })
      expect(res.status).toBe(200)
      await res.arrayBuffer()
    })
    record(task, {
      operation: 'search: name prefix via SELF.fetch (GET /api/v1/clients?q=)',
      reps: 1,
      server: null,
      rpc: null,
      http: stats(self),
      note: 'the first 30 SELF.fetch requests of the file; later ones slow down in the test harness (workers-sdk#15446)',
    })
  })

  it('searches by name prefix', async ({ task }) => {
    await measure(
      task,
      'search: name prefix, 3–5 letters ("jen", "smit")',
      SEARCH_TARGET_MS,
      namePrefixes(),
      { samples: 100, reps: 5, httpSamples: 50, httpReps: 2 },
      searchLayers,
    )
  })

  it('searches by first name and the start of the last name', async ({ task }) => {
    const queries = times(100, () => {
      const p = person()
      return `${p.first_name.toLowerCase()} ${prefix(p.last_name, 2, 4)}`
    })
    await measure(
      task,
      'search: first name + last-name prefix ("jennifer sm")',
      SEARCH_TARGET_MS,
      queries,
      { samples: 100, reps: 5, httpSamples: 50, httpReps: 2 },
      searchLayers,
    )
  })

  it('searches on the first one or two keystrokes', async ({ task }) => {
    const queries = times(40, () => prefix(person().first_name, 1, 2))
    await measure(
      task,
      'search: first keystrokes, 1–2 letters ("j", "ma")',
      undefined,
      queries,
      { samples: 40, reps: 2, httpSamples: 20, httpReps: 1 },
      searchLayers,
    )
  })

  it('searches by phone fragment', async ({ task }) => {
    const queries = times(100, () => {
      const f = fragment(4 + Math.floor(rnd() * 4))
      return rnd() < 0.3 && f.length > 4 ? `${f.slice(0, 3)}-${f.slice(3)}` : f
    })
    await measure(
      task,
      'search: phone fragment, 4–7 digits ("8675", "555-86")',
      SEARCH_TARGET_MS,
      queries,
      { samples: 100, reps: 5, httpSamples: 50, httpReps: 2 },
      searchLayers,
    )
  })

  it('searches by a three-digit phone fragment', async ({ task }) => {
    await measure(
      task,
      'search: phone fragment, 3 digits ("415")',
      undefined,
      times(40, () => fragment(3)),
      { samples: 40, reps: 2, httpSamples: 20, httpReps: 1 },
      searchLayers,
    )
  })

  it('loads a client page (client + timeline)', async ({ task }) => {
    const ids = Array.from({ length: 100 }, () => pick(rnd, seeded.clientIds))
    await measure(
      task,
      'client page: getClient + clientTimeline',
      PAGE_TARGET_MS,
      ids,
      { samples: 100, reps: 5, httpSamples: 50, httpReps: 2 },
      {
        server: (db, id) => [clients.getClient(db, id), reports.clientTimeline(db, id, TZ)],
        rpc: (s, id) => Promise.all([s.getClient(id), s.clientTimeline(id)]),
        http: async (id) => {
          const [client, timeline] = await Promise.all([
            request(org, 'GET', `/api/v1/clients/${id}`),
            request(org, 'GET', `/api/v1/clients/${id}/timeline`),
          ])
          expect([client.status, timeline.status]).toEqual([200, 200])
        },
      },
    )
  })

  it('lists clients, newest first', async ({ task }) => {
    const list = (query: clients.ListClientsQuery): Layers<number> => ({
      server: (db) => clients.listClients(db, query),
      rpc: (s) => s.listClients(query),
      http: async () => {
        const params = new URLSearchParams(Object.entries(query).map(([k, v]): [string, string] => [k, String(v)]))
        expect((await request(org, 'GET', `/api/v1/clients?${params}`)).status).toBe(200)
      },
    })
    const plan = { samples: 30, reps: 5, httpSamples: 30, httpReps: 2 }
    const ticks = Array.from({ length: 30 }, (_, i) => i)
    await measure(task, 'clients list: first page, limit 50', PAGE_TARGET_MS, ticks, plan, list({ limit: 50 }))
    await measure(
      task,
      'clients list: status=lead, limit 50',
      PAGE_TARGET_MS,
      ticks,
      plan,
      list({ limit: 50, status: 'lead' }),
    )
    // A cursor 10,000 clients deep: the keyset seek should cost what the first page costs.
    const deep = await runInDurableObject(stub, (_instance, state) => {
      const db = drizzle(state.storage, { schema })
      let cursor: string | undefined
      for (let page = 0; page < 200; page++)
        cursor = clients.listClients(db, { limit: 50, cursor }).next_cursor ?? undefined
      return cursor
    })
    await measure(
      task,
      'clients list: page 201 by cursor, limit 50',
      PAGE_TARGET_MS,
      ticks,
      plan,
      list({ limit: 50, cursor: deep }),
    )
  })

  it('computes client_stats', async ({ task }) => {
    await measure(
      task,
      'client_stats',
      PAGE_TARGET_MS,
      Array.from({ length: 20 }, (_, i) => i),
      { samples: 20, reps: 3, httpSamples: 20, httpReps: 1 },
      {
        server: (db) => reports.clientStats(db),
        rpc: (s) => s.clientStats(),
        http: async () =>
          expect(
            (await request(org, 'POST', '/rest/v1/rpc/client_stats', { p_org_id: org.organizationId })).status,
          ).toBe(200),
      },
    )
  })

  it('books jobs for new clients (create_job_with_optional_new_client)', async ({ task }) => {
    const start = () => new Date(Date.now() + (3 + Math.floor(rnd() * 60)) * 86_400_000).toISOString()
    let n = 0
    const newJob = (): jobs.NewJob => ({
      new_client: { person: syntheticPerson(rnd, CLIENTS + n++) },
      service_id: serviceId,
      start_at: start(),
      price_cents: 15_000,
    })
    // One sample is a group of 10 bookings, each in its own storage transaction, as the object runs them.
    const groups = (count: number) => Array.from({ length: count }, () => Array.from({ length: 10 }, newJob))
    const perBooking = (ms: number[]) => ms.map((m) => m / 10)

    const inObject = groups(30)
    const server = serverClock
      ? perBooking(
          await runInDurableObject(stub, (_instance, state) => {
            const db = drizzle(state.storage, { schema })
            return timeEachSync(inObject, 1, (group) => {
              for (const job of group) state.storage.transactionSync(() => jobs.createJob(db, job))
            })
          }),
        )
      : null
    const rpc = perBooking(
      await timeEach(groups(30), 1, async (group) => {
        for (const job of group) expect((await stub.createJob(job)).ok).toBe(true)
      }),
    )
    const http = perBooking(
      await timeEach(
        Array.from({ length: 20 }, (_, i) => i),
        1,
        async () => {
          for (let i = 0; i < 10; i++) {
            const k = n++
            const res = await request(org, 'POST', '/functions/v1/create-job-with-client', {
              organization_id: org.organizationId,
              client: {
                first_name: 'Bench',
                last_name: `Client${k}`,
                email: `bench.client.${k}@example.com`,
                phone: usPhone(rnd),
              },
              service_id: serviceId,
              start_at: start(),
              price_cents: 15_000,
            })
            expect(res.status).toBe(201)
          }
        },
      ),
    )
    record(task, {
      operation: 'create job with a new client, per booking',
      reps: 10,
      server: server && stats(server),
      rpc: stats(rpc),
      http: stats(http),
      note:
        'in the object: the use case alone, each booking in its own transaction, with the storage commit left to the end of the batch; ' +
        'RPC: one call per booking, commit included; HTTP: POST /functions/v1/create-job-with-client, which also upserts the person in D1',
    })
  })

  // Last, so the queries drawn above stay those of earlier runs.
  it('searches by name prefix with the API key looked up in D1 on every request', async ({ task }) => {
    const row = await measure(
      task,
      'search: name prefix, the API key looked up in D1 each time (not remembered)',
      undefined,
      namePrefixes(),
      { samples: 50, reps: 2 },
      {
        http: async (q) =>
          expect(
            (await request(org, 'GET', `/api/v1/clients?q=${encodeURIComponent(q)}`, undefined, { keyFromD1: true }))
              .status,
          ).toBe(200),
      },
    )
    row.note =
      "HTTP only: the first request of a key in an isolate, or the first after 5 s; every other HTTP row's key is remembered by the isolate (src/auth/cache.ts)"
  })

  // After the others, so their queries stay those of earlier runs.
  it('measures what the test harness adds to each object call, and the name search without it', async ({ task }) => {
    const turns = Array.from({ length: 100 }, (_, i) => i)
    const lookups = stats(await timeEach(turns, 10, () => harnessLookup()))
    record(task, {
      operation:
        'test harness: its module lookup before each object call (RPC column; not in production or wrangler dev)',
      reps: 10,
      server: null,
      rpc: lookups,
      http: null,
      note: 'vitest-pool-workers loads the Worker module through its module runner before handing on every call to an object (tests/bench/fetch-handler.ts); each RPC and HTTP figure above includes one per object call',
    })
    record(task, {
      operation: 'an object call that does nothing (clientNaming of no ids), RPC',
      reps: 10,
      server: null,
      rpc: stats(await timeEach(turns, 10, () => stub.clientNaming([]))),
      http: null,
    })
    const http = await timeEach(namePrefixes().slice(0, 50), 2, (q) => searchLayers.http!(q))
    record(task, {
      operation: "search: name prefix through the fetch handler, less the harness's lookup",
      reps: 2,
      server: null,
      rpc: null,
      http: stats(http.map((ms) => Math.max(0, ms - lookups.p50))),
      note: "each request's time less the lookup's p50 measured just before (one object call per search); target p50 ≤ 2 ms, p95 ≤ 4 ms",
    })
  })
})
