// Load through a local `wrangler dev` (bench/README.md, "Load"): staff sessions browsing and booking,
// signed webhooks at a fixed rate with replays, and a campaign sending, all at once for a fixed time;
// p50/p95/p99 and errors per page or endpoint, and where the CPU went (the Worker, this generator, the rest).
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { cpus, loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { freePort, localDefaults, root } from './dev-server.mjs'
import { cpuMeter } from './load-cpu.mjs'
import { apiClient, inParallel, seedBusiness } from './load-seed.mjs'
import { signIn, staffSession, timed } from './load-staff.mjs'
import { deliveries, sidPoller, webhookStream } from './load-webhooks.mjs'
import { migrate, snapshot, startSnapshotWorker } from './load-worker.mjs'

/** The target: no errors, and staff pages answer within this at the 95th percentile. */
export const STAFF_P95_TARGET_MS = 50
const verbose = Boolean(process.env.BENCH_VERBOSE)

/** Response times and errors per group (a page, an endpoint, a provider's webhook). */
class Recorder {
  groups = new Map()
  /** The first answer of each kind of error (status or network), to say what went wrong. */
  samples = new Map()
  /** Staff pages' times by business number. */
  byBusiness = new Map()
  tag(b, ms) {
    if (!this.byBusiness.has(b)) this.byBusiness.set(b, [])
    this.byBusiness.get(b).push(ms)
  }
  /** [when it started, how long, which kind] of every request, for the run's timeline. */
  timeline = []
  add(group, ms, error, sample, startedAt = performance.now() - ms) {
    if (!this.groups.has(group)) this.groups.set(group, { times: [], errors: new Map() })
    const g = this.groups.get(group)
    g.times.push(ms)
    this.timeline.push([startedAt, ms, group.split(':')[0]])
    if (!error) return
    g.errors.set(error, (g.errors.get(error) ?? 0) + 1)
    if (!this.samples.has(error)) this.samples.set(error, `${group}: ${sample ?? ''}`.replace(/\s+/g, ' ').trim())
  }
}

/** p50/p95/p99/max of some times, in milliseconds. */
export function percentiles(times) {
  const sorted = [...times].sort((a, b) => a - b)
  const at = (p) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0
  return { n: sorted.length, p50: at(0.5), p95: at(0.95), p99: at(0.99), max: sorted.at(-1) ?? 0 }
}

const staffTimes = (recorder) =>
  [...recorder.groups].filter(([group]) => group.startsWith('staff:')).flatMap(([, g]) => g.times)
const errorCount = (recorder) =>
  [...recorder.groups.values()].reduce((n, g) => n + [...g.errors.values()].reduce((a, b) => a + b, 0), 0)

/** Per window of the run: the staff pages' p95 and count, and the webhooks answered and their p95, by when each request started. */
function timeline(recorder, started, windowSeconds) {
  const windows = []
  for (const [at, ms, kind] of recorder.timeline) {
    const i = Math.max(0, Math.floor((at - started) / 1000 / windowSeconds))
    windows[i] ??= { staff: [], webhook: [] }
    windows[i][kind]?.push(ms)
  }
  return [...windows].map((w, i) => ({
    from: i * windowSeconds,
    staff: percentiles(w?.staff ?? []),
    webhook: percentiles(w?.webhook ?? []),
  }))
}

/** Seeds the businesses, signs the staff in, then runs everything at once for `seconds`. */
export async function loadAtScale(o) {
  const dataDir = mkdtempSync(join(tmpdir(), 'homebase-bench-load-'))
  const source = snapshot()
  migrate(source.dir, dataDir)
  const port = await freePort()
  const twilio = localDefaults()
  let server
  try {
    mkdirSync(join(root, 'bench/results'), { recursive: true })
    const logFile = join(root, 'bench/results/load-wrangler.log')
    server = await startSnapshotWorker({
      dir: source.dir,
      port,
      dataDir,
      logFile,
      quiet: !verbose,
      vars: twilio,
      inspector: o.inspector,
    })
    const base = server.url.replace('localhost', '127.0.0.1')
    const seeded = performance.now()
    const perBusiness = Math.ceil(o.staff / o.businesses)
    const businesses = []
    for (let b = 0; b < o.businesses; b++) {
      businesses.push(
        await seedBusiness(base, b, {
          clients: o.clients,
          staff: perBusiness,
          jobs: o.jobs,
          leads: o.leads,
          invoices: o.invoices,
        }),
      )
      console.log(
        `  business ${b + 1} of ${o.businesses} ready (${((performance.now() - seeded) / 1000).toFixed(0)} s)`,
      )
    }
    const seedSeconds = (performance.now() - seeded) / 1000

    const signIns = new Recorder()
    const people = businesses.flatMap((business) => business.members.map((member) => ({ business, member })))
    const sessions = []
    await inParallel(Math.min(o.staff, people.length), 4, async (i) => {
      const started = performance.now()
      sessions[i] = { ...people[i], session: await signIn(base, people[i].member) }
      signIns.add('sign in', performance.now() - started)
    })

    // The campaign: a text to every client of the first business, fixed and decided by the minute cron's runs.
    const { call } = apiClient(base)
    const first = businesses[0]
    await call('PATCH', '/api/v1/organization', { campaign_batch_size: o.campaignBatch }, first.key)
    const campaign = await call(
      'POST',
      '/api/v1/campaigns',
      {
        name: 'Spring tune-up',
        channel: 'sms',
        body: 'Hi {{first_name}}, {{business_name}} has spring openings: {{portal_link}}',
      },
      first.key,
    )
    const preview = await call('GET', `/api/v1/campaigns/${campaign.id}/preview`, undefined, first.key)

    const staffRun = (recorder, deadline, seed) =>
      sessions.map((s, index) =>
        staffSession({
          base,
          business: s.business,
          session: s.session,
          index: index + seed,
          deadline,
          recorder,
          thinkTime: o.thinkTime,
        }),
      )

    // First the staff alone (what the pages cost without the other generators), then everything at once.
    const alone = new Recorder()
    const aloneMeter = cpuMeter(server.child.pid)
    let started = performance.now()
    console.log(
      `load: ${businesses.length} businesses seeded in ${seedSeconds.toFixed(0)} s; ${sessions.length} staff alone for ${o.baselineSeconds} s`,
    )
    await Promise.all(staffRun(alone, started + o.baselineSeconds * 1000, 0))
    const baseline = { wallSeconds: (performance.now() - started) / 1000, cpu: aloneMeter() }

    console.log(`  then with ${o.webhooksPerSecond} webhooks/s and a campaign for ${o.seconds} s`)
    const recorder = new Recorder()
    const load = { before: loadavg()[0] }
    const meter = cpuMeter(server.child.pid)
    started = performance.now()
    const deadline = started + o.seconds * 1000
    await call('POST', `/api/v1/campaigns/${campaign.id}/send`, {}, first.key)
    const ticks = (async () => {
      while (performance.now() < deadline) {
        await timed(recorder, 'cron: minute tick (/__scheduled)', `${base}/__scheduled?cron=*+*+*+*+*`, {}, [200])
        await new Promise((r) => setTimeout(r, o.cronSeconds * 1000))
      }
    })()
    const sids = []
    const next = deliveries({ base, publicBase: server.url, businesses, twilio, sids })
    const [stream] = await Promise.all([
      webhookStream({ next, rate: o.webhooksPerSecond, replayShare: o.replayShare, deadline, recorder }),
      sidPoller({ base, key: first.key, sids, deadline, recorder }),
      ticks,
      ...staffRun(recorder, deadline, 1000),
    ])
    const wallSeconds = (performance.now() - started) / 1000
    const cpu = meter()
    load.after = loadavg()[0]
    const sent = await call('GET', `/api/v1/campaigns/${campaign.id}`, undefined, first.key)
    return {
      options: o,
      commit: source.commit,
      seedSeconds,
      clients: businesses.reduce((n, b) => n + b.imported.total, 0),
      jobs: businesses.reduce((n, b) => n + b.jobIds.length, 0),
      sessions: sessions.length,
      signIn: percentiles(signIns.groups.get('sign in').times),
      aloneGroups: Object.fromEntries([...alone.groups].map(([group, g]) => [group, percentiles(g.times)])),
      groups: [...recorder.groups].map(([group, g]) => ({
        group,
        ...percentiles(g.times),
        errors: Object.fromEntries(g.errors),
      })),
      errorSamples: Object.fromEntries(recorder.samples),
      timeline: timeline(recorder, started, o.timelineSeconds),
      staffTimes: staffTimes(recorder),
      campaignBusiness: percentiles(recorder.byBusiness.get(0) ?? []),
      otherBusinesses: percentiles([...recorder.byBusiness].filter(([b]) => b !== 0).flatMap(([, t]) => t)),
      baseline: { ...baseline, staff: percentiles(staffTimes(alone)), errors: errorCount(alone) },
      load,
      stream,
      statusSids: sids.length,
      campaign: {
        willReceive: preview.will_receive ?? preview.count ?? null,
        progress: sent.progress,
        status: sent.status,
      },
      wallSeconds,
      cpu,
      cores: cpus().length,
    }
  } finally {
    await server?.stop()
    rmSync(dataDir, { recursive: true, force: true })
    source.remove()
  }
}

/** The options from the environment (bench/README.md lists them). */
export function loadOptions(env = process.env) {
  const num = (name, fallback) => Number(env[name] ?? fallback)
  return {
    seconds: num('BENCH_LOAD_SECONDS', 60),
    baselineSeconds: num('BENCH_LOAD_BASELINE_SECONDS', 15),
    timelineSeconds: num('BENCH_LOAD_WINDOW_SECONDS', 10),
    businesses: num('BENCH_LOAD_ORGS', 5),
    clients: num('BENCH_LOAD_CLIENTS', 3000),
    staff: num('BENCH_LOAD_STAFF', 50),
    jobs: num('BENCH_LOAD_JOBS', 300),
    leads: num('BENCH_LOAD_LEADS', 120),
    invoices: num('BENCH_LOAD_INVOICES', 40),
    webhooksPerSecond: num('BENCH_LOAD_WEBHOOKS', 200),
    replayShare: num('BENCH_LOAD_REPLAYS', 0.2),
    cronSeconds: num('BENCH_LOAD_CRON_SECONDS', 20),
    campaignBatch: num('BENCH_LOAD_CAMPAIGN_BATCH', 1000),
    thinkTime: env.BENCH_LOAD_THINK !== 'off',
    inspector: env.BENCH_LOAD_INSPECTOR === 'on',
  }
}
