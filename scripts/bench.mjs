// Over 300 lines on purpose: the ten benchmark parts and the one results table they write, so `npm run bench` has one entry and one output.
// `npm run bench`, in ten parts (import: one 50k-row CSV file through the queue), written together to bench/results.md (see bench/README.md):
//   http:     latency of the foundation's hot API paths against a local `wrangler dev`;
//   org:      one organization seeded to 100k clients and 300k jobs inside workerd
//             (vitest.bench.config.ts, tests/bench/), timed in the object, over RPC and over HTTP;
//   messages: 10,000 reminders due at once across 100 organizations, from one cron tick through
//             the events and sends queues to the outbox (tests/bench/messaging.bench.test.ts);
//   campaign: an SMS campaign to 10,000 clients, decided in batches (tests/bench/campaign.bench.test.ts);
//   schedule: the calendar's day, week and month pages of 20 people and 2,000 jobs a month, and booking a
//             52-visit series (tests/bench/schedule.bench.test.ts);
//   billing:  the invoice page, its printout, the pay page, the inbox and a thread of 200 messages
//             (tests/bench/billing.bench.test.ts);
//   sales:    the pipeline board and the leads list of 5,000 leads, and moving a lead (tests/bench/sales.bench.test.ts);
//   metrics:  the operator console's metrics job: one message of 50 businesses inside workerd
//             (tests/bench/metrics.bench.test.ts) and 10,000 businesses against `wrangler dev` (scripts/lib/metrics-bench.mjs);
//   load:     staff sessions, webhooks at 200/s and a campaign at once against `wrangler dev` (scripts/lib/load-bench.mjs).
// `node scripts/bench.mjs http` (or `org`, `messages`) runs one part. Loopback only; bounded request counts.
import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { cpus, tmpdir, totalmem } from 'node:os'
import { join } from 'node:path'
import { createHmac } from 'node:crypto'
import { applyMigrations, freePort, localDefaults, root, startWorker } from './lib/dev-server.mjs'
import { metricsAtScale } from './lib/metrics-bench.mjs'
import { loadAtScale, loadOptions } from './lib/load-bench.mjs'
import { loadSection } from './lib/load-report.mjs'

const N = Number(process.env.BENCH_N ?? 300)
const ALL_PARTS = ['http', 'org', 'messages', 'import', 'campaign', 'schedule', 'billing', 'sales', 'metrics', 'load']
const parts = process.argv.slice(2).length ? process.argv.slice(2) : ALL_PARTS

async function httpBench() {
  const dataDir = mkdtempSync(join(tmpdir(), 'homebase-bench-'))
  applyMigrations(dataDir)
  const server = await startWorker({ port: await freePort(), dataDir, quiet: true, vars: localDefaults() })
  const base = server.url.replace('localhost', '127.0.0.1')

  async function call(method, path, key, body) {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: {
        ...(key ? { authorization: `Bearer ${key}` } : {}),
        ...(body ? { 'content-type': 'application/json' } : {}),
      },
      body: body ? JSON.stringify(body) : undefined,
    })
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`)
    return res.json()
  }

  async function measure(name, fn) {
    for (let i = 0; i < 10; i++) await fn(-1 - i) // warm-up
    const times = []
    const start = performance.now()
    for (let i = 0; i < N; i++) {
      const t = performance.now()
      await fn(i)
      times.push(performance.now() - t)
    }
    const total = performance.now() - start
    times.sort((a, b) => a - b)
    const pct = (p) => times[Math.min(times.length - 1, Math.floor(p * times.length))].toFixed(2)
    const row = { name, n: N, p50: pct(0.5), p95: pct(0.95), p99: pct(0.99), rps: (N / (total / 1000)).toFixed(0) }
    console.log(`  ${name}: p50 ${row.p50} ms, p95 ${row.p95} ms`)
    return row
  }

  try {
    console.log(`http: ${N} sequential requests per path against wrangler dev`)
    const org = await call('POST', '/api/v1/signup', null, {
      email: 'bench@example.com',
      password: 'bench password 1',
      organization_name: 'Bench Co',
    })
    const key = org.api_key
    const rows = []
    rows.push(
      await measure('POST /api/v1/people/upsert (new email)', (i) =>
        call('POST', '/api/v1/people/upsert', key, { email: `p${i}@bench.example` }),
      ),
    )
    rows.push(
      await measure('POST /api/v1/people/upsert (existing phone)', () =>
        call('POST', '/api/v1/people/upsert', key, { phone: '(415) 555-2671' }),
      ),
    )
    rows.push(
      await measure('POST /api/v1/clients (new person)', (i) =>
        call('POST', '/api/v1/clients', key, { first_name: `C${i}`, email: `c${i}@bench.example`, tags: ['bench'] }),
      ),
    )
    rows.push(await measure('GET /api/v1/clients?limit=50', () => call('GET', '/api/v1/clients?limit=50', key)))
    rows.push(
      await measure('GET /api/v1/clients?tag=bench&limit=50', () =>
        call('GET', '/api/v1/clients?tag=bench&limit=50', key),
      ),
    )
    rows.push(...(await engagementRows(base, call, measure, key)))
    return [
      `## API latency through \`wrangler dev\` (a small organization)`,
      '',
      `Sequential requests from Node over loopback to a local \`wrangler dev\`; ${N} per path after 10 warm-up requests.`,
      '',
      '| operation | n | p50 ms | p95 ms | p99 ms | req/s |',
      '|---|---:|---:|---:|---:|---:|',
      ...rows.map((r) => `| ${r.name} | ${r.n} | ${r.p50} | ${r.p95} | ${r.p99} | ${r.rps} |`),
    ].join('\n')
  } finally {
    await server.stop()
    rmSync(dataDir, { recursive: true, force: true })
  }
}

