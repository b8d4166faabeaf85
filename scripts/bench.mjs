// `npm run bench`: latency of the foundation's hot API paths against a local `wrangler dev`.
// Writes bench/results/latest.md. Loopback only; bounded request counts.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { applyMigrations, freePort, root, startWorker } from './lib/dev-server.mjs'

const N = Number(process.env.BENCH_N ?? 300)
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
  return { name, n: N, p50: pct(0.5), p95: pct(0.95), p99: pct(0.99), rps: (N / (total / 1000)).toFixed(0) }
}

try {
  const org = await call('POST', '/api/v1/signup', null, { email: 'bench@example.com', password: 'bench password 1', organization_name: 'Bench Co' })
  const key = org.api_key
  const rows = []
  rows.push(await measure('POST /api/v1/people/upsert (new email)', (i) => call('POST', '/api/v1/people/upsert', key, { email: `p${i}@bench.example` })))
  rows.push(await measure('POST /api/v1/people/upsert (existing phone)', () => call('POST', '/api/v1/people/upsert', key, { phone: '(415) 555-2671' })))
  rows.push(await measure('POST /api/v1/clients (new person)', (i) => call('POST', '/api/v1/clients', key, { first_name: `C${i}`, email: `c${i}@bench.example`, tags: ['bench'] })))
  rows.push(await measure('GET /api/v1/clients?limit=50', () => call('GET', '/api/v1/clients?limit=50', key)))
  rows.push(await measure('GET /api/v1/clients?tag=bench&limit=50', () => call('GET', '/api/v1/clients?tag=bench&limit=50', key)))

  const table = [
    `HomeBase API latency, local wrangler dev (workerd), sequential requests, ${new Date().toISOString()}`,
    '',
    '| operation | n | p50 ms | p95 ms | p99 ms | req/s |',
    '|---|---:|---:|---:|---:|---:|',
    ...rows.map((r) => `| ${r.name} | ${r.n} | ${r.p50} | ${r.p95} | ${r.p99} | ${r.rps} |`),
    '',
  ].join('\n')
  mkdirSync(join(root, 'bench/results'), { recursive: true })
  writeFileSync(join(root, 'bench/results/latest.md'), table)
  console.log(table)
} finally {
  await server.stop()
  rmSync(dataDir, { recursive: true, force: true })
}
