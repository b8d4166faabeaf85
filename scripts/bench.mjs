// `npm run bench`, in two parts, written together to bench/results.md (see bench/README.md):
//   http: latency of the foundation's hot API paths against a local `wrangler dev`;
//   org:  one organization seeded to 100k clients and 300k jobs inside workerd
//         (vitest.bench.config.ts, tests/bench/), timed in the object, over RPC and over HTTP.
// `node scripts/bench.mjs http` or `... org` runs one part. Loopback only; bounded request counts.
import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { cpus, tmpdir, totalmem } from 'node:os'
import { join } from 'node:path'
import { applyMigrations, freePort, root, startWorker } from './lib/dev-server.mjs'

const N = Number(process.env.BENCH_N ?? 300)
const parts = process.argv.slice(2).length ? process.argv.slice(2) : ['http', 'org']

async function httpBench() {
  const dataDir = mkdtempSync(join(tmpdir(), 'homebase-bench-'))
  applyMigrations(dataDir)
  const server = await startWorker({ port: await freePort(), dataDir, quiet: true })
  const base = server.url.replace('localhost', '127.0.0.1')

  async function call(method, path, key, body) {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: { ...(key ? { authorization: `Bearer ${key}` } : {}), ...(body ? { 'content-type': 'application/json' } : {}) },
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
    const org = await call('POST', '/api/v1/signup', null, { email: 'bench@example.com', password: 'bench password 1', organization_name: 'Bench Co' })
    const key = org.api_key
    const rows = []
    rows.push(await measure('POST /api/v1/people/upsert (new email)', (i) => call('POST', '/api/v1/people/upsert', key, { email: `p${i}@bench.example` })))
    rows.push(await measure('POST /api/v1/people/upsert (existing phone)', () => call('POST', '/api/v1/people/upsert', key, { phone: '(415) 555-2671' })))
    rows.push(await measure('POST /api/v1/clients (new person)', (i) => call('POST', '/api/v1/clients', key, { first_name: `C${i}`, email: `c${i}@bench.example`, tags: ['bench'] })))
    rows.push(await measure('GET /api/v1/clients?limit=50', () => call('GET', '/api/v1/clients?limit=50', key)))
    rows.push(await measure('GET /api/v1/clients?tag=bench&limit=50', () => call('GET', '/api/v1/clients?tag=bench&limit=50', key)))
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

async function orgBench() {
  const { startVitest } = await import('vitest/node')
  const rows = []
  let seed = null
  let failed = 0
  const collector = {
    onTestCaseResult(testCase) {
      const meta = testCase.meta()
      rows.push(...(meta.bench ?? []))
      seed = meta.benchSeed ?? seed
      if (testCase.result().state === 'failed') failed++
    },
  }
  const vitest = await startVitest('test', [], { config: join(root, 'vitest.bench.config.ts'), watch: false, reporters: ['default', collector] })
  await vitest.close()
  if (failed > 0 || rows.length === 0) throw new Error(`the org-scale benchmark failed (${failed} failed tests, ${rows.length} rows)`)
  return formatOrgTable(rows, seed)
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
      '*RPC*: the object\'s method called from the test, serialization included. *HTTP*: the request through the Worker\'s fetch handler ' +
      '(routing, API key lookup in D1, RPC, JSON). Each sample is the mean of several back-to-back runs (workerd\'s clock ticks in whole milliseconds).',
    '',
    '| operation | in object | RPC | HTTP | target (in object p50) | samples (object / RPC / HTTP) |',
    '|---|---:|---:|---:|---|---:|',
    ...rows.map((r) => `| ${r.operation} | ${cell(r.server)} | ${cell(r.rpc)} | ${cell(r.http)} | ${verdict(r)} | ${samples(r)} |`),
    '',
    booking ? `Booking throughput, one booking after another: ${perSecond(booking.server)} in the object, ${perSecond(booking.rpc)} over RPC, ${perSecond(booking.http)} over HTTP.` : '',
    '',
    ...notes,
  ].join('\n')
}

function machine() {
  const cpu = cpus()
  const version = (pkg) => JSON.parse(readFileSync(join(root, 'node_modules', pkg, 'package.json'), 'utf8')).version
  let commit = 'unknown'
  try {
    commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim()
  } catch {
    // not a git checkout
  }
  return `${new Date().toISOString()} · ${cpu.length} × ${cpu[0]?.model ?? 'unknown CPU'}, ${(totalmem() / 2 ** 30).toFixed(0)} GB · ` +
    `Node ${process.versions.node} · workerd ${version('workerd')} · commit ${commit}`
}

const started = Date.now()
const sections = []
if (parts.includes('http')) sections.push(await httpBench())
if (parts.includes('org')) sections.push(await orgBench())
const report = [
  '# HomeBase benchmark results',
  '',
  `Written by \`npm run bench\` (see [README.md](README.md)). ${machine()} · ${((Date.now() - started) / 1000).toFixed(0)} s in all.`,
  '',
  ...sections.flatMap((s) => [s, '']),
].join('\n')
mkdirSync(join(root, 'bench/results'), { recursive: true })
writeFileSync(join(root, 'bench/results/latest.md'), report)
if (parts.length === 2) writeFileSync(join(root, 'bench/results.md'), report)
console.log(`\n${report}`)