/**
 * Journeys, webhooks and the portal: completing a job that enrolls the client in a journey, a CRM
 * webhook's acknowledgement (verify, store once, enqueue; the work runs later from the queue),
 * a replayed webhook, and the homeowner's portal page (with its size).
 */
async function engagementRows(base, call, measure, key) {
  const rows = []
  const client = await call('POST', '/api/v1/clients', key, {
    first_name: 'Journey',
    email: 'journey@bench.example',
    phone: '(415) 555-0142',
  })
  await call('POST', '/api/v1/journeys', key, {
    name: 'Thanks',
    trigger_event: 'job_completed',
    settings: { reentry: { mode: 'after_days', days: 0 } },
    steps: [{ type: 'sms', body: 'Thanks {{first_name}}!' }],
  })
  const jobs = []
  for (let i = 0; i < N + 10; i++)
    jobs.push(
      (
        await call('POST', '/api/v1/jobs', key, {
          org_client_id: client.org_client_id,
          start_at: new Date(Date.now() + (i + 2) * 86_400_000).toISOString(),
        })
      ).job.id,
    )
  rows.push(
    await measure('PATCH /api/v1/jobs/{id} completed (enrolls in a journey)', (i) =>
      call('PATCH', `/api/v1/jobs/${jobs[i + 10]}`, key, { status: 'completed' }),
    ),
  )

  const secret = 'bench-hcp-secret'
  const connection = await call('POST', '/api/v1/integrations', key, {
    provider: 'housecallpro',
    webhook_secret: secret,
  })
  const hook = (body) => {
    const ts = String(Math.floor(Date.now() / 1000))
    return fetch(`${base}/webhooks/housecallpro/${connection.connection_id}`, {
      method: 'POST',
      body,
      headers: {
        'content-type': 'application/json',
        'api-timestamp': ts,
        'api-signature': createHmac('sha256', secret).update(`${ts}.${body}`).digest('hex'),
      },
    }).then(async (res) => {
      if (!res.ok) throw new Error(`webhook: ${res.status} ${await res.text()}`)
      return res.json()
    })
  }
  const event = (i) =>
    JSON.stringify({
      id: `evt_${i}`,
      event: 'customer.updated',
      customer: { id: `cus_${i}`, first_name: 'Bench', last_name: `Customer ${i}`, email: `hcp${i}@bench.example` },
    })
  rows.push(
    await measure('POST /webhooks/housecallpro/{id} (new event: verify, store, enqueue)', (i) => hook(event(i))),
  )
  rows.push(await measure('POST /webhooks/housecallpro/{id} (replayed event)', () => hook(event(0))))

  const link = await call('POST', '/api/v1/portal-links', key, { org_client_id: client.org_client_id })
  const page = await (await fetch(link.url.replace(/^https?:\/\/[^/]+/, base))).text()
  const row = await measure('GET /p/{token} (homeowner portal page)', async () => {
    const res = await fetch(link.url.replace(/^https?:\/\/[^/]+/, base))
    if (!res.ok) throw new Error(`portal: ${res.status}`)
    await res.text()
  })
  rows.push({ ...row, name: `${row.name}, ${(new TextEncoder().encode(page).length / 1024).toFixed(1)} KB` })
  return rows
}

