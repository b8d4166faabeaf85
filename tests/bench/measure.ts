/**
 * Timing for the benchmark. workerd's clocks tick in whole milliseconds, so one sample is the mean
 * of `reps` back-to-back runs of the same operation (resolution 1/reps ms), never a single run.
 */

/** A row of the results table; times in milliseconds, `null` where that layer was not measured. */
export type BenchRow = {
  operation: string
  /** Runs per sample. */
  reps: number
  server: Stats | null
  rpc: Stats | null
  http: Stats | null
  /** The goal for the in-object p50, when there is one. */
  targetMs?: number
  note?: string
}

/** How the organization was seeded, for the results' heading. */
export type BenchSeed = { clients: number; jobs: number; clientSeconds: number; jobSeconds: number }

/**
 * The messaging benchmark's outcome (tests/bench/messaging.bench.test.ts); times in milliseconds
 * from the cron tick unless named otherwise, `null` when nothing arrived.
 */
export type MessagingBench = {
  orgs: number
  perOrg: number
  /** Seconds to sign up the organizations and write their clients, jobs and reminders. */
  seedSeconds: number
  /** How long after the reminders' due time the tick ran. */
  tickAfterDueMs: number
  /** The scheduled handler itself: reading org_schedule and enqueueing one run_due per organization. */
  tickMs: number
  /** Outbox rows of the benchmark's organizations when polling stopped. */
  delivered: number
  /** The last organization's decision (messages.created_at), i.e. when every run_due had run. */
  decidedMs: number | null
  firstMs: number | null
  lastMs: number | null
  /** outbox.created_at minus the reminder's send_at, per message. */
  lateness: { p50: number; p90: number; p99: number; max: number } | null
  /** Messages by status in the ORG objects after the run. */
  statuses: Record<string, number>
  /** Reminders with more than one message, message ids with more than one outbox row, phones with more than one outbox row. */
  duplicates: { perReminder: number; perMessage: number; perPhone: number }
  /** Whether polling gave up before every message arrived. */
  timedOut: boolean
  limitSeconds: number
  targetSeconds: number
}

/** `n` samples (fewer than planned when the time budget ran out). */
export type Stats = { n: number; p50: number; p95: number; mean: number; perSecond: number }

declare module 'vitest' {
  interface TaskMeta {
    bench?: BenchRow[]
    benchSeed?: BenchSeed
    benchMessaging?: MessagingBench
  }
}

/** p50, p95 and mean of per-call samples, and the calls per second they imply. */
export function stats(samples: number[]): Stats {
  const sorted = [...samples].sort((a, b) => a - b)
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)]!
  const mean = sorted.reduce((s, v) => s + v, 0) / sorted.length
  return { n: sorted.length, p50: at(0.5), p95: at(0.95), mean, perSecond: mean > 0 ? 1000 / mean : 0 }
}

/** Stops sampling once this much time has gone by, keeping at least `MIN_SAMPLES`. */
const MIN_SAMPLES = 10

/** Synchronous timing, for use inside the object: one sample per item, the mean of `reps` runs. */
export function timeEachSync<T>(
  items: readonly T[],
  reps: number,
  run: (item: T) => unknown,
  budgetMs = Infinity,
): number[] {
  const out: number[] = []
  const start = performance.now()
  for (const item of items) {
    if (out.length >= MIN_SAMPLES && performance.now() - start > budgetMs) break
    const t0 = performance.now()
    for (let r = 0; r < reps; r++) run(item)
    out.push((performance.now() - t0) / reps)
  }
  return out
}

/** The same across awaited calls (RPC to the object, or a request to the Worker). */
export async function timeEach<T>(
  items: readonly T[],
  reps: number,
  run: (item: T) => Promise<unknown>,
  budgetMs = Infinity,
): Promise<number[]> {
  const out: number[] = []
  const start = Date.now()
  for (const item of items) {
    if (out.length >= MIN_SAMPLES && Date.now() - start > budgetMs) break
    const t0 = Date.now()
    for (let r = 0; r < reps; r++) await run(item)
    out.push((Date.now() - t0) / reps)
  }
  return out
}

/**
 * True when performance.now() advances during pure CPU work. Deployed workerd freezes it
 * between I/O events; the local runtime does not, which is what makes in-object timing possible.
 */
export function clockAdvancesDuringCpu(): boolean {
  const t0 = performance.now()
  for (let i = 0; i < 5_000_000; i++) if (performance.now() !== t0) return true
  return false
}

/** The campaign benchmark's outcome (tests/bench/campaign.bench.test.ts); times in milliseconds. */
export type CampaignBench = {
  clients: number
  seedSeconds: number
  matched: number
  willReceive: number
  /** Messages queued once the campaign was sent: must equal `willReceive`. */
  queued: number
  decided: number
  /** Median of five previews of the whole segment. */
  previewMs: number
  batch: number
  runs: number
  /** The first run also fixes every recipient (one campaign_sends row each). */
  firstRunMs: number
  runP50Ms: number
  totalMs: number
  perSecond: number
}
