/**
 * Seeds one organization's ORG object straight through its domain functions, inside the object,
 * in large storage transactions: HTTP would take hours for 100k clients.
 */
import { runInDurableObject } from 'cloudflare:test'
import { drizzle } from 'drizzle-orm/durable-sqlite'
import * as clients from '../../durable-objects/org/crm/clients'
import type { OrgDb } from '../../durable-objects/org/db'
import * as jobs from '../../durable-objects/org/crm/jobs'
import type { OrgObject } from '../../durable-objects/org/org-object'
import * as schema from '../../durable-objects/org/schema'
import { pick, random, syntheticPerson } from './synthetic'

const DAY = 86_400_000
/** Clients joined over the last three years; jobs run from two years ago to two months ahead. */
const HISTORY_MS = 3 * 365 * DAY
const JOBS_FROM_MS = -2 * 365 * DAY
const JOBS_TO_MS = 60 * DAY
const CLIENTS_PER_TRANSACTION = 2_000
const JOBS_PER_TRANSACTION = 5_000

export type SeededPerson = { org_client_id: string; first_name: string; last_name: string; phone: string | null }

export type SeedResult = {
  clientIds: string[]
  /** Every 50th client's name and phone, to draw realistic queries from. */
  sample: SeededPerson[]
  clientSeconds: number
  jobSeconds: number
}

type Stub = DurableObjectStub<OrgObject>

/** The object's own drizzle handle over its storage, as the object builds it. */
const orgDb = (state: DurableObjectState): OrgDb => drizzle(state.storage, { schema })

/** Adds `clientCount` clients and `jobCount` jobs (spread randomly over the clients) to the object. */
export async function seedOrganization(
  stub: Stub,
  {
    clientCount,
    jobCount,
    serviceIds,
    seed = 42,
    progress,
  }: {
    clientCount: number
    jobCount: number
    serviceIds: string[]
    seed?: number
    progress: (line: string) => void
  },
): Promise<SeedResult> {
  const clientIds: string[] = []
  const sample: SeededPerson[] = []
  const startedAt = Date.now()
  const firstCreatedAt = startedAt - HISTORY_MS
  const step = HISTORY_MS / clientCount

  for (let from = 0; from < clientCount; from += CLIENTS_PER_TRANSACTION) {
    const to = Math.min(clientCount, from + CLIENTS_PER_TRANSACTION)
    const made = await runInDurableObject(stub, (_instance, state) => {
      const db = orgDb(state)
      const rnd = random(seed * 1_000_003 + from)
      return state.storage.transactionSync(() => {
        const out: Array<SeededPerson> = []
        for (let n = from; n < to; n++) {
          const person = syntheticPerson(rnd, n)
          const roll = rnd()
          const created = clients.createClient(
            db,
            {
              person,
              status: roll < 0.7 ? 'active' : roll < 0.9 ? 'lead' : 'inactive',
              tags: roll < 0.15 ? ['vip'] : roll > 0.95 ? ['commercial'] : [],
              source: 'import',
            },
            new Date(firstCreatedAt + n * step).toISOString(),
          )
          out.push({
            org_client_id: created.org_client_id,
            first_name: person.first_name!,
            last_name: person.last_name!,
            phone: person.phones[0] ?? null,
          })
        }
        return out
      })
    })
    for (const [i, m] of made.entries()) {
      clientIds.push(m.org_client_id)
      if ((from + i) % 50 === 0) sample.push(m)
    }
    if (to % 10_000 === 0 || to === clientCount)
      progress(
        `  clients ${to.toLocaleString('en-US')} / ${clientCount.toLocaleString('en-US')} (${secondsSince(startedAt)} s)`,
      )
  }
  const clientSeconds = (Date.now() - startedAt) / 1000

  const jobsStartedAt = Date.now()
  for (let from = 0; from < jobCount; from += JOBS_PER_TRANSACTION) {
    const to = Math.min(jobCount, from + JOBS_PER_TRANSACTION)
    const rnd = random(seed * 7_919 + from)
    const batch: jobs.NewJob[] = []
    for (let n = from; n < to; n++) {
      batch.push({
        org_client_id: pick(rnd, clientIds),
        service_id: pick(rnd, serviceIds),
        start_at: new Date(
          startedAt + JOBS_FROM_MS + Math.floor((rnd() * (JOBS_TO_MS - JOBS_FROM_MS)) / 900_000) * 900_000,
        ).toISOString(),
        price_cents: 8_000 + Math.floor(rnd() * 40) * 500,
        source: 'import',
      })
    }
    await runInDurableObject(stub, (_instance, state) => {
      const db = orgDb(state)
      state.storage.transactionSync(() => {
        for (const job of batch) jobs.createJob(db, job)
      })
    })
    if (to % 50_000 === 0 || to === jobCount)
      progress(
        `  jobs ${to.toLocaleString('en-US')} / ${jobCount.toLocaleString('en-US')} (${secondsSince(jobsStartedAt)} s)`,
      )
  }
  return { clientIds, sample, clientSeconds, jobSeconds: (Date.now() - jobsStartedAt) / 1000 }
}

const secondsSince = (t: number) => ((Date.now() - t) / 1000).toFixed(0)