/** Runs the bench files whose path contains `file` under vitest.bench.config.ts; returns each test's meta and how many failed. */
async function runBenchFile(file) {
  const { startVitest } = await import('vitest/node')
  const metas = []
  let failed = 0
  const collector = {
    onTestCaseResult(testCase) {
      metas.push(testCase.meta())
      if (testCase.result().state === 'failed') failed++
    },
  }
  const vitest = await startVitest('test', [file], {
    config: join(root, 'vitest.bench.config.ts'),
    watch: false,
    reporters: ['default', collector],
  })
  await vitest.close()
  return { metas, failed }
}

async function orgBench() {
  const { metas, failed } = await runBenchFile('tests/bench/org-scale.bench')
  const rows = metas.flatMap((meta) => meta.bench ?? [])
  const seed = metas.reduce((found, meta) => meta.benchSeed ?? found, null)
  if (failed > 0 || rows.length === 0)
    throw new Error(`the org-scale benchmark failed (${failed} failed tests, ${rows.length} rows)`)
  return formatOrgTable(rows, seed)
}

async function messagesBench() {
  const { metas, failed } = await runBenchFile('tests/bench/messaging.bench')
  const result = metas.find((meta) => meta.benchMessaging)?.benchMessaging
  if (!result) throw new Error(`the messaging benchmark failed before measuring (${failed} failed tests)`)
  const table = formatMessagingTable(result)
  if (failed > 0) {
    // A failed check (something sent twice) still prints what was measured, then fails the run.
    console.error(`\n${table}\n`)
    throw new Error(`the messaging benchmark failed (${failed} failed tests); see the table above`)
  }
  return table
}

async function importBench() {
  const { metas, failed } = await runBenchFile('tests/bench/import.bench')
  const r = metas.find((meta) => meta.benchImport)?.benchImport
  if (!r || failed > 0) throw new Error(`the import benchmark failed (${failed} failed tests)`)
  const count = (n) => Math.round(n).toLocaleString('en-US')
  return [
    '## CSV import',
    '',
    `One file of ${count(r.rows)} rows (${(r.bytes / 2 ** 20).toFixed(1)} MB: full name, email, phone, address, tags, status) posted to ` +
      '`POST /api/v1/clients/import`, then processed by the `imports` queue (messages of 100 rows, 20 to a batch) until the import is `done`.',
    '',
    '| measure | value |',
    '|---|---:|',
    `| upload answered (parse, map, enqueue) | ${(r.acceptMs / 1000).toFixed(1)} s |`,
    `| first run started to last row counted | ${r.processingSeconds.toFixed(1)} s |`,
    `| rows/second while processing | ${count(r.rowsPerSecond)} |`,
    `| rows/second, upload to done | ${count(r.wallRowsPerSecond)} |`,
    `| target ≥ ${count(r.targetRowsPerSecond)} rows/s | ${r.rowsPerSecond >= r.targetRowsPerSecond ? 'met' : '**missed**'} |`,
  ].join('\n')
}

async function campaignBench() {
  const { metas, failed } = await runBenchFile('tests/bench/campaign.bench')
  const r = metas.find((meta) => meta.benchCampaign)?.benchCampaign
  if (!r || failed > 0) throw new Error(`the campaign benchmark failed (${failed} failed tests)`)
  const count = (n) => Math.round(n).toLocaleString('en-US')
  return [
    '## Campaign to a large segment, inside workerd',
    '',
    `One organization with ${count(r.clients)} clients (seeded in ${r.seedSeconds.toFixed(0)} s); an SMS campaign to every active client, ` +
      `decided ${count(r.batch)} recipients per run of due work (the throttle; the minute cron runs one run per minute). Each decision reads ` +
      "consent, checks the daily cap and quiet hours, signs the client's links and writes one message row; handing the rows to the `sends` queue is not timed here.",
    '',
    '| measure | value |',
    '|---|---:|',
    `| matched / will receive (preview) | ${count(r.matched)} / ${count(r.willReceive)} |`,
    `| messages queued when the campaign was sent | ${count(r.queued)} (${r.queued === r.willReceive ? 'equals the preview' : '**differs from the preview**'}) |`,
    `| preview of the whole segment | ${r.previewMs} ms |`,
    `| first run: fix ${count(r.matched)} recipients + decide ${count(r.batch)} | ${(r.firstRunMs / 1000).toFixed(2)} s |`,
    `| later runs, p50 (${count(r.batch)} decisions each) | ${(r.runP50Ms / 1000).toFixed(2)} s |`,
    `| runs until sent / total time | ${r.runs} / ${(r.totalMs / 1000).toFixed(1)} s |`,
    `| decisions per second | ${count(r.perSecond)} |`,
  ].join('\n')
}

async function scheduleBench() {
  const { metas, failed } = await runBenchFile('tests/bench/schedule.bench')
  const r = metas.find((meta) => meta.benchSchedule)?.benchSchedule
  if (!r || failed > 0) throw new Error(`the schedule benchmark failed (${failed} failed tests)`)
  const cellOf = (row) => cell(row.http ?? row.rpc)
  return [
    '## The schedule of a busy business, inside workerd',
    '',
    `${r.people} people on the team and ${r.jobs.toLocaleString('en-US')} jobs in one month (crews of one or two; seeded in ${r.seedSeconds.toFixed(0)} s). ` +
      "Pages are timed through the Worker's fetch handler with a staff session (session and team from D1, the object's RPC, rendering): " +
      'the whole server time of the request, p50 / p95 in milliseconds.',
    '',
    '| operation | p50 / p95 | target (p50) | samples |',
    '|---|---:|---|---:|',
    ...r.rows.map((row) => {
      const s = row.http ?? row.rpc
      const target =
        row.targetMs === undefined ? '–' : `≤ ${row.targetMs} ms ${s.p50 <= row.targetMs ? 'met' : '**missed**'}`
      return `| ${row.operation}${row.note ? ` (${row.note})` : ''} | ${cellOf(row)} | ${target} | ${s.n} |`
    }),
  ].join('\n')
}

async function billingBench() {
  const { metas, failed } = await runBenchFile('tests/bench/billing.bench')
  const r = metas.find((meta) => meta.benchBilling)?.benchBilling
  if (!r || failed > 0) throw new Error(`the billing benchmark failed (${failed} failed tests)`)
  return [
    '## Invoices and the inbox, inside workerd',
    '',
    `${r.invoices.toLocaleString('en-US')} invoices and ${r.conversations} conversations (half unread, one of 200 messages) in a business of 20,000 clients (seeded in ${r.seedSeconds.toFixed(0)} s). ` +
      "Pages are timed through the Worker's fetch handler with a staff session (or the homeowner's pay link), the object's RPC and rendering: " +
      'the whole server time of the request, p50 / p95 in milliseconds.',
    '',
    '| operation | p50 / p95 | samples |',
    '|---|---:|---:|',
    ...r.rows.map(
      (row) => `| ${row.operation}${row.note ? ` (${row.note})` : ''} | ${cell(row.http)} | ${row.http.n} |`,
    ),
  ].join('\n')
}

async function salesBench() {
  const { metas, failed } = await runBenchFile('tests/bench/sales.bench')
  const r = metas.find((meta) => meta.benchSales)?.benchSales
  if (!r || failed > 0) throw new Error(`the sales benchmark failed (${failed} failed tests)`)
  return [
    '## The sales pipeline, inside workerd',
    '',
    `${r.leads.toLocaleString('en-US')} leads over the five default statuses (values, follow-ups, ${r.people} owners; seeded in ${r.seedSeconds.toFixed(0)} s). ` +
      "Pages are timed through the Worker's fetch handler with a staff session (session and team from D1, the object's RPC, rendering): " +
      'the whole server time of the request, p50 / p95 in milliseconds.',
    '',
    '| operation | p50 / p95 | target (p50) | samples |',
    '|---|---:|---|---:|',
    ...r.rows.map((row) => {
      const s = row.http ?? row.rpc
      const target =
        row.targetMs === undefined ? '–' : `≤ ${row.targetMs} ms ${s.p50 <= row.targetMs ? 'met' : '**missed**'}`
      return `| ${row.operation}${row.note ? ` (${row.note})` : ''} | ${cell(s)} | ${target} | ${s.n} |`
    }),
  ].join('\n')
}

async function metricsBench() {
  const { metas, failed } = await runBenchFile('tests/bench/metrics.bench')
  const r = metas.find((meta) => meta.benchMetrics)?.benchMetrics
  if (!r || failed > 0) throw new Error(`the metrics benchmark failed (${failed} failed tests)`)
  const scale = await metricsAtScale({ organizations: Number(process.env.BENCH_METRICS_ORGS ?? 10_000) })
  const count = (n) => n.toLocaleString('en-US')
  const s = (ms) => `${(ms / 1000).toFixed(1)} s`
  const run = (x) => `${s(x.totalMs)} (${count(x.done)} of ${count(x.total)}; answered in ${x.startMs.toFixed(0)} ms)`
  // The run sends 50 businesses a message, two messages a second (src/platform/metrics-job.ts): the last one waits this long.
  const lastDelayMs = (x) => Math.floor((Math.ceil(x.total / 50) - 1) / 2) * 1000
  return [
    '## The metrics job (operator console)',
    '',
    `**${count(scale.organizations)} businesses through \`wrangler dev\`.** Each signed up through the API (its ORG object made as an owner's is; ` +
      `${count(scale.withData)} with two clients and a visit), then its last sign-in, signup date, subscription and history written to D1 ` +
      `(seeded in ${scale.seedSeconds.toFixed(0)} s). "Recompute now" is timed from the request to the last business's row, through the ` +
      '`events` queue (50 businesses a message, sent two a second by design, at most 50 objects at once per consumer), first with every ' +
      'object asleep on disk (the Worker restarted, as at 03:00) and again at once with them awake. The pace sets the whole time; ' +
      '"after the last message was due" is how far behind it the work came.',
    '',
    '| measure | value |',
    '|---|---:|',
    `| the whole job, objects asleep | ${run(scale.asleep)} |`,
    `| the whole job again, objects awake | ${run(scale.awake)} |`,
    `| after the last message was due (${s(lastDelayMs(scale.asleep))}), objects asleep / awake | ${s(scale.asleep.totalMs - lastDelayMs(scale.asleep))} / ${s(scale.awake.totalMs - lastDelayMs(scale.awake))} |`,
    `| businesses with data counted right (2 clients, 1 job in 30 days) | ${count(scale.counted)} of ${count(scale.withData)} |`,
    `| engagement afterwards | ${count(scale.engagement.active)} active, ${count(scale.engagement.at_risk)} at risk, ${count(scale.engagement.dormant)} dormant |`,
    '',
    `**Inside workerd** (vitest-pool-workers, ${count(r.organizations)} businesses with a few clients, jobs and messages each, seeded in ` +
      `${r.seedSeconds.toFixed(0)} s): one message's work (50 businesses: two D1 reads, 50 objects, one upsert) ${r.messageP50Ms} ms p50; ` +
      `the whole run, ${count(r.messages)} messages through the queue, ${s(r.totalMs)}.`,
  ].join('\n')
}

const ms = (v) => (v >= 10 ? v.toFixed(1) : v.toFixed(2))
const cell = (s) => (s ? `${ms(s.p50)} / ${ms(s.p95)}` : '–')
const verdict = (row) => {
  if (row.targetMs === undefined) return '–'
  if (!row.server) return `≤ ${row.targetMs} ms (not measured)`
  return `≤ ${row.targetMs} ms ${row.server.p50 <= row.targetMs ? 'met' : '**missed**'}`
}

function formatOrgTable(rows, seed) {
  const count = (n) => n.toLocaleString('en-US')
  const samples = (r) => [r.server, r.rpc, r.http].map((s) => (s ? s.n : '–')).join(' / ')
  const notes = rows.filter((r) => r.note).map((r) => `- *${r.operation}*: ${r.note}.`)
  const booking = rows.find((r) => r.operation.startsWith('create job'))
  const perSecond = (s) => (s ? `${s.perSecond.toFixed(0)}/s` : '–')
  return [
    `## One organization at scale, inside workerd`,
    '',
    seed
      ? `${count(seed.clients)} clients and ${count(seed.jobs)} jobs, seeded through the domain functions inside the ORG object in ` +
        `${seed.clientSeconds.toFixed(0)} s (clients) + ${seed.jobSeconds.toFixed(0)} s (jobs).`
      : '',
    '',
    'Milliseconds, p50 / p95. *In object*: the domain function alone, timed inside the ORG object (the target applies here). ' +
      "*RPC*: the object's method called from the test, serialization included. *HTTP*: the request through the Worker's fetch handler " +
      "(routing, the API key, remembered by the isolate after its first D1 lookup, RPC, JSON). Each sample is the mean of several back-to-back runs (workerd's clock ticks in whole milliseconds).",
    '',
    '| operation | in object | RPC | HTTP | target (in object p50) | samples (object / RPC / HTTP) |',
    '|---|---:|---:|---:|---|---:|',
    ...rows.map(
      (r) =>
        `| ${r.operation} | ${cell(r.server)} | ${cell(r.rpc)} | ${cell(r.http)} | ${verdict(r)} | ${samples(r)} |`,
    ),
    '',
    booking
      ? `Booking throughput, one booking after another: ${perSecond(booking.server)} in the object, ${perSecond(booking.rpc)} over RPC, ${perSecond(booking.http)} over HTTP.`
      : '',
    '',
    ...notes,
  ].join('\n')
}

/** The queue consumers' settings in wrangler.toml, which set the pace of the messaging pipeline. */
function queueConsumers() {
  const toml = readFileSync(join(root, 'wrangler.toml'), 'utf8')
  return toml
    .split('[[queues.consumers]]')
    .slice(1)
    .map((section) => {
      const block = section.split(/^\[/m)[0]
      const get = (key) => block.match(new RegExp(`^${key}\\s*=\\s*"?([^"\\n]+?)"?\\s*$`, 'm'))?.[1]
      return { queue: get('queue'), maxBatchSize: get('max_batch_size'), maxBatchTimeout: get('max_batch_timeout') }
    })
}

function formatMessagingTable(r) {
  const count = (n) => n.toLocaleString('en-US')
  const s = (ms) => (ms === null || ms === undefined ? '–' : `${(ms / 1000).toFixed(1)} s`)
  const total = r.orgs * r.perOrg
  const l = r.lateness
  const twice = r.duplicates.perReminder + r.duplicates.perMessage + r.duplicates.perPhone
  const allIn = r.delivered >= total
  const inTime = allIn && l !== null && l.max <= r.targetSeconds * 1000
  const verdict =
    inTime && twice === 0
      ? `met: the last message ${s(l.max)} after its due time`
      : `**missed**: ${!allIn ? `${count(total - r.delivered)} messages not in the outbox after ${r.limitSeconds} s` : `the last message ${s(l?.max)} after its due time`}${twice ? `, ${count(twice)} duplicates` : ''}`
  const consumers = queueConsumers().filter((c) => c.queue === 'homebase-events' || c.queue === 'homebase-sends')
  const statuses =
    Object.entries(r.statuses)
      .map(([status, n]) => `${count(n)} ${status}`)
      .join(', ') || 'none'
  return [
    `## Messaging: cron tick to outbox`,
    '',
    `${count(total)} reminders (${count(r.orgs)} organizations × ${count(r.perOrg)} clients, one job each, SMS, quiet hours off) due at the same moment, ` +
      `seeded in ${r.seedSeconds.toFixed(0)} s. One cron tick, run ${s(r.tickAfterDueMs)} after the due time; then the real queues: \`events\` ` +
      `delivers one \`run_due\` per organization, each ORG object decides and enqueues its sends, and the \`sends\` consumer writes each message to ` +
      `the outbox (D1 \`outbox\`). Lateness is \`outbox.created_at\` minus the reminder's \`send_at\`.`,
    '',
    '| measure | value |',
    '|---|---:|',
    `| messages in the outbox | ${count(r.delivered)} of ${count(total)}${r.timedOut ? ` (polling gave up after ${r.limitSeconds} s)` : ''} |`,
    `| cron tick to last outbox row (total) | ${s(r.lastMs)} |`,
    `| cron tick to every \`run_due\` decided | ${s(r.decidedMs)} |`,
    `| cron tick to first outbox row | ${s(r.firstMs)} |`,
    `| lateness p50 / p99 | ${s(l?.p50)} / ${s(l?.p99)} |`,
    `| lateness p90 / max | ${s(l?.p90)} / ${s(l?.max)} |`,
    `| messages/second (tick to last row) | ${r.lastMs ? (r.delivered / (r.lastMs / 1000)).toFixed(0) : '–'} |`,
    `| sent twice | ${count(twice)} (reminders with > 1 message: ${r.duplicates.perReminder}; message ids with > 1 outbox row: ${r.duplicates.perMessage}; phones with > 1 outbox row: ${r.duplicates.perPhone}) |`,
    `| target: all sent within ${r.targetSeconds} s of due, none twice | ${verdict} |`,
    '',
    `Messages in the ORG objects afterwards: ${statuses}. The cron handler itself took ${r.tickMs} ms. Queue consumers (wrangler.toml): ` +
      consumers
        .map(
          (c) =>
            `\`${c.queue}\` max_batch_size ${c.maxBatchSize ?? '–'}, max_batch_timeout ${c.maxBatchTimeout ?? '–'} s`,
        )
        .join('; ') +
      '. ' +
      'The local queues (Miniflare) hand a consumer one batch at a time and wait for it before the next; Cloudflare runs batches of a queue ' +
      'concurrently, so this is the pipeline run one batch at a time on one machine, not a forecast for production (see README.md).',
  ].join('\n')
}

function machine() {
  const cpu = cpus()
  const version = (pkg) => JSON.parse(readFileSync(join(root, 'node_modules', pkg, 'package.json'), 'utf8')).version
  let commit = 'unknown'
  try {
    commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], {
      cwd: root,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim()
  } catch {
    // not a git checkout
  }
  return (
    `${new Date().toISOString()} · ${cpu.length} × ${cpu[0]?.model ?? 'unknown CPU'}, ${(totalmem() / 2 ** 30).toFixed(0)} GB · ` +
    `Node ${process.versions.node} · workerd ${version('workerd')} · commit ${commit}`
  )
}

const started = Date.now()
const sections = []
if (parts.includes('http')) sections.push(await httpBench())
if (parts.includes('org')) sections.push(await orgBench())
if (parts.includes('messages')) sections.push(await messagesBench())
if (parts.includes('import')) sections.push(await importBench())
if (parts.includes('campaign')) sections.push(await campaignBench())
if (parts.includes('schedule')) sections.push(await scheduleBench())
if (parts.includes('billing')) sections.push(await billingBench())
if (parts.includes('sales')) sections.push(await salesBench())
if (parts.includes('metrics')) sections.push(await metricsBench())
if (parts.includes('load')) sections.push(loadSection(await loadAtScale(loadOptions())))
const report = [
  '# HomeBase benchmark results',
  '',
  `Written by \`npm run bench\` (see [README.md](README.md)). ${machine()} · ${((Date.now() - started) / 1000).toFixed(0)} s in all.`,
  '',
  ...sections.flatMap((s) => [s, '']),
].join('\n')
mkdirSync(join(root, 'bench/results'), { recursive: true })
writeFileSync(join(root, 'bench/results/latest.md'), report)
const resultsPath = join(root, 'bench/results.md')
if (ALL_PARTS.every((part) => parts.includes(part))) writeFileSync(resultsPath, report)
else if (process.env.BENCH_UPDATE === '1') writeFileSync(resultsPath, updatedResults(readFileSync(resultsPath, 'utf8')))
console.log(`\n${report}`)

/**
 * `BENCH_UPDATE=1`: the committed report with this run's parts in place of the same sections (or
 * added at the end), each stamped with this run's machine line, so a part re-run after a change
 * shows up without re-running every part.
 */
function updatedResults(previous) {
  const split = (text) => {
    const [head, ...rest] = text.split(/^(?=## )/m)
    return { head, sections: rest }
  }
  const heading = (section) => section.split('\n', 1)[0]
  const { head, sections: old } = split(previous)
  const stamp = `_This section from a later run of this part alone: ${machine()}._\n\n`
  const fresh = sections.map((s) => {
    const [first, ...body] = s.split('\n')
    return `${first}\n\n${stamp}${body.join('\n').replace(/^\n+/, '')}\n\n`
  })
  const merged = old.map((s) => fresh.find((f) => heading(f) === heading(s)) ?? s)
  for (const f of fresh) if (!old.some((s) => heading(s) === heading(f))) merged.push(f)
  return `${head}${merged.join('')}`.replace(/\n{3,}/g, '\n\n')
}
